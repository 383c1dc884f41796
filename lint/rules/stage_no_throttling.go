package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
)

var stageNoThrottling = &lint.Rule{
	ID:       "STAGE_NO_THROTTLING",
	Category: lint.Security,
	Severity: diag.Warning,
	Summary:  "A public stage with no throttling of its own, so one client can use the whole account's request quota",
	Check: func(p *lint.Pass) {
		if p.API.EndpointType == "PRIVATE" {
			return
		}
		planned := map[string]bool{}
		for _, up := range p.API.UsagePlans {
			if up.Throttle == nil {
				continue
			}
			for _, st := range up.Stages {
				planned[st.Stage] = true
			}
		}
		for _, s := range declaredStages(p) {
			if planned[s.Name] {
				continue
			}
			throttled := false
			for _, ms := range s.MethodSettings {
				if ms.ResourcePath == "*" && (ms.ThrottleRate != nil || ms.ThrottleBurst != nil) {
					throttled = true
				}
			}
			if throttled {
				continue
			}
			p.Reportf(s.Src.KeyRange(), "public stage %s sets no throttling: its only limit is the account's 10,000 requests a second, shared with every other API in the region, so one client can starve them all and run up the backend's bill; add methodSettings: \"*/*\": {throttle: {rateLimit: ..., burstLimit: ...}}", s.Name)
		}
	},
}
