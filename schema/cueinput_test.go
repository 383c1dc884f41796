package schema

import (
	"encoding/json"
	"testing"

	"gwc.dev/gwc/diag"
)

func TestLoadPetstoreCUE(t *testing.T) {
	var ds diag.Set
	root, files := LoadCUE([]string{"../examples/petstore"}, &ds)
	for _, d := range ds.Sorted() {
		t.Log(d)
	}
	if root == nil {
		t.Fatal("no tree")
	}
	def := Build(root, &ds)
	for _, d := range ds.Sorted() {
		t.Error(d)
	}
	b, _ := json.MarshalIndent(def.API.Models[0].Schema, "", " ")
	t.Logf("%s %d files", b, len(files))
	m := def.API.Resources[0].Methods[0]
	t.Logf("%s %s %+v pos=%v", def.API.Resources[0].Path, m.Verb, m.Integration, m.Src.Pos)
}
