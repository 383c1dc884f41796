package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var preflightAuthorized = &lint.Rule{
	ID:       "PREFLIGHT_AUTHORIZED",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "An OPTIONS method behind an authorizer or an API key, which browsers' CORS preflights cannot pass",
	Check:    checkPreflight,
}

func checkPreflight(p *lint.Pass) {
	for r, m := range p.Methods() {
		if m.Verb != "OPTIONS" || p.Generated(m.Src) {
			continue
		}
		switch {
		case m.Authorization != "" && m.Authorization != "NONE":
			at := schema.At(m.Src, "authorizer")
			if m.Src.Get("authorizer") == nil {
				at = schema.At(m.Src, "authorization")
			}
			p.Reportf(at, "OPTIONS %s uses %s authorization: browsers send CORS preflights without credentials, so the preflight fails and the browser never sends the real request; use authorization NONE on OPTIONS", r.Path, m.Authorization)
		case m.APIKeyRequired:
			p.Reportf(schema.At(m.Src, "apiKeyRequired"), "OPTIONS %s requires an API key: browsers send CORS preflights without the x-api-key header, so the preflight gets 403 and the browser never sends the real request", r.Path)
		}
	}
}
