package cfn_test

import (
	"path/filepath"
	"testing"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/emit/cfn"
	"gwc.dev/gwc/emit/cfn/cfntest"
	"gwc.dev/gwc/schema"
)

// TestExamples emits the template of every example API and checks it
// with both validators.
func TestExamples(t *testing.T) {
	dirs, err := filepath.Glob("../../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		cue, _ := filepath.Glob(filepath.Join(dir, "*.cue"))
		if len(cue) == 0 {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			tmpl := emitCUE(t, dir)
			b, err := tmpl.JSON()
			if err != nil {
				t.Fatal(err)
			}
			cfntest.Check(t, b)
		})
	}
}

// emitCUE compiles the CUE definition in dir and emits its template.
func emitCUE(t *testing.T, dir string) *cfn.Template {
	t.Helper()
	var ds diag.Set
	root, _ := schema.LoadCUE([]string{dir}, &ds)
	var res *compile.Result
	if root != nil {
		res = compile.Compile(schema.Build(root, &ds), compile.Options{}, &ds)
	}
	if res == nil {
		for _, d := range ds.Sorted() {
			t.Log(d)
		}
		t.Fatalf("%s does not compile", dir)
	}
	tmpl, err := cfn.Emit(res.API, res.Digest, cfn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}
