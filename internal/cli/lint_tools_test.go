package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gwc.dev/gwc/internal/testutil"
)

// sarifMultitool finds Microsoft's SARIF validator (npm
// @microsoft/sarif-multitool): $GWC_SARIF_MULTITOOL, the cache directory
// scripts/test installs it into, or the PATH.
func sarifMultitool() string {
	if p := os.Getenv("GWC_SARIF_MULTITOOL"); p != "" {
		return p
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, ".cache", "gwc", "sarif-multitool", "node_modules", ".bin", "sarif-multitool")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, _ := exec.LookPath("sarif-multitool")
	return p
}

// TestSARIFValidates writes SARIF for every kind of run gwc makes (clean,
// findings of every rule, check errors, configuration errors, every real
// document of the shared corpus) and has Microsoft's validator check
// them all: no error and no warning may remain.
func TestSARIFValidates(t *testing.T) {
	tool := sarifMultitool()
	if tool == "" {
		t.Skip("sarif-multitool is not installed (scripts/test installs it: npm @microsoft/sarif-multitool)")
	}
	root := testutil.RepoRoot(t)
	var inputs [][]string
	inputs = append(inputs,
		[]string{"lint", filepath.Join(root, "examples", "petstore")},
		[]string{"check", filepath.Join(root, "examples", "petstore", "openapi.yaml")},
		[]string{"check", filepath.Join(root, "internal", "cli", "testdata", "sarif", "broken.yaml")},
	)
	bad, _ := filepath.Glob(filepath.Join(root, "lint", "rules", "testdata", "*", "bad*"))
	for _, b := range bad {
		inputs = append(inputs, []string{"lint", b})
	}
	if dir := sharedCorpus(t, root); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		yamls, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, f := range append(files, yamls...) {
			inputs = append(inputs, []string{"lint", f}, []string{"check", f})
		}
	}
	dir := t.TempDir()
	var names []string
	for i, args := range inputs {
		var out, errOut bytes.Buffer
		full := append([]string{args[0], "--format", "sarif"}, args[1:]...)
		code := Run(context.Background(), full, nil, &out, &errOut)
		if code == ExitUsage {
			t.Errorf("gwc %s: exit 2: %s", strings.Join(full, " "), errOut.String())
			continue
		}
		name := filepath.Join(dir, "run"+strconv.Itoa(i)+".sarif")
		if err := os.WriteFile(name, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	report := filepath.Join(dir, "validation.sarif")
	cmd := exec.Command(tool, append([]string{"validate", "--output", report}, names...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sarif-multitool validate: %v\n%s", err, out)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("no validation report: %v\n%s", err, out)
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	for _, run := range log.Runs {
		for _, r := range run.Results {
			if r.Level == "error" || r.Level == "warning" || r.Level == "" {
				t.Errorf("%s %s: %s", r.Level, r.RuleID, r.Message.Text)
			}
		}
	}
	if t.Failed() {
		t.Logf("validator output:\n%s", out)
	}
	t.Logf("%d SARIF files valid", len(names))
}

func sharedCorpus(t *testing.T, root string) string {
	p := filepath.Join(root, "..", "shared", "testdata", "openapi-aws")
	if _, err := os.Stat(p); err != nil {
		t.Log("../shared/testdata/openapi-aws is absent; validating gwc's own inputs only")
		return ""
	}
	return p
}

// TestPreCommitHook installs gwc's hook from this checkout with the real
// pre-commit (Debian's package) into a scratch repository, the way a user
// does, and checks that it fails on a bad definition and passes on a
// good one.
func TestPreCommitHook(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (scripts/test installs Debian's pre-commit)")
	}
	if testing.Short() {
		t.Skip("builds gwc inside pre-commit's environment; skipped with -short")
	}
	root := testutil.RepoRoot(t)
	rev := gitOut(t, root, "rev-parse", "HEAD")
	if gitOut(t, root, "ls-tree", "--name-only", rev, ".pre-commit-hooks.yaml") == "" {
		t.Skip("the checkout's HEAD has no .pre-commit-hooks.yaml yet")
	}
	repo := t.TempDir()
	home := t.TempDir()
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(home, "pre-commit"),
		"GIT_CONFIG_GLOBAL="+filepath.Join(home, "gitconfig"),
		"GOTOOLCHAIN=local",
		// Reuse the module and build caches: the hook builds gwc.
		"GOMODCACHE="+goEnv(t, "GOMODCACHE"),
		"GOCACHE="+goEnv(t, "GOCACHE"),
		"GOFLAGS=-mod=mod",
	)
	run := func(dir string, name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(dir string, name string, args ...string) {
		t.Helper()
		if out, err := run(dir, name, args...); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	must(repo, "git", "init", "-q")
	must(repo, "git", "config", "user.email", "test@example.com")
	must(repo, "git", "config", "user.name", "test")
	config := "repos:\n- repo: " + root + "\n  rev: " + rev + "\n  hooks:\n  - id: gwc-lint\n    args: [api.yaml]\n"
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(repo, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".pre-commit-config.yaml", config)
	write("api.yaml", preCommitBad)
	must(repo, "git", "add", ".")
	out, err := run(repo, "pre-commit", "run", "--all-files")
	if err == nil {
		t.Fatalf("the hook passed a definition with a finding:\n%s", out)
	}
	if !strings.Contains(out, "api.yaml:12:17: warning: selection pattern \"404\" is never chosen") {
		t.Errorf("the hook's output lacks the finding:\n%s", out)
	}
	write("api.yaml", preCommitGood)
	must(repo, "git", "add", ".")
	if out, err := run(repo, "pre-commit", "run", "--all-files"); err != nil {
		t.Errorf("the hook failed a good definition: %v\n%s", err, out)
	}
}

const preCommitBad = `api:
  demo:
    resources:
      /pets:
        GET:
          integration:
            http:
              uri: https://backend.example.com/pets
              responses:
                default: {status: 200}
                "4\\d{2}": {status: 400}
                "404": {status: 404}
          responses: {"200": {}, "400": {}, "404": {}}
`

const preCommitGood = `api:
  demo:
    resources:
      /pets:
        GET:
          integration:
            http:
              uri: https://backend.example.com/pets
              responses:
                default: {status: 200}
                "404": {status: 404}
          responses: {"200": {}, "404": {}}
`

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		t.Skipf("git %s: %v (not a git checkout?)", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
