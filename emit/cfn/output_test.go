package cfn

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"gwc.dev/gwc/schema"
)

// richAPI uses parameters, holds and maps, everything whose order Go
// would otherwise leave to chance.
func richAPI() *schema.API {
	api := petstore()
	api.Tags = map[string]string{"a": "1", "b": "2", "c": "", "d": "4"}
	api.Policy = map[string]any{"Statement": []any{map[string]any{"Resource": "arn:${AWS::Partition}:${x}:${y}", "Effect": "Allow"}}}
	m := method(api, "/pets", "GET")
	m.RequestParams = []*schema.RequestParam{{Location: "querystring", Name: "a"}, {Location: "querystring", Name: "b", Required: true}}
	m.Integration.URI = "https://${host_a}/${host_b}/${stageVariables.x}"
	api.Models = []*schema.Model{
		{Name: "A", Schema: map[string]any{"type": "object", "properties": map[string]any{"b": map[string]any{"$ref": "#/models/B"}, "c": map[string]any{"$ref": "#/models/C"}}}},
		{Name: "B", Schema: map[string]any{"type": "object"}},
		{Name: "C", Schema: map[string]any{"type": "object"}},
	}
	return api
}

// Same input, same bytes: JSON and YAML.
func TestDeterministic(t *testing.T) {
	var firstJSON, firstYAML []byte
	for i := range 5 {
		tmpl, err := Emit(richAPI(), testDigest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		j, err := tmpl.JSON()
		if err != nil {
			t.Fatal(err)
		}
		y, err := tmpl.YAML()
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			firstJSON, firstYAML = j, y
			continue
		}
		if !bytes.Equal(j, firstJSON) || !bytes.Equal(y, firstYAML) {
			t.Fatalf("emission %d differs from the first", i)
		}
	}
	if bytes.Contains(firstJSON, []byte("gwc-hold")) || bytes.Contains(firstYAML, []byte("gwc-hold")) {
		t.Error("a hold reached the output")
	}
}

// Emit leaves the model alone: emitting the same *API twice gives the same
// template.
func TestEmitDoesNotChangeTheModel(t *testing.T) {
	api := richAPI()
	var out [2][]byte
	for i := range out {
		tmpl, err := Emit(api, testDigest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		out[i], _ = tmpl.JSON()
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("the second emission of the same model differs")
	}
	if ref := api.Models[0].Schema["properties"].(map[string]any)["b"].(map[string]any)["$ref"]; ref != "#/models/B" {
		t.Errorf("the model's $ref became %v", ref)
	}
}

// The YAML form says exactly what the JSON form says.
func TestYAMLMatchesJSON(t *testing.T) {
	tmpl, err := Emit(richAPI(), testDigest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := tmpl.JSON()
	y, err := tmpl.YAML()
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON, fromYAML any
	if err := json.Unmarshal(j, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(y, &fromYAML); err != nil {
		t.Fatal(err)
	}
	// Round-trip the YAML through JSON so numbers compare alike.
	b, err := json.Marshal(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	var normalized any
	if err := json.Unmarshal(b, &normalized); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromJSON, normalized) {
		t.Errorf("YAML and JSON differ:\n%s\n%s", j, y)
	}
	if !bytes.Contains(y, []byte("Fn::Sub:")) || !bytes.HasPrefix(y, []byte("AWSTemplateFormatVersion: \"2010-09-09\"")) {
		t.Errorf("unexpected YAML form:\n%s", y)
	}
}

func TestDescription(t *testing.T) {
	doc, _ := emitDoc(t, petstore())
	if d := at(t, doc, "Description").(string); !strings.Contains(d, "petstore") || !strings.Contains(d, testDigest) {
		t.Errorf("default description %q should name the API and the digest", d)
	}
	tmpl, err := Emit(petstore(), testDigest, Options{Description: "Pets, by gwc."})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := tmpl.JSON(); !bytes.Contains(b, []byte(`"Description": "Pets, by gwc."`)) {
		t.Errorf("Options.Description not used:\n%s", b)
	}
}

// goformation stays behind this package: none of its types appear in the
// exported API, so that it can be replaced without touching callers.
func TestGoformationIsNotExported(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		foreign := map[string]bool{}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.Contains(path, "goformation") {
				local := filepath.Base(path)
				if imp.Name != nil {
					local = imp.Name.Name
				}
				foreign[local] = true
			}
		}
		check := func(what string, n ast.Node) {
			ast.Inspect(n, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && foreign[id.Name] {
						t.Errorf("%s: %s exposes %s.%s", fset.Position(sel.Pos()), what, id.Name, sel.Sel.Name)
					}
				}
				return true
			})
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && (d.Recv == nil || exportedReceiver(d.Recv)) {
					check(d.Name.Name, d.Type)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							checkExportedType(s, check)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() && s.Type != nil {
								check(n.Name, s.Type)
							}
						}
					}
				}
			}
		}
	}
}

func exportedReceiver(recv *ast.FieldList) bool {
	t := recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.IsExported()
}

// checkExportedType checks an exported type's definition, but only the
// exported fields of a struct.
func checkExportedType(s *ast.TypeSpec, check func(string, ast.Node)) {
	st, ok := s.Type.(*ast.StructType)
	if !ok {
		check(s.Name.Name, s.Type)
		return
	}
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			if n.IsExported() {
				check(s.Name.Name+"."+n.Name, f.Type)
			}
		}
		if len(f.Names) == 0 {
			check(s.Name.Name+" (embedded)", f.Type)
		}
	}
}
