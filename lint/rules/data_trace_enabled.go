package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var dataTraceEnabled = &lint.Rule{
	ID:       "DATA_TRACE_ENABLED",
	Category: lint.Security,
	Severity: diag.Warning,
	Summary:  "Full request and response logging (dataTrace), which writes bodies, tokens and personal data to CloudWatch",
	Check: func(p *lint.Pass) {
		for _, s := range declaredStages(p) {
			for _, ms := range s.MethodSettings {
				if ms.DataTrace != nil && *ms.DataTrace {
					p.Reportf(schema.At(ms.Src, "logging", "dataTrace"), "dataTrace logs full requests and responses of stage %s to CloudWatch, including Authorization headers, API keys and personal data in bodies; AWS advises against it in production: turn it off and use access logs", s.Name)
				}
			}
		}
	},
}
