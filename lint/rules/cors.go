package rules

import (
	"strings"

	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

const allowOriginTarget = "method.response.header.access-control-allow-origin"

// usesCORS reports whether the API answers browsers' cross-origin
// requests: it has a cors block, or some method maps
// Access-Control-Allow-Origin itself.
func usesCORS(p *lint.Pass) bool {
	return lint.Get(p.Cache, "usesCORS", func() bool {
		if p.API.CORS != nil {
			return true
		}
		for _, m := range p.Methods() {
			if m.Integration == nil {
				continue
			}
			for _, ir := range m.Integration.Responses {
				for _, mp := range ir.Params {
					if strings.EqualFold(mp.Target, allowOriginTarget) {
						return true
					}
				}
			}
		}
		return false
	})
}

// allowedHeaders returns the literal Access-Control-Allow-Headers a
// resource's OPTIONS method answers with, and whether it has one.
func allowedHeaders(r *schema.Resource) ([]string, bool) {
	for _, m := range r.Methods {
		if m.Verb != "OPTIONS" || m.Integration == nil {
			continue
		}
		for _, ir := range m.Integration.Responses {
			for _, mp := range ir.Params {
				if !strings.EqualFold(mp.Target, "method.response.header.Access-Control-Allow-Headers") {
					continue
				}
				v := mp.Source
				if len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' {
					return nil, false
				}
				var out []string
				for _, h := range strings.Split(v[1:len(v)-1], ",") {
					out = append(out, strings.TrimSpace(h))
				}
				return out, true
			}
		}
	}
	return nil, false
}
