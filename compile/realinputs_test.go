package compile

import (
	"path/filepath"
	"strings"
	"testing"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/testutil"
	"gwc.dev/gwc/schema"
)

// invalidRealInputs names the real-world files that do not compile, with
// the error each must give and why the file itself is at fault.
var invalidRealInputs = map[string]struct {
	code, contains, why string
	line                int
}{
	"awsdocs__request-validation.swagger20.json": {
		code: CodeUndeclaredStatus, contains: "400 is not among the method's responses", line: 77,
		why: "its default integration response answers 400, but the operation declares only a 200 " +
			"response; API Gateway rejects such integration responses (Invalid Response status code specified), " +
			"and where one slips through every such call fails with 'Output mapping refers to an invalid method response'",
	},
	"localstack__api_definition.yaml": {
		code: CodeTemplateSyntax, contains: `unexpected character "\"`, line: 23,
		why: "its templates call $input.params(\\\"data\\\") with backslashes outside a string literal, which " +
			"Velocity 1.7 rejects (Lexical error: Encountered \"\\\"\" after \"\\\\\"), so API Gateway would answer those requests with a 500",
	},
	"localstack__oas30_documentation_parts.json": {
		code: schema.CodeStructure, contains: "GET has no integration", line: 10,
		why: "the file documents an API whose GET / has no x-amazon-apigateway-integration; " +
			"API Gateway imports it but cannot deploy a method without an integration",
	},
}

// TestRealInputs compiles every OpenAPI file of ../shared/testdata/openapi-aws:
// each compiles, or fails with the positioned error named above.
func TestRealInputs(t *testing.T) {
	dir := testutil.Shared(t, "openapi-aws")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		name := filepath.Base(path)
		if filepath.Ext(name) == ".md" {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			var ds diag.Set
			def, err := schema.Load([]string{path}, &ds)
			if err != nil {
				t.Fatal(err)
			}
			res := Compile(def, Options{}, &ds)
			expect, invalid := invalidRealInputs[name]
			if !invalid {
				for _, d := range ds.Sorted() {
					if d.Severity == diag.Error {
						t.Errorf("%s", d)
					}
				}
				if res == nil {
					t.Fatal("does not compile")
				}
				return
			}
			if res != nil {
				t.Fatalf("compiles, but should fail because %s", expect.why)
			}
			found := false
			for _, d := range ds.Sorted() {
				if d.Code == expect.code && strings.Contains(d.Message, expect.contains) && d.Range.Start.Line == expect.line &&
					strings.HasSuffix(d.Range.Start.File, name) {
					found = true
				}
			}
			if !found {
				t.Errorf("want %s %q at line %d (%s); got %v", expect.code, expect.contains, expect.line, expect.why, ds.Sorted())
			}
		})
	}
	if n != 30 {
		t.Errorf("read %d files, want the 30 of %s", n, dir)
	}
}
