package rules

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the registry")

var idRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)

// TestRegistry holds every rule to the house rules: a well-formed ID,
// metadata, documentation with a bad and a good example, and a folder of
// cases with at least one failing and one passing input.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		if !idRE.MatchString(r.ID) {
			t.Errorf("rule ID %q is not UPPER_SNAKE_CASE", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("rule %s is registered twice", r.ID)
		}
		seen[r.ID] = true
		if !slices.Contains(lint.Categories, r.Category) {
			t.Errorf("%s: unknown category %q", r.ID, r.Category)
		}
		if r.Severity < diag.Info || r.Severity > diag.Error {
			t.Errorf("%s: no default severity", r.ID)
		}
		if r.Summary == "" || strings.Contains(r.Summary, "\n") || strings.HasSuffix(r.Summary, ".") {
			t.Errorf("%s: the summary must be one line without a final period: %q", r.ID, r.Summary)
		}
		if r.Check == nil {
			t.Errorf("%s: no check", r.ID)
		}
		if !strings.Contains(r.Doc, "\n## Bad\n") || !strings.Contains(r.Doc, "\n## Good\n") {
			t.Errorf("%s: %s.md needs a ## Bad and a ## Good example", r.ID, strings.ToLower(r.ID))
		}
		bad, good := caseFiles(t, r.ID)
		if len(bad) == 0 || len(good) == 0 {
			t.Errorf("%s: testdata/%s needs at least one bad* and one good* case (has %d and %d)", r.ID, r.ID, len(bad), len(good))
		}
	}
	entries, _ := os.ReadDir("testdata")
	for _, e := range entries {
		if e.IsDir() && idRE.MatchString(e.Name()) && !seen[e.Name()] {
			t.Errorf("testdata/%s has no rule", e.Name())
		}
	}
	docs, _ := filepath.Glob("*.md")
	for _, d := range docs {
		if id := strings.ToUpper(strings.TrimSuffix(d, ".md")); !seen[id] {
			t.Errorf("%s documents no registered rule", d)
		}
	}
}

func caseFiles(t *testing.T, id string) (bad, good []string) {
	files, _ := filepath.Glob(filepath.Join("testdata", id, "*"))
	for _, f := range files {
		switch base := filepath.Base(f); {
		case strings.HasPrefix(base, "bad"):
			bad = append(bad, f)
		case strings.HasPrefix(base, "good"):
			good = append(good, f)
		}
	}
	return bad, good
}

// TestRuleCases runs each rule alone on its cases. Expected findings are
// marked in the input on the line they are reported at, go/analysis
// style: # want "regexp" (YAML) or // want "regexp" (CUE), with an
// optional severity when it is not the rule's default: # want info "re".
func TestRuleCases(t *testing.T) {
	for _, r := range All() {
		bad, good := caseFiles(t, r.ID)
		for _, f := range slices.Concat(bad, good) {
			t.Run(r.ID+"/"+filepath.Base(f), func(t *testing.T) {
				wants := readWants(t, f)
				if strings.HasPrefix(filepath.Base(f), "bad") && len(wants) == 0 {
					t.Fatalf("a bad case marks at least one expected finding")
				}
				if strings.HasPrefix(filepath.Base(f), "good") && len(wants) > 0 {
					t.Fatalf("a good case expects no finding")
				}
				got := runRule(t, r, f)
				checkWants(t, r, got, wants)
			})
		}
	}
}

type want struct {
	line     int
	severity diag.Severity
	re       *regexp.Regexp
	matched  bool
}

var wantRE = regexp.MustCompile(`(?:#|//) want((?: +(?:error|warning|info)? *"(?:[^"\\]|\\.)*")+)`)
var wantItemRE = regexp.MustCompile(`(error|warning|info)? *("(?:[^"\\]|\\.)*")`)

func readWants(t *testing.T, file string) []*want {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []*want
	for i, line := range strings.Split(string(src), "\n") {
		m := wantRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, it := range wantItemRE.FindAllStringSubmatch(m[1], -1) {
			text, err := strconv.Unquote(it[2])
			if err != nil {
				t.Fatalf("%s:%d: bad want %s: %v", file, i+1, it[2], err)
			}
			w := &want{line: i + 1, re: regexp.MustCompile(text)}
			if it[1] != "" {
				w.severity, _ = diag.ParseSeverity(it[1])
			}
			out = append(out, w)
		}
	}
	return out
}

// runRule compiles a case (which must compile) and runs one rule on it.
func runRule(t *testing.T, r *lint.Rule, file string) []diag.Diagnostic {
	t.Helper()
	var ds diag.Set
	def, err := schema.Load([]string{file}, &ds)
	if err != nil {
		t.Fatal(err)
	}
	res := compile.Compile(def, compile.Options{}, &ds)
	if res == nil {
		t.Fatalf("the case does not compile:\n%s", diagText(ds.Sorted()))
	}
	return lint.Run(def, res.API, []*lint.Rule{r})
}

func checkWants(t *testing.T, r *lint.Rule, got []diag.Diagnostic, wants []*want) {
	t.Helper()
	for _, d := range got {
		if d.Code != r.ID {
			t.Errorf("unexpected %s", d)
			continue
		}
		ok := false
		for _, w := range wants {
			sev := w.severity
			if sev == 0 {
				sev = r.Severity
			}
			if !w.matched && w.line == d.Range.Start.Line && sev == d.Severity && w.re.MatchString(d.Message) {
				w.matched, ok = true, true
				break
			}
		}
		if !ok {
			t.Errorf("unexpected finding: %s", d)
		}
	}
	for _, w := range wants {
		if !w.matched {
			t.Errorf("line %d: no finding matching %q", w.line, w.re)
		}
	}
}

func diagText(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintln(&b, d)
	}
	return b.String()
}

// TestReferenceUpToDate keeps docs/rules.md in step with the registry:
// run go test ./lint/rules -run Reference -update after changing a rule.
func TestReferenceUpToDate(t *testing.T) {
	const name = "../../docs/rules.md"
	want := Reference()
	if *update {
		if err := os.WriteFile(name, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(name)
	if err != nil || string(got) != want {
		t.Errorf("%s is stale; run go test ./lint/rules -run Reference -update", name)
	}
}
