package cfntest

import (
	"maps"
	"slices"
)

// CloudFormation's resource schemas describe property values as they are
// after CloudFormation resolved intrinsic functions: {"Ref": "Api"} is not
// a string, yet it is what a template writes for RestApiId. cfn-lint copes
// by validating an intrinsic's own structure and then only checking that
// what it returns fits the property's type: the value is unknown, so enum,
// pattern and length constraints are not checked against it
// (cfnlint/jsonschema/_filter.py replaces the whole schema of a value
// that is a function by a check of that function).
//
// allowIntrinsics does the same by rewriting the schema: every subschema
// whose type admits a string becomes
//
//	{"anyOf": [<the subschema>, {"$ref": "#/definitions/gwcIntrinsic"}]}
//
// so a value passes if it is a valid string (or whatever else the type
// admits) or a well-formed intrinsic function returning a string. Other
// types (booleans, integers, arrays, objects) do not accept intrinsics:
// the emitter never writes one there. Whether the names an intrinsic
// refers to exist is checked separately (refs.go).

// intrinsicDefinition is the name the rewritten schema gives the intrinsic
// check among its definitions.
const intrinsicDefinition = "gwcIntrinsic"

// intrinsicSchema accepts one string-valued intrinsic function, as cfn-lint
// checks its structure: Ref of a name; Fn::GetAtt of [resource,
// attribute] (or "resource.attribute"); Fn::Sub of a string or of
// [string, {variables}]; Fn::Join of [delimiter, [values]];
// Fn::ImportValue of a string or intrinsic.
func intrinsicSchema() map[string]any {
	str := map[string]any{"type": "string"}
	nonEmpty := map[string]any{"type": "string", "minLength": 1}
	fn := func(name string, arg any) any {
		return map[string]any{
			"type":                 "object",
			"required":             []any{name},
			"properties":           map[string]any{name: arg},
			"additionalProperties": false,
		}
	}
	self := map[string]any{"$ref": "#/definitions/" + intrinsicDefinition}
	stringOrFn := map[string]any{"anyOf": []any{str, self}}
	return map[string]any{
		"anyOf": []any{
			fn("Ref", map[string]any{"type": "string", "pattern": `^([A-Za-z0-9]+|AWS::[A-Za-z]+)$`}),
			fn("Fn::GetAtt", map[string]any{"anyOf": []any{
				map[string]any{"type": "array", "minItems": 2, "maxItems": 2, "items": nonEmpty},
				map[string]any{"type": "string", "pattern": `^[A-Za-z0-9]+\..+$`},
			}}),
			fn("Fn::Sub", map[string]any{"anyOf": []any{
				str,
				map[string]any{
					"type": "array", "minItems": 2, "maxItems": 2,
					"items": []any{str, map[string]any{"type": "object", "additionalProperties": stringOrFn}},
				},
			}}),
			fn("Fn::Join", map[string]any{
				"type": "array", "minItems": 2, "maxItems": 2,
				"items": []any{str, map[string]any{"type": "array", "items": stringOrFn}},
			}),
			fn("Fn::ImportValue", stringOrFn),
		},
	}
}

// allowIntrinsics returns a copy of a resource schema in which every
// string-typed value may be an intrinsic function instead.
func allowIntrinsics(schema map[string]any) map[string]any {
	out := rewriteSchema(schema).(map[string]any)
	defs, _ := out["definitions"].(map[string]any)
	if defs == nil {
		defs = map[string]any{}
	} else {
		defs = maps.Clone(defs)
	}
	defs[intrinsicDefinition] = intrinsicSchema()
	out["definitions"] = defs
	return out
}

// Keywords whose value is a schema, a list of schemas, or a map of
// schemas (JSON Schema draft-07, which the registry schemas use).
var (
	schemaKeywords     = []string{"additionalProperties", "items", "additionalItems", "contains", "not", "if", "then", "else", "propertyNames"}
	schemaListKeywords = []string{"allOf", "anyOf", "oneOf", "items"}
	schemaMapKeywords  = []string{"properties", "patternProperties", "definitions", "dependencies"}
)

// rewriteSchema rewrites one subschema and everything below it.
func rewriteSchema(v any) any {
	s, ok := v.(map[string]any)
	if !ok {
		return v // true, false, or not a schema at all
	}
	out := maps.Clone(s)
	for _, k := range schemaKeywords {
		if sub, ok := s[k].(map[string]any); ok {
			out[k] = rewriteSchema(sub)
		}
	}
	for _, k := range schemaListKeywords {
		if list, ok := s[k].([]any); ok {
			rewritten := make([]any, len(list))
			for i, sub := range list {
				rewritten[i] = rewriteSchema(sub)
			}
			out[k] = rewritten
		}
	}
	for _, k := range schemaMapKeywords {
		if m, ok := s[k].(map[string]any); ok {
			rewritten := make(map[string]any, len(m))
			for name, sub := range m {
				rewritten[name] = rewriteSchema(sub)
			}
			out[k] = rewritten
		}
	}
	if !admitsString(s) {
		return out
	}
	// definitions stay at the top level, where $refs point.
	wrapped := map[string]any{"anyOf": []any{withoutKey(out, "definitions"), map[string]any{"$ref": "#/definitions/" + intrinsicDefinition}}}
	if defs, ok := out["definitions"]; ok {
		wrapped["definitions"] = defs
	}
	return wrapped
}

// admitsString reports whether a schema's own type keyword allows a string.
func admitsString(s map[string]any) bool {
	switch t := s["type"].(type) {
	case string:
		return t == "string"
	case []any:
		return slices.Contains(t, any("string"))
	}
	return false
}

func withoutKey(m map[string]any, key string) map[string]any {
	out := maps.Clone(m)
	delete(out, key)
	return out
}
