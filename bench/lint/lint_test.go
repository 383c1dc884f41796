// Package lint_test benchmarks gwc lint on the generated API of 1,000
// resources and 3,000 methods (bench/genapi): the rules alone in-process,
// and the whole command as a user runs it. run.sh compares the command
// with vacuum and Spectral on the same API exported as OpenAPI.
package lint_test

import (
	"os"
	"path/filepath"
	"testing"

	"gwc.dev/gwc/bench/genapi"
	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/lint/rules"
	"gwc.dev/gwc/schema"
)

const resources = 1000

func compiled(tb testing.TB) (*schema.Definition, *compile.Result) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "cue")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "api.cue"), []byte(genapi.CUE(resources)), 0o644); err != nil {
		tb.Fatal(err)
	}
	var ds diag.Set
	def, err := schema.Load([]string{dir}, &ds)
	if err != nil {
		tb.Fatal(err)
	}
	res := compile.Compile(def, compile.Options{}, &ds)
	if res == nil {
		tb.Fatal(ds.Sorted()[0])
	}
	return def, res
}

// TestGeneratedAPILints makes sure the benchmark measures every rule on a
// valid API: it compiles, and lint finds what the generator put there.
func TestGeneratedAPILints(t *testing.T) {
	def, res := compiled(t)
	var ds diag.Set
	lint.Lint(def, res.API, lint.Options{Rules: rules.All()}, &ds)
	counts := map[string]int{}
	for _, d := range ds.Sorted() {
		counts[d.Code]++
	}
	// Every POST and DELETE is open, and every method has a template
	// beside the default passthrough.
	if counts["WRITE_WITHOUT_AUTHORIZATION"] != 2*resources || counts["PASSTHROUGH_WHEN_NO_MATCH"] != 3*resources {
		t.Errorf("unexpected findings: %v", counts)
	}
}

// BenchmarkRules runs every rule on the compiled API.
func BenchmarkRules(b *testing.B) {
	def, res := compiled(b)
	all := rules.All()
	b.ResetTimer()
	for range b.N {
		var ds diag.Set
		lint.Lint(def, res.API, lint.Options{Rules: all}, &ds)
	}
}
