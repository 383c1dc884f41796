package schema

import (
	"encoding/json"
	"slices"
)

// JSON Schemas generated from the CUE schema, for editors: one for
// definitions written in gwc's vocabulary as YAML or JSON, one for the
// x-gateway-* extensions of an OpenAPI document. They are committed under
// docs/schema and a test keeps them in step with the CUE schema.

// DefinitionJSONSchema returns the JSON Schema (draft 2020-12) of a
// definition in gwc's vocabulary.
func DefinitionJSONSchema() ([]byte, error) {
	g := newSchemaGen()
	root := g.schema(MustSchema().Def("#Definition"), false)
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://gwc.dev/schema/definition.schema.json"
	root["title"] = "gwc definition"
	root["$defs"] = g.defs
	return marshalSchema(root)
}

// OpenAPIExtensionsJSONSchema returns the JSON Schema (draft 2020-12) of
// the x-gateway-* extensions an OpenAPI document may carry: on the
// document (the fields of #API), on operations (the fields of #Method)
// and on security schemes (x-gateway-authorizer). Everything else of the
// document is left to OpenAPI's own schema.
func OpenAPIExtensionsJSONSchema() ([]byte, error) {
	g := newSchemaGen()
	s := MustSchema()
	ext := func(def string, skip ...string) map[string]any {
		props := map[string]any{}
		for _, f := range s.Def(def).Fields {
			if slices.Contains(skip, f.Name) {
				continue
			}
			props[gwcExt+kebab(f.Name)] = g.field(f)
		}
		return props
	}
	rootProps := ext("#API")
	rootProps[gwcExt+"lint"] = g.schema(s.Def("#LintConfig"), false)
	operation := map[string]any{"type": "object", "properties": ext("#Method")}
	verbs := map[string]any{}
	for _, v := range append(slices.Clone(oasVerbs), awsExt+"any-method") {
		verbs[v] = operation
	}
	root := map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         "https://gwc.dev/schema/openapi-extensions.schema.json",
		"title":       "gwc's x-gateway-* OpenAPI extensions",
		"description": "Validates the x-gateway-* extensions of an OpenAPI document; use it beside OpenAPI's own schema.",
		"type":        "object",
		"properties": map[string]any{
			"paths": map[string]any{
				"type":                 "object",
				"additionalProperties": map[string]any{"type": "object", "properties": verbs},
			},
			"components": map[string]any{
				"type": "object",
				"properties": map[string]any{
					"securitySchemes": map[string]any{
						"type": "object",
						"additionalProperties": map[string]any{
							"type":       "object",
							"properties": map[string]any{gwcExt + "authorizer": g.schema(s.Def("#Authorizer"), false)},
						},
					},
				},
			},
			"securityDefinitions": map[string]any{
				"type": "object",
				"additionalProperties": map[string]any{
					"type":       "object",
					"properties": map[string]any{gwcExt + "authorizer": g.schema(s.Def("#Authorizer"), false)},
				},
			},
		},
		"$defs": g.defs,
	}
	for k, v := range rootProps {
		root["properties"].(map[string]any)[k] = v
	}
	return marshalSchema(root)
}

func marshalSchema(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

type schemaGen struct {
	defs map[string]any
}

func newSchemaGen() *schemaGen { return &schemaGen{defs: map[string]any{}} }

// field is the schema of a struct field: its type, with the field's own
// documentation.
func (g *schemaGen) field(f *Field) map[string]any {
	s := g.schema(f.Type, false)
	if f.Doc != "" {
		if _, isRef := s["$ref"]; isRef {
			s = map[string]any{"allOf": []any{s}}
		}
		s["description"] = f.Doc
	}
	return s
}

// schema converts t. Struct types named after a definition become
// references into $defs, which keeps the output small and readable.
func (g *schemaGen) schema(t *Type, inline bool) map[string]any {
	if t == nil || t.Top {
		return map[string]any{}
	}
	if !inline && t.Name != "" && t.Kinds == kStruct && len(t.Alts) == 0 {
		if _, done := g.defs[t.Name]; !done {
			g.defs[t.Name] = map[string]any{} // placeholder for recursion
			g.defs[t.Name] = g.schema(t, true)
		}
		return map[string]any{"$ref": "#/$defs/" + t.Name}
	}
	s := map[string]any{}
	if t.Doc != "" && inline {
		s["description"] = t.Doc
	}
	if t.Default != nil {
		s["default"] = t.Default
	}
	if len(t.Alts) > 0 {
		var alts []any
		for _, a := range t.Alts {
			alts = append(alts, g.schema(a, false))
		}
		s["anyOf"] = alts
		return s
	}
	if types := jsonTypes(t.Kinds); len(types) == 1 {
		s["type"] = types[0]
	} else if len(types) > 1 && t.Kinds != kAll {
		s["type"] = types
	}
	if len(t.Enum) > 0 {
		s["enum"] = t.Enum
	}
	if t.Min != nil {
		if t.Min.exclusive {
			s["exclusiveMinimum"] = t.Min.v
		} else {
			s["minimum"] = t.Min.v
		}
	}
	if t.Max != nil {
		if t.Max.exclusive {
			s["exclusiveMaximum"] = t.Max.v
		} else {
			s["maximum"] = t.Max.v
		}
	}
	switch len(t.Regexps) {
	case 0:
	case 1:
		s["pattern"] = t.Regexps[0].String()
	default:
		var all []any
		for _, re := range t.Regexps {
			all = append(all, map[string]any{"pattern": re.String()})
		}
		s["allOf"] = all
	}
	for _, v := range t.NotEqual {
		if v == "" {
			s["minLength"] = 1
		} else {
			s["not"] = map[string]any{"const": v}
		}
	}
	if t.Kinds&kStruct != 0 && t.Kinds != kAll {
		g.object(t, s)
	}
	if t.Kinds&kList != 0 && t.Kinds != kAll {
		if t.Elem != nil && !t.Elem.Top {
			s["items"] = g.schema(t.Elem, false)
		}
		if t.MinItems > 0 {
			s["minItems"] = t.MinItems
		}
	}
	return s
}

func (g *schemaGen) object(t *Type, s map[string]any) {
	props := map[string]any{}
	var required []string
	for _, f := range t.Fields {
		props[f.Name] = g.field(f)
		if !f.Optional && f.Type.Default == nil && !(f.Type.Kinds == kStruct && len(f.Type.Alts) == 0) {
			required = append(required, f.Name)
		}
	}
	patterns := map[string]any{}
	for _, p := range t.Patterns {
		value := g.schema(p.Value, false)
		for _, k := range alts(p.Key) {
			switch {
			case len(k.Enum) > 0:
				// An enumeration of names, such as the HTTP verbs: list
				// each as a property.
				for _, e := range k.Enum {
					if name, ok := e.(string); ok {
						props[name] = value
					}
				}
			case len(k.Regexps) == 1:
				patterns[k.Regexps[0].String()] = value
			default:
				// Any name.
				s["additionalProperties"] = value
			}
		}
	}
	if len(props) > 0 {
		s["properties"] = props
	}
	if len(patterns) > 0 {
		s["patternProperties"] = patterns
	}
	if len(required) > 0 {
		slices.Sort(required)
		s["required"] = required
	}
	if !t.Open {
		if _, set := s["additionalProperties"]; !set {
			s["additionalProperties"] = false
		}
	}
}

func jsonTypes(k kindSet) []string {
	var out []string
	if k&kNull != 0 {
		out = append(out, "null")
	}
	if k&kBool != 0 {
		out = append(out, "boolean")
	}
	switch {
	case k&kFloat != 0:
		out = append(out, "number")
	case k&kInt != 0:
		out = append(out, "integer")
	}
	if k&kString != 0 {
		out = append(out, "string")
	}
	if k&kStruct != 0 {
		out = append(out, "object")
	}
	if k&kList != 0 {
		out = append(out, "array")
	}
	return out
}
