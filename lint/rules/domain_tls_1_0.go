package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var domainTLS10 = &lint.Rule{
	ID:       "DOMAIN_TLS_1_0",
	Category: lint.Security,
	Severity: diag.Warning,
	Summary:  "A custom domain name that accepts TLS 1.0 and 1.1",
	Check: func(p *lint.Pass) {
		for _, d := range p.API.DomainNames {
			if d.SecurityPolicy == "TLS_1_0" {
				p.Reportf(schema.At(d.Src, "securityPolicy"), "domain name %s accepts TLS 1.0 and 1.1, deprecated protocols (RFC 8996) with known weaknesses; use securityPolicy: TLS_1_2", d.Name)
			}
		}
	},
}
