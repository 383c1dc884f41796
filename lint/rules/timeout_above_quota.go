package rules

import (
	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var timeoutAboveQuota = &lint.Rule{
	ID:       "TIMEOUT_ABOVE_QUOTA",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "An integration timeout above 29 s, which needs a raised account quota",
	Check: func(p *lint.Pass) {
		for _, m := range methodsOf(p) {
			in := m.Integration
			if in == nil || in.TimeoutMillis <= compile.MaxTimeoutMillis || in.Type == schema.MOCK {
				continue
			}
			// On EDGE APIs gwc check already refuses it.
			p.Reportf(schema.At(in.Src, "timeout"), "timeout %d ms is above the default quota of %d ms: API Gateway accepts it for %s APIs only after the account's integration timeout quota is raised, and refuses the deployment otherwise; clients also wait that long",
				in.TimeoutMillis, compile.MaxTimeoutMillis, p.API.EndpointType)
		}
	},
}
