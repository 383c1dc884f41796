package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
)

var methodSettingEmpty = &lint.Rule{
	ID:       "METHOD_SETTING_EMPTY",
	Category: lint.Fidelity,
	Severity: diag.Warning,
	Summary:  "A stage method setting that sets nothing, which API Gateway silently drops",
	Check: func(p *lint.Pass) {
		for _, s := range p.API.Stages {
			for _, ms := range s.MethodSettings {
				if len(ms.Src.Entries) == 0 && !p.Generated(ms.Src) {
					p.Reportf(ms.Src.KeyRange(), "method setting %q on stage %s sets nothing; API Gateway drops it, so whatever it was meant to change stays as it was", ms.Src.Key, s.Name)
				}
			}
		}
	},
}
