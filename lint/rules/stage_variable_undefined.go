package rules

import (
	"regexp"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var stageVariableUndefined = &lint.Rule{
	ID:       "STAGE_VARIABLE_UNDEFINED",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A stage variable the definition uses but some of its stages do not define",
	Check:    checkStageVariables,
}

var (
	stageVarInStringRE   = regexp.MustCompile(`\$\{stageVariables\.([A-Za-z0-9_]+)\}`)
	stageVarInTemplateRE = regexp.MustCompile(`\$!?\{?stageVariables\.([A-Za-z0-9_]+)`)
)

// stageVarUse is one place a stage variable is read.
type stageVarUse struct {
	name  string
	at    diag.Range
	where string
}

func checkStageVariables(p *lint.Pass) {
	var stages []*schema.Stage
	for _, s := range p.API.Stages {
		if s.Src != p.API.Src { // a stage gwc made up for a definition without stages
			stages = append(stages, s)
		}
	}
	if len(stages) == 0 {
		return
	}
	for _, u := range stageVarUses(p) {
		var missing []string
		for _, s := range stages {
			if !definesVar(s, u.name) {
				missing = append(missing, s.Name)
			}
		}
		if len(missing) == 0 {
			continue
		}
		p.Reportf(u.at, "%s uses stage variable %s, which stage %s does not define: it is empty there (%s)",
			u.where, u.name, strings.Join(missing, ", "), emptyEffect(u.where))
	}
}

func emptyEffect(where string) string {
	switch where {
	case "the integration uri", "the authorizer uri":
		return "the URI breaks and every call fails"
	case "the credentials":
		return "the role ARN breaks and every call fails"
	}
	return "the value is an empty string"
}

func definesVar(s *schema.Stage, name string) bool {
	for _, v := range s.Variables {
		if v.Name == name {
			return true
		}
	}
	return false
}

func stageVarUses(p *lint.Pass) []stageVarUse {
	var out []stageVarUse
	inString := func(text string, at diag.Range, where string) {
		for _, m := range stageVarInStringRE.FindAllStringSubmatch(text, -1) {
			out = append(out, stageVarUse{name: m[1], at: at, where: where})
		}
	}
	for _, m := range p.Methods() {
		in := m.Integration
		if in == nil || p.Generated(in.Src) {
			continue
		}
		inString(in.URI, schema.At(in.Src, "uri"), "the integration uri")
		inString(in.Credentials, schema.At(in.Src, "credentials"), "the credentials")
		mappings := append([]*schema.Mapping(nil), in.RequestParams...)
		for _, ir := range in.Responses {
			mappings = append(mappings, ir.Params...)
		}
		for _, mp := range mappings {
			if name, ok := strings.CutPrefix(mp.Source, "stageVariables."); ok {
				out = append(out, stageVarUse{name: name, at: mp.Src.Range(), where: "the mapping " + mp.Target})
			}
		}
	}
	for _, a := range p.API.Authorizers {
		inString(a.URI, schema.At(a.Src, "uri"), "the authorizer uri")
	}
	for _, s := range templateSites(p) {
		if !strings.Contains(s.t.Text, "stageVariables") {
			continue
		}
		for _, m := range stageVarInTemplateRE.FindAllStringSubmatchIndex(s.t.Text, -1) {
			out = append(out, stageVarUse{name: s.t.Text[m[2]:m[3]], at: templatePos(s.t, m[0]), where: "the template"})
		}
	}
	return out
}
