package schema

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the generated files under docs/schema")

// TestGeneratedJSONSchemas keeps docs/schema in step with the CUE schema:
// run go test ./schema -update after changing it.
func TestGeneratedJSONSchemas(t *testing.T) {
	for name, gen := range map[string]func() ([]byte, error){
		"../docs/schema/definition.schema.json":         DefinitionJSONSchema,
		"../docs/schema/openapi-extensions.schema.json": OpenAPIExtensionsJSONSchema,
	} {
		want, err := gen()
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(name, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale; run go test ./schema -update", name)
		}
	}
}

func compileJSONSchema(t *testing.T, gen func() ([]byte, error)) *jsonschema.Schema {
	t.Helper()
	b, err := gen()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("gen.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("gen.json")
	if err != nil {
		t.Fatalf("the generated schema does not compile: %v", err)
	}
	return s
}

func yamlValue(t *testing.T, name string) any {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	n, err := ParseYAML(NewFile(name, src))
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(mustJSON(t, n.Interface())))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestJSONSchemasAgreeWithTheValidator checks the generated schemas on
// real definitions: what gwc accepts they accept, and a mistake gwc
// rejects they reject too.
func TestJSONSchemasAgreeWithTheValidator(t *testing.T) {
	def := compileJSONSchema(t, DefinitionJSONSchema)
	if err := def.Validate(yamlValue(t, "../testdata/kitchensink.yaml")); err != nil {
		t.Errorf("kitchen sink: %v", err)
	}
	bad := yamlValue(t, "../testdata/kitchensink.yaml")
	bad.(map[string]any)["api"].(map[string]any)["kitchensink"].(map[string]any)["resources"].(map[string]any)["/"].(map[string]any)["GET"].(map[string]any)["integratoin"] = map[string]any{}
	if err := def.Validate(bad); err == nil {
		t.Error("a misspelt field passed the definition schema")
	}
	ext := compileJSONSchema(t, OpenAPIExtensionsJSONSchema)
	if err := ext.Validate(yamlValue(t, "../examples/petstore/openapi.yaml")); err != nil {
		t.Errorf("petstore: %v", err)
	}
	doc := yamlValue(t, "../examples/petstore/openapi.yaml")
	doc.(map[string]any)["x-gateway-cors"] = map[string]any{"origins": "*"}
	if err := ext.Validate(doc); err == nil {
		t.Error("a string where a list belongs passed the extensions schema")
	}
}
