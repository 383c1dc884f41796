package compile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

func addSeedFiles(f *testing.F, patterns ...string) {
	for _, pattern := range patterns {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
}

// FuzzOpenAPI runs arbitrary bytes through the whole OpenAPI path: the
// YAML/JSON reader, the translation, the schema, the builder and the
// compiler. Whatever the input, gwc reports diagnostics; it never panics.
func FuzzOpenAPI(f *testing.F) {
	addSeedFiles(f, "../examples/*/*.yaml", "../examples/*/*.json", "../testdata/*.yaml")
	f.Add([]byte(`{"swagger":"2.0","info":{"title":"t"},"paths":{"/a/{b}":{"get":{"x-amazon-apigateway-integration":{"type":"mock"}}}}}`))
	f.Add([]byte("openapi: 3.1.0\ninfo: {title: x}\npaths: {/: {get: {responses: {200: {}}}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var ds diag.Set
		f := schema.NewFile("fuzz.yaml", data)
		root := schema.LoadOpenAPI(f, &ds)
		if root == nil {
			if !ds.HasErrors() {
				t.Fatal("no tree and no error")
			}
			return
		}
		def := schema.Build(root, &ds)
		if res := Compile(def, Options{}, &ds); res == nil && !ds.HasErrors() {
			t.Fatal("no result and no error")
		}
	})
}

// FuzzCUE runs arbitrary CUE source through the CUE adapter, the builder
// and the compiler.
func FuzzCUE(f *testing.F) {
	addSeedFiles(f, "../examples/*/*.cue")
	f.Add([]byte("package x\napi: a: resources: \"/\": GET: integration: mock: {}\n"))
	f.Add([]byte("package x\nimport \"gwc.dev/schema\"\napi: a: schema.#API\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "api.cue"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		var ds diag.Set
		def, err := schema.Load([]string{dir}, &ds)
		if err != nil {
			t.Fatal(err)
		}
		if res := Compile(def, Options{}, &ds); res == nil && def.API != nil && !ds.HasErrors() {
			t.Fatal("no result and no error")
		}
	})
}

// FuzzParsePath checks the resource path parser: it never panics, and a
// path it accepts joins back to itself.
func FuzzParsePath(f *testing.F) {
	for _, p := range []string{"/", "/pets", "/pets/{id}", "/files/{path+}", "//x", "/a/{b}c", "/{", "/x:y,z"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		segs, err := parsePath(p)
		if err != nil {
			return
		}
		if got := joinPath(segs); got != p {
			t.Fatalf("parsePath(%q) joins back to %q", p, got)
		}
		for _, s := range segs {
			if s.kind != literalSegment && (s.name == "" || strings.ContainsAny(s.name, "{}+/")) {
				t.Fatalf("parsePath(%q): bad parameter segment %+v", p, s)
			}
		}
	})
}
