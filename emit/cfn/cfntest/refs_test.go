package cfntest

import (
	"strings"
	"testing"
)

// base is a small valid template that the cases below change.
const base = `{
  "Parameters": {"FnArn": {"Type": "String"}},
  "Resources": {
    "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a"}},
    "ResourcePets": {"Type": "AWS::ApiGateway::Resource", "Properties": {
      "RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "pets"}},
    "MethodPetsGet": {"Type": "AWS::ApiGateway::Method", "Properties": {
      "RestApiId": {"Ref": "Api"}, "ResourceId": {"Ref": "ResourcePets"}, "HttpMethod": "GET",
      "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST",
        "Uri": {"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FnArn}/invocations?${!stageVariables.x}"}}}}
  },
  "Outputs": {"Url": {"Value": {"Fn::Sub": "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"}}}
}`

var attrs = map[string][]string{"AWS::ApiGateway::RestApi": {"RestApiId", "RootResourceId"}}

func refFindings(t *testing.T, tmpl string) []Finding {
	t.Helper()
	return checkReferences(decode(t, tmpl).(map[string]any), attrs)
}

func TestReferencesValid(t *testing.T) {
	if f := refFindings(t, base); len(f) > 0 {
		t.Errorf("findings in a valid template:\n%s", Summary(f))
	}
}

func TestReferencesInvalid(t *testing.T) {
	cases := []struct {
		name, from, to, want string
	}{
		{"Ref of nothing", `{"Ref": "ResourcePets"}, "HttpMethod"`, `{"Ref": "ResourceCats"}, "HttpMethod"`, `Ref "ResourceCats" names no parameter`},
		{"GetAtt of nothing", `["Api", "RootResourceId"]`, `["Apis", "RootResourceId"]`, `names "Apis", which is not a resource`},
		{"GetAtt of an unknown attribute", `["Api", "RootResourceId"]`, `["Api", "RootId"]`, `has no attribute RootId`},
		{"Sub of an unknown name", `functions/${FnArn}`, `functions/${fn_arn}`, `${fn_arn} names no parameter`},
		{"Sub of an unknown attribute", `functions/${FnArn}`, `functions/${Api.Arn}`, `has no attribute Arn`},
		{"Sub of NoValue", `functions/${FnArn}`, `functions/${AWS::NoValue}`, `not a string pseudo-parameter`},
		{"Sub in an output", `https://${Api}.`, `https://${Apx}.`, `${Apx} names no parameter`},
		{"DependsOn nothing", `"MethodPetsGet": {"Type"`, `"MethodPetsGet": {"DependsOn": ["Gone"], "Type"`, `DependsOn names "Gone"`},
		{"DependsOn itself", `"MethodPetsGet": {"Type"`, `"MethodPetsGet": {"DependsOn": "MethodPetsGet", "Type"`, `depends on itself`},
		{"a cycle", `"Api": {"Type"`, `"Api": {"DependsOn": ["MethodPetsGet"], "Type"`, `circular dependency: Api → MethodPetsGet → Api`},
		{"invalid logical ID", `"ResourcePets": {`, `"Resource-Pets": {`, `not alphanumeric`},
		{"parameter without a type", `{"FnArn": {"Type": "String"}}`, `{"FnArn": {}}`, `has no Type`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(base, c.from) {
				t.Fatalf("the base template has no %s", c.from)
			}
			tmpl := strings.Replace(base, c.from, c.to, 1)
			f := refFindings(t, tmpl)
			if !strings.Contains(Summary(f), c.want) {
				t.Errorf("want a finding containing %q, got:\n%s", c.want, Summary(f))
			}
		})
	}
}

// An escaped ${!...} is literal text, not a variable, as cfn-lint reads
// it.
func TestReferencesEscapedSubIsLiteral(t *testing.T) {
	tmpl := strings.Replace(base, "${!stageVariables.x}", "${!NotAThing}", 1)
	if f := refFindings(t, tmpl); len(f) > 0 {
		t.Errorf("an escaped placeholder was read as a reference:\n%s", Summary(f))
	}
}
