package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var apiKeyWithoutUsagePlan = &lint.Rule{
	ID:       "API_KEY_WITHOUT_USAGE_PLAN",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "Methods that require an API key on a stage no usage plan covers, so every call gets 403",
	Check:    checkKeysWithoutPlan,
}

func checkKeysWithoutPlan(p *lint.Pass) {
	var first *schema.Method
	for _, m := range p.Methods() {
		if m.APIKeyRequired && !p.Generated(m.Src) {
			first = m
			break
		}
	}
	if first == nil {
		return
	}
	covered := map[string]bool{}
	for _, up := range p.API.UsagePlans {
		for _, st := range up.Stages {
			covered[st.Stage] = true
		}
	}
	var missing []string
	for _, s := range p.API.Stages {
		if !covered[s.Name] {
			missing = append(missing, s.Name)
		}
	}
	if len(missing) == 0 {
		return
	}
	at := schema.At(first.Src, "apiKeyRequired")
	if len(p.API.UsagePlans) == 0 {
		p.Reportf(at, "methods require an API key, but no usage plan exists: API Gateway accepts only keys that belong to a usage plan covering the stage, so every call gets 403 Forbidden; add usagePlans with stages: %s and the keys", strings.Join(missing, ", "))
		return
	}
	p.Reportf(at, "methods require an API key, but no usage plan covers stage %s: every call on it gets 403 Forbidden", strings.Join(missing, ", "))
}
