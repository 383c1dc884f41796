package compile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gwc.dev/gwc/artifact"

	"gwc.dev/gwc/schema"
)

// Draft04 is the JSON Schema dialect of API Gateway models.
const Draft04 = "http://json-schema.org/draft-04/schema#"

// ModelURL is the URL by which one model refers to another in API Gateway.
func ModelURL(apiID, name string) string { return artifact.ModelURL(apiID, name) }

// checkModels normalizes every model (references in API Gateway's URL
// form, required lists sorted) and compiles it as draft-04, so that a
// model the runtime cannot compile never reaches an artifact. Like API
// Gateway, it stores the schema as written: no $schema is added.
func (c *compiler) checkModels() {
	comp := jsonschema.NewCompiler()
	comp.DefaultDraft(jsonschema.Draft4)
	comp.UseRegexpEngine(javaRegexpEngine)
	type entry struct {
		m   *schema.Model
		url string
	}
	var entries []entry
	for _, m := range c.api.Models {
		if m.Schema == nil {
			continue
		}
		if ok := c.rewriteRefs(m, m.Schema); !ok {
			continue
		}
		doc, err := toJSONValue(m.Schema)
		if err != nil {
			c.errorf(m.Src.KeyRange(), CodeInvalidModel, "model %s: %v", m.Name, err)
			continue
		}
		url := ModelURL(c.id, m.Name)
		if err := comp.AddResource(url, doc); err != nil {
			c.errorf(m.Src.KeyRange(), CodeInvalidModel, "model %s: %v", m.Name, err)
			continue
		}
		entries = append(entries, entry{m, url})
	}
	for _, e := range entries {
		if _, err := comp.Compile(e.url); err != nil {
			for _, p := range schemaProblems(err) {
				at := e.m.Src.KeyRange()
				if n := e.m.Src.Path(p.at...); n != nil && len(p.at) > 0 {
					at = n.Range()
				}
				c.errorf(at, CodeInvalidModel, "model %s is not a valid JSON Schema draft-04 document: %s", e.m.Name, p.msg)
			}
		}
	}
	slices.SortFunc(c.api.Models, func(a, b *schema.Model) int { return strings.Compare(a.Name, b.Name) })
}

type schemaProblem struct {
	at  []string // the place in the model, as JSON pointer tokens
	msg string
}

// schemaProblems explains why a model is not a valid schema: the deepest
// causes of a metaschema violation, each with its place in the model.
func schemaProblems(err error) []schemaProblem {
	var sve *jsonschema.SchemaValidationError
	var ve *jsonschema.ValidationError
	if !errors.As(err, &sve) || !errors.As(sve.Err, &ve) {
		msg := err.Error()
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return []schemaProblem{{msg: msg}}
	}
	var out []schemaProblem
	seen := map[string]bool{}
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			at := "/" + strings.Join(e.InstanceLocation, "/")
			msg := fmt.Sprintf("at %s: %s", at, e.ErrorKind.LocalizedString(englishPrinter))
			if !seen[at] && len(out) < 5 {
				seen[at] = true
				out = append(out, schemaProblem{at: e.InstanceLocation, msg: msg})
			}
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

var englishPrinter = message.NewPrinter(language.English)

// rewriteRefs turns every $ref to another model into API Gateway's URL
// form, reporting references to models that do not exist. Refs written in
// the other accepted forms (#/definitions/X, #/components/schemas/X, the
// URL form with any API id) are accepted too.
func (c *compiler) rewriteRefs(m *schema.Model, v any) bool {
	ok := true
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, isStr := x["$ref"].(string); isStr {
				name, isModel := modelRefName(ref)
				switch {
				case !isModel && strings.HasPrefix(ref, "#"):
					// A reference inside the model itself.
				case !isModel:
					c.errorf(m.Src.KeyRange(), CodeInvalidModel, "model %s refers to %q; models may refer only to other models of the API", m.Name, ref)
					ok = false
				case c.models[name] == nil:
					c.errorf(m.Src.KeyRange(), CodeUndefined, "model %s refers to model %q, which does not exist%s", m.Name, name, c.suggestModel(name))
					ok = false
				default:
					x["$ref"] = ModelURL(c.id, name)
				}
			}
			for k, e := range x {
				if k == "enum" || k == "default" || k == "example" {
					continue
				}
				walk(e)
			}
			if req, isList := x["required"].([]any); isList && allStrings(req) {
				slices.SortFunc(req, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return ok
}

func allStrings(l []any) bool {
	for _, e := range l {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

// modelRefName returns the model a $ref names, in any of the forms
// definitions use.
func modelRefName(ref string) (string, bool) {
	for _, prefix := range []string{schema.ModelRefPrefix, "#/definitions/", "#/components/schemas/"} {
		if name, ok := strings.CutPrefix(ref, prefix); ok && !strings.Contains(name, "/") {
			return name, true
		}
	}
	if i := strings.Index(ref, "apigateway.amazonaws.com/restapis/"); i >= 0 {
		rest := ref[i+len("apigateway.amazonaws.com/restapis/"):]
		if j := strings.Index(rest, "/models/"); j >= 0 {
			return rest[j+len("/models/"):], true
		}
	}
	return "", false
}

// toJSONValue converts Go values into what the JSON Schema compiler
// expects: the result of decoding JSON.
func toJSONValue(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	return doc, nil
}
