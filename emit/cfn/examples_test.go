package cfn_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/emit/cfn"
	"gwc.dev/gwc/emit/cfn/cfntest"
	"gwc.dev/gwc/schema"
)

// TestExamples emits the template of every example API, in each form it
// is written in, and checks it with both validators.
func TestExamples(t *testing.T) {
	dirs, err := filepath.Glob("../../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		for _, input := range definitionsIn(t, dir) {
			name := filepath.Base(dir) + "/" + filepath.Base(input)
			t.Run(name, func(t *testing.T) {
				checkTemplate(t, emitDefinition(t, input, cfn.Options{LambdaPermissions: true}))
			})
		}
	}
	t.Run("testdata/kitchensink.yaml", func(t *testing.T) {
		checkTemplate(t, emitDefinition(t, "../../testdata/kitchensink.yaml", cfn.Options{LambdaPermissions: true}))
	})
}

// TestRealOpenAPIInputs emits the template of every OpenAPI document in
// the shared corpus of real API Gateway exports and checks it, and its
// nested form.
func TestRealOpenAPIInputs(t *testing.T) {
	dir := filepath.Join(filepath.Dir(cfntest.SchemaDir()), "openapi-aws")
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	var docs []string
	for _, f := range files {
		if ext := filepath.Ext(f); ext == ".json" || ext == ".yaml" || ext == ".yml" {
			docs = append(docs, f)
		}
	}
	if len(docs) == 0 {
		t.Skipf("no OpenAPI documents in %s", dir)
	}
	for _, f := range docs {
		t.Run(filepath.Base(f), func(t *testing.T) {
			res := compileDefinition(t, f)
			if res == nil {
				// The issue asks for every compiled input; rejecting
				// the others is compile's business.
				t.Skip("does not compile")
			}
			flat := emitCompiled(t, res, cfn.Options{LambdaPermissions: true})
			checkTemplate(t, flat)
			nested := emitCompiled(t, res, cfn.Options{LambdaPermissions: true, Nested: true})
			checkNesting(t, flat, nested)
			for _, n := range nested.Nested() {
				t.Run(n.NestedFile("json"), func(t *testing.T) { checkTemplate(t, n) })
			}
		})
	}
}

// definitionsIn lists the inputs of an example directory: the directory
// itself when it holds CUE files, and its OpenAPI form, openapi.yaml (or
// .yml, .json). Other YAML and JSON files of an example are its serving
// configuration, not definitions.
func definitionsIn(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	if cue, _ := filepath.Glob(filepath.Join(dir, "*.cue")); len(cue) > 0 {
		out = append(out, dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch e.Name() {
		case "openapi.yaml", "openapi.yml", "openapi.json":
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// emitDefinition loads and compiles a definition and emits its template.
func emitDefinition(t *testing.T, path string, opts cfn.Options) *cfn.Template {
	t.Helper()
	res := compileDefinition(t, path)
	if res == nil {
		t.Fatalf("%s does not compile", path)
	}
	return emitCompiled(t, res, opts)
}

// compileDefinition loads and compiles a definition, logging compile's
// diagnostics; nil when it does not compile.
func compileDefinition(t *testing.T, path string) *compile.Result {
	t.Helper()
	var ds diag.Set
	def, err := schema.Load([]string{path}, &ds)
	if err != nil {
		t.Fatal(err)
	}
	res := compile.Compile(def, compile.Options{}, &ds)
	if res == nil {
		for _, d := range ds.Sorted() {
			t.Log(d)
		}
	}
	return res
}

func emitCompiled(t *testing.T, res *compile.Result, opts cfn.Options) *cfn.Template {
	t.Helper()
	tmpl, err := cfn.Emit(res.API, res.Digest, opts)
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

// checkTemplate checks a template in both its forms.
func checkTemplate(t *testing.T, tmpl *cfn.Template) {
	t.Helper()
	for _, w := range tmpl.Warnings() {
		t.Log(w)
	}
	j, err := tmpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	cfntest.Check(t, j)
	if testing.Short() {
		return
	}
	y, err := tmpl.YAML()
	if err != nil {
		t.Fatal(err)
	}
	// A parent's TemplateURLs name nested files of its own format.
	yj := y
	for _, n := range tmpl.Nested() {
		yj = bytes.ReplaceAll(yj, []byte(n.NestedFile("yaml")), []byte(n.NestedFile("json")))
	}
	if !sameDocument(t, j, yj) {
		t.Error("the YAML template says something else than the JSON one")
	}
	t.Run("yaml", func(t *testing.T) { cfntest.Check(t, y) })
}

// sameDocument reports whether a JSON and a YAML document decode to the
// same values.
func sameDocument(t *testing.T, j, y []byte) bool {
	t.Helper()
	var fromJSON, fromYAML any
	if err := json.Unmarshal(j, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(y, &fromYAML); err != nil {
		t.Fatal(err)
	}
	// Through JSON, so that YAML's integers compare with JSON's numbers.
	b, err := json.Marshal(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	var normalized any
	if err := json.Unmarshal(b, &normalized); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(fromJSON, normalized)
}
