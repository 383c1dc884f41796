package cfn

import (
	"regexp"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// modelURLPrefix starts the URL by which API Gateway models refer to each
// other: https://apigateway.amazonaws.com/restapis/{api id}/models/{name}.
const modelURLPrefix = "https://apigateway.amazonaws.com/restapis/"

// modelRefName returns the model a $ref names: #/models/X as definitions
// write it, #/definitions/X and #/components/schemas/X from OpenAPI, or
// API Gateway's URL form with any API id (compile writes it with the
// artifact's).
func modelRefName(ref string) (string, bool) {
	for _, prefix := range []string{schema.ModelRefPrefix, "#/definitions/", "#/components/schemas/"} {
		if name, ok := strings.CutPrefix(ref, prefix); ok && name != "" && !strings.Contains(name, "/") {
			return name, true
		}
	}
	if rest, ok := strings.CutPrefix(ref, modelURLPrefix); ok {
		if _, name, ok := strings.Cut(rest, "/models/"); ok && name != "" && !strings.Contains(name, "/") {
			return name, true
		}
	}
	return "", false
}

// modelRef stands for a reference to another model while a schema is
// being rewritten.
type modelRef struct{ name string }

// models adds every model. A model's references to other models become
// API Gateway's URL with the API's real id, through Fn::Sub, and the model
// depends on the models it refers to: API Gateway checks that they exist.
func (e *emitter) models() {
	known := map[string]bool{}
	for _, m := range e.api.Models {
		known[m.Name] = true
	}
	refsOf := map[string][]string{}
	for _, m := range e.api.Models {
		id := e.id(modelKey(m.Name))
		at := m.Src.KeyRange()
		var refs []string
		rewritten := rewriteModelRefs(m.Schema, func(name string) {
			refs = append(refs, name)
		})
		var deps []string
		for _, name := range refs {
			if !known[name] {
				e.errorf(at, "model %s refers to model %q, which the API does not declare", m.Name, name)
				continue
			}
			deps = append(deps, e.id(modelKey(name)))
		}
		refsOf[m.Name] = refs
		r := &apigateway.Model{
			Name:                       text(m.Name),
			ContentType:                text("application/json"),
			RestApiId:                  e.ref(apiID),
			Schema:                     e.modelSchema(rewritten, use{id, "Schema", at}),
			AWSCloudFormationDependsOn: dependsOn(deps...),
		}
		e.add(id, r)
	}
	if cycle := modelCycle(refsOf); cycle != nil {
		e.errorf(e.modelAt(cycle[0]), "models refer to each other in a cycle (%s); API Gateway creates a model only after the models it refers to, so CloudFormation cannot create these",
			strings.Join(cycle, " → "))
	}
}

func (e *emitter) modelAt(name string) diag.Range {
	for _, m := range e.api.Models {
		if m.Name == name {
			return m.Src.KeyRange()
		}
	}
	return e.api.Src.KeyRange()
}

// rewriteModelRefs copies a schema, replacing each $ref to a model by a
// modelRef and calling found with the model's name. Values of enum,
// default and example are data, not schemas, and are copied as they are.
func rewriteModelRefs(v any, found func(string)) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if s, isStr := val.(string); isStr && k == "$ref" {
				if name, ok := modelRefName(s); ok {
					found(name)
					out[k] = modelRef{name}
					continue
				}
			}
			if k == "enum" || k == "default" || k == "example" {
				out[k] = val
				continue
			}
			out[k] = rewriteModelRefs(val, found)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = rewriteModelRefs(val, found)
		}
		return out
	}
	return v
}

// modelURL is the Fn::Sub source of a reference to the model name.
func modelURL(name string) string {
	return modelURLPrefix + "${" + apiID + "}/models/" + name
}

var placeholderRE = regexp.MustCompile(`\$\{[^}]*\}`)

// modelSchema writes a rewritten schema as the Schema property: an object
// whose model references are Fn::Sub, or, when the schema has keys
// CloudFormation would misread (see document.go), one JSON string (an
// Fn::Sub when it has references, every other ${...} in it escaped).
func (e *emitter) modelSchema(v any, u use) any {
	if !hasIntrinsicKey(v) {
		return replaceModelRefs(v, func(r modelRef) any { return e.sub(modelURL(r.name), u) })
	}
	marker := strings.TrimPrefix(e.holds.prefix, "\x00") + "model-"
	withMarkers := replaceModelRefs(v, func(r modelRef) any { return marker + r.name })
	text, err := canonicalJSON(withMarkers)
	if err != nil {
		e.errorf(u.at, "%s: %v", u.describe(), err)
		return nil
	}
	if !strings.Contains(text, marker) {
		return text
	}
	escaped := placeholderRE.ReplaceAllStringFunc(text, func(p string) string { return "${!" + p[2:] })
	return e.holds.value(map[string]any{"Fn::Sub": strings.ReplaceAll(escaped, marker, modelURLPrefix+"${"+apiID+"}/models/")})
}

// replaceModelRefs copies v, replacing every modelRef by f's result.
func replaceModelRefs(v any, f func(modelRef) any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = replaceModelRefs(val, f)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = replaceModelRefs(val, f)
		}
		return out
	case modelRef:
		return f(x)
	}
	return v
}

// modelCycle returns a cycle of model references (a model that refers to
// itself is one), or nil.
func modelCycle(refsOf map[string][]string) []string {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(string) []string
	visit = func(n string) []string {
		switch state[n] {
		case active:
			i := slices.Index(stack, n)
			return append(slices.Clone(stack[i:]), n)
		case done:
			return nil
		}
		state[n] = active
		stack = append(stack, n)
		for _, next := range refsOf[n] {
			if c := visit(next); c != nil {
				return c
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
		return nil
	}
	for _, n := range sortedKeys(refsOf) {
		if c := visit(n); c != nil {
			return c
		}
	}
	return nil
}
