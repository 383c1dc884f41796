package rules

import (
	"slices"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
)

var unusedDefinition = &lint.Rule{
	ID:       "UNUSED_DEFINITION",
	Category: lint.Style,
	Severity: diag.Info,
	Off:      true,
	Summary:  "An authorizer, request validator or model that nothing uses",
	Check: func(p *lint.Pass) {
		usedAuth, usedVal, usedModel := map[string]bool{}, map[string]bool{p.API.DefaultValidator: true}, map[string]bool{}
		for _, m := range p.Methods() {
			usedAuth[m.Authorizer] = true
			usedVal[m.Validator] = true
			for _, cm := range m.RequestModels {
				usedModel[cm.Model] = true
			}
			for _, mr := range m.Responses {
				for _, cm := range mr.Models {
					usedModel[cm.Model] = true
				}
			}
		}
		// Models referenced from other models count as used.
		for _, md := range p.API.Models {
			for _, other := range p.API.Models {
				if other != md && refersTo(other.Schema, md.Name) {
					usedModel[md.Name] = true
				}
			}
		}
		for _, a := range p.API.Authorizers {
			if !usedAuth[a.Name] {
				p.Reportf(a.Src.KeyRange(), "authorizer %s is used by no method", a.Name)
			}
		}
		for _, v := range p.API.RequestValidators {
			if !usedVal[v.Name] {
				p.Reportf(v.Src.KeyRange(), "request validator %s is used by no method", v.Name)
			}
		}
		for _, md := range p.API.Models {
			if !usedModel[md.Name] && !slices.Contains([]string{"Empty", "Error"}, md.Name) {
				p.Reportf(md.Src.KeyRange(), "model %s is used by no method and no other model", md.Name)
			}
		}
	},
}

// refersTo reports whether a JSON Schema refers to the named model.
func refersTo(v any, name string) bool {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok && (ref == "#/models/"+name || len(ref) > len(name) && ref[len(ref)-len(name)-1:] == "/"+name) {
			return true
		}
		for _, e := range x {
			if refersTo(e, name) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if refersTo(e, name) {
				return true
			}
		}
	}
	return false
}
