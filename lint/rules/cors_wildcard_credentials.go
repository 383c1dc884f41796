package rules

import (
	"slices"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var corsWildcardCredentials = &lint.Rule{
	ID:       "CORS_WILDCARD_CREDENTIALS",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "CORS with origin * and credentials, a combination browsers refuse",
	Check:    checkWildcardCredentials,
}

func checkWildcardCredentials(p *lint.Pass) {
	if c := p.API.CORS; c != nil && c.Credentials && slices.Contains(c.Origins, "*") {
		p.Reportf(schema.At(c.Src, "credentials"), "cors allows origin * with credentials: browsers refuse a credentialed response whose Access-Control-Allow-Origin is *, so every request with cookies or Authorization fails; list the origins")
	}
	for _, m := range p.Methods() {
		if m.Integration == nil {
			continue
		}
		for _, ir := range m.Integration.Responses {
			var origin, creds *schema.Mapping
			for _, mp := range ir.Params {
				switch strings.ToLower(mp.Target) {
				case allowOriginTarget:
					origin = mp
				case "method.response.header.access-control-allow-credentials":
					creds = mp
				}
			}
			if origin != nil && creds != nil && origin.Source == "'*'" && strings.EqualFold(creds.Source, "'true'") && !p.Generated(origin.Src) {
				p.Reportf(origin.Src.Range(), "Access-Control-Allow-Origin '*' with Access-Control-Allow-Credentials 'true': browsers refuse such a response to any credentialed request; answer with the caller's origin")
			}
		}
	}
}
