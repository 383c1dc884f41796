package schema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gwc.dev/gwc/diag"
)

// writeCUE writes files into a new directory and returns it.
func writeCUE(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func loadCUEDef(t *testing.T, dir string) (*Definition, []diag.Diagnostic) {
	t.Helper()
	var ds diag.Set
	def, err := Load([]string{dir}, &ds)
	if err != nil {
		t.Fatal(err)
	}
	return def, ds.Sorted()
}

func TestCUEPetstore(t *testing.T) {
	def, ds := loadCUEDef(t, "../examples/petstore")
	if len(ds) > 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	a := def.API
	if a.Name != "petstore" || len(a.Resources) != 2 || a.EndpointType != "EDGE" || a.APIKeySource != "HEADER" {
		t.Errorf("api = %+v", a)
	}
	get := a.Resources[0].Methods[0]
	if got := get.Src.Pos; got.File != "../examples/petstore/petstore.cue" || got.Line != 31 {
		t.Errorf("GET /pets is at %v", got)
	}
	if get.Integration.TimeoutMillis != 29000 || get.Integration.Passthrough != "WHEN_NO_MATCH" {
		t.Errorf("schema defaults not applied: %+v", get.Integration)
	}
}

func TestCUEImportOfTheSchemaWorks(t *testing.T) {
	dir := writeCUE(t, map[string]string{"api.cue": `package x

import "gwc.dev/schema"

api: demo: schema.#API & {
	resources: "/": GET: integration: mock: {}
}
`})
	def, ds := loadCUEDef(t, dir)
	if len(ds) > 0 || def.API == nil || def.API.Name != "demo" {
		t.Fatalf("diagnostics %v, api %+v", ds, def.API)
	}
}

func TestCUEUnificationOfSharedDefaults(t *testing.T) {
	// Defaults shared by unification, the point of writing CUE.
	dir := writeCUE(t, map[string]string{"api.cue": `package x

_backend: http: {timeout: 5000, responses: default: status: 200}
api: demo: resources: {
	"/a": GET: integration: _backend & {http: uri: "https://a.example.com"}
	"/b": GET: integration: _backend & {http: uri: "https://b.example.com"}
}
api: demo: resources: [_]: [_]: responses: "200": {}
`})
	def, ds := loadCUEDef(t, dir)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	for _, r := range def.API.Resources {
		m := r.Methods[0]
		if m.Integration.TimeoutMillis != 5000 || len(m.Responses) != 1 || m.Integration.Type != HTTP {
			t.Errorf("%s: %+v", r.Path, m.Integration)
		}
	}
}

func TestCUEErrorsArePositionedInTheUsersFile(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // file:line:col: severity: message prefix
	}{
		{
			name: "schema violation",
			src:  "package x\n\napi: demo: resources: \"/a\": GET: integration: http: {uri: \"https://x\", timeout: 20}\n",
			want: "api.cue:3:81: error: timeout is 20, out of range",
		},
		{
			name: "unknown field",
			src:  "package x\n\napi: demo: {\n\tresource: {}\n}\n",
			want: `api.cue:4:2: error: field "resource" is not allowed in demo; did you mean "resources"?`,
		},
		{
			name: "conflict inside the user's own CUE",
			src:  "package x\n\napi: demo: description: \"a\"\napi: demo: description: \"b\"\n",
			want: `api.cue:4:25: error: api.demo.description: conflicting values "b" and "a"`,
		},
		{
			name: "a value left incomplete",
			src:  "package x\n\napi: demo: resources: \"/a\": GET: integration: http: uri: string\n",
			want: "api.cue:3:58: error: uri is not a concrete value (the type string)",
		},
		{
			name: "syntax error",
			src:  "package x\n\napi: demo: {\n",
			want: "api.cue:3:14: error: expected '}', found 'EOF'",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeCUE(t, map[string]string{"api.cue": tt.src})
			_, ds := loadCUEDef(t, dir)
			for _, d := range ds {
				if strings.HasPrefix(strings.TrimPrefix(d.String(), dir+"/"), tt.want) {
					return
				}
			}
			t.Errorf("want %q, got %v", tt.want, ds)
		})
	}
}

func TestCUEModelsBecomeJSONSchema(t *testing.T) {
	dir := writeCUE(t, map[string]string{"api.cue": `package x

import "strings"

api: demo: {
	models: {
		Owner: name: string
		Pet: {
			id:      int & >=1 & <1000
			name:    string & !=""
			tag?:    string
			status:  "available" | "sold"
			score?:  number & >0
			code:    =~"^[a-z]+$"
			nick:    strings.MinRunes(3) & strings.MaxRunes(5)
			owner:   Owner
			owners:  [...Owner]
			tags:    [...string]
			extra:   {[string]: int}
			closed:  close({a: bool})
			maybe:   null | string
		}
		Empty: {}
	}
	resources: "/": GET: integration: mock: {}
}
`})
	def, ds := loadCUEDef(t, dir)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	models := map[string]map[string]any{}
	for _, m := range def.API.Models {
		models[m.Name] = m.Schema
	}
	// Expected values follow JSON Schema draft-04's meaning of each
	// constraint.
	want := map[string]any{
		"type":     "object",
		"required": []any{"id", "name", "status", "code", "nick", "owner", "owners", "tags", "extra", "closed", "maybe"},
		"properties": map[string]any{
			"id":     map[string]any{"type": "integer", "minimum": int64(1), "maximum": int64(1000), "exclusiveMaximum": true},
			"name":   map[string]any{"type": "string", "minLength": int64(1)},
			"tag":    map[string]any{"type": "string"},
			"status": map[string]any{"type": "string", "enum": []any{"available", "sold"}},
			"score":  map[string]any{"type": "number", "minimum": int64(0), "exclusiveMinimum": true},
			"code":   map[string]any{"type": "string", "pattern": "^[a-z]+$"},
			"nick":   map[string]any{"type": "string", "minLength": int64(3), "maxLength": int64(5)},
			"owner":  map[string]any{"$ref": "#/models/Owner"},
			"owners": map[string]any{"type": "array", "items": map[string]any{"$ref": "#/models/Owner"}},
			"tags":   map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
			"extra":  map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "integer"}},
			"closed": map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "boolean"}}, "required": []any{"a"}, "additionalProperties": false},
			"maybe":  map[string]any{"anyOf": []any{map[string]any{"type": "null", "enum": []any{nil}}, map[string]any{"type": "string"}}},
		},
	}
	if got := models["Pet"]; !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("Pet =\n%s\nwant\n%s", g, w)
	}
	if got := models["Empty"]; !reflect.DeepEqual(got, map[string]any{"type": "object"}) {
		t.Errorf("Empty = %v", got)
	}
}
