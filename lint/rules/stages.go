package rules

import (
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

// declaredStages returns the stages the definition declares; a definition
// without stages gets one from compile, whose settings live elsewhere and
// are not judged.
func declaredStages(p *lint.Pass) []*schema.Stage {
	var out []*schema.Stage
	for _, s := range p.API.Stages {
		if s.Src != p.API.Src {
			out = append(out, s)
		}
	}
	return out
}

// allMethods returns a stage's */* method setting, or nil.
func allMethods(s *schema.Stage) *schema.MethodSetting {
	for _, ms := range s.MethodSettings {
		if ms.ResourcePath == "*" {
			return ms
		}
	}
	return nil
}
