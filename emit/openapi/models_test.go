package openapi_test

import (
	"testing"
)

// TestModels writes models as OpenAPI 3.0 schema objects: a reference
// to another model (API Gateway's URL form in the model) becomes a
// components reference, and a type that may be null becomes nullable, as
// gwc's reader expects (docs/decisions.md: nullable becomes a null type).
func TestModels(t *testing.T) {
	doc, res := exportDef(t, `
api:
  models:
    stages: {dev: {}}
    modelSchemas:
      Pet:
        type: object
        title: A pet
        required: [name, id]
        properties:
          id: {type: integer, minimum: 1, exclusiveMinimum: true}
          name: {type: string, minLength: 1, maxLength: 64, pattern: "^[a-z]+$"}
          tag: {type: [string, "null"], enum: [cat, dog, null]}
          owner: {$ref: "#/models/Owner"}
        additionalProperties: false
      Owner:
        type: object
        properties:
          pets: {type: array, items: {$ref: "#/models/Pet"}, uniqueItems: true}
          kind: {oneOf: [{type: string, format: email}, {type: number, multipleOf: 0.5}]}
        additionalProperties: {type: string}
    resources:
      /:
        GET:
          integration:
            mock: {responses: {default: {status: 200}}}
          responses: {"200": {model: Pet}}
`)
	expect(t, at(t, doc, "components", "schemas"), `{
  "Owner": {
    "type": "object",
    "properties": {
      "pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}, "uniqueItems": true},
      "kind": {"oneOf": [{"type": "string", "format": "email"}, {"type": "number", "multipleOf": 0.5}]}
    },
    "additionalProperties": {"type": "string"}
  },
  "Pet": {
    "type": "object",
    "title": "A pet",
    "required": ["id", "name"],
    "properties": {
      "id": {"type": "integer", "minimum": 1, "exclusiveMinimum": true},
      "name": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[a-z]+$"},
      "tag": {"type": "string", "nullable": true, "enum": ["cat", "dog", null]},
      "owner": {"$ref": "#/components/schemas/Owner"}
    },
    "additionalProperties": false
  }
}`)
	absent(t, doc, "x-gateway-model-schemas")
	checkRoundTrip(t, res)
}

// TestModelsOpenAPICannotSay keeps models an OpenAPI 3.0 schema object
// cannot carry exactly: draft-04 keywords OpenAPI lacks, keywords gwc's
// reader drops or rewrites, zero values kin-openapi cannot tell from
// absent ones, a null type. components.schemas gets what OpenAPI can say
// of each, and x-gateway-model-schemas (gwc's modelSchemas) carries all
// the models as they are, which the reader takes instead.
func TestModelsOpenAPICannotSay(t *testing.T) {
	doc, res := exportDef(t, `
api:
  drafts:
    stages: {dev: {}}
    modelSchemas:
      Map:
        type: object
        patternProperties: {"^x-": {type: string}}
        dependencies: {a: [b]}
      Tuple:
        type: array
        items: [{type: string}, {$ref: "#/models/Map"}]
        additionalItems: false
      Loose:
        type: object
        properties:
          name: {type: string, minLength: 0, example: Rex}
          nothing: {type: "null"}
          either: {type: [string, integer]}
    resources:
      /:
        GET:
          integration:
            mock: {responses: {default: {status: 200}}}
          responses: {"200": {model: Map}}
`)
	expect(t, at(t, doc, "components", "schemas"), `{
  "Map": {"type": "object"},
  "Tuple": {"type": "array", "items": {}},
  "Loose": {"type": "object", "properties": {"name": {"type": "string"}, "nothing": {}, "either": {}}}
}`)
	expect(t, at(t, doc, "x-gateway-model-schemas"), `{
  "Map": {
    "type": "object",
    "patternProperties": {"^x-": {"type": "string"}},
    "dependencies": {"a": ["b"]}
  },
  "Tuple": {
    "type": "array",
    "items": [{"type": "string"}, {"$ref": "#/models/Map"}],
    "additionalItems": false
  },
  "Loose": {
    "type": "object",
    "properties": {
      "name": {"type": "string", "minLength": 0, "example": "Rex"},
      "nothing": {"type": "null"},
      "either": {"type": ["string", "integer"]}
    }
  }
}`)
	checkRoundTrip(t, res)
}
