package compile

import (
	"testing"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

func compileFiles(t *testing.T, paths ...string) *Result {
	t.Helper()
	var ds diag.Set
	def, err := schema.Load(paths, &ds)
	if err != nil {
		t.Fatal(err)
	}
	res := Compile(def, Options{}, &ds)
	for _, d := range ds.Sorted() {
		t.Log(d)
	}
	if res == nil {
		t.Fatalf("%v does not compile", paths)
	}
	return res
}

// TestPetstoreSameInBothForms is the foundation issue's promise: the same
// API written in CUE and in OpenAPI compiles to the same artifact.
func TestPetstoreSameInBothForms(t *testing.T) {
	fromCUE := compileFiles(t, "../examples/petstore")
	fromOpenAPI := compileFiles(t, "../examples/petstore/openapi.yaml")
	if fromCUE.Digest != fromOpenAPI.Digest {
		t.Errorf("digests differ:\nCUE:     %s\n%s\nOpenAPI: %s\n%s", fromCUE.Digest, fromCUE.APIJSON, fromOpenAPI.Digest, fromOpenAPI.APIJSON)
	}
}
