// Package testapi compiles the small API definitions tests write inline,
// as gwc build does, and decodes the artifact as gwc serve reads it, so
// that tests of the runtime and its plugins start from what a user's
// build gives.
package testapi

import (
	"testing"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// Compile compiles a definition written in YAML and returns its decoded
// artifact and digest. A definition that does not compile fails the test
// with compile's diagnostics.
func Compile(t testing.TB, src string) (*artifact.API, string) {
	t.Helper()
	var ds diag.Set
	root, err := schema.ParseYAML(schema.NewFile("api.yaml", []byte(src)))
	if err != nil {
		t.Fatalf("the test definition does not parse: %v", err)
	}
	def := schema.Build(root, &ds)
	var res *compile.Result
	if !ds.HasErrors() {
		res = compile.Compile(def, compile.Options{}, &ds)
	}
	if res == nil {
		for _, d := range ds.Sorted() {
			t.Errorf("%s", d)
		}
		t.Fatal("the test definition does not compile")
	}
	m, err := artifact.DecodeManifest(res.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	a, err := artifact.Decode(res.APIJSON, m)
	if err != nil {
		t.Fatal(err)
	}
	return a, m.Digest
}
