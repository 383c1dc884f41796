package cfn

import (
	"regexp"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

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
// depends on the models it refers to: API Gateway checks that they exist
// when it creates a model.
//
// For the same reason CloudFormation cannot create models that refer to
// each other in a cycle (OpenAPI imports can, and real APIs do: a Person
// lives in a House that contains Persons). The template breaks each cycle
// at one reference, found in a depth-first walk in name order, and writes
// that reference as an unconstrained schema, with a warning: API Gateway
// then does not validate that part of a body.
func (e *emitter) models() {
	refsOf := map[string][]string{}
	for _, m := range e.api.Models {
		rewriteModelRefs(m.Schema, func(name string) bool {
			refsOf[m.Name] = append(refsOf[m.Name], name)
			return true
		})
	}
	cut := backEdges(refsOf)
	for _, m := range e.api.Models {
		id := e.id(modelKey(m.Name))
		at := m.Src.KeyRange()
		var deps []string
		rewritten := rewriteModelRefs(m.Schema, func(name string) bool {
			switch {
			case !e.declared.models[name]:
				e.errorf(at, "model %s refers to model %q, which the API does not declare", m.Name, name)
			case cut[[2]string{m.Name, name}]:
				return false
			default:
				deps = append(deps, e.id(modelKey(name)))
			}
			return true
		})
		for _, name := range slices.Compact(slices.Sorted(slices.Values(refsOf[m.Name]))) {
			if cut[[2]string{m.Name, name}] {
				e.warnf(at, "models %s and %s refer to each other in a cycle, and API Gateway creates a model only after the models it refers to; the template writes %s's reference to %s as an unconstrained schema, so API Gateway does not validate that part of a body",
					m.Name, name, m.Name, name)
			}
		}
		e.add(id, &apigateway.Model{
			Name:                       text(m.Name),
			ContentType:                text("application/json"),
			RestApiId:                  e.ref(apiID),
			Schema:                     e.modelSchema(rewritten, use{id, "Schema", at}),
			AWSCloudFormationDependsOn: dependsOn(deps...),
		})
	}
}

// rewriteModelRefs copies a schema, replacing each $ref to a model by a
// modelRef after asking keep about the model's name; a reference keep
// refuses is dropped, leaving its object's other keywords. Values of
// enum, default and example are data, not schemas, and are copied as they
// are.
func rewriteModelRefs(v any, keep func(string) bool) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if s, isStr := val.(string); isStr && k == "$ref" {
				if name, ok := modelRefName(s); ok {
					if keep(name) {
						out[k] = modelRef{name}
					}
					continue
				}
			}
			if k == "enum" || k == "default" || k == "example" {
				out[k] = val
				continue
			}
			out[k] = rewriteModelRefs(val, keep)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = rewriteModelRefs(val, keep)
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

// backEdges returns the references that close a cycle (a model that
// refers to itself is one), found in a depth-first walk over the models
// and their references in name order, so that the same models always
// lose the same references.
func backEdges(refsOf map[string][]string) map[[2]string]bool {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	cut := map[[2]string]bool{}
	var visit func(string)
	visit = func(n string) {
		state[n] = active
		for _, next := range slices.Compact(slices.Sorted(slices.Values(refsOf[n]))) {
			switch state[next] {
			case active:
				cut[[2]string{n, next}] = true
			case unseen:
				visit(next)
			}
		}
		state[n] = done
	}
	for _, n := range sortedKeys(refsOf) {
		if state[n] == unseen {
			visit(n)
		}
	}
	return cut
}
