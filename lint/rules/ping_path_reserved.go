package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
)

var pingPathReserved = &lint.Rule{
	ID:       "PING_PATH_RESERVED",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A top-level /ping or /sping resource, which custom domain names reserve for health checks",
	Check: func(p *lint.Pass) {
		if len(p.API.DomainNames) == 0 {
			return
		}
		for _, r := range p.API.Resources {
			if (r.Path == "/ping" || r.Path == "/sping") && len(r.Methods) > 0 {
				p.Reportf(r.Src.KeyRange(), "%s is reserved for API Gateway's health check on custom domain names: requests to %s through %s never reach this resource; rename it", r.Path, r.Path, p.API.DomainNames[0].Name)
			}
		}
	},
}
