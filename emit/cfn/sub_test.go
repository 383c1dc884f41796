package cfn

import (
	"strings"
	"testing"

	"gwc.dev/gwc/schema"
)

// The expected values follow the Fn::Sub documentation: ${Name} and
// ${Name.Attr} are references, ${AWS::...} pseudo-parameters, and
// ${!Literal} writes ${Literal}.
func TestAccountDependentStrings(t *testing.T) {
	cases := []struct {
		name, uri, want string
		params          []string
	}{
		{"no placeholder stays plain", "https://pets.example.com/pets", `"https://pets.example.com/pets"`, nil},
		{"a stage variable alone stays plain", "https://${stageVariables.backend}/pets", `"https://${stageVariables.backend}/pets"`, nil},
		{"a Lambda function by name",
			"arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:pets/invocations",
			`{"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:pets/invocations"}`, nil},
		{"stage variables escaped beside a reference",
			"arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${stageVariables.fn}/invocations",
			`{"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${!stageVariables.fn}/invocations"}`, nil},
		{"a parameter, sanitized",
			"arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${lambda_invocation_arn}/invocations",
			`{"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${LambdaInvocationArn}/invocations"}`, []string{"LambdaInvocationArn"}},
		{"an attribute of something outside the template", "x:${MyFunction.Arn}:y", `{"Fn::Sub": "x:${MyFunctionArn}:y"}`, []string{"MyFunctionArn"}},
		{"a lone parameter is a Ref", "${lambda_uri}", `{"Ref": "LambdaUri"}`, []string{"LambdaUri"}},
		{"a lone resource is a Ref", "${Api}", `{"Ref": "Api"}`, nil},
		{"a lone resource attribute is a GetAtt", "${Api.RootResourceId}", `{"Fn::GetAtt": ["Api", "RootResourceId"]}`, nil},
		{"a lone pseudo-parameter is a Ref", "${AWS::Region}", `{"Ref": "AWS::Region"}`, nil},
		{"IAM policy variables are literal", "${aws:username}/${AWS::Region}", `{"Fn::Sub": "${!aws:username}/${AWS::Region}"}`, nil},
		{"an escaped literal stays one", "${!x}/${AWS::Region}", `{"Fn::Sub": "${!!x}/${AWS::Region}"}`, nil},
		{"an unterminated ${ is left alone", "${AWS::Region}/${oops", `{"Fn::Sub": "${AWS::Region}/${oops"}`, nil},
		{"literal ${...} without references stays plain", "a ${not a ref} b", `"a ${not a ref} b"`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			api := petstore()
			method(api, "/pets", "GET").Integration.URI = c.uri
			doc, tmpl := emitDoc(t, api)
			wantValue(t, doc, c.want, "Resources", "MethodPetsGet", "Properties", "Integration", "Uri")
			for _, p := range c.params {
				wantValue(t, doc, `"String"`, "Parameters", p, "Type")
			}
			if got := tmpl.Parameters(); len(got) != len(c.params) {
				t.Errorf("parameters %v, want %v", got, c.params)
			}
		})
	}
}

func TestParameterDescriptionSaysWhereItIsUsed(t *testing.T) {
	api := petstore()
	method(api, "/pets", "GET").Integration.URI = "https://${backend_host}/pets"
	method(api, "/pets/{petId}", "GET").Integration.Credentials = "${backend_host}"
	doc, _ := emitDoc(t, api)
	desc := at(t, doc, "Parameters", "BackendHost", "Description").(string)
	for _, want := range []string{"${backend_host}", "MethodPetsGet Integration.Uri", "MethodPetsPetIdGet Integration.Credentials"} {
		if !strings.Contains(desc, want) {
			t.Errorf("description %q does not mention %s", desc, want)
		}
	}
}

// Two placeholders that sanitize alike are two parameters, and a
// parameter never takes (or shadows) a resource's logical ID.
func TestParameterNamesStayDistinct(t *testing.T) {
	api := petstore()
	method(api, "/pets", "GET").Integration.URI = "https://${lambda_arn}/${lambda-arn}/${resource_pets}"
	doc, tmpl := emitDoc(t, api)
	sub := at(t, doc, "Resources", "MethodPetsGet", "Properties", "Integration", "Uri", "Fn::Sub").(string)
	params := tmpl.Parameters()
	if len(params) != 3 {
		t.Fatalf("want 3 parameters, got %v", params)
	}
	for _, p := range params {
		if p == "ResourcePets" {
			t.Errorf("a parameter took the logical ID of the resource ResourcePets")
		}
		if !strings.Contains(sub, "${"+p+"}") {
			t.Errorf("Fn::Sub %q does not use parameter %s", sub, p)
		}
	}
	if !has(doc, "Parameters", "LambdaArn") {
		t.Errorf("one of the two placeholders should keep the plain name LambdaArn: %v", params)
	}
}

func TestUnknownPseudoParameterIsAnError(t *testing.T) {
	api := petstore()
	method(api, "/pets", "GET").Integration.URI = "https://${AWS::Regoin}/pets"
	if msg := emitErr(t, api); !strings.Contains(msg, "AWS::Regoin") || !strings.Contains(msg, "MethodPetsGet Integration.Uri") {
		t.Errorf("error %q should name the pseudo-parameter and where it is", msg)
	}
	api = petstore()
	method(api, "/pets", "GET").Integration.URI = "https://${AWS::NoValue}/pets"
	if msg := emitErr(t, api); !strings.Contains(msg, "AWS::NoValue") {
		t.Errorf("AWS::NoValue yields no string; error %q", msg)
	}
}

// Mapping templates and parameter mappings are API Gateway's own language:
// ${...} in them is never a CloudFormation reference.
func TestTemplatesAndMappingsAreNeverSubstituted(t *testing.T) {
	api := petstore()
	in := method(api, "/pets", "GET").Integration
	in.RequestTemplates = []*schema.Template{{ContentType: "application/json", Text: `{"region": "${AWS::Region}", "x": "${foo}"}`}}
	in.RequestParams = []*schema.Mapping{{Target: "integration.request.header.X", Source: "'${AWS::Region}'"}}
	doc, tmpl := emitDoc(t, api)
	wantValue(t, doc, `{"application/json": "{\"region\": \"${AWS::Region}\", \"x\": \"${foo}\"}"}`, "Resources", "MethodPetsGet", "Properties", "Integration", "RequestTemplates")
	wantValue(t, doc, `{"integration.request.header.X": "'${AWS::Region}'"}`, "Resources", "MethodPetsGet", "Properties", "Integration", "RequestParameters")
	if len(tmpl.Parameters()) != 0 {
		t.Errorf("templates made parameters: %v", tmpl.Parameters())
	}
}

// A template an OpenAPI body wrote as Fn::Sub (to put a table name in a
// DynamoDB request, say) is Fn::Sub again: its ${Name} placeholders are
// CloudFormation's, and ${!x} is already the escape for ${x}.
func TestTemplatesWrittenAsFnSub(t *testing.T) {
	api := petstore()
	api.GatewayResponses = []*schema.GatewayResponse{{Type: "DEFAULT_4XX", Templates: []*schema.Template{
		{ContentType: "application/json", Text: `{"region": "${AWS::Region}"}`, Sub: true},
	}}}
	in := method(api, "/pets", "GET").Integration
	in.RequestTemplates = []*schema.Template{
		{ContentType: "application/json", Text: `{"TableName": "${CrudDDB}", "lit": "${!x}", "stage": "${stageVariables.s}"}`, Sub: true},
		{ContentType: "text/plain", Text: `only ${!escaped}`, Sub: true},
	}
	in.Responses[0].Templates = []*schema.Template{{ContentType: "application/json", Text: `{"arn": "${Table.Arn}"}`, Sub: true}}
	doc, tmpl := emitDoc(t, api)
	integration := at(t, doc, "Resources", "MethodPetsGet", "Properties", "Integration")
	wantValue(t, integration, `{
		"application/json": {"Fn::Sub": "{\"TableName\": \"${CrudDDB}\", \"lit\": \"${!x}\", \"stage\": \"${!stageVariables.s}\"}"},
		"text/plain": "only ${escaped}"
	}`, "RequestTemplates")
	wantValue(t, integration, `{"application/json": {"Fn::Sub": "{\"arn\": \"${TableArn}\"}"}}`, "IntegrationResponses", 0, "ResponseTemplates")
	wantValue(t, doc, `{"application/json": {"Fn::Sub": "{\"region\": \"${AWS::Region}\"}"}}`, "Resources", "GatewayResponseDefault4xx", "Properties", "ResponseTemplates")
	if p := tmpl.Parameters(); len(p) != 2 || p[0] != "CrudDDB" || p[1] != "TableArn" {
		t.Errorf("parameters %v, want [CrudDDB TableArn]", p)
	}
	desc := at(t, doc, "Parameters", "CrudDDB", "Description").(string)
	if !strings.Contains(desc, "MethodPetsGet Integration.RequestTemplates.application/json") {
		t.Errorf("description %q should say where the parameter is used", desc)
	}
}
