package cfn

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"gwc.dev/gwc/schema"
)

// testDigest is a well-formed artifact digest.
const testDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// petstore is a small normalized API, as compile returns it, that the
// tests change to suit them.
func petstore() *schema.API {
	return &schema.API{
		Name:         "petstore",
		EndpointType: "EDGE",
		APIKeySource: "HEADER",
		Resources: []*schema.Resource{
			{Path: "/"},
			{Path: "/pets", Methods: []*schema.Method{{
				Verb: "GET", Authorization: "NONE",
				Integration: &schema.Integration{
					Type: schema.HTTP, URI: "https://${stageVariables.backend}/pets", HTTPMethod: "GET",
					Passthrough: "WHEN_NO_MATCH", TimeoutMillis: 29000,
					Responses: []*schema.IntegrationResponse{{Status: 200}},
				},
				Responses: []*schema.MethodResponse{{Status: 200}},
			}}},
			{Path: "/pets/{petId}", Methods: []*schema.Method{{
				Verb: "GET", Authorization: "NONE",
				RequestParams: []*schema.RequestParam{{Location: "path", Name: "petId", Required: true}},
				Integration: &schema.Integration{
					Type: schema.AWSProxy, URI: schema.LambdaInvocationURI("pets"), HTTPMethod: "POST", TimeoutMillis: 29000,
				},
			}}},
		},
		Stages: []*schema.Stage{{Name: "dev", Variables: []*schema.Variable{{Name: "backend", Value: "pets.example.com"}}}},
	}
}

// method returns the API's method at path and verb.
func method(api *schema.API, path, verb string) *schema.Method {
	for _, r := range api.Resources {
		if r.Path == path {
			for _, m := range r.Methods {
				if m.Verb == verb {
					return m
				}
			}
		}
	}
	panic("no method " + verb + " " + path)
}

// emitDoc emits api and decodes its JSON.
func emitDoc(t *testing.T, api *schema.API) (map[string]any, *Template) {
	t.Helper()
	tmpl, err := Emit(api, testDigest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := tmpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc, tmpl
}

// emitErr emits api, which must fail, and returns the error's text.
func emitErr(t *testing.T, api *schema.API) string {
	t.Helper()
	_, err := Emit(api, testDigest, Options{})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want an *Error, got %v", err)
	}
	return err.Error()
}

// at follows a path of keys (and list indexes, as ints) into a decoded
// document.
func at(t *testing.T, doc any, path ...any) any {
	t.Helper()
	cur := doc
	for i, k := range path {
		switch k := k.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %v", path, path[:i])
			}
			if cur, ok = m[k]; !ok {
				t.Fatalf("%v: no %q at %v (keys: %v)", path, k, path[:i], keysOf(m))
			}
		case int:
			l, ok := cur.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("%v: no item %d at %v", path, k, path[:i])
			}
			cur = l[k]
		}
	}
	return cur
}

func keysOf(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return strings.Join(ks, ", ")
}

// jsonValue decodes a JSON literal, for expected values.
func jsonValue(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad expected value %s: %v", s, err)
	}
	return v
}

func wantValue(t *testing.T, doc any, want string, path ...any) {
	t.Helper()
	got := at(t, doc, path...)
	if w := jsonValue(t, want); !reflect.DeepEqual(got, w) {
		g, _ := json.Marshal(got)
		t.Errorf("%v:\n got %s\nwant %s", path, g, want)
	}
}

func has(doc any, path ...string) bool {
	cur := doc
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[k]; !ok {
			return false
		}
	}
	return true
}
