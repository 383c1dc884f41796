package lint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

// Two toy rules: one reports every method, the other (off by default)
// every resource, so that the tests see exactly what the engine does.
var (
	everyMethod = &lint.Rule{
		ID: "EVERY_METHOD", Category: lint.Correctness, Severity: diag.Warning, Summary: "s",
		Check: func(p *lint.Pass) {
			for r, m := range p.Methods() {
				if !p.Generated(m.Src) {
					p.Reportf(m.Src.KeyRange(), "%s %s", m.Verb, r.Path)
				}
			}
		},
	}
	everyStage = &lint.Rule{
		ID: "EVERY_STAGE", Category: lint.Style, Severity: diag.Info, Summary: "s", Off: true,
		Check: func(p *lint.Pass) {
			for _, s := range p.API.Stages {
				p.Reportf(s.Src.KeyRange(), "stage %s", s.Name)
			}
		},
	}
	panics = &lint.Rule{
		ID: "PANICS", Category: lint.Correctness, Severity: diag.Warning, Summary: "s",
		Check: func(p *lint.Pass) { panic("boom") },
	}
	toyRules = []*lint.Rule{everyMethod, everyStage}
)

// write writes files into a temporary directory and returns its path.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// lintFile loads, compiles and lints one input with the toy rules.
func lintFile(t *testing.T, input string, cfg *lint.Config) []diag.Diagnostic {
	t.Helper()
	var ds diag.Set
	def, err := schema.Load([]string{input}, &ds)
	if err != nil {
		t.Fatal(err)
	}
	res := compile.Compile(def, compile.Options{}, &ds)
	if res == nil {
		t.Fatalf("does not compile: %v", ds.Sorted())
	}
	lint.Lint(def, res.API, lint.Options{Rules: toyRules, Config: cfg}, &ds)
	return ds.Sorted()
}

func texts(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

const twoMethods = `api:
  demo:
    stages: {prod: {}}
    resources:
      /a:
        GET: {integration: {httpProxy: {uri: "https://example.com/a"}}}
      /b:
        GET: {integration: {httpProxy: {uri: "https://example.com/b"}}}
`

func TestDefaultsRunRulesThatAreOn(t *testing.T) {
	dir := write(t, map[string]string{"api.yaml": twoMethods})
	got := texts(lintFile(t, filepath.Join(dir, "api.yaml"), nil))
	if strings.Count(got, "[EVERY_METHOD]") != 2 || strings.Contains(got, "EVERY_STAGE") {
		t.Errorf("want the two methods and no stage:\n%s", got)
	}
}

func parseConfig(t *testing.T, src string, ds *diag.Set) *lint.Config {
	t.Helper()
	f := schema.NewFile("gwc.yaml", []byte(src))
	doc, err := schema.ParseYAML(f)
	if err != nil {
		t.Fatal(err)
	}
	return lint.ParseConfig(doc.Get("lint"), "", toyRules, ds)
}

func TestConfigEnableDisableSeverity(t *testing.T) {
	dir := write(t, map[string]string{"api.yaml": twoMethods})
	var ds diag.Set
	cfg := parseConfig(t, "lint:\n  enable: [style]\n  disable: [EVERY_METHOD]\n  severity: {EVERY_STAGE: error}\n", &ds)
	if ds.Len() > 0 {
		t.Fatal(ds.Sorted())
	}
	got := lintFile(t, filepath.Join(dir, "api.yaml"), cfg)
	if len(got) != 1 || got[0].Code != "EVERY_STAGE" || got[0].Severity != diag.Error {
		t.Errorf("want one EVERY_STAGE error, got:\n%s", texts(got))
	}
	// A rule named by ID beats its category.
	cfg = parseConfig(t, "lint:\n  disable: [all]\n  enable: [EVERY_STAGE]\n", &ds)
	if got := cfg.Enabled(toyRules); len(got) != 1 || got[0] != everyStage {
		t.Errorf("disable all, enable EVERY_STAGE: got %v", got)
	}
}

func TestConfigErrorsArePositioned(t *testing.T) {
	var ds diag.Set
	parseConfig(t, "lint:\n  disable: [EVERY_METOD]\n  severity: {EVERY_STAGE: loud}\n", &ds)
	got := texts(ds.Sorted())
	for _, want := range []string{
		`gwc.yaml:3:`,
		`[LINT_CONFIG]`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in:\n%s", want, got)
		}
	}
	ds = diag.Set{}
	parseConfig(t, "lint:\n  disable: [EVERY_METOD]\n", &ds)
	if got := texts(ds.Sorted()); !strings.Contains(got, "gwc.yaml:2:13: error: unknown rule EVERY_METOD; did you mean EVERY_METHOD? [LINT_CONFIG]") {
		t.Errorf("unknown rule: got\n%s", got)
	}
}

func TestConfigIgnoreFiles(t *testing.T) {
	dir := write(t, map[string]string{"legacy/api.yaml": twoMethods})
	var ds diag.Set
	cfg := lint.ParseConfig(mustYAML(t, "ignore: [{files: \"legacy/*.yaml\", rules: [correctness]}]"), dir, toyRules, &ds)
	if ds.Len() > 0 {
		t.Fatal(ds.Sorted())
	}
	if got := lintFile(t, filepath.Join(dir, "legacy", "api.yaml"), cfg); len(got) != 0 {
		t.Errorf("ignored file still reports:\n%s", texts(got))
	}
}

func mustYAML(t *testing.T, src string) *schema.Node {
	t.Helper()
	n, err := schema.ParseYAML(schema.NewFile("x.yaml", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInlineIgnoresInYAML(t *testing.T) {
	src := `api:
  demo:
    stages: {prod: {}}
    resources:
      /a:
        # gwc:lint:ignore EVERY_METHOD the backend is public on purpose
        GET: {integration: {httpProxy: {uri: "https://example.com/a"}}}
      /b:
        GET: {integration: {httpProxy: {uri: "https://example.com/b"}}} # gwc:lint:ignore EVERY_METHOD also fine
      /c:
        # gwc:lint:ignore EVERY_METHOD covers the whole resource below
        POST:
          integration: {httpProxy: {uri: "https://example.com/c"}}
        GET:
          integration: {httpProxy: {uri: "https://example.com/c"}}
      /d:
        GET: {integration: {httpProxy: {uri: "https://example.com/d"}}}
`
	dir := write(t, map[string]string{"api.yaml": src})
	got := lintFile(t, filepath.Join(dir, "api.yaml"), nil)
	want := []string{"GET /c", "GET /d"}
	if len(got) != len(want) {
		t.Fatalf("want %v, got:\n%s", want, texts(got))
	}
	for i, w := range want {
		if got[i].Message != w {
			t.Errorf("finding %d: %q, want %q", i, got[i].Message, w)
		}
	}
}

func TestInlineIgnoresInCUE(t *testing.T) {
	src := `package demo

api: demo: {
	resources: {
		// gwc:lint:ignore EVERY_METHOD internal tooling only
		"/a": GET: integration: httpProxy: uri: "https://example.com/a"
		"/b": GET: integration: httpProxy: uri: "https://example.com/b"
	}
}
`
	dir := write(t, map[string]string{"api.cue": src})
	got := lintFile(t, dir, nil)
	if len(got) != 1 || got[0].Message != "GET /b" {
		t.Errorf("want only GET /b, got:\n%s", texts(got))
	}
}

func TestInlineIgnoresInOpenAPI(t *testing.T) {
	src := `openapi: 3.0.1
info: {title: demo, version: "1"}
paths:
  /a:
    get:
      x-gateway-lint-ignore: {EVERY_METHOD: "a documented exception"}
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: http_proxy, httpMethod: GET, uri: "https://example.com/a"}
  /b:
    get: # gwc:lint:ignore EVERY_METHOD comments work too
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: http_proxy, httpMethod: GET, uri: "https://example.com/b"}
  /c:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: http_proxy, httpMethod: GET, uri: "https://example.com/c"}
`
	dir := write(t, map[string]string{"openapi.yaml": src})
	got := lintFile(t, filepath.Join(dir, "openapi.yaml"), nil)
	if len(got) != 1 || got[0].Message != "GET /c" {
		t.Errorf("want only GET /c, got:\n%s", texts(got))
	}
}

func TestBadIgnores(t *testing.T) {
	src := `api:
  demo:
    # gwc:lint:ignore EVERY_METHOD nothing to ignore on the next line
    description: x
    resources:
      /a:
        # gwc:lint:ignore EVERY_METHOD
        GET: {integration: {httpProxy: {uri: "https://example.com/a"}}}
      /b:
        # gwc:lint:ignore NO_SUCH_RULE because
        GET: {integration: {httpProxy: {uri: "https://example.com/b"}}}
      /c:
        # gwc:lint:ignore
        GET: {integration: {httpProxy: {uri: "https://example.com/c"}}}
`
	dir := write(t, map[string]string{"api.yaml": src})
	got := texts(lintFile(t, filepath.Join(dir, "api.yaml"), nil))
	for _, want := range []string{
		"api.yaml:7:9: error: ignoring EVERY_METHOD needs a reason, so the next reader knows why",
		`api.yaml:10:9: error: ignore names unknown rule "NO_SUCH_RULE"`,
		"api.yaml:13:9: error: gwc:lint:ignore needs a rule ID and a reason",
		"GET /a [EVERY_METHOD]",
		"api.yaml:3:5: warning: this ignore of EVERY_METHOD matches no finding; remove it [LINT_IGNORE]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in:\n%s", want, got)
		}
	}
}

func TestBaseline(t *testing.T) {
	dir := write(t, map[string]string{"api.yaml": twoMethods})
	input := filepath.Join(dir, "api.yaml")
	found := lintFile(t, input, nil)
	source := func(name string) ([]byte, bool) {
		b, err := os.ReadFile(name)
		return b, err == nil
	}
	name := filepath.Join(dir, "gwc-baseline.json")
	if err := lint.NewBaseline(name, found, source).Write(name); err != nil {
		t.Fatal(err)
	}
	b, err := lint.ReadBaseline(name)
	if err != nil {
		t.Fatal(err)
	}
	if left := b.Filter(found, source); len(left) != 0 {
		t.Errorf("the baseline keeps:\n%s", texts(left))
	}
	// Lines moved and a new method: only the new finding is reported.
	moved := strings.Replace(twoMethods, "    resources:\n", "    description: moved\n    resources:\n      /new:\n        GET: {integration: {httpProxy: {uri: \"https://example.com/n\"}}}\n", 1)
	if err := os.WriteFile(input, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	left := b.Filter(lintFile(t, input, nil), source)
	if len(left) != 1 || left[0].Message != "GET /new" {
		t.Errorf("want only the new finding, got:\n%s", texts(left))
	}
	if err := os.WriteFile(name, []byte(`{"format_version": 9, "findings": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := lint.ReadBaseline(name); err == nil || !strings.Contains(err.Error(), "format_version 9") {
		t.Errorf("a baseline of an unknown version: %v", err)
	}
}

func TestPanickingRuleIsReported(t *testing.T) {
	dir := write(t, map[string]string{"api.yaml": twoMethods})
	var ds diag.Set
	def, _ := schema.Load([]string{filepath.Join(dir, "api.yaml")}, &ds)
	res := compile.Compile(def, compile.Options{}, &ds)
	got := lint.Run(def, res.API, []*lint.Rule{panics, everyMethod})
	if len(got) != 3 || got[0].Code != "INTERNAL" || !strings.Contains(got[0].Message, "rule PANICS failed: boom") {
		t.Errorf("got:\n%s", texts(got))
	}
}

func TestFindConfigStopsAtRepositoryRoot(t *testing.T) {
	dir := write(t, map[string]string{"repo/.git/HEAD": "x", "repo/api/x.yaml": "", "gwc.yaml": "lint: {}"})
	if got := lint.FindConfig(filepath.Join(dir, "repo", "api")); got != "" {
		t.Errorf("found %s above the repository root", got)
	}
	dir = write(t, map[string]string{"repo/.git/HEAD": "x", "repo/gwc.yaml": "lint: {}", "repo/api/x.yaml": ""})
	if got := lint.FindConfig(filepath.Join(dir, "repo", "api")); got != filepath.Join(dir, "repo", "gwc.yaml") {
		t.Errorf("FindConfig = %q", got)
	}
}

// TestIgnoreExtensionAnywhere: x-gateway-lint-ignore may stand on any
// OpenAPI object, including AWS's own extensions, without the OpenAPI
// reader complaining about an unknown field.
func TestIgnoreExtensionAnywhere(t *testing.T) {
	src := `openapi: 3.0.1
info: {title: demo, version: "1"}
paths:
  /a:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: http
        httpMethod: GET
        uri: "https://example.com/a"
        x-gateway-lint-ignore: {EVERY_METHOD: "checked by hand"}
        responses:
          default: {statusCode: "200", x-gateway-lint-ignore: {EVERY_METHOD: "checked by hand"}}
x-amazon-apigateway-gateway-responses:
  DEFAULT_4XX: {statusCode: 400, x-gateway-lint-ignore: {EVERY_METHOD: "checked by hand"}}
`
	dir := write(t, map[string]string{"openapi.yaml": src})
	for _, d := range lintFile(t, filepath.Join(dir, "openapi.yaml"), nil) {
		if d.Code != "EVERY_METHOD" && d.Code != "LINT_IGNORE" {
			t.Errorf("unexpected %s", d)
		}
	}
}

// TestConfigIgnoreResourcePaths: ignore entries may name resource paths,
// in CUE and in OpenAPI, with ** for any depth.
func TestConfigIgnoreResourcePaths(t *testing.T) {
	yamlSrc := `api:
  demo:
    resources:
      /legacy/a:
        GET: {integration: {httpProxy: {uri: "https://example.com/a"}}}
      /legacy/b/{id}:
        GET: {integration: {httpProxy: {uri: "https://example.com/b"}}}
      /new:
        GET: {integration: {httpProxy: {uri: "https://example.com/n"}}}
`
	oasSrc := `openapi: 3.0.1
info: {title: demo, version: "1"}
paths:
  /legacy/a:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: http_proxy, httpMethod: GET, uri: "https://example.com/a"}
  /new:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: http_proxy, httpMethod: GET, uri: "https://example.com/n"}
`
	dir := write(t, map[string]string{"api.yaml": yamlSrc, "openapi.yaml": oasSrc})
	var ds diag.Set
	cfg := lint.ParseConfig(mustYAML(t, "ignore: [{paths: \"/legacy/**\", rules: [EVERY_METHOD]}]"), dir, toyRules, &ds)
	if ds.Len() > 0 {
		t.Fatal(ds.Sorted())
	}
	for _, name := range []string{"api.yaml", "openapi.yaml"} {
		got := lintFile(t, filepath.Join(dir, name), cfg)
		if len(got) != 1 || got[0].Message != "GET /new" {
			t.Errorf("%s: want only GET /new, got:\n%s", name, texts(got))
		}
	}
	ds = diag.Set{}
	lint.ParseConfig(mustYAML(t, "ignore: [{rules: [EVERY_METHOD]}, {paths: legacy}]"), dir, toyRules, &ds)
	if got := texts(ds.Sorted()); !strings.Contains(got, "an ignore entry names files") || !strings.Contains(got, `bad resource path glob "legacy"`) {
		t.Errorf("bad ignore entries: got\n%s", got)
	}
}
