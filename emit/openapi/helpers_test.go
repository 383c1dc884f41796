package openapi_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/emit/openapi"
)

// compileDef compiles a definition in gwc's vocabulary (YAML or JSON), or
// an OpenAPI document, given as text.
func compileDef(t *testing.T, name, def string) *compile.Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(strings.TrimLeft(def, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustCompile(t, path)
}

// exportDef compiles a definition in gwc's YAML vocabulary, exports it as
// JSON and returns the decoded document and the compilation.
func exportDef(t *testing.T, def string) (map[string]any, *compile.Result) {
	t.Helper()
	res := compileDef(t, "api.yaml", def)
	return decode(t, export(t, res.API, openapi.JSON)), res
}

func decode(t *testing.T, doc []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("the export is not JSON: %v\n%s", err, doc)
	}
	return v
}

// at returns the value under keys in a decoded document, failing the test
// when it is absent.
func at(t *testing.T, doc any, keys ...string) any {
	t.Helper()
	v := doc
	for i, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s is not an object", strings.Join(keys[:i], " > "))
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("%s is absent", strings.Join(keys[:i+1], " > "))
		}
	}
	return v
}

// absent checks that keys lead nowhere in a decoded document.
func absent(t *testing.T, doc any, keys ...string) {
	t.Helper()
	v := doc
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		if v, ok = m[k]; !ok {
			return
		}
	}
	t.Errorf("%s is present: %v", strings.Join(keys, " > "), v)
}

// expect compares a decoded value with JSON text.
func expect(t *testing.T, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation: %v", err)
	}
	if diff := cmp.Diff(w, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
