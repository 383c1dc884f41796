package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/errors"

	"gwc.dev/gwc/diag"
)

// TestValidatorAgreesWithCUE checks gwc's reading of the CUE schema
// against CUE itself: for valid definitions and for thousands of seeded
// mutations of them, the validator must accept exactly what CUE's
// unification with #Definition accepts, and fill in exactly the defaults
// CUE fills in.
func TestValidatorAgreesWithCUE(t *testing.T) {
	ctx := cuecontext.New()
	var files []string
	for name := range SchemaFiles() {
		files = append(files, name)
	}
	var defn cue.Value
	for name, src := range SchemaFiles() {
		v := ctx.CompileBytes(src, cue.Filename(name))
		if v.Err() != nil {
			t.Fatal(v.Err())
		}
		defn = v.LookupPath(cue.ParsePath("#Definition"))
	}
	bases := []string{"../testdata/kitchensink.yaml"}
	n := 400
	if testing.Short() {
		n = 60
	}
	rng := rand.New(rand.NewPCG(1, 2))
	checked, rejected := 0, 0
	for _, base := range bases {
		src, err := os.ReadFile(base)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := ParseYAML(NewFile(base, src))
		if err != nil {
			t.Fatal(err)
		}
		plain := doc.Interface()
		for i := 0; i <= n; i++ {
			v := deepCopy(plain)
			what := "the base document"
			if i > 0 {
				what = mutate(rng, &v)
			}
			raw, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			oursOK, oursJSON, oursErrs := validateOurs(t, raw)
			cueOK, cueJSON, cueErr := validateCUE(ctx, defn, raw)
			checked++
			if !cueOK {
				rejected++
			}
			if oursOK != cueOK {
				t.Errorf("%s (%s): gwc says ok=%v %v, CUE says ok=%v: %v\n%s", base, what, oursOK, oursErrs, cueOK, cueErr, raw)
				continue
			}
			if oursOK && !jsonEqual(oursJSON, cueJSON) {
				t.Errorf("%s (%s): defaults differ:\ngwc: %s\nCUE: %s", base, what, oursJSON, cueJSON)
			}
		}
	}
	t.Logf("%d definitions checked, %d of them invalid", checked, rejected)
	if rejected < checked/4 {
		t.Errorf("only %d of %d mutations were invalid: the mutations are too weak to test anything", rejected, checked)
	}
}

func validateOurs(t *testing.T, raw []byte) (bool, []byte, []diag.Diagnostic) {
	doc, err := ParseYAML(NewFile("doc.json", raw))
	if err != nil {
		t.Fatal(err)
	}
	var ds diag.Set
	Validate(doc, MustSchema().Def("#Definition"), "definition", &ds)
	if ds.HasErrors() {
		return false, nil, ds.Sorted()
	}
	out, err := json.Marshal(doc.Interface())
	if err != nil {
		t.Fatal(err)
	}
	return true, out, nil
}

func validateCUE(ctx *cue.Context, defn cue.Value, raw []byte) (bool, []byte, error) {
	v := ctx.CompileBytes(raw, cue.Filename("doc.json"))
	if v.Err() != nil {
		return false, nil, v.Err()
	}
	u := defn.Unify(v)
	if err := u.Validate(cue.Concrete(true)); err != nil {
		return false, nil, fmt.Errorf("%s", errors.Details(err, nil))
	}
	out, err := u.MarshalJSON()
	if err != nil {
		return false, nil, err
	}
	return true, out, nil
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func deepCopy(v any) any {
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	var out any
	dec := json.NewDecoder(&b)
	dec.UseNumber()
	_ = dec.Decode(&out)
	return out
}

var (
	mutantStrings = []any{"", "GET", "ANY", "FOO", "when_no_match", "WHEN_NO_MATCH", "/x", "x", "bad name", "a.b",
		"123", "EDGE", "application/json", "$default", "header.x", "TOKEN", "DAY", "0.5", "(none)", "*/*"}
	mutantNumbers = []any{json.Number("-1"), json.Number("0"), json.Number("49"), json.Number("50"), json.Number("200"),
		json.Number("29000"), json.Number("300001"), json.Number("1.5"), json.Number("600"), json.Number("3601")}
	mutantKeys = []string{"GET", "FOO", "/x", "x", "200", "2000", "header.x", "path.y", "$default", "text/html",
		"bad key", "default", "*/*", "/x/GET", "DEFAULT_4XX", "NOPE_4XX", "zzUnknown", "dev", "my stage"}
)

// mutate changes one random place of a JSON-like value and says what it
// did.
func mutate(rng *rand.Rand, root *any) string {
	// Collect the places: pointers to containers and their keys.
	type place struct {
		parent any
		key    any // string for maps, int for lists
		path   string
	}
	var places []place
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				places = append(places, place{x, k, path + "." + k})
				walk(e, path+"."+k)
			}
		case []any:
			for i, e := range x {
				places = append(places, place{x, i, fmt.Sprintf("%s[%d]", path, i)})
				walk(e, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(*root, "")
	p := places[rng.IntN(len(places))]
	get := func() any {
		if m, ok := p.parent.(map[string]any); ok {
			return m[p.key.(string)]
		}
		return p.parent.([]any)[p.key.(int)]
	}
	set := func(v any) {
		if m, ok := p.parent.(map[string]any); ok {
			m[p.key.(string)] = v
		} else {
			p.parent.([]any)[p.key.(int)] = v
		}
	}
	switch op := rng.IntN(6); op {
	case 0:
		if m, ok := p.parent.(map[string]any); ok {
			delete(m, p.key.(string))
			return "deleted " + p.path
		}
		set(map[string]any{})
		return "emptied " + p.path
	case 1:
		if m, ok := get().(map[string]any); ok {
			k := mutantKeys[rng.IntN(len(mutantKeys))]
			m[k] = map[string]any{}
			return "added " + k + " to " + p.path
		}
		set([]any{})
		return "replaced " + p.path + " with a list"
	case 2:
		kinds := []any{"text", json.Number("7"), true, []any{"x"}, map[string]any{"a": "b"}, nil}
		v := kinds[rng.IntN(len(kinds))]
		set(v)
		return fmt.Sprintf("set %s to %v", p.path, v)
	case 3:
		v := mutantStrings[rng.IntN(len(mutantStrings))]
		set(v)
		return fmt.Sprintf("set %s to %q", p.path, v)
	case 4:
		v := mutantNumbers[rng.IntN(len(mutantNumbers))]
		set(v)
		return fmt.Sprintf("set %s to %v", p.path, v)
	default:
		if m, ok := p.parent.(map[string]any); ok {
			k := mutantKeys[rng.IntN(len(mutantKeys))]
			v := m[p.key.(string)]
			delete(m, p.key.(string))
			m[k] = v
			return "renamed " + p.path + " to " + k
		}
		set(mutantStrings[rng.IntN(len(mutantStrings))])
		return "replaced list element " + p.path
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
