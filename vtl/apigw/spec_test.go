package apigw_test

import (
	"bytes"
	"testing"

	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/apigw"
)

func render(t *testing.T, tmpl string, req *apigw.Request) (string, apigw.Overrides) {
	t.Helper()
	tp, err := vtl.Parse("t", tmpl)
	if err != nil {
		t.Fatalf("parse %q: %v", tmpl, err)
	}
	var b bytes.Buffer
	o, err := apigw.Render(tp, req, &b)
	if err != nil {
		t.Fatalf("render %q: %v", tmpl, err)
	}
	return b.String(), o
}

// Recorded on AWS (spec §8.1, LocalStack snapshot test_input_path_template_formatting).
const nullTemplate = `#set($result = $input.path('$.missing')){"body": $result, "nested": $result.nested, "isNull": #if( $result == $null )"true"#else"false"#end, "isEmptyString": #if( $result == "" )"true"#else"false"#end}`

func TestSpecNullRendering(t *testing.T) {
	for _, tc := range []struct{ name, body, tmpl, want string }{
		{"missing path", `{"a":1}`, nullTemplate, `{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}`},
		{"json null", `{"missing":null}`, nullTemplate, `{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}`},
		{"empty list", `{"missing":[]}`, nullTemplate, `{"body": [], "nested": , "isNull": "false", "isEmptyString": "false"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := render(t, tc.tmpl, &apigw.Request{Body: []byte(tc.body)})
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// Recorded on AWS (spec §8.2 table).
func TestSpecInputPathPrinting(t *testing.T) {
	for _, tc := range []struct{ body, tmpl, want string }{
		{`{"x":{"foo":"bar"}}`, `$input.path('$.x')`, `{foo=bar}`},
		{`{"x":{"bigger":"dict","to":"test","with":"separators"}}`, `$input.path('$.x')`, `{bigger=dict, to=test, with=separators}`},
		{`{"x":[{"foo":"bar"}]}`, `$input.path('$.x')`, `[{"foo":"bar"}]`},
		{`{"x":[[{"foo":"bar"}]]}`, `$input.path('$.x')[0]`, `[{"foo":"bar"}]`},
		{`{"x":[{"foo":"bar"}]}`, `$input.path('$.x')[0]`, `{foo=bar}`},
		{`{"x":{"foo":[{"nested":"bar"}]}}`, `$input.path('$.x')`, `{foo=[{"nested":"bar"}]}`},
		{`{"x":{"list":[{"foo":"bar"}]}}`, `$input.path('$.x').toString()`, `{list=[{"foo":"bar"}]}`},
		{`{"x":null}`, `[$input.path('$.x')]`, `[]`},
		{`{}`, `[$input.path('$.x')]`, `[]`},
		{`{"x":[]}`, `$input.path('$.x')`, `[]`},
	} {
		got, _ := render(t, tc.tmpl, &apigw.Request{Body: []byte(tc.body)})
		if got != tc.want {
			t.Errorf("%s on %s: got %s, want %s", tc.tmpl, tc.body, got, tc.want)
		}
	}
}

// Recorded on AWS (spec §8.2, §8.3: test_input_body_formatting).
func TestSpecBodyAndURLEncode(t *testing.T) {
	for _, tc := range []struct{ body, tmpl, want string }{
		{``, `$input.body`, `{}`},
		{``, `$input.json('$')`, `{}`},
		{`{"a":1}`, `[$input.body.foo]`, `[]`},
		{`{"some": "value"}`, `$util.urlEncode($input.body)`, `%7B%22some%22%3A+%22value%22%7D`},
		{`some raw data`, `$util.urlEncode($input.body)`, `some+raw+data`},
		{``, `$util.urlEncode($input.body)`, `%7B%7D`},
		{`{}`, `[$util.urlEncode($input.path('$.none'))]`, `[]`},
	} {
		got, _ := render(t, tc.tmpl, &apigw.Request{Body: []byte(tc.body)})
		if got != tc.want {
			t.Errorf("%s on %q: got %s, want %s", tc.tmpl, tc.body, got, tc.want)
		}
	}
}
