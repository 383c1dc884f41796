package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var apiKeySourceWithoutAuthorizer = &lint.Rule{
	ID:       "API_KEY_SOURCE_WITHOUT_AUTHORIZER",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "apiKeySource AUTHORIZER on a method that requires a key but has no Lambda authorizer to supply it",
	Check: func(p *lint.Pass) {
		if p.API.APIKeySource != "AUTHORIZER" {
			return
		}
		for r, m := range p.Methods() {
			if m.APIKeyRequired && m.Authorization != "CUSTOM" {
				p.Reportf(schema.At(m.Src, "apiKeyRequired"), "%s %s requires an API key, and the API takes keys from a Lambda authorizer's usageIdentifierKey (apiKeySource AUTHORIZER), but this method has no Lambda authorizer: every call gets 403", m.Verb, r.Path)
			}
		}
	},
}
