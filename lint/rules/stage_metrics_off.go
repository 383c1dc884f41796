package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
)

var stageMetricsOff = &lint.Rule{
	ID:       "STAGE_METRICS_OFF",
	Category: lint.Security,
	Severity: diag.Info,
	Summary:  "A stage without detailed CloudWatch metrics, so per-method errors and latency go unseen",
	Check: func(p *lint.Pass) {
		for _, s := range declaredStages(p) {
			if all := allMethods(s); all != nil && all.Metrics != nil && *all.Metrics {
				continue
			}
			p.Reportf(s.Src.KeyRange(), "stage %s does not turn on detailed metrics: CloudWatch shows only API-wide counts, so a failing or slow method, or a burst of 4xx from probing, is not visible; add methodSettings: \"*/*\": {metrics: true}", s.Name)
		}
	},
}
