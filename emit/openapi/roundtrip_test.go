package openapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
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
				want, got := withoutMockTimeouts(t, res.APIJSON), withoutMockTimeouts(t, back.APIJSON)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("the export compiles to another artifact (-original +exported):\n%s", diff)
				} else {
					t.Logf("the artifacts differ only in the timeouts of MOCK integrations, which compile gives CORS preflights alone (see withoutMockTimeouts)")
				}
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

// withoutMockTimeouts decodes an artifact and zeroes the timeouts of its
// MOCK integrations. compile gives the OPTIONS methods it adds for CORS a
// MOCK integration with a timeout of 29,000 ms (compile/cors.go), while
// a MOCK integration a definition writes out has no timeout (gwc's schema
// has none for mocks, and the OpenAPI reader drops one). So no definition
// that writes a preflight out, the export included, can give back that
// timeout, and the artifact of an API with CORS differs in it alone. The
// timeout means nothing to a mock, which calls no backend; compile should
// leave it at 0.
func withoutMockTimeouts(t *testing.T, apiJSON []byte) any {
	t.Helper()
	var a map[string]any
	if err := json.Unmarshal(apiJSON, &a); err != nil {
		t.Fatal(err)
	}
	resources, _ := a["resources"].([]any)
	for _, r := range resources {
		methods, _ := r.(map[string]any)["methods"].([]any)
		for _, m := range methods {
			if in, ok := m.(map[string]any)["integration"].(map[string]any); ok && in["type"] == "MOCK" {
				in["timeout_millis"] = 0.0
			}
		}
	}
	return a
}

// compareTemplates checks that both APIs give the same CloudFormation
// template, when the original gives one at all. Both are emitted with the
// original's digest, so that the MOCK timeouts withoutMockTimeouts
// explains do not change every logical ID that carries it; the timeouts
// themselves are left out of the comparison, as is the order of a usage
// plan's stages, which compile leaves as the definition wrote them.
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
	got, err := cfn.Emit(back.API, orig.Digest, cfn.Options{LambdaPermissions: true})
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
	if diff := cmp.Diff(canonicalTemplate(t, wj), canonicalTemplate(t, gj)); diff != "" {
		t.Errorf("the CloudFormation templates differ (-original +exported):\n%s", diff)
	}
}

// canonicalTemplate decodes a template, leaves out the timeouts of MOCK
// integrations and sorts the stages of each usage plan.
func canonicalTemplate(t *testing.T, tmpl []byte) any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(tmpl, &doc); err != nil {
		t.Fatal(err)
	}
	resources, _ := doc["Resources"].(map[string]any)
	for _, r := range resources {
		res, _ := r.(map[string]any)
		props, _ := res["Properties"].(map[string]any)
		switch res["Type"] {
		case "AWS::ApiGateway::Method":
			if in, ok := props["Integration"].(map[string]any); ok && in["Type"] == "MOCK" {
				delete(in, "TimeoutInMillis")
			}
		case "AWS::ApiGateway::UsagePlan":
			if stages, ok := props["ApiStages"].([]any); ok {
				slices.SortFunc(stages, func(a, b any) int {
					x, _ := json.Marshal(a)
					y, _ := json.Marshal(b)
					return bytes.Compare(x, y)
				})
			}
		}
	}
	return doc
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
		for _, ext := range []string{"*.yaml", "*.yml", "*.json"} {
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
