package cfntest

import (
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// propertySchema is a small resource schema in the registry's style, with
// the kinds of property the API Gateway schemas have.
const propertySchema = `{
  "typeName": "Test::Thing",
  "additionalProperties": false,
  "required": ["Id"],
  "definitions": {
    "Inner": {
      "type": "object",
      "additionalProperties": false,
      "properties": {"Uri": {"type": "string"}}
    }
  },
  "properties": {
    "Id": {"type": "string"},
    "Mode": {"type": "string", "enum": ["A", "B"]},
    "Path": {"type": "string", "pattern": "^/.*$"},
    "Enabled": {"type": "boolean"},
    "Count": {"type": "integer"},
    "Policy": {"type": ["object", "string"]},
    "Names": {"type": "array", "uniqueItems": true, "items": {"type": "string"}},
    "Inner": {"$ref": "#/definitions/Inner"},
    "Params": {"type": "object", "additionalProperties": false, "patternProperties": {"[a-zA-Z0-9]+": {"type": ["boolean", "string"]}}}
  }
}`

func compileTestSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(propertySchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	if err := c.AddResource("test:///thing.json", allowIntrinsics(doc.(map[string]any))); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("test:///thing.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestIntrinsicsWhereStringsAre(t *testing.T) {
	s := compileTestSchema(t)
	valid := map[string]string{
		"plain values":                     `{"Id": "x", "Mode": "A", "Path": "/p", "Enabled": true, "Count": 3}`,
		"Ref in a string":                  `{"Id": {"Ref": "Api"}}`,
		"pseudo-parameter Ref":             `{"Id": {"Ref": "AWS::Region"}}`,
		"GetAtt list form":                 `{"Id": {"Fn::GetAtt": ["Api", "RootResourceId"]}}`,
		"GetAtt string form":               `{"Id": {"Fn::GetAtt": "Api.RootResourceId"}}`,
		"Sub string":                       `{"Id": {"Fn::Sub": "arn:${AWS::Partition}:x"}}`,
		"Sub with variables":               `{"Id": {"Fn::Sub": ["${A}-${B}", {"A": "a", "B": {"Ref": "Api"}}]}}`,
		"Join":                             `{"Id": {"Fn::Join": ["", ["a", {"Ref": "Api"}]]}}`,
		"ImportValue":                      `{"Id": {"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-x"}}}`,
		"enum not checked on an intrinsic": `{"Id": "x", "Mode": {"Fn::Sub": "${Mode}"}}`,
		"pattern not checked on one":       `{"Id": "x", "Path": {"Ref": "PathParam"}}`,
		"object-or-string takes one":       `{"Id": "x", "Policy": {"Fn::Sub": "{\"a\": \"${AWS::Region}\"}"}}`,
		"object-or-string takes an object": `{"Id": "x", "Policy": {"Statement": []}}`,
		"array items":                      `{"Id": "x", "Names": [{"Ref": "A"}, "b"]}`,
		"through a $ref":                   `{"Id": "x", "Inner": {"Uri": {"Fn::Sub": "https://${Api}"}}}`,
		"pattern properties":               `{"Id": "x", "Params": {"a": true, "b": {"Ref": "P"}}}`,
	}
	for name, v := range valid {
		t.Run(name, func(t *testing.T) {
			if err := s.Validate(decode(t, v)); err != nil {
				t.Errorf("%s: %v", v, err)
			}
		})
	}
}

func TestIntrinsicsRejected(t *testing.T) {
	s := compileTestSchema(t)
	invalid := map[string]string{
		"missing required property":     `{"Mode": "A"}`,
		"enum still checked on strings": `{"Id": "x", "Mode": "C"}`,
		"pattern still checked":         `{"Id": "x", "Path": "p"}`,
		"no intrinsic in a boolean":     `{"Id": "x", "Enabled": {"Ref": "P"}}`,
		"no intrinsic in an integer":    `{"Id": "x", "Count": {"Ref": "P"}}`,
		"no intrinsic for an array":     `{"Id": "x", "Names": {"Ref": "P"}}`,
		"Ref of a list":                 `{"Id": {"Ref": ["Api"]}}`,
		"Ref of an invalid name":        `{"Id": {"Ref": "my-api"}}`,
		"GetAtt with one item":          `{"Id": {"Fn::GetAtt": ["Api"]}}`,
		"Sub of a number":               `{"Id": {"Fn::Sub": 3}}`,
		"Sub with a variable list":      `{"Id": {"Fn::Sub": ["${A}", ["a"]]}}`,
		"two functions in one object":   `{"Id": {"Ref": "A", "Fn::Sub": "b"}}`,
		"an unknown function":           `{"Id": {"Fn::Frobnicate": "x"}}`,
		"additional property":           `{"Id": "x", "TlsConfig": {}}`,
		"additional property in a $ref": `{"Id": "x", "Inner": {"Other": "y"}}`,
		"duplicate items":               `{"Id": "x", "Names": ["a", "a"]}`,
	}
	for name, v := range invalid {
		t.Run(name, func(t *testing.T) {
			if err := s.Validate(decode(t, v)); err == nil {
				t.Errorf("%s: want a validation error", v)
			}
		})
	}
}

func decode(t *testing.T, s string) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
