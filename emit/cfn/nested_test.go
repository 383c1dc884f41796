package cfn_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gwc.dev/gwc/bench/genapi"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/emit/cfn"
	"gwc.dev/gwc/emit/cfn/cfntest"
	"gwc.dev/gwc/schema"
)

// TestNestedExamples: with Options.Nested, every example's parent and
// nested templates pass both validators, and put together again they are
// the template without nesting.
func TestNestedExamples(t *testing.T) {
	dirs, err := filepath.Glob("../../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	inputs := []string{"../../testdata/kitchensink.yaml"}
	for _, dir := range dirs {
		inputs = append(inputs, definitionsIn(t, dir)...)
	}
	for _, input := range inputs {
		t.Run(strings.TrimPrefix(input, "../../"), func(t *testing.T) {
			res := compileDefinition(t, input)
			if res == nil {
				t.Fatalf("%s does not compile", input)
			}
			opts := cfn.Options{LambdaPermissions: true}
			flat := emitCompiled(t, res, opts)
			opts.Nested = true
			nested := emitCompiled(t, res, opts)
			if len(nested.Nested()) == 0 {
				t.Fatal("no nested stacks")
			}
			checkNesting(t, flat, nested)
			checkTemplate(t, nested)
			for _, n := range nested.Nested() {
				t.Run(n.NestedFile("json"), func(t *testing.T) { checkTemplate(t, n) })
			}
		})
	}
}

// TestNestedLargeAPI: the benchmarks' API of 1,000 resources and 3,000
// methods, documented method by method (as AWS exports often are), is
// 8,028 resources and 8 MB in one template; nested, every template is
// within CloudFormation's quotas, and together they are the same
// template.
func TestNestedLargeAPI(t *testing.T) {
	file := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(file, []byte(genapi.OpenAPI(1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	res := compileDefinition(t, file)
	if res == nil {
		t.Fatal("the generated API does not compile")
	}
	doc := &schema.Documentation{Version: "1", Parts: []*schema.DocumentationPart{
		{Type: "API", Properties: map[string]any{"description": "A generated API."}},
	}}
	for _, r := range res.API.Resources {
		for _, m := range r.Methods {
			doc.Parts = append(doc.Parts, &schema.DocumentationPart{
				Type: "METHOD", Path: r.Path, Method: m.Verb, Properties: map[string]any{"summary": m.Verb + " " + r.Path},
			})
		}
	}
	res.API.Documentation = doc
	flat := emitCompiled(t, res, cfn.Options{})
	if !slices.ContainsFunc(flat.Warnings(), func(d diag.Diagnostic) bool {
		return d.Code == cfn.CodeLimit && strings.Contains(d.Message, "resources; CloudFormation accepts at most 500 in one stack") &&
			strings.Contains(d.Message, "gwc build --cfn-nested")
	}) {
		t.Errorf("the flat template has no resource-quota warning pointing at --cfn-nested: %v", flat.Warnings())
	}
	nested := emitCompiled(t, res, cfn.Options{Nested: true})
	for _, d := range nested.Warnings() {
		if d.Code == cfn.CodeLimit {
			t.Errorf("nested: %v", d)
		}
	}
	for _, tmpl := range append([]*cfn.Template{nested}, nested.Nested()...) {
		for _, format := range []string{"json", "yaml"} {
			b := encode(t, tmpl, format)
			if len(b) > 1<<20 {
				t.Errorf("a %s template is %d bytes, over CloudFormation's 1 MB", format, len(b))
			}
			if ds := tmpl.SizeDiagnostics(len(b)); slices.ContainsFunc(ds, func(d diag.Diagnostic) bool { return d.Severity >= diag.Warning }) {
				t.Errorf("size diagnostics %v", ds)
			}
		}
		doc := decode(t, encode(t, tmpl, "json"))
		for section, max := range map[string]int{"Resources": 500, "Parameters": 200, "Outputs": 200} {
			if n := len(object(doc[section])); n > max {
				t.Errorf("a template has %d %s, over CloudFormation's %d", n, section, max)
			}
		}
	}
	if n := len(nested.Nested()); n < 12 {
		t.Errorf("%d nested stacks for 8,028 resources, want at least 12 (at most 500 each)", n)
	}
	checkNesting(t, flat, nested)
}

func encode(t *testing.T, tmpl *cfn.Template, format string) []byte {
	t.Helper()
	var b []byte
	var err error
	if format == "yaml" {
		b, err = tmpl.YAML()
	} else {
		b, err = tmpl.JSON()
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// checkNesting checks that nested, put together again as CloudFormation
// would resolve it, is flat: the same resources with the same properties
// once each nested stack's parameters are replaced by what the parent
// passes (and outputs of other nested stacks by their values), the same
// parameters and outputs, and every DependsOn of flat still holding,
// either inside a stack or through the nested stacks' DependsOn.
func checkNesting(t *testing.T, flat, nested *cfn.Template) {
	t.Helper()
	want := decode(t, encode(t, flat, "json"))
	parent := decode(t, encode(t, nested, "json"))
	children := map[string]map[string]any{}
	for _, n := range nested.Nested() {
		children[strings.TrimSuffix(filepath.Base(n.NestedFile("json")), ".json")] = decode(t, encode(t, n, "json"))
	}
	for _, section := range []string{"Parameters", "Outputs", "AWSTemplateFormatVersion", "Description"} {
		if !reflect.DeepEqual(parent[section], want[section]) {
			t.Errorf("parent %s differ from the template's without nesting", section)
		}
	}

	got := map[string]any{}     // resource → its properties, resolved
	home := map[string]string{} // moved resource → its stack
	stackDeps := map[string][]string{}
	for id, r := range object(parent["Resources"]) {
		r := object(r)
		if r["Type"] != "AWS::CloudFormation::Stack" {
			got[id] = r["Properties"]
			continue
		}
		child, ok := children[id]
		if !ok {
			t.Fatalf("stack %s has no nested template", id)
		}
		props := object(r["Properties"])
		if url := props["TemplateURL"]; url != "nested/"+id+".json" {
			t.Errorf("stack %s: TemplateURL %v", id, url)
		}
		passed := object(props["Parameters"])
		if !reflect.DeepEqual(slices.Sorted(maps.Keys(passed)), slices.Sorted(maps.Keys(object(child["Parameters"])))) {
			t.Errorf("stack %s: the parent passes %v, the template takes %v", id, slices.Sorted(maps.Keys(passed)), slices.Sorted(maps.Keys(object(child["Parameters"]))))
		}
		resolve := func(v any) any { return resolveNested(v, passed, children) }
		for rid, cr := range object(child["Resources"]) {
			cr := object(cr)
			if _, dup := got[rid]; dup {
				t.Errorf("resource %s is in two stacks", rid)
			}
			got[rid] = resolve(cr["Properties"])
			home[rid] = id
		}
		stackDeps[id] = cfntest.DependsOnList(r["DependsOn"])
	}
	for id, r := range object(want["Resources"]) {
		if !reflect.DeepEqual(got[id], object(r)["Properties"]) {
			a, _ := json.Marshal(got[id])
			b, _ := json.Marshal(object(r)["Properties"])
			t.Errorf("resource %s:\n nested %s\n   flat %s", id, a, b)
		}
	}
	if len(got) != len(object(want["Resources"])) {
		t.Errorf("%d resources nested, %d flat", len(got), len(object(want["Resources"])))
	}

	// Dependencies: where a flat resource depends on another, the nested
	// one must too, itself or through its stack (or, in the parent, on
	// the stack that holds the other).
	for id, r := range object(want["Resources"]) {
		for _, d := range cfntest.DependsOnList(object(r)["DependsOn"]) {
			ok := false
			own := cfntest.DependsOnList(resourceOf(parent, children, home, id)["DependsOn"])
			switch {
			case slices.Contains(own, d) && home[d] == home[id]:
				ok = true
			case home[id] == "" && slices.Contains(own, home[d]):
				ok = true
			case home[id] != "" && (slices.Contains(stackDeps[home[id]], d) || slices.Contains(stackDeps[home[id]], home[d])):
				ok = true
			}
			if !ok {
				t.Errorf("%s depends on %s without nesting, but not when nested", id, d)
			}
		}
	}
}

func resourceOf(parent map[string]any, children map[string]map[string]any, home map[string]string, id string) map[string]any {
	if h := home[id]; h != "" {
		return object(object(children[h]["Resources"])[id])
	}
	return object(object(parent["Resources"])[id])
}

// subRefRE finds the ${Name} and ${Name.Attr} references of an Fn::Sub
// string (not the ${!...} escapes).
var subRefRE = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// resolveNested replaces a nested stack's parameters in v by the values
// the parent passes, reading other stacks' outputs where it passes one.
func resolveNested(v any, passed map[string]any, children map[string]map[string]any) any {
	// fromParent is the value of a parameter as the flat template writes
	// it: a Ref or GetAtt in the parent, or the output of another stack.
	fromParent := func(p string) any {
		val := object(passed[p])
		if att, ok := val["Fn::GetAtt"].([]any); ok {
			if out, ok := strings.CutPrefix(att[1].(string), "Outputs."); ok {
				if child, ok := children[att[0].(string)]; ok {
					return object(object(child["Outputs"])[out])["Value"]
				}
			}
		}
		return val
	}
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["Ref"].(string); ok && len(x) == 1 {
			if _, ok := passed[ref]; ok {
				return fromParent(ref)
			}
			return x
		}
		if sub, ok := x["Fn::Sub"]; ok && len(x) == 1 {
			rewrite := func(s string) string {
				return subRefRE.ReplaceAllStringFunc(s, func(m string) string {
					name := m[2 : len(m)-1]
					if _, ok := passed[name]; !ok {
						return m
					}
					val := object(fromParent(name))
					if ref, ok := val["Ref"].(string); ok {
						return "${" + ref + "}"
					}
					att := val["Fn::GetAtt"].([]any)
					return "${" + att[0].(string) + "." + att[1].(string) + "}"
				})
			}
			switch s := sub.(type) {
			case string:
				return map[string]any{"Fn::Sub": rewrite(s)}
			case []any:
				return map[string]any{"Fn::Sub": []any{rewrite(s[0].(string)), resolveNested(s[1], passed, children)}}
			}
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = resolveNested(e, passed, children)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = resolveNested(e, passed, children)
		}
		return out
	}
	return v
}
