package draft4

import (
	"bytes"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The benchmarks compare this package with the library the runtime has
// used, on the same schemas and bodies: the library's cost is decoding
// the body (jsonschema.UnmarshalJSON) and validating it, as
// runtime/validate.go does.

const benchOrderSchema = `{
  "type": "object",
  "required": ["id", "items"],
  "properties": {
    "id": {"type": "string"},
    "items": {"type": "array", "items": {"type": "object", "required": ["sku"],
      "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1}}}}
  }
}`

// The runtime's benchmark body: 80 bytes.
const benchOrder = `{"id": "o-1", "items": [{"sku": "a", "quantity": 1}, {"sku": "b", "quantity": 2}]}`

const benchPetSchema = `{
  "definitions": {
    "tag": {"type": "object", "required": ["name"], "additionalProperties": false,
      "properties": {"id": {"type": "integer"}, "name": {"type": "string", "minLength": 1, "maxLength": 64}}}
  },
  "type": "object",
  "required": ["name", "status", "tags"],
  "properties": {
    "id": {"type": "integer", "minimum": 1},
    "name": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9 -]*$"},
    "status": {"enum": ["available", "pending", "sold"]},
    "price": {"type": "number", "minimum": 0, "multipleOf": 0.01},
    "tags": {"type": "array", "maxItems": 50, "uniqueItems": true, "items": {"$ref": "#/definitions/tag"}},
    "owner": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}}}]}
  }
}`

func benchPet(tags int) string {
	var sb strings.Builder
	sb.WriteString(`{"id": 12, "name": "Rex the Dog", "status": "available", "price": 19.99, "owner": {"email": "a@example.com"}, "tags": [`)
	for i := range tags {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(`{"id": ` + strings.Repeat("1", 1+i%5) + `, "name": "tag` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `"}`)
	}
	sb.WriteString(`]}`)
	return sb.String()
}

func benchBoth(b *testing.B, schemaJSON, body string, valid bool) {
	c := NewCompiler()
	if err := c.AddResource(diffURL, []byte(schemaJSON)); err != nil {
		b.Fatal(err)
	}
	ours, err := c.Compile(diffURL)
	if err != nil {
		b.Fatal(err)
	}
	lib, err := compileLib([]byte(schemaJSON))
	if err != nil {
		b.Fatal(err)
	}
	data := []byte(body)
	b.Run("draft4", func(b *testing.B) {
		if r := ours.Validate(data); r.Valid != valid {
			b.Fatalf("valid = %v: %s", r.Valid, r.Details())
		}
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			r := ours.Validate(data)
			if !r.Valid {
				_ = r.Details()
			}
		}
	})
	b.Run("library", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			if err := lib.Validate(doc); (err == nil) != valid {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkOrder(b *testing.B) { benchBoth(b, benchOrderSchema, benchOrder, true) }

func BenchmarkOrderInvalid(b *testing.B) {
	benchBoth(b, benchOrderSchema, `{"id": 1, "items": [{"quantity": 0}]}`, false)
}

func BenchmarkPet(b *testing.B) { benchBoth(b, benchPetSchema, benchPet(3), true) }

func BenchmarkPetLarge(b *testing.B) { benchBoth(b, benchPetSchema, benchPet(40), true) }

const benchTreeSchema = `{"type":"object","required":["name"],"properties":{
  "name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#"}}}}`

func benchTree(depth, fanout int) string {
	if depth == 0 {
		return `{"name":"leaf"}`
	}
	kids := make([]string, fanout)
	for i := range kids {
		kids[i] = benchTree(depth-1, fanout)
	}
	return `{"name":"n","children":[` + strings.Join(kids, ",") + `]}`
}

// BenchmarkTree is a recursive model, whose references remember their
// verdicts per value.
func BenchmarkTree(b *testing.B) { benchBoth(b, benchTreeSchema, benchTree(3, 3), true) }
