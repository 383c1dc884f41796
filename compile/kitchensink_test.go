package compile

import (
	"testing"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// TestKitchenSink compiles the definition that sets every field of the
// schema, without errors or warnings.
func TestKitchenSink(t *testing.T) {
	var ds diag.Set
	def, err := schema.Load([]string{"../testdata/kitchensink.yaml"}, &ds)
	if err != nil {
		t.Fatal(err)
	}
	res := Compile(def, Options{}, &ds)
	for _, d := range ds.Sorted() {
		t.Errorf("%s", d)
	}
	if res == nil {
		t.Fatal("does not compile")
	}
	a := res.Artifact
	if len(a.Resources) != 6 || len(a.Stages) != 2 || len(a.UsagePlans) != 1 || len(a.APIKeys) != 2 || len(a.Authorizers) != 3 || len(a.Models) != 3 {
		t.Errorf("artifact is missing parts: %d resources, %d stages, %d plans, %d keys, %d authorizers, %d models",
			len(a.Resources), len(a.Stages), len(a.UsagePlans), len(a.APIKeys), len(a.Authorizers), len(a.Models))
	}
}
