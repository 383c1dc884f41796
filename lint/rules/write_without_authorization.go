package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var writeWithoutAuthorization = &lint.Rule{
	ID:       "WRITE_WITHOUT_AUTHORIZATION",
	Category: lint.Security,
	Severity: diag.Warning,
	Summary:  "A method that changes data (POST, PUT, PATCH, DELETE, ANY) open to anyone: no authorizer, no IAM, no API key",
	Check: func(p *lint.Pass) {
		for r, m := range p.Methods() {
			switch m.Verb {
			case "POST", "PUT", "PATCH", "DELETE", "ANY":
			default:
				continue
			}
			if p.Generated(m.Src) || m.Authorization != "NONE" || m.APIKeyRequired || m.Integration == nil || m.Integration.Type == schema.MOCK {
				continue
			}
			if p.API.EndpointType == "PRIVATE" && p.API.Policy != nil {
				continue // reachable only through the VPC endpoints the policy names
			}
			p.Reportf(m.Src.KeyRange(), "%s %s has no authorization: anyone on the internet can call it; use an authorizer, AWS_IAM or at least an API key (or ignore this finding with the reason it is public)", m.Verb, r.Path)
		}
	},
}
