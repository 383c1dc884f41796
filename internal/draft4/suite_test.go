package draft4

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The official JSON-Schema-Test-Suite, draft4, as the Go module
// github.com/xeipuuv/gojsonschema v1.2.0 ships it in testdata/. The test
// reads it from the module cache (downloading the module with the go
// command when it is missing, outside this module so go.mod is untouched)
// and skips when it cannot be had. DRAFT4_SUITE names another copy.
const suiteModule = "github.com/xeipuuv/gojsonschema@v1.2.0"

func suiteDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("DRAFT4_SUITE"); d != "" {
		return d
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env GOMODCACHE: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), filepath.FromSlash(suiteModule), "testdata")
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	cmd := exec.Command("go", "mod", "download", suiteModule)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GO111MODULE=on")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("the test suite module is not available: %v: %s", err, msg)
	}
	return dir
}

// suiteSkips are the cases this package deliberately answers otherwise,
// keyed by file, group and test description, with the reason.
var suiteSkips = map[string]string{
	// The draft-04 metaschema is not a resource here: models never refer
	// to it.
	"definitions.json/valid definition/valid definition schema":                                                                                                            "refers to the draft-04 metaschema",
	"definitions.json/invalid definition/invalid definition schema":                                                                                                        "refers to the draft-04 metaschema",
	"ref.json/remote ref, containing refs itself/remote ref valid":                                                                                                         "refers to the draft-04 metaschema",
	"ref.json/remote ref, containing refs itself/remote ref invalid":                                                                                                       "refers to the draft-04 metaschema",
	"optional/format.json/validation of URIs/an invalid protocol-relative URI Reference":                                                                                   "java.net.URI accepts relative references",
	"optional/format.json/validation of URIs/an invalid relative URI Reference":                                                                                            "java.net.URI accepts relative references",
	"optional/format.json/validation of URIs/an invalid URI though valid URI reference":                                                                                    "java.net.URI accepts relative references",
	"optional/format.json/validation of host names/a host name containing illegal characters":                                                                              "Guava's InternetDomainName accepts underscores",
	"optional/zeroTerminatedFloats.json/some languages do not distinguish between different types of numeric value/a float is not an integer even without fractional part": "run with StrictIntegers below",
}

type suiteGroup struct {
	Description string
	Schema      json.RawMessage
	Tests       []struct {
		Description string
		Data        json.RawMessage
		Valid       bool
	}
}

func TestSuite(t *testing.T) {
	dir := suiteDir(t)
	remotes := map[string][]byte{}
	root := filepath.Join(dir, "remotes")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			remotes["http://localhost:1234/"+filepath.ToSlash(rel)] = b
		}
		return nil
	})
	files, _ := filepath.Glob(filepath.Join(dir, "draft4", "*.json"))
	opt, _ := filepath.Glob(filepath.Join(dir, "draft4", "optional", "*.json"))
	files = append(files, opt...)
	if len(files) < 20 {
		t.Fatalf("only %d files in %s", len(files), dir)
	}
	ran := 0
	for _, f := range files {
		name, _ := filepath.Rel(filepath.Join(dir, "draft4"), f)
		name = filepath.ToSlash(name)
		if name == "optional/ecmascript-regex.json" {
			continue // patterns are Java's, not ECMAScript's
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var groups []suiteGroup
		if err := json.Unmarshal(b, &groups); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, g := range groups {
			strict := name == "optional/zeroTerminatedFloats.json"
			s := compileSuite(t, name, g, remotes, strict)
			if s == nil {
				continue
			}
			for _, c := range g.Tests {
				key := name + "/" + g.Description + "/" + c.Description
				if _, skip := suiteSkips[key]; skip && !strict {
					continue
				}
				ran++
				if got := s.Valid(c.Data); got != c.Valid {
					t.Errorf("%s: valid = %v, want %v\nschema %s\ndata %s", key, got, c.Valid, g.Schema, c.Data)
				}
				if res := s.Validate(c.Data); res.Valid != c.Valid || !res.Valid && len(res.Errors) == 0 {
					t.Errorf("%s: Validate = %+v, want valid %v", key, res, c.Valid)
				}
			}
		}
	}
	t.Logf("%d cases", ran)
}

func compileSuite(t *testing.T, file string, g suiteGroup, remotes map[string][]byte, strict bool) *Schema {
	t.Helper()
	c := NewCompiler()
	c.StrictIntegers = strict
	for u, b := range remotes {
		if err := c.AddResource(u, b); err != nil {
			t.Fatalf("remote %s: %v", u, err)
		}
	}
	const u = "http://suite.test/schema.json"
	if err := c.AddResource(u, g.Schema); err != nil {
		t.Errorf("%s/%s: %v", file, g.Description, err)
		return nil
	}
	s, err := c.Compile(u)
	if err != nil {
		for _, c := range g.Tests {
			if _, skip := suiteSkips[file+"/"+g.Description+"/"+c.Description]; !skip {
				t.Errorf("%s/%s: %v", file, g.Description, err)
				break
			}
		}
		return nil
	}
	return s
}
