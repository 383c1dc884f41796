package lint_test

import (
	"testing"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

// FuzzDirectives feeds arbitrary files to the inline-ignore reader, as
// YAML, CUE and OpenAPI: malformed ignores must become diagnostics, never
// panics.
func FuzzDirectives(f *testing.F) {
	f.Add("a: 1 # gwc:lint:ignore EVERY_METHOD why\n# gwc:lint:ignore\nb: 2\n")
	f.Add("// gwc:lint:ignore EVERY_METHOD,EVERY_STAGE reasons\nx: \"# gwc:lint:ignore\"\n")
	f.Add("x-gateway-lint-ignore: {EVERY_METHOD: ''}\npaths: {/a: {get: {x-gateway-lint-ignore: [1]}}}\n")
	f.Add("'#' # gwc:lint:ignoreEVERY_METHOD x\n\"\\\"# gwc:lint:ignore EVERY_METHOD y\n")
	f.Fuzz(func(t *testing.T, src string) {
		for _, name := range []string{"x.yaml", "x.cue", "x.json"} {
			format := "yaml"
			if name == "x.json" {
				format = "openapi"
			}
			def := &schema.Definition{Files: map[string]*schema.File{name: schema.NewFile(name, []byte(src))}, Format: format}
			var ds diag.Set
			for _, d := range lint.Directives(def, toyRules, &ds) {
				if d.From.File != name || d.To.Compare(d.From) < 0 {
					t.Fatalf("directive region %v..%v", d.From, d.To)
				}
			}
		}
	})
}

// FuzzConfig feeds arbitrary gwc.yaml files to the configuration reader.
func FuzzConfig(f *testing.F) {
	f.Add("lint:\n  enable: [style]\n  disable: [EVERY_METHOD]\n  severity: {EVERY_STAGE: error}\n  ignore: [{files: \"a/*\"}]\n  baseline: b.json\n")
	f.Add("lint: {ignore: [{files: [\"[\"]}]}\n")
	f.Add("other: 1\n")
	f.Fuzz(func(t *testing.T, src string) {
		doc, err := schema.ParseYAML(schema.NewFile("gwc.yaml", []byte(src)))
		if err != nil || doc.Kind != schema.MapKind {
			return
		}
		var ds diag.Set
		cfg := lint.ParseConfig(doc.Get("lint"), ".", toyRules, &ds)
		cfg.Enabled(toyRules)
	})
}
