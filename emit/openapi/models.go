package openapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"gwc.dev/gwc/schema"
)

// schemaRef is the reference to a model in components.schemas.
func schemaRef(name string) string { return "#/components/schemas/" + name }

// convertModels turns every model, a JSON Schema draft-04 document, into
// an OpenAPI 3.0 schema object, and finds out whether the OpenAPI reader
// gives the model back exactly.
func (e *exporter) convertModels() {
	e.exactModels = true
	for _, m := range e.api.Models {
		c := schemaConverter{modelURL: e.modelURL, exact: m.Schema != nil}
		oas := c.object(m.Schema)
		if c.exact && !survivesKin(oas) {
			c.exact = false
		}
		e.models[m.Name] = oas
		e.exactModels = e.exactModels && c.exact
	}
}

// componentSchemas returns components.schemas: each model as kin-openapi
// reads it from its converted form.
func (e *exporter) componentSchemas() openapi3.Schemas {
	if len(e.api.Models) == 0 {
		return nil
	}
	out := openapi3.Schemas{}
	for _, m := range e.api.Models {
		var s openapi3.Schema
		b, err := json.Marshal(e.models[m.Name])
		if err == nil {
			err = json.Unmarshal(b, &s)
		}
		if err != nil {
			// The converted form is made of JSON values only, which
			// kin-openapi reads; a failure here is a bug.
			e.errorf(m.Src, "model %s: %v", m.Name, err)
			continue
		}
		out[m.Name] = &openapi3.SchemaRef{Value: &s}
	}
	return out
}

// schemaConverter converts a draft-04 model into an OpenAPI 3.0 schema
// object. The OpenAPI reader turns a schema object back into draft-04 by
// copying it, except that it rewrites references, turns nullable into a
// "null" type and drops the keywords OpenAPI adds to JSON Schema; exact
// stays true only while every keyword met converts so that this reading
// gives the model back as it is. Keywords OpenAPI 3.0 does not have are
// left out of the schema object (and make the conversion inexact).
type schemaConverter struct {
	modelURL string
	exact    bool
}

// oas30Keywords are the JSON Schema keywords an OpenAPI 3.0 schema object
// has with their draft-04 meaning, by the kind of value each takes.
var oas30Keywords = map[string]string{
	"title": "string", "description": "string", "format": "string", "pattern": "string",
	"multipleOf": "number", "maximum": "number", "minimum": "number",
	"maxLength": "number", "minLength": "number", "maxItems": "number", "minItems": "number",
	"maxProperties": "number", "minProperties": "number",
	"exclusiveMaximum": "bool", "exclusiveMinimum": "bool", "uniqueItems": "bool",
	"required": "strings", "enum": "list", "default": "any",
	"type": "type", "properties": "schemas", "items": "schema", "not": "schema",
	"additionalProperties": "boolOrSchema", "allOf": "schemaList", "anyOf": "schemaList", "oneOf": "schemaList",
}

// object converts one schema. A nil model becomes an empty schema (and
// the conversion inexact, since the reader cannot give back nil).
func (c *schemaConverter) object(m map[string]any) map[string]any {
	out := map[string]any{}
	if ref, ok := m["$ref"]; ok {
		s, _ := ref.(string)
		name, isModel := strings.CutPrefix(s, c.modelURL)
		if isModel && name != "" && !strings.Contains(name, "/") {
			// The reader keeps a reference and nothing beside it.
			if len(m) > 1 {
				c.exact = false
			}
			return map[string]any{"$ref": schemaRef(name)}
		}
		// A reference within the model, which OpenAPI cannot resolve.
		c.exact = false
	}
	for k, v := range m {
		if k == "$ref" {
			continue
		}
		kind, known := oas30Keywords[k]
		if !known {
			// A draft-04 keyword OpenAPI 3.0 lacks (patternProperties,
			// dependencies, definitions, $schema, id, ...), or one the
			// reader would drop or rewrite (nullable, example, const,
			// x-*).
			c.exact = false
			continue
		}
		if conv, ok := c.value(kind, v); ok {
			out[k] = conv
		} else {
			c.exact = false
		}
		if k == "type" {
			if l, isList := v.([]any); isList && len(l) == 2 {
				if t, isStr := out["type"].(string); isStr && l[0] == t && l[1] == "null" {
					out["nullable"] = true
				}
			}
		}
	}
	if _, ok := out["items"]; !ok && out["type"] == "array" {
		// OpenAPI 3.0 requires items of an array; {} means what its
		// absence means in draft-04, but the model would not be the same.
		out["items"] = map[string]any{}
		c.exact = false
	}
	return out
}

// value converts the value of a keyword of the given kind; ok is false
// when OpenAPI 3.0 cannot say it.
func (c *schemaConverter) value(kind string, v any) (any, bool) {
	switch kind {
	case "string":
		s, ok := v.(string)
		return s, ok
	case "number":
		switch v.(type) {
		case int64, float64, int, json.Number:
			return v, true
		}
	case "bool":
		b, ok := v.(bool)
		return b, ok
	case "strings":
		l, ok := v.([]any)
		for _, s := range l {
			if _, isStr := s.(string); !isStr {
				ok = false
			}
		}
		return l, ok && len(l) > 0
	case "list":
		l, ok := v.([]any)
		return l, ok
	case "any":
		return v, true
	case "type":
		return c.typ(v)
	case "schema":
		if m, ok := v.(map[string]any); ok {
			return c.object(m), true
		}
		// items as a list (a tuple) has no OpenAPI 3.0 form.
	case "boolOrSchema":
		if b, ok := v.(bool); ok {
			return b, true
		}
		if m, ok := v.(map[string]any); ok {
			return c.object(m), true
		}
	case "schemas":
		if m, ok := v.(map[string]any); ok {
			out := make(map[string]any, len(m))
			for name, s := range m {
				sm, isMap := s.(map[string]any)
				if !isMap {
					c.exact = false
					sm = nil
				}
				out[name] = c.object(sm)
			}
			return out, true
		}
	case "schemaList":
		if l, ok := v.([]any); ok {
			out := make([]any, 0, len(l))
			for _, s := range l {
				sm, isMap := s.(map[string]any)
				if !isMap {
					c.exact = false
					continue
				}
				out = append(out, c.object(sm))
			}
			return out, true
		}
	}
	return nil, false
}

// typ converts a type: a single type name stays; [T, "null"] becomes T
// (with nullable: true, which object adds), the form the reader turns
// back into [T, "null"]. OpenAPI 3.0 has no "null" type and no other
// unions, so any other type is left out.
func (c *schemaConverter) typ(v any) (any, bool) {
	switch t := v.(type) {
	case string:
		if t == "null" {
			return nil, false
		}
		return t, true
	case []any:
		if len(t) == 2 && t[1] == "null" {
			if s, ok := t[0].(string); ok && s != "null" {
				return s, true
			}
		}
	}
	return nil, false
}

// survivesKin reports whether kin-openapi reads the schema object and
// writes it back unchanged: a zero-valued keyword such as minLength: 0,
// which its types cannot tell from an absent one, would be lost.
func survivesKin(oas map[string]any) bool {
	b, err := json.Marshal(oas)
	if err != nil {
		return false
	}
	var s openapi3.Schema
	if err := json.Unmarshal(b, &s); err != nil {
		return false
	}
	back, err := json.Marshal(&s)
	if err != nil {
		return false
	}
	return jsonEqual(b, back)
}

func jsonEqual(a, b []byte) bool {
	decode := func(data []byte) (any, bool) {
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		var v any
		return v, d.Decode(&v) == nil
	}
	x, ok1 := decode(a)
	y, ok2 := decode(b)
	return ok1 && ok2 && reflect.DeepEqual(x, y)
}

// gwcModels returns the models in gwc's vocabulary (modelSchemas), as
// written: references to other models take the form #/models/Name.
func (e *exporter) gwcModels() map[string]any {
	out := make(map[string]any, len(e.api.Models))
	for _, m := range e.api.Models {
		out[m.Name] = e.gwcRefs(m.Schema)
	}
	return out
}

// gwcRefs copies a schema with model references in gwc's form. Like
// compile, it leaves the values of enum, default and example alone.
func (e *exporter) gwcRefs(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			switch {
			case k == "enum" || k == "default" || k == "example":
				out[k] = val
			case k == "$ref":
				if s, ok := val.(string); ok {
					if name, isModel := strings.CutPrefix(s, e.modelURL); isModel {
						val = schema.ModelRefPrefix + name
					}
				}
				out[k] = val
			default:
				out[k] = e.gwcRefs(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = e.gwcRefs(val)
		}
		return out
	}
	return v
}

// primitiveModel reports whether a model's components schema has a type
// other than object or array, which the OpenAPI reader (like API
// Gateway's importer) rejects as a response body.
func (e *exporter) primitiveModel(name string) bool {
	t, ok := e.models[name]["type"].(string)
	return ok && t != "object" && t != "array"
}
