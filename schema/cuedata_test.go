package schema

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/load"

	"gwc.dev/gwc/diag"
)

// TestCUEDataMatchesEvaluation checks the fast reading of plain-data CUE
// against CUE's own evaluation: the same tree, the same values, each
// scalar at the same place, and the same models.
func TestCUEDataMatchesEvaluation(t *testing.T) {
	inputs := map[string]string{
		"petstore": "../examples/petstore",
		"repeated fields merge": writeCUE(t, map[string]string{
			"a.cue": "package x\napi: demo: resources: \"/a\": GET: integration: mock: {}\n",
			"b.cue": "package x\napi: demo: {\n\tresources: \"/a\": GET: apiKeyRequired: true\n\tdescription: \"\"\"\n\t\ttwo\n\t\tlines\n\t\t\"\"\"\n}\n",
		}),
		"numbers and literals": writeCUE(t, map[string]string{
			"a.cue": "package x\napi: demo: {\n\tminimumCompressionSize: 1_024\n\tstages: s: canary: percentTraffic: 12.5\n\tusagePlans: p: {stages: s: {}, quota: {limit: 0x10, period: \"DAY\"}, throttle: rateLimit: 1e2}\n\ttags: #\"raw\"#: \"x\"\n\tresources: \"/\": GET: integration: mock: {}\n}\n",
		}),
	}
	for name, dir := range inputs {
		t.Run(name, func(t *testing.T) {
			abs, _ := filepath.Abs(dir)
			if _, err := readCUEDataFromDir(t, abs); err != nil {
				t.Fatalf("not read as plain data: %v", err)
			}
			var ds1, ds2 diag.Set
			fast, _ := loadCUE([]string{dir}, &ds1, false)
			slow, _ := loadCUE([]string{dir}, &ds2, true)
			if fast == nil || slow == nil || ds1.Len()+ds2.Len() > 0 {
				t.Fatalf("load: %v %v", ds1.Sorted(), ds2.Sorted())
			}
			compareTrees(t, "", fast, slow)
			d1, d2 := Build(fast, &ds1), Build(slow, &ds2)
			if ds1.Len()+ds2.Len() > 0 {
				t.Fatalf("build: %v %v", ds1.Sorted(), ds2.Sorted())
			}
			for i, m := range d1.API.Models {
				if !reflect.DeepEqual(m.Schema, d2.API.Models[i].Schema) {
					t.Errorf("model %s: %v != %v", m.Name, m.Schema, d2.API.Models[i].Schema)
				}
			}
		})
	}
}

// TestCUEDataFallsBack checks that CUE beyond plain data is evaluated.
func TestCUEDataFallsBack(t *testing.T) {
	for name, src := range map[string]string{
		"reference":  "package x\n_m: {mock: {}}\napi: demo: resources: \"/\": GET: integration: _m\n",
		"expression": "package x\napi: demo: minimumCompressionSize: 2 * 512\napi: demo: resources: \"/\": GET: integration: mock: {}\n",
		"conflict":   "package x\napi: demo: description: \"a\"\napi: demo: description: \"b\"\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeCUE(t, map[string]string{"a.cue": src})
			if _, err := readCUEDataFromDir(t, dir); err != errNotData {
				t.Fatalf("read as plain data (err %v)", err)
			}
			var ds diag.Set
			root, _ := LoadCUE([]string{dir}, &ds)
			if name == "conflict" {
				if root != nil || !ds.HasErrors() {
					t.Error("the conflict was not reported")
				}
				return
			}
			if root == nil {
				t.Fatal(ds.Sorted())
			}
		})
	}
}

// readCUEDataFromDir tries to read a directory's package as plain data.
func readCUEDataFromDir(t *testing.T, dir string) (*Node, error) {
	t.Helper()
	insts := load.Instances([]string{"."}, &load.Config{Dir: dir, Overlay: map[string]load.Source{
		filepath.Join(dir, "cue.mod", "module.cue"): load.FromString("module: \"x.test/x\"\nlanguage: version: \"v0.17.0\"\n"),
	}})
	if insts[0].Err != nil {
		t.Fatal(insts[0].Err)
	}
	return readCUEData(insts[0], map[string]*File{}, func(s string) string { return s }, cuecontext.New())
}

func compareTrees(t *testing.T, path string, a, b *Node) {
	t.Helper()
	if a.Kind != b.Kind {
		t.Errorf("%s: kind %s vs %s", path, a.Kind, b.Kind)
		return
	}
	switch a.Kind {
	case MapKind:
		if len(a.Entries) != len(b.Entries) {
			t.Errorf("%s: %d vs %d entries", path, len(a.Entries), len(b.Entries))
			return
		}
		for _, e := range a.Entries {
			other := b.Get(e.Key)
			if other == nil {
				t.Errorf("%s.%s: missing from evaluation", path, e.Key)
				continue
			}
			compareTrees(t, path+"."+e.Key, e, other)
		}
	case ListKind:
		if len(a.Items) != len(b.Items) {
			t.Errorf("%s: %d vs %d items", path, len(a.Items), len(b.Items))
			return
		}
		for i := range a.Items {
			compareTrees(t, fmt.Sprintf("%s[%d]", path, i), a.Items[i], b.Items[i])
		}
	case TypeKind:
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			t.Errorf("%s: %v vs %v", path, a.Interface(), b.Interface())
		}
		if a.Pos != b.Pos {
			t.Errorf("%s: at %v vs %v", path, a.Pos, b.Pos)
		}
		if (a.Text == nil) != (b.Text == nil) || a.Text != nil && (a.Text.Start != b.Text.Start || a.Text.Style != b.Text.Style || a.Text.Indent != b.Text.Indent) {
			t.Errorf("%s: source text %+v vs %+v", path, a.Text, b.Text)
		}
	}
}
