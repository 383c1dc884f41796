package openapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/emit/cfn"
	"gwc.dev/gwc/emit/openapi"
	"gwc.dev/gwc/internal/testutil"
	"gwc.dev/gwc/schema"
)

// load reads and compiles a definition, returning nil (and the
// diagnostics) when it does not compile.
func load(t *testing.T, path string) (*compile.Result, []diag.Diagnostic) {
	t.Helper()
	var ds diag.Set
	def, err := schema.Load([]string{path}, &ds)
	if err != nil {
		t.Fatal(err)
	}
	var res *compile.Result
	if !ds.HasErrors() {
		res = compile.Compile(def, compile.Options{}, &ds)
	}
	return res, ds.Sorted()
}

func mustCompile(t *testing.T, path string) *compile.Result {
	t.Helper()
	res, ds := load(t, path)
	if res == nil {
		for _, d := range ds {
			t.Log(d)
		}
		t.Fatalf("%s does not compile", path)
	}
	return res
}

func export(t *testing.T, api *schema.API, f openapi.Format) []byte {
	t.Helper()
	doc, err := openapi.Export(api, openapi.Options{Format: f})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// readBack writes an exported document to a file and compiles it.
func readBack(t *testing.T, doc []byte, f openapi.Format) (*compile.Result, []diag.Diagnostic) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "exported."+string(f))
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return load(t, path)
}

// checkRoundTrip exports a compiled API in both formats and checks what
// the design promises of the export:
//   - read back, it compiles to the same artifact, byte for byte;
//   - the CloudFormation template of the two is the same, so nothing the
//     deployment needs was lost on the way;
//   - exporting the API read back gives the same document (the export
//     is a fixed point), so nothing gwc-only was lost either;
//   - reading it back, the reader says nothing beyond what it says of
//     every export (see expectedWarning);
//   - kin-openapi's loader and validator accept it.
func checkRoundTrip(t *testing.T, res *compile.Result) {
	t.Helper()
	for _, f := range []openapi.Format{openapi.JSON, openapi.YAML} {
		t.Run(string(f), func(t *testing.T) {
			doc := export(t, res.API, f)
			back, ds := readBack(t, doc, f)
			for _, d := range ds {
				if fromReader(d) && !expectedWarning(d) {
					t.Errorf("reading the export back: %s", d)
				}
			}
			if back == nil {
				t.Fatalf("the export does not compile:\n%s", doc)
			}
			if back.Digest != res.Digest {
				var want, got any
				if err := json.Unmarshal(res.APIJSON, &want); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(back.APIJSON, &got); err != nil {
					t.Fatal(err)
				}
				t.Errorf("the export compiles to another artifact (-original +exported):\n%s", cmp.Diff(want, got))
			}
			if again := export(t, back.API, f); !bytes.Equal(again, doc) {
				t.Errorf("exporting the API read back gives another document (-first +second):\n%s", cmp.Diff(string(doc), string(again)))
			}
			compareTemplates(t, res, back)
			validate(t, doc)
		})
	}
}

// fromReader reports whether a diagnostic of reading an export back says
// something about the document rather than about the API: an error, or
// anything the schema package's readers report. compile's warnings about
// the API, which reading its definition gave too, are the API's own.
func fromReader(d diag.Diagnostic) bool {
	switch d.Code {
	case schema.CodeOpenAPI, schema.CodeUnsupported, schema.CodeSchema, schema.CodeStructure:
		return true
	}
	return d.Severity == diag.Error
}

// expectedWarning reports whether a diagnostic of reading an export back
// is one every such export gives: a method without method responses
// still needs a response in OpenAPI, and the reader says that it
// ignores the default one.
func expectedWarning(d diag.Diagnostic) bool {
	return d.Severity == diag.Warning && d.Code == schema.CodeOpenAPI &&
		strings.Contains(d.Message, "the OpenAPI default response is ignored")
}

// compareTemplates checks that both APIs give the same CloudFormation
// template, when the original gives one at all.
func compareTemplates(t *testing.T, orig, back *compile.Result) {
	t.Helper()
	want, err := cfn.Emit(orig.API, orig.Digest, cfn.Options{LambdaPermissions: true})
	if err != nil {
		var emitErr *cfn.Error
		if errors.As(err, &emitErr) {
			return // not a template's business here
		}
		t.Fatal(err)
	}
	got, err := cfn.Emit(back.API, back.Digest, cfn.Options{LambdaPermissions: true})
	if err != nil {
		t.Fatalf("the API read back gives no template: %v", err)
	}
	wj, err := want.JSON()
	if err != nil {
		t.Fatal(err)
	}
	gj, err := got.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(wj), string(gj)); diff != "" {
		t.Errorf("the CloudFormation templates differ (-original +exported):\n%s", diff)
	}
}

// validate loads a document with kin-openapi and validates it, with
// every problem reported.
func validate(t *testing.T, doc []byte) {
	t.Helper()
	loader := openapi3.NewLoader()
	parsed, err := loader.LoadFromData(doc)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the export: %v", err)
	}
	if err := parsed.Validate(loader.Context, openapi3.EnableMultiError()); err != nil {
		for _, e := range validationErrors(err) {
			if !greedyPathParameter(e) {
				t.Errorf("kin-openapi rejects the export: %v", e)
			}
		}
	}
}

func validationErrors(err error) []error {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var out []error
		for _, e := range me {
			out = append(out, validationErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// greedyPathParameter reports whether a validation error is the one
// every greedy path gives: API Gateway names the parameter of /{proxy+}
// "proxy", as AWS's exports and the importer do, while kin-openapi
// expects the template's name, "proxy+", which is not a valid API Gateway
// parameter name.
func greedyPathParameter(err error) bool {
	var pe *openapi3.PathParametersError
	if !errors.As(err, &pe) || !strings.Contains(pe.Path, "+}") {
		return false
	}
	for _, name := range pe.Missing {
		if !strings.Contains(pe.Path, "{"+strings.TrimSuffix(name, "+")+"+}") {
			return false
		}
	}
	return true
}

func TestRoundTripExamples(t *testing.T) {
	root := testutil.RepoRoot(t)
	inputs := []string{
		filepath.Join(root, "testdata", "kitchensink.yaml"),
		filepath.Join(root, "emit", "cfn", "testdata", "full"),
	}
	examples, err := filepath.Glob(filepath.Join(root, "examples", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range examples {
		if cue, _ := filepath.Glob(filepath.Join(dir, "*.cue")); len(cue) > 0 {
			inputs = append(inputs, dir)
		}
		// The OpenAPI form of an example is openapi.*; its other YAML
		// and JSON files are serving configuration.
		for _, ext := range []string{"openapi.yaml", "openapi.yml", "openapi.json"} {
			docs, _ := filepath.Glob(filepath.Join(dir, ext))
			inputs = append(inputs, docs...)
		}
	}
	for _, in := range inputs {
		rel, _ := filepath.Rel(root, in)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			checkRoundTrip(t, mustCompile(t, in))
		})
	}
}

// TestRoundTripRealInputs round-trips every document of the shared
// corpus of real API Gateway definitions that compiles.
func TestRoundTripRealInputs(t *testing.T) {
	dir := testutil.Shared(t, "openapi-aws")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if filepath.Ext(path) == ".md" {
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			res, _ := load(t, path)
			if res == nil {
				t.Skip("does not compile (compile's tests say why)")
			}
			n++
			checkRoundTrip(t, res)
		})
	}
	if n == 0 {
		t.Errorf("no document of %s compiles", dir)
	}
}
