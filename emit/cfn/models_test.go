package cfn

import (
	"strings"
	"testing"

	"gwc.dev/gwc/schema"
)

// Models refer to each other by API Gateway's URL, which has the API's id
// in it: https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{model_name}.
func TestModelReferences(t *testing.T) {
	api := petstore()
	api.Models = []*schema.Model{
		{Name: "Pet", Schema: map[string]any{"type": "object", "properties": map[string]any{"name": map[string]any{"type": "string"}}}},
		{Name: "Owner", Schema: map[string]any{"type": "object"}},
		{Name: "Pets", Schema: map[string]any{
			"type": "object",
			"properties": map[string]any{
				// The forms a definition, OpenAPI and compile write.
				"items":  map[string]any{"type": "array", "items": map[string]any{"$ref": "#/models/Pet"}},
				"first":  map[string]any{"$ref": "https://apigateway.amazonaws.com/restapis/abc123xyz0/models/Pet"},
				"owner":  map[string]any{"$ref": "#/definitions/Owner"},
				"inner":  map[string]any{"$ref": "#/properties/first"},
				"sample": map[string]any{"enum": []any{map[string]any{"$ref": "#/models/Owner"}}},
			},
		}},
	}
	doc, _ := emitDoc(t, api)
	url := `{"Fn::Sub": "https://apigateway.amazonaws.com/restapis/${Api}/models/%s"}`
	props := at(t, doc, "Resources", "ModelPets", "Properties")
	wantValue(t, props, strings.ReplaceAll(url, "%s", "Pet"), "Schema", "properties", "items", "items", "$ref")
	wantValue(t, props, strings.ReplaceAll(url, "%s", "Pet"), "Schema", "properties", "first", "$ref")
	wantValue(t, props, strings.ReplaceAll(url, "%s", "Owner"), "Schema", "properties", "owner", "$ref")
	// A reference within the model, and data in enum, stay as they are.
	wantValue(t, props, `"#/properties/first"`, "Schema", "properties", "inner", "$ref")
	wantValue(t, props, `[{"$ref": "#/models/Owner"}]`, "Schema", "properties", "sample", "enum")
	// API Gateway checks referenced models exist: create them first.
	wantValue(t, doc, `["ModelOwner", "ModelPet"]`, "Resources", "ModelPets", "DependsOn")
	wantValue(t, props, `"Pets"`, "Name")
	wantValue(t, props, `"application/json"`, "ContentType")
	if has(doc, "Resources", "ModelPet", "DependsOn") {
		t.Error("a model without references got a DependsOn")
	}
}

// An object key "Ref" or "Fn::..." inside a property would be read by
// CloudFormation as an intrinsic function; such a schema is written as a
// JSON string, with its ${...} escaped where it needs an Fn::Sub.
func TestModelWithIntrinsicLookingKeys(t *testing.T) {
	api := petstore()
	api.Models = []*schema.Model{
		{Name: "Link", Schema: map[string]any{"type": "object", "properties": map[string]any{
			"Ref":     map[string]any{"type": "string"},
			"pattern": map[string]any{"type": "string", "pattern": "^\\${[a-z]+}$"},
		}}},
		{Name: "Page", Schema: map[string]any{"type": "object", "properties": map[string]any{
			"Ref":   map[string]any{"$ref": "#/models/Link"},
			"title": map[string]any{"type": "string", "pattern": "^${x}$"},
		}}},
	}
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `"{\"properties\":{\"Ref\":{\"type\":\"string\"},\"pattern\":{\"pattern\":\"^\\\\${[a-z]+}$\",\"type\":\"string\"}},\"type\":\"object\"}"`,
		"Resources", "ModelLink", "Properties", "Schema")
	wantValue(t, doc, `{"Fn::Sub": "{\"properties\":{\"Ref\":{\"$ref\":\"https://apigateway.amazonaws.com/restapis/${Api}/models/Link\"},\"title\":{\"pattern\":\"^${!x}$\",\"type\":\"string\"}},\"type\":\"object\"}"}`,
		"Resources", "ModelPage", "Properties", "Schema")
	wantValue(t, doc, `["ModelLink"]`, "Resources", "ModelPage", "DependsOn")
}

// CloudFormation cannot create models that refer to each other in a
// cycle (API Gateway checks a model's references exist when it creates
// it), so each cycle loses one reference, with a warning.
func TestModelCyclesAreBroken(t *testing.T) {
	api := petstore()
	api.Models = []*schema.Model{
		{Name: "Person", Schema: map[string]any{"properties": map[string]any{"house": map[string]any{"$ref": "#/models/House", "description": "Where."}}}},
		{Name: "House", Schema: map[string]any{"properties": map[string]any{"contains": map[string]any{"type": "array", "items": map[string]any{"$ref": "#/models/Person"}}}}},
		{Name: "Tree", Schema: map[string]any{"properties": map[string]any{"children": map[string]any{"items": map[string]any{"$ref": "#/models/Tree"}}}}},
	}
	doc, tmpl := emitDoc(t, api)
	// The walk goes in name order: House → Person → House closes the
	// cycle, so Person loses its reference and is created first.
	wantValue(t, doc, `{"Fn::Sub": "https://apigateway.amazonaws.com/restapis/${Api}/models/Person"}`, "Resources", "ModelHouse", "Properties", "Schema", "properties", "contains", "items", "$ref")
	wantValue(t, doc, `["ModelPerson"]`, "Resources", "ModelHouse", "DependsOn")
	wantValue(t, doc, `{"description": "Where."}`, "Resources", "ModelPerson", "Properties", "Schema", "properties", "house")
	wantValue(t, doc, `{"items": {}}`, "Resources", "ModelTree", "Properties", "Schema", "properties", "children")
	if has(doc, "Resources", "ModelPerson", "DependsOn") || has(doc, "Resources", "ModelTree", "DependsOn") {
		t.Error("a model still depends on a model of its cycle")
	}
	wantWarning(t, tmpl.Warnings(), "models Person and House refer to each other")
	wantWarning(t, tmpl.Warnings(), "models Tree and Tree refer to each other")
}

func TestModelReferenceToUnknownModel(t *testing.T) {
	api := petstore()
	api.Models = []*schema.Model{{Name: "A", Schema: map[string]any{"items": map[string]any{"$ref": "#/models/Gone"}}}}
	if msg := emitErr(t, api); !strings.Contains(msg, `"Gone"`) {
		t.Errorf("error %q should name the missing model", msg)
	}
}

func TestPolicy(t *testing.T) {
	api := petstore()
	api.Policy = map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
			"Resource":  "execute-api:/*",
			"Condition": map[string]any{"StringNotEquals": map[string]any{"aws:SourceVpce": "${VpceId}", "aws:username": "${aws:username}"}},
		}},
	}
	doc, tmpl := emitDoc(t, api)
	stmt := at(t, doc, "Resources", "Api", "Properties", "Policy", "Statement", 0)
	wantValue(t, stmt, `"execute-api:/*"`, "Resource")
	wantValue(t, stmt, `{"Ref": "VpceId"}`, "Condition", "StringNotEquals", "aws:SourceVpce")
	// IAM's own policy variables are not CloudFormation's.
	wantValue(t, stmt, `"${aws:username}"`, "Condition", "StringNotEquals", "aws:username")
	if p := tmpl.Parameters(); len(p) != 1 || p[0] != "VpceId" {
		t.Errorf("parameters %v, want [VpceId]", p)
	}

	// A key CloudFormation would read as a function: the policy is
	// written as one JSON string (an Fn::Sub, since it refers to VpceId).
	api.Policy.(map[string]any)["Statement"].([]any)[0].(map[string]any)["Condition"] = map[string]any{"Fn::Custom": "${VpceId}"}
	doc, _ = emitDoc(t, api)
	wantValue(t, doc, `{"Fn::Sub": "{\"Statement\":[{\"Action\":\"execute-api:Invoke\",\"Condition\":{\"Fn::Custom\":\"${VpceId}\"},\"Effect\":\"Deny\",\"Principal\":\"*\",\"Resource\":\"execute-api:/*\"}],\"Version\":\"2012-10-17\"}"}`,
		"Resources", "Api", "Properties", "Policy")
}
