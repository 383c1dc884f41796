package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var tlsVerificationDisabled = &lint.Rule{
	ID:       "TLS_VERIFICATION_DISABLED",
	Category: lint.Security,
	Severity: diag.Warning,
	Summary:  "An HTTP integration that does not verify its backend's TLS certificate",
	Check: func(p *lint.Pass) {
		for _, m := range methodsOf(p) {
			in := m.Integration
			if in != nil && in.TLSInsecure != nil && *in.TLSInsecure {
				p.Reportf(schema.At(in.Src, "tls", "insecureSkipVerification"), "insecureSkipVerification accepts any certificate from %s, so anyone who can intercept the connection can read and change requests and responses; give the backend a certificate from a public CA, or set serverNameToVerify", in.URI)
			}
		}
	},
}
