package schema

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestYAMLReader(t *testing.T) {
	src := `base: &base {a: 1, b: two}
merged:
  <<: *base
  b: three
ints: {200: ok, 0x10: hex}
ref: !Ref MyBucket
sub: !Sub "arn:${AWS::Region}"
att: !GetAtt Role.Arn
list: [1, 2.5, true, null, "s"]
`
	n, err := ParseYAML(NewFile("a.yaml", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"base":   map[string]any{"a": int64(1), "b": "two"},
		"merged": map[string]any{"a": int64(1), "b": "three"},
		"ints":   map[string]any{"200": "ok", "0x10": "hex"},
		"ref":    map[string]any{"Ref": "MyBucket"},
		"sub":    map[string]any{"Fn::Sub": "arn:${AWS::Region}"},
		"att":    map[string]any{"Fn::GetAtt": []any{"Role", "Arn"}},
		"list":   []any{int64(1), 2.5, true, nil, "s"},
	}
	if got := n.Interface(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v", got)
	}
	if p := n.Get("merged").Get("b").Pos; p.Line != 4 || p.Col != 6 {
		t.Errorf("merged.b at %v", p)
	}
	if p := n.Get("merged").Get("b").KeyPos; p.Line != 4 || p.Col != 3 {
		t.Errorf("merged.b's key at %v", p)
	}
}

func TestYAMLReaderErrors(t *testing.T) {
	for src, want := range map[string]string{
		"a: 1\na: 2\n":         `a.yaml:2:1: key "a" appears twice`,
		"a: [1, 2\n":           "a.yaml:",
		"? [a]\n: 1\n":         "a key must be a string",
		"{\"a\": 1, \"a\": 2}": `key "a" appears twice`,
	} {
		_, err := ParseYAML(NewFile("a.yaml", []byte(src)))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", src, err, want)
		}
	}
}

// TestJSONReaderMatchesYAML checks the fast JSON reader against the YAML
// reader, which also reads JSON: the same tree at the same positions.
func TestJSONReaderMatchesYAML(t *testing.T) {
	for _, name := range []string{"../../shared/testdata/openapi-aws/localstack__petstore-swagger.json", "testdata/unicode.json"} {
		src, err := os.ReadFile(name)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		f := NewFile(name, src)
		fast, err := parseJSON(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			t.Fatal(err)
		}
		r := yamlReader{f: f}
		slow := r.node(doc.Content[0], 0)
		compareTrees(t, name, fast, slow)
	}
}

func TestSourceTextMapsTemplateOffsets(t *testing.T) {
	// Each case locates the character X inside a string written in some
	// style, through the offset of X in the decoded string.
	tests := []struct {
		name, src string
		line, col int
	}{
		{"JSON escapes", `{"t": "a\"b\\c\u00e9 X"}`, 1, 22},
		{"YAML double quotes", "t: \"line\\n\\tX\"\n", 1, 13},
		{"YAML single quotes", "t: 'it''s X'\n", 1, 11},
		{"YAML literal block", "t: |\n  first\n    X indented\n", 3, 5},
		{"YAML plain", "t: a b X\n", 1, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseYAML(NewFile("a", []byte(tt.src)))
			if err != nil {
				t.Fatal(err)
			}
			v := n.Get("t")
			off := strings.IndexByte(v.Str, 'X')
			if off < 0 || v.Text == nil {
				t.Fatalf("no X in %q or no source text", v.Str)
			}
			if p := v.Text.Pos(off); p.Line != tt.line || p.Col != tt.col {
				t.Errorf("X at %d:%d, want %d:%d", p.Line, p.Col, tt.line, tt.col)
			}
		})
	}
}

func TestSourceTextInCUE(t *testing.T) {
	dir := writeCUE(t, map[string]string{"a.cue": "package x\n\napi: demo: description: \"\"\"\n\tfirst\n\t  X second\n\t\"\"\"\n"})
	root, _ := LoadCUE([]string{dir}, nil)
	v := root.Path("api", "demo", "description")
	if v == nil || v.Text == nil {
		t.Fatal("no source text")
	}
	if p := v.Text.Pos(strings.IndexByte(v.Str, 'X')); p.Line != 5 || p.Col != 4 {
		t.Errorf("X at %v, want line 5 col 4", p)
	}
}
