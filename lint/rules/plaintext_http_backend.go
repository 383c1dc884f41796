package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var plaintextHTTPBackend = &lint.Rule{
	ID:       "PLAINTEXT_HTTP_BACKEND",
	Category: lint.Security,
	Severity: diag.Warning,
	Summary:  "An HTTP integration that calls its backend over the internet without TLS",
	Check: func(p *lint.Pass) {
		for _, m := range methodsOf(p) {
			in := m.Integration
			if in == nil || (in.Type != schema.HTTP && in.Type != schema.HTTPProxy) || in.ConnectionType == "VPC_LINK" {
				continue
			}
			if strings.HasPrefix(strings.ToLower(in.URI), "http://") {
				p.Reportf(schema.At(in.Src, "uri"), "the integration calls %s over plain HTTP across the internet: requests, credentials and responses travel unencrypted and unauthenticated; use https:// (or a VPC link for a private backend)", in.URI)
			}
		}
	},
}
