package openapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"gwc.dev/gwc/emit/openapi"
)

// TestFormats writes the same document as JSON and YAML, the same bytes
// on every export, the document's own fields first, and templates as
// they were written (no HTML escaping of <, > and &).
func TestFormats(t *testing.T) {
	res := compileDef(t, "api.yaml", `
api:
  formats:
    stages: {dev: {}}
    resources:
      /:
        GET:
          integration:
            mock:
              responses:
                default:
                  status: 200
                  templates: {text/html: "<p>a & b</p>\n  indented\n"}
          responses: {"200": {}}
`)
	j := export(t, res.API, openapi.JSON)
	y := export(t, res.API, openapi.YAML)
	if again := export(t, res.API, openapi.JSON); !bytes.Equal(j, again) {
		t.Error("two JSON exports differ")
	}
	if again := export(t, res.API, openapi.YAML); !bytes.Equal(y, again) {
		t.Error("two YAML exports differ")
	}
	if d := export(t, res.API, ""); !bytes.Equal(d, j) {
		t.Error("the default format is not JSON")
	}
	if !bytes.HasPrefix(j, []byte("{\n  \"openapi\": \"3.0.1\",\n  \"info\": {")) {
		t.Errorf("the JSON document does not start with openapi and info:\n%s", j)
	}
	if !bytes.HasPrefix(y, []byte("openapi: 3.0.1\ninfo:\n")) {
		t.Errorf("the YAML document does not start with openapi and info:\n%s", y)
	}
	if !bytes.Contains(j, []byte(`"<p>a & b</p>\n  indented\n"`)) {
		t.Errorf("the template is not written as it is:\n%s", j)
	}
	var fromYAML map[string]any
	if err := yaml.Unmarshal(y, &fromYAML); err != nil {
		t.Fatal(err)
	}
	if fromJSON := decode(t, j); !reflect.DeepEqual(normalizeNumbers(fromYAML), fromJSON) {
		t.Errorf("the JSON and YAML documents differ:\n%s\n%s", j, y)
	}
	checkRoundTrip(t, res)
}

// normalizeNumbers turns YAML's integers into JSON's float64.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeNumbers(e)
		}
	case int:
		return float64(x)
	}
	return v
}

func TestExportErrors(t *testing.T) {
	if _, err := openapi.Export(nil, openapi.Options{}); err == nil {
		t.Error("no error for a nil API")
	}
	res := compileDef(t, "api.yaml", `
api:
  e:
    resources:
      /:
        GET: {integration: {httpProxy: {uri: https://example.com}}}
`)
	_, err := openapi.Export(res.API, openapi.Options{Format: "xml"})
	if err == nil || !strings.Contains(err.Error(), `unknown format "xml"`) {
		t.Errorf("got %v", err)
	}
}

// TestStrings writes strings YAML could misread (numbers, booleans,
// indicators, leading and trailing white space, line breaks, non-ASCII)
// so that they read back as they are: the round trip's fixed point
// compares the descriptions, which the artifact does not hold.
func TestStrings(t *testing.T) {
	tricky := []string{
		"  leading spaces", "trailing spaces  ", "tab\tinside", "trailing tab\t",
		"line\r\nwindows", "two\n\nparagraphs\n", "ends in blank lines\n\n\n", "\nstarts with a newline",
		"  indented first line\nsecond", "null", "true", "~", "123", "0x1F", "1e3", "-", "- item", "? key",
		": colon", "key: value", "#comment", "a #b", "'single'", `"double"`, "{flow}", "[seq]", "%directive",
		"@at", "`backtick", "!tag", "&anchor", "*alias", "|", ">", "---", "...", "é中😀", "\\backslash\\",
	}
	var methods []string
	for i, s := range tricky {
		q, _ := json.Marshal(s)
		methods = append(methods, fmt.Sprintf(`"/m%d": {"GET": {"summary": %s, "description": %s, "integration": {"httpProxy": {"uri": "https://example.com"}}}}`, i, q, q))
	}
	res := compileDef(t, "api.json", `{"api": {"strings": {"description": "  a\n  b  ", "resources": {`+strings.Join(methods, ", ")+`}}}}`)
	checkRoundTrip(t, res)
	doc := decode(t, export(t, res.API, openapi.JSON))
	for i, s := range tricky {
		expect(t, at(t, doc, "paths", fmt.Sprintf("/m%d", i), "get", "description"), mustJSON(t, s))
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
