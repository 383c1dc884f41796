package draft4

import (
	"strings"
	"testing"
	"time"
)

func mustCompile(t testing.TB, schemaJSON string, opts ...func(*Compiler)) *Schema {
	t.Helper()
	c := NewCompiler()
	for _, o := range opts {
		o(c)
	}
	if err := c.AddResource(diffURL, []byte(schemaJSON)); err != nil {
		t.Fatalf("%s: %v", schemaJSON, err)
	}
	s, err := c.Compile(diffURL)
	if err != nil {
		t.Fatalf("%s: %v", schemaJSON, err)
	}
	return s
}

// keywordCases are draft-04's keywords one by one: the verdict from the
// specification (draft-fge-json-schema-validation-00) and, for failures,
// the message: the runtime's words for the kinds it worded, the words of
// API Gateway's validator (json-schema-validator 2.2's
// validation.properties) for the others.
var keywordCases = []struct {
	schema, body string
	details      string // "" when valid
}{
	// 5.5.2 type; "integer" is a number without a fractional part.
	{`{"type":"string"}`, `"x"`, ""},
	{`{"type":"string"}`, `1`, `[instance type (number) does not match any allowed primitive type (allowed: ["string"])]`},
	{`{"type":["null","boolean"]}`, `"x"`, `[instance type (string) does not match any allowed primitive type (allowed: ["boolean","null"])]`},
	{`{"type":"integer"}`, `12345678901234567890123`, ""},
	{`{"type":"integer"}`, `1.0`, ""},
	{`{"type":"integer"}`, `1.5`, `[instance type (number) does not match any allowed primitive type (allowed: ["integer"])]`},
	{`{"type":"integer"}`, `1e400`, ""},
	{`{"type":"number"}`, `1`, ""},
	{`{"type":"object"}`, `[]`, `[instance type (array) does not match any allowed primitive type (allowed: ["object"])]`},
	{`{"type":"null"}`, `null`, ""},
	{`{"type":"boolean"}`, `false`, ""},
	// 5.5.1 enum: JSON equality, numbers by value.
	{`{"enum":[1,"a",{"x":[1]}]}`, `1.0`, ""},
	{`{"enum":[1,"a",{"x":[1]}]}`, `{"x":[1.00]}`, ""},
	{`{"enum":[1,"a",{"x":[1]}]}`, `"b"`, `[instance value (b) not found in enum]`},
	{`{"enum":[1]}`, `{"x":[1,null],"a":true}`, `[instance value (map[a:true x:[1 <nil>]]) not found in enum]`},
	{`{"enum":[1]}`, `1e0`, ""},
	{`{"enum":[false]}`, `0`, `[instance value (0) not found in enum]`},
	{`{"enum":[0]}`, `-0`, ""},
	{`{"enum":[10]}`, `1`, `[instance value (1) not found in enum]`},
	// 5.1.1 multipleOf: exact.
	{`{"multipleOf":0.1}`, `0.3`, ""},
	{`{"multipleOf":0.01}`, `19.99`, ""},
	{`{"multipleOf":0.01}`, `19.999`, `[remainder of division is not zero (19.999 / 0.01)]`},
	{`{"multipleOf":3}`, `7`, `[remainder of division is not zero (7 / 3)]`},
	{`{"multipleOf":3}`, `3e400`, ""},
	{`{"multipleOf":7}`, `1e400`, `[remainder of division is not zero (1E+400 / 7)]`},
	{`{"multipleOf":123456789012345678901}`, `246913578024691357802`, ""},
	{`{"multipleOf":123456789012345678901}`, `246913578024691357803`, `[remainder of division is not zero (246913578024691357803 / 123456789012345678901)]`},
	{`{"multipleOf":2}`, `0`, ""},
	// 5.1.2 maximum and exclusiveMaximum, 5.1.3 minimum and exclusiveMinimum.
	{`{"maximum":3}`, `3`, ""},
	{`{"maximum":3}`, `3.5`, `[numeric instance is greater than the required maximum (maximum: 3, found: 3.500000)]`},
	{`{"maximum":3,"exclusiveMaximum":true}`, `3.0`, `[numeric instance is not strictly lower than the required maximum 3]`},
	{`{"maximum":3,"exclusiveMaximum":true}`, `2.9999999999999999999`, ""},
	{`{"minimum":1.5}`, `1.4999999`, `[numeric instance is lower than the required minimum (minimum: 1.500000, found: 1.500000)]`},
	{`{"minimum":1.5,"exclusiveMinimum":true}`, `1.5`, `[numeric instance is not strictly greater than the required minimum 1.5]`},
	{`{"minimum":-1}`, `-12345678901234567890`, `[numeric instance is lower than the required minimum (minimum: -1, found: -12345678901234567890)]`},
	{`{"minimum":9007199254740993}`, `9007199254740992`, `[numeric instance is lower than the required minimum (minimum: 9007199254740993, found: 9007199254740992)]`},
	{`{"minimum":0}`, `-0`, ""},
	{`{"minimum":"x"}`, ``, "compile"},
	// 5.2.1 maxLength, 5.2.2 minLength: code points.
	{`{"maxLength":2}`, `"é😀"`, ""},
	{`{"maxLength":2}`, `"abc"`, `[string is too long (length: 3, maximum allowed: 2)]`},
	{`{"minLength":2}`, `"😀"`, `[string is too short (length: 1, required minimum: 2)]`},
	{`{"minLength":1}`, `"\u00e9"`, ""},
	{`{"minLength":2.0}`, `"ab"`, ""},
	{`{"minLength":-1}`, ``, "compile"},
	// 5.2.3 pattern: Java regex, anywhere in the string.
	{`{"pattern":"[0-9]"}`, `"ab1"`, ""},
	{`{"pattern":"^[0-9]+$"}`, `"12a"`, `[ECMA 262 regex "^[0-9]+$" does not match input string "12a"]`},
	{`{"pattern":"\\p{Lu}"}`, `"aB"`, ""},
	{`{"pattern":"("}`, ``, "compile"},
	// 5.3.1 additionalItems and items.
	{`{"items":{"type":"integer"}}`, `[1,"x",3]`, `[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]`},
	{`{"items":[{"type":"integer"}],"additionalItems":false}`, `[1]`, ""},
	{`{"items":[{"type":"integer"}],"additionalItems":false}`, `[1,2,3]`, `[schema only allows 1 elements in array but instance has 3 elements]`},
	{`{"items":[{},{}],"additionalItems":{"type":"string"}}`, `[1,2,"x",4]`, `[instance type (number) does not match any allowed primitive type (allowed: ["string"])]`},
	{`{"additionalItems":false}`, `[1,2]`, ""},
	{`{"items":[]}`, ``, "compile"},
	{`{"items":{},"additionalItems":false}`, `[1,2]`, ""},
	// 5.3.2 maxItems, 5.3.3 minItems.
	{`{"maxItems":1}`, `[1,2]`, `[array is too long: must have at most 1 elements but instance has 2 elements]`},
	{`{"minItems":3}`, `[1,2]`, `[array is too short: must have at least 3 elements but instance has 2 elements]`},
	// 5.3.4 uniqueItems.
	{`{"uniqueItems":true}`, `[1,"1",[1],{"a":1}]`, ""},
	{`{"uniqueItems":true}`, `[1,2,1.0]`, `[array must not contain duplicate elements]`},
	{`{"uniqueItems":true}`, `[{"a":1,"b":2},{"b":2,"a":1}]`, `[array must not contain duplicate elements]`},
	{`{"uniqueItems":true}`, `[[1],[true]]`, ""},
	{`{"uniqueItems":false}`, `[1,1]`, ""},
	{`{"uniqueItems":true}`, `[0,-0]`, `[array must not contain duplicate elements]`},
	{`{"uniqueItems":true}`, `[10,1,100]`, ""},
	// 5.4.1 maxProperties, 5.4.2 minProperties: distinct names.
	{`{"maxProperties":1}`, `{"a":1,"a":2}`, ""},
	{`{"maxProperties":1}`, `{"a":1,"b":2}`, `[object has too many properties (found 2 but schema requires at most 1)]`},
	{`{"minProperties":2}`, `{"a":1}`, `[object has too few properties (found 1 but schema requires at least 2)]`},
	// 5.4.3 required.
	{`{"required":["a","b"]}`, `{"a":null,"b":0}`, ""},
	{`{"required":["b","a","c"]}`, `{"c":1}`, `[object has missing required properties (["a","b"])]`},
	{`{"required":[]}`, ``, "compile"},
	{`{"required":["a"]}`, ``, `[object has missing required properties (["a"])]`},
	{`{"required":["a"]}`, `"not an object"`, ""},
	// 5.4.4 additionalProperties, properties, patternProperties.
	{`{"properties":{"a":{"type":"integer"}},"patternProperties":{"^x":{"type":"string"}},"additionalProperties":false}`, `{"a":1,"x1":"s"}`, ""},
	{`{"properties":{"a":{"type":"integer"}},"patternProperties":{"^x":{"type":"string"}},"additionalProperties":false}`, `{"a":1,"z":1,"b":2}`,
		`[object instance has properties which are not allowed by the schema: ["b","z"]]`},
	{`{"properties":{"a":{"type":"integer"}},"patternProperties":{"a":{"minimum":2}}}`, `{"a":1.5}`,
		`[instance type (number) does not match any allowed primitive type (allowed: ["integer"]), numeric instance is lower than the required minimum (minimum: 2, found: 1.500000)]`},
	{`{"additionalProperties":{"type":"string"}}`, `{"a":"x","b":2}`, `[instance type (number) does not match any allowed primitive type (allowed: ["string"])]`},
	{`{"properties":{"a":{"type":"string"}}}`, `{"a":1,"a":"x"}`, ""},
	{`{"properties":{"a":{"type":"string"}}}`, `{"a":"x","a":1}`, `[instance type (number) does not match any allowed primitive type (allowed: ["string"])]`},
	// 5.4.5 dependencies.
	{`{"dependencies":{"a":["b","c"]}}`, `{"a":1,"b":2,"c":3}`, ""},
	{`{"dependencies":{"a":["c","b","d"]}}`, `{"a":1,"b":2}`, `[property "a" of object has missing property dependencies (schema requires ["c","b","d"]; missing: ["c","d"])]`},
	{`{"dependencies":{"a":["b"]}}`, `{"b":1}`, ""},
	{`{"dependencies":{"a":{"required":["b"]}}}`, `{"a":1}`, `[object has missing required properties (["b"])]`},
	// 5.5.3 allOf, 5.5.4 anyOf, 5.5.5 oneOf, 5.5.6 not.
	{`{"allOf":[{"minimum":1},{"maximum":2}]}`, `3`, `[numeric instance is greater than the required maximum (maximum: 2, found: 3)]`},
	{`{"anyOf":[{"type":"string"},{"minimum":2}]}`, `3`, ""},
	{`{"anyOf":[{"type":"string"},{"minimum":2}]}`, `1`,
		`[instance type (number) does not match any allowed primitive type (allowed: ["string"]), numeric instance is lower than the required minimum (minimum: 2, found: 1)]`},
	{`{"oneOf":[{"type":"integer"},{"minimum":2}]}`, `1`, ""},
	{`{"oneOf":[{"type":"integer"},{"minimum":2},{"maximum":5}]}`, `3`, `[instance failed to match exactly one schema (matched 3 out of 3)]`},
	{`{"oneOf":[{"type":"string"},{"type":"boolean"}]}`, `1`,
		`[instance type (number) does not match any allowed primitive type (allowed: ["boolean"]), instance type (number) does not match any allowed primitive type (allowed: ["string"])]`},
	{`{"not":{"type":"string"}}`, `1`, ""},
	{`{"not":{"type":"string"}}`, `"x"`, `[instance matched a schema which it should not have]`},
	// 6.2 definitions and 7 $ref, which replaces its schema.
	{`{"definitions":{"p":{"type":"integer"}},"items":{"$ref":"#/definitions/p"}}`, `[1,"a"]`, `[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]`},
	{`{"definitions":{"p":{"type":"integer"}},"properties":{"a":{"$ref":"#/definitions/p","maximum":0}}}`, `{"a":5}`, ""},
	{`{"properties":{"next":{"$ref":"#"},"v":{"type":"integer"}}}`, `{"next":{"next":{"v":"x"}}}`, `[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]`},
	{`{"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}},"properties":{"x":{"$ref":"#/definitions/a"}}}`, `{"x":1}`,
		`[validation loop: schema "` + diffURL + `#/definitions/a" visited twice for pointer "/x" of validated instance]`},
	{`{"anyOf":[{"type":"string"},{"$ref":"#"}]}`, `"s"`, ""},
	{`{"$ref":"#/definitions/missing"}`, ``, "compile"},
	{`{"$ref":"http://elsewhere.test/x.json"}`, ``, "compile"},
	// Formats (API Gateway's validator checks them).
	{`{"format":"date-time"}`, `"2024-02-29T23:59:59.123Z"`, ""},
	{`{"format":"date-time"}`, `"2023-02-29T00:00:00Z"`, `[string "2023-02-29T00:00:00Z" is invalid against requested date format(s) [yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]]`},
	{`{"format":"email"}`, `"a.b@example.com"`, ""},
	{`{"format":"email"}`, `"a..b@example.com"`, `[string "a..b@example.com" is not a valid email address]`},
	{`{"format":"hostname"}`, `"-x.example.com"`, `[string "-x.example.com" is not a valid hostname]`},
	{`{"format":"ipv4"}`, `"192.168.0.256"`, `[string "192.168.0.256" is not a valid IPv4 address]`},
	{`{"format":"ipv6"}`, `"::1::"`, `[string "::1::" is not a valid IPv6 address]`},
	{`{"format":"uri"}`, `"http://a b"`, `[string "http://a b" is not a valid URI]`},
	{`{"format":"regex"}`, `"[a-"`, `[string "[a-" is not a valid ECMA 262 regular expression]`},
	{`{"format":"color"}`, `"anything"`, ""},
	{`{"format":"email"}`, `12`, ""},
	// Several failures are sorted.
	{`{"properties":{"a":{"type":"string"},"b":{"minimum":3}},"required":["c"]}`, `{"a":1,"b":2}`,
		`[instance type (number) does not match any allowed primitive type (allowed: ["string"]), numeric instance is lower than the required minimum (minimum: 3, found: 2), object has missing required properties (["c"])]`},
}

func TestKeywords(t *testing.T) {
	for _, c := range keywordCases {
		comp := NewCompiler()
		err := comp.AddResource(diffURL, []byte(c.schema))
		var s *Schema
		if err == nil {
			s, err = comp.Compile(diffURL)
		}
		if c.details == "compile" {
			if err == nil {
				t.Errorf("%s: compiled, want an error", c.schema)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.schema, err)
			continue
		}
		res := s.Validate([]byte(c.body))
		if got := res.Details(); got != c.details {
			t.Errorf("%s with %s:\n got %s\nwant %s", c.schema, c.body, got, c.details)
		}
		if s.Valid([]byte(c.body)) != (c.details == "") {
			t.Errorf("%s with %s: Valid disagrees with Validate", c.schema, c.body)
		}
	}
}

func TestStrictIntegers(t *testing.T) {
	strict := func(c *Compiler) { c.StrictIntegers = true }
	s := mustCompile(t, `{"type":"integer"}`, strict)
	for body, want := range map[string]string{
		`1`:                       "",
		`-0`:                      "",
		`1.0`:                     `[instance type (number) does not match any allowed primitive type (allowed: ["integer"])]`,
		`1e2`:                     `[instance type (number) does not match any allowed primitive type (allowed: ["integer"])]`,
		`12345678901234567890123`: "",
	} {
		if got := s.Validate([]byte(body)).Details(); got != want {
			t.Errorf("%s: got %s, want %s", body, got, want)
		}
	}
	// The Java validator names integer tokens "integer".
	s = mustCompile(t, `{"type":"string"}`, strict)
	if got, want := s.Validate([]byte(`1`)).Details(), `[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if !mustCompile(t, `{"type":"number"}`, strict).Valid([]byte(`1`)) {
		t.Error("an integer is a number")
	}
}

func TestIgnoreFormat(t *testing.T) {
	s := mustCompile(t, `{"format":"email"}`, func(c *Compiler) { c.IgnoreFormat = true })
	if !s.Valid([]byte(`"not an address"`)) {
		t.Error("format asserted with IgnoreFormat")
	}
}

func TestEmptyAndInvalidBodies(t *testing.T) {
	s := mustCompile(t, `{"type":"object","required":["a"]}`)
	for _, body := range []string{"", "  \r\n\t", "\f"} {
		if got, want := s.Validate([]byte(body)).Details(), `[object has missing required properties (["a"])]`; got != want {
			t.Errorf("%q: got %s, want %s (validated as {})", body, got, want)
		}
	}
	if !mustCompile(t, `{"type":"object"}`).Valid(nil) {
		t.Error("an empty body is {}, an object")
	}
	r := s.Validate([]byte(`id=1`))
	if r.Valid || !r.InvalidJSON || r.Details() != "[Invalid input: not valid JSON]" {
		t.Errorf("not JSON: %+v %s", r, r.Details())
	}
}

// TestIDs checks draft-04 id scoping: references resolve against the
// nearest enclosing id, and ids name schemas for references.
func TestIDs(t *testing.T) {
	c := NewCompiler()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.AddResource("http://x.test/root.json", []byte(`{
		"id": "http://x.test/root.json",
		"properties": {
			"a": {"$ref": "item.json"},
			"b": {"id": "sub/", "properties": {"c": {"$ref": "item.json"}}},
			"d": {"$ref": "#named"}
		},
		"definitions": {"n": {"id": "#named", "type": "boolean"}}
	}`)))
	must(c.AddResource("http://x.test/item.json", []byte(`{"type":"integer"}`)))
	must(c.AddResource("http://x.test/sub/item.json", []byte(`{"type":"string"}`)))
	s, err := c.Compile("http://x.test/root.json")
	must(err)
	for body, valid := range map[string]bool{
		`{"a":1}`:         true,
		`{"a":"x"}`:       false,
		`{"b":{"c":"x"}}`: true,
		`{"b":{"c":1}}`:   false,
		`{"d":true}`:      true,
		`{"d":1}`:         false,
	} {
		if got := s.Valid([]byte(body)); got != valid {
			t.Errorf("%s: valid = %v, want %v", body, got, valid)
		}
	}
}

// TestModelURLs: models refer to each other by API Gateway's URLs, also
// circularly.
func TestModelURLs(t *testing.T) {
	const base = "https://apigateway.amazonaws.com/restapis/a1/models/"
	c := NewCompiler()
	if err := c.AddResource(base+"Node", []byte(`{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"`+base+`Node"}},"leaf":{"$ref":"`+base+`Leaf"}}}`)); err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource(base+"Leaf", []byte(`{"type":"object","required":["v"]}`)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(base + "Node")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Valid([]byte(`{"children":[{"children":[{"leaf":{"v":1}}]}]}`)) {
		t.Error("valid tree refused")
	}
	r := s.Validate([]byte(`{"children":[{"children":[{"leaf":{}}]}]}`))
	if r.Valid || len(r.Errors) != 1 || r.Errors[0].Pointer != "/children/0/children/0/leaf" || r.Errors[0].Kind != KindRequired {
		t.Errorf("got %+v", r)
	}
}

func TestCompileErrorLeavesCompilerUsable(t *testing.T) {
	c := NewCompiler()
	if err := c.AddResource("http://x.test/a", []byte(`{"properties":{"p":{"$ref":"http://x.test/b"}},"minimum":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compile("http://x.test/a"); err == nil {
		t.Fatal("compiled a schema with a string minimum")
	}
	if err := c.AddResource("http://x.test/b", []byte(`{"type":"string"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compile("http://x.test/a"); err == nil || !strings.Contains(err.Error(), "minimum") {
		t.Fatalf("second Compile: %v, want the same error again", err)
	}
	if err := c.AddResource("http://x.test/a", []byte(`{}`)); err == nil {
		t.Error("a resource added twice")
	}
}

// TestPoolDropsBody: a pooled state must not keep the caller's body, nor
// the space of an outsized one.
func TestPoolDropsBody(t *testing.T) {
	st := &state{}
	st.t.src = []byte("{}")
	put(st)
	if st.t.src != nil {
		t.Error("the pooled state keeps the body")
	}
	big := &state{}
	big.t.nodes = make([]node, 0, 1<<17)
	put(big)
	for range 100 {
		if statePool.Get().(*state) == big {
			t.Fatal("an outsized state went back to the pool")
		}
	}
}

// TestDeepFailureIsBounded: a body that fails once per level of a
// recursive schema must cost time in proportion to its size, and its
// report must stay short. Evaluating anyOf twice per level made this take
// the cube of the depth.
func TestDeepFailureIsBounded(t *testing.T) {
	s := mustCompile(t, `{"anyOf":[{"type":"string"},{"type":"object","properties":{"a":{"$ref":"#"}},"required":["a"]}]}`)
	const depth = maxDepth - 1
	body := strings.Repeat(`{"a":`, depth) + `1` + strings.Repeat(`}`, depth)
	start := time.Now()
	r := s.Validate([]byte(body))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if r.Valid || len(r.Errors) != maxErrors {
		t.Errorf("valid %v with %d errors, want %d", r.Valid, len(r.Errors), maxErrors)
	}
}

// TestRecursionIsNotExponential: both anyOf branches descend into the
// same member, so without remembering what a reference found for a value
// each level doubles the work.
func TestRecursionIsNotExponential(t *testing.T) {
	s := mustCompile(t, `{"anyOf":[
		{"properties":{"a":{"$ref":"#"}},"required":["b"]},
		{"properties":{"a":{"$ref":"#"}},"maxProperties":1}]}`)
	const depth = 60
	for _, c := range []struct {
		leaf  string
		valid bool
	}{{`{}`, true}, {`{"x":1,"y":2}`, false}} {
		body := strings.Repeat(`{"a":`, depth) + c.leaf + strings.Repeat(`}`, depth)
		start := time.Now()
		r := s.Validate([]byte(body))
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", c.leaf, d)
		}
		if r.Valid != c.valid {
			t.Errorf("%s: valid %v", c.leaf, r.Valid)
		}
		// The innermost value fails both branches: required b and
		// maxProperties 1; the levels above fail for the same reasons.
		if !c.valid && (len(r.Errors) == 0 || r.Errors[0].Pointer == "") {
			t.Errorf("%s: %+v", c.leaf, r.Errors)
		}
	}
}

// TestMemoOnlyWhereRecursionBranches: plain recursion validates each
// value once and pays nothing for remembering.
func TestMemoOnlyWhereRecursionBranches(t *testing.T) {
	refs := func(s *Schema) (memo, plain int) {
		seen := map[*schema]bool{}
		var walk func(*schema)
		walk = func(x *schema) {
			if seen[x] {
				return
			}
			seen[x] = true
			if x.ref != nil {
				if x.memo {
					memo++
				} else {
					plain++
				}
			}
			allChildren(x, walk)
		}
		walk(s.root)
		return
	}
	if m, p := refs(mustCompile(t, benchTreeSchema)); m != 0 || p != 1 {
		t.Errorf("tree: %d remembered references, %d plain; want 0, 1", m, p)
	}
	if m, _ := refs(mustCompile(t, `{"anyOf":[{"properties":{"a":{"$ref":"#"}}},{"items":{"$ref":"#"}}]}`)); m != 2 {
		t.Errorf("branching recursion: %d remembered references, want 2", m)
	}
	if m, p := refs(mustCompile(t, `{"definitions":{"x":{"type":"string"}},"anyOf":[{"$ref":"#/definitions/x"}]}`)); m != 0 || p != 1 {
		t.Errorf("no recursion: %d remembered references, %d plain; want 0, 1", m, p)
	}
}
