package draft4

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// FuzzParse checks the parser against encoding/json: it accepts exactly
// the valid JSON texts that are valid UTF-8, and reads the same values.
// Run it with go test -fuzz=FuzzParse ./internal/draft4/.
func FuzzParse(f *testing.F) {
	for _, c := range keywordCases {
		f.Add([]byte(c.body))
		f.Add([]byte(c.schema))
	}
	f.Add([]byte(`{"a":1,"a":[1.5e3,-0,"\ud83d\ude00\ud800"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var tr tree
		err := tr.parse(data)
		want := json.Valid(data) && utf8.Valid(data)
		if (err == nil) != want {
			t.Fatalf("%q: parse error %v, encoding/json and UTF-8 valid: %v", data, err, want)
		}
		if err != nil {
			return
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if got := toAny(&tr, 0); !reflect.DeepEqual(got, v) {
			t.Fatalf("%q: read %#v, encoding/json %#v", data, got, v)
		}
	})
}

var bigExponent = regexp.MustCompile(`[eE][+-]?0*[0-9]{4}`)

// FuzzValidate compiles a schema and validates a body with it: nothing
// may panic, Valid and Validate must agree, a failure must say why, and
// when the library the runtime used compiles the same schema the verdicts
// must be the same (outside the deliberate differences the differential
// test lists). Run it with go test -fuzz=FuzzValidate ./internal/draft4/.
func FuzzValidate(f *testing.F) {
	for _, c := range keywordCases {
		f.Add(c.schema, c.body)
	}
	f.Add(benchPetSchema, benchPet(3))
	f.Add(benchOrderSchema, benchOrder)
	f.Fuzz(func(t *testing.T, schemaJSON, body string) {
		if len(schemaJSON) > 4000 || len(body) > 4000 {
			return
		}
		c := NewCompiler()
		if err := c.AddResource(diffURL, []byte(schemaJSON)); err != nil {
			return
		}
		s, err := c.Compile(diffURL)
		if err != nil {
			return
		}
		res := s.Validate([]byte(body))
		if s.Valid([]byte(body)) != res.Valid {
			t.Fatalf("Valid and Validate disagree")
		}
		if !res.Valid && !res.InvalidJSON && len(res.Errors) == 0 {
			t.Fatalf("invalid with no errors")
		}
		_ = res.Details()
		// The library's verdict, where it is comparable.
		if strings.Contains(schemaJSON, "$ref") || strings.Contains(schemaJSON, "$schema") || strings.Contains(schemaJSON, "format") || res.InvalidJSON ||
			bigExponent.MatchString(schemaJSON) || bigExponent.MatchString(body) || !utf8.ValidString(schemaJSON) {
			return
		}
		lib, err := compileLib([]byte(schemaJSON))
		if err != nil {
			return
		}
		b := []byte(body)
		if len(bytes.TrimSpace(b)) == 0 {
			b = []byte("{}")
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("the library cannot read a body this package read: %v", err)
		}
		if lerr := lib.Validate(doc); (lerr == nil) != res.Valid {
			t.Fatalf("schema %s body %s: library %v, ours %s", schemaJSON, body, lerr, res.Details())
		}
	})
}
