package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
)

var stageLoggingOff = &lint.Rule{
	ID:       "STAGE_LOGGING_OFF",
	Category: lint.Security,
	Severity: diag.Warning,
	Summary:  "A stage with neither access logs nor execution logs, so nobody can tell later who called what",
	Check: func(p *lint.Pass) {
		for _, s := range declaredStages(p) {
			if s.AccessLog != nil {
				continue
			}
			if all := allMethods(s); all != nil && (all.LoggingLevel == "ERROR" || all.LoggingLevel == "INFO") {
				continue
			}
			p.Reportf(s.Src.KeyRange(), "stage %s has no access log and no execution logging: there is no record of who called the API or why a call failed; add accessLog: {destination: ..., format: json}", s.Name)
		}
	},
}
