package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/testutil"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

// TestCorpus lints every example and every real-world OpenAPI document of
// ../shared/testdata/openapi-aws with every rule, default configuration.
// No rule may fail, and what they find must be what was reviewed: each
// finding of testdata/corpus.golden was read against the document and
// judged right (see the notes at its top). A change here is a change in
// what users see on real APIs; review it before running with -update.
func TestCorpus(t *testing.T) {
	root := testutil.RepoRoot(t)
	var inputs []string
	cues, _ := filepath.Glob(filepath.Join(root, "examples", "*", "*.cue"))
	for _, c := range cues {
		if dir := filepath.Dir(c); !slices.Contains(inputs, dir) {
			inputs = append(inputs, dir)
		}
	}
	docs, _ := filepath.Glob(filepath.Join(root, "examples", "*", "openapi.yaml"))
	inputs = append(inputs, docs...)
	corpus := testutil.Shared(t, "openapi-aws")
	files, _ := filepath.Glob(filepath.Join(corpus, "*"))
	for _, f := range files {
		if ext := filepath.Ext(f); ext == ".json" || ext == ".yaml" {
			inputs = append(inputs, f)
		}
	}
	var lines []string
	for _, in := range inputs {
		var ds diag.Set
		def, err := schema.Load([]string{in}, &ds)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		res := compile.Compile(def, compile.Options{}, &ds)
		if res == nil {
			lines = append(lines, rel(root, corpus, in)+": does not compile")
			continue
		}
		all := All()
		lint.Lint(def, res.API, lint.Options{Rules: all}, &ds)
		for _, d := range ds.Sorted() {
			if d.Code == "INTERNAL" {
				t.Errorf("%s", d)
			}
			if slices.ContainsFunc(all, func(r *lint.Rule) bool { return r.ID == d.Code }) {
				p := d.Range.Start
				lines = append(lines, fmt.Sprintf("%s:%d:%d: %s %s", rel(root, corpus, p.File), p.Line, p.Col, d.Severity, d.Code))
			}
		}
	}
	got := strings.Join(lines, "\n") + "\n"
	const golden = "testdata/corpus.golden"
	if *update {
		old, _ := os.ReadFile(golden)
		head, _, _ := strings.Cut(string(old), "\n\n")
		if err := os.WriteFile(golden, []byte(strings.TrimRight(head, "\n")+"\n\n"+got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(want), "\n\n")
	if body != got {
		t.Errorf("lint findings on the corpus changed; review them, then go test ./lint/rules -run Corpus -update\n--- got\n%s", got)
	}
}

func rel(root, corpus, file string) string {
	if r, err := filepath.Rel(corpus, file); err == nil && !strings.HasPrefix(r, "..") {
		return "shared/" + filepath.ToSlash(r)
	}
	if r, err := filepath.Rel(root, file); err == nil {
		return filepath.ToSlash(r)
	}
	return file
}
