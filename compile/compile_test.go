package compile

import (
	"testing"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

func TestCompilePetstoreSmoke(t *testing.T) {
	var ds diag.Set
	root, _ := schema.LoadCUE([]string{"../examples/petstore"}, &ds)
	def := schema.Build(root, &ds)
	res := Compile(def, Options{}, &ds)
	for _, d := range ds.Sorted() {
		t.Log(d)
	}
	if res == nil {
		t.Fatal("no result")
	}
	t.Logf("%s\n%s", res.Digest, res.APIJSON)
}
