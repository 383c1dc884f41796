package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var authorizerHeaderNotAllowed = &lint.Rule{
	ID:       "AUTHORIZER_HEADER_NOT_ALLOWED",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "An authorizer's identity header that the resource's CORS preflight does not allow browsers to send",
	Check:    checkAuthorizerHeaders,
}

func checkAuthorizerHeaders(p *lint.Pass) {
	authorizers := map[string]*schema.Authorizer{}
	for _, a := range p.API.Authorizers {
		authorizers[a.Name] = a
	}
	reported := map[string]bool{}
	for r, m := range p.Methods() {
		a := authorizers[m.Authorizer]
		if a == nil || m.Verb == "OPTIONS" {
			continue
		}
		allowed, ok := allowedHeaders(r)
		if !ok {
			continue
		}
		for _, src := range a.IdentitySources {
			name, isHeader := strings.CutPrefix(src, "method.request.header.")
			if !isHeader || containsFold(allowed, name) {
				continue
			}
			key := r.Path + " " + name
			if reported[key] {
				continue
			}
			reported[key] = true
			p.Reportf(schema.At(m.Src, "authorizer"), "authorizer %s reads the %s header, but the CORS preflight of %s allows only %s: browsers will not send %s, so every cross-origin call is unauthorized; add it to the allowed headers",
				a.Name, name, r.Path, strings.Join(allowed, ","), name)
		}
	}
}
