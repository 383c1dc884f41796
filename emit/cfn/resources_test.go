package cfn

import (
	"strings"
	"testing"

	"gwc.dev/gwc/schema"
)

// A resource's ParentId is the root's id for top-level resources (the
// RestApi's RootResourceId attribute) and its parent's Ref otherwise.
func TestResourceTree(t *testing.T) {
	api := petstore()
	// A hand-made model may lack implied parents; the tree gets them.
	api.Resources = append(api.Resources, &schema.Resource{Path: "/stores/{storeId}/pets", Methods: []*schema.Method{{
		Verb: "GET", Integration: &schema.Integration{Type: schema.MOCK},
	}}})
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `{"Fn::GetAtt": ["Api", "RootResourceId"]}`, "Resources", "ResourcePets", "Properties", "ParentId")
	wantValue(t, doc, `"pets"`, "Resources", "ResourcePets", "Properties", "PathPart")
	wantValue(t, doc, `{"Ref": "ResourcePets"}`, "Resources", "ResourcePetsPetId", "Properties", "ParentId")
	wantValue(t, doc, `"{petId}"`, "Resources", "ResourcePetsPetId", "Properties", "PathPart")
	wantValue(t, doc, `{"Ref": "ResourceStores"}`, "Resources", "ResourceStoresStoreId", "Properties", "ParentId")
	wantValue(t, doc, `{"Ref": "ResourceStoresStoreId"}`, "Resources", "ResourceStoresStoreIdPets", "Properties", "ParentId")
	if has(doc, "Resources", "Resource") {
		t.Error("the root resource is API Gateway's; the template must not create it")
	}
}

func TestMethod(t *testing.T) {
	api := petstore()
	api.Models = []*schema.Model{{Name: "Pet", Schema: map[string]any{"type": "object"}}, {Name: "NewPet", Schema: map[string]any{"type": "object"}}}
	api.RequestValidators = []*schema.RequestValidator{{Name: "all", Body: true, Params: true}}
	api.Authorizers = []*schema.Authorizer{{Name: "users", Type: "COGNITO_USER_POOLS", IdentitySources: []string{"method.request.header.Authorization"}, ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x"}}}
	m := method(api, "/pets", "GET")
	m.OperationName = "listPets"
	m.Authorizer, m.Authorization, m.Scopes = "users", "COGNITO_USER_POOLS", []string{"pets/read"}
	m.APIKeyRequired = true
	m.Validator = "all"
	m.RequestParams = []*schema.RequestParam{{Location: "querystring", Name: "limit"}, {Location: "header", Name: "X-Trace", Required: true}}
	m.RequestModels = []*schema.ContentModel{{ContentType: "application/json", Model: "NewPet"}}
	m.Responses = []*schema.MethodResponse{
		{Status: 404},
		{Status: 200, Headers: []*schema.ResponseHeader{{Name: "X-Count", Required: true}, {Name: "X-Next"}}, Models: []*schema.ContentModel{{ContentType: "application/json", Model: "Pet"}}},
	}
	doc, _ := emitDoc(t, api)
	props := at(t, doc, "Resources", "MethodPetsGet", "Properties")
	wantValue(t, props, `"GET"`, "HttpMethod")
	wantValue(t, props, `{"Ref": "Api"}`, "RestApiId")
	wantValue(t, props, `{"Ref": "ResourcePets"}`, "ResourceId")
	wantValue(t, props, `"listPets"`, "OperationName")
	wantValue(t, props, `"COGNITO_USER_POOLS"`, "AuthorizationType")
	wantValue(t, props, `{"Ref": "AuthorizerUsers"}`, "AuthorizerId")
	wantValue(t, props, `["pets/read"]`, "AuthorizationScopes")
	wantValue(t, props, `true`, "ApiKeyRequired")
	wantValue(t, props, `{"Ref": "RequestValidatorAll"}`, "RequestValidatorId")
	// method.request.<location>.<name>: required, as booleans.
	wantValue(t, props, `{"method.request.querystring.limit": false, "method.request.header.X-Trace": true}`, "RequestParameters")
	// A model's Ref is its name, and makes the method wait for it.
	wantValue(t, props, `{"application/json": {"Ref": "ModelNewPet"}}`, "RequestModels")
	wantValue(t, props, `[
		{"StatusCode": "200", "ResponseModels": {"application/json": {"Ref": "ModelPet"}},
		 "ResponseParameters": {"method.response.header.X-Count": true, "method.response.header.X-Next": false}},
		{"StatusCode": "404"}
	]`, "MethodResponses")
	wantValue(t, doc, `true`, "Resources", "RequestValidatorAll", "Properties", "ValidateRequestParameters")
}

func TestMethodDerivesAuthorizationFromItsAuthorizer(t *testing.T) {
	api := petstore()
	api.Authorizers = []*schema.Authorizer{{Name: "token", Type: "TOKEN", URI: schema.LambdaInvocationURI("auth"), TTL: 300}}
	m := method(api, "/pets", "GET")
	m.Authorizer, m.Authorization = "token", ""
	method(api, "/pets/{petId}", "GET").Authorization = ""
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `"CUSTOM"`, "Resources", "MethodPetsGet", "Properties", "AuthorizationType")
	wantValue(t, doc, `"NONE"`, "Resources", "MethodPetsPetIdGet", "Properties", "AuthorizationType")
}

func TestMethodReferencesMustExist(t *testing.T) {
	for name, change := range map[string]func(*schema.Method){
		"authorizer": func(m *schema.Method) { m.Authorizer = "nope" },
		"validator":  func(m *schema.Method) { m.Validator = "nope" },
		"model": func(m *schema.Method) {
			m.RequestModels = []*schema.ContentModel{{ContentType: "application/json", Model: "Nope"}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			api := petstore()
			change(method(api, "/pets", "GET"))
			if msg := emitErr(t, api); !strings.Contains(msg, "nope") && !strings.Contains(msg, "Nope") {
				t.Errorf("error %q should name the missing %s", msg, name)
			}
		})
	}
}

func TestIntegration(t *testing.T) {
	api := petstore()
	in := method(api, "/pets", "GET").Integration
	in.Type, in.HTTPMethod = schema.AWS, "POST"
	in.URI = "arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/orders"
	in.Credentials = "${QueueRole.Arn}"
	in.RequestParams = []*schema.Mapping{{Target: "integration.request.header.Content-Type", Source: "'application/x-www-form-urlencoded'"}}
	in.RequestTemplates = []*schema.Template{{ContentType: "application/json", Text: "Action=SendMessage&MessageBody=$input.body"}}
	in.Passthrough, in.ContentHandling, in.TimeoutMillis = "NEVER", "CONVERT_TO_TEXT", 5000
	in.CacheKeyParameters, in.CacheNamespace = []string{"method.request.querystring.b", "method.request.querystring.a"}, "orders"
	in.Responses = []*schema.IntegrationResponse{
		{Pattern: "4\\d{2}", Status: 400, Templates: []*schema.Template{{ContentType: "application/json", Text: `{"error": "bad"}`}}},
		{Status: 200, Params: []*schema.Mapping{{Target: "method.response.header.X-Id", Source: "integration.response.header.X-Id"}}, ContentHandling: "CONVERT_TO_TEXT"},
	}
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `{
		"Type": "AWS",
		"IntegrationHttpMethod": "POST",
		"Uri": {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/orders"},
		"Credentials": {"Ref": "QueueRoleArn"},
		"RequestParameters": {"integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"},
		"RequestTemplates": {"application/json": "Action=SendMessage&MessageBody=$input.body"},
		"PassthroughBehavior": "NEVER",
		"ContentHandling": "CONVERT_TO_TEXT",
		"TimeoutInMillis": 5000,
		"CacheKeyParameters": ["method.request.querystring.a", "method.request.querystring.b"],
		"CacheNamespace": "orders",
		"IntegrationResponses": [
			{"SelectionPattern": "4\\d{2}", "StatusCode": "400", "ResponseTemplates": {"application/json": "{\"error\": \"bad\"}"}},
			{"StatusCode": "200", "ResponseParameters": {"method.response.header.X-Id": "integration.response.header.X-Id"}, "ContentHandling": "CONVERT_TO_TEXT"}
		]
	}`, "Resources", "MethodPetsGet", "Properties", "Integration")
}

// MOCK integrations have no backend method; proxies have no passthrough
// behavior.
func TestIntegrationFieldsByType(t *testing.T) {
	api := petstore()
	in := method(api, "/pets", "GET").Integration
	in.Type, in.HTTPMethod, in.URI = schema.MOCK, "GET", ""
	method(api, "/pets/{petId}", "GET").Integration.Passthrough = "WHEN_NO_MATCH"
	doc, _ := emitDoc(t, api)
	if has(doc, "Resources", "MethodPetsGet", "Properties", "Integration", "IntegrationHttpMethod") {
		t.Error("a MOCK integration got an IntegrationHttpMethod")
	}
	if has(doc, "Resources", "MethodPetsPetIdGet", "Properties", "Integration", "PassthroughBehavior") {
		t.Error("a proxy integration got a PassthroughBehavior")
	}
	wantValue(t, doc, `"POST"`, "Resources", "MethodPetsPetIdGet", "Properties", "Integration", "IntegrationHttpMethod")
}

func TestAuthorizers(t *testing.T) {
	api := petstore()
	api.Authorizers = []*schema.Authorizer{
		{Name: "token", Type: "TOKEN", URI: schema.LambdaInvocationURI("auth"), IdentitySources: []string{"method.request.header.Authorization"}, IdentityValidationExpression: "^Bearer .+", TTL: 300},
		{Name: "request", Type: "REQUEST", URI: "${AuthFn}", Credentials: "arn:aws:iam::${AWS::AccountId}:role/invoker", IdentitySources: []string{"method.request.header.X-Tenant", "method.request.querystring.tenant", "context.sourceIp"}, TTL: 0},
		{Name: "users", Type: "COGNITO_USER_POOLS", IdentitySources: []string{"method.request.header.Authorization"}, TTL: 300, ProviderARNs: []string{"arn:aws:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/p"}},
	}
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `{
		"Name": "token", "Type": "TOKEN", "RestApiId": {"Ref": "Api"},
		"AuthorizerUri": {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:auth/invocations"},
		"IdentitySource": "method.request.header.Authorization",
		"IdentityValidationExpression": "^Bearer .+",
		"AuthorizerResultTtlInSeconds": 300
	}`, "Resources", "AuthorizerToken", "Properties")
	// AWS's form of several identity sources: one comma-separated string.
	wantValue(t, doc, `"method.request.header.X-Tenant, method.request.querystring.tenant, context.sourceIp"`, "Resources", "AuthorizerRequest", "Properties", "IdentitySource")
	// A TTL of 0 turns caching off, so it must be written.
	wantValue(t, doc, `0`, "Resources", "AuthorizerRequest", "Properties", "AuthorizerResultTtlInSeconds")
	wantValue(t, doc, `{"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:role/invoker"}`, "Resources", "AuthorizerRequest", "Properties", "AuthorizerCredentials")
	wantValue(t, doc, `[{"Fn::Sub": "arn:aws:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/p"}]`, "Resources", "AuthorizerUsers", "Properties", "ProviderARNs")
	if has(doc, "Resources", "AuthorizerUsers", "Properties", "AuthorizerResultTtlInSeconds") {
		t.Error("the result TTL is for Lambda authorizers only")
	}
}

func TestGatewayResponses(t *testing.T) {
	api := petstore()
	api.GatewayResponses = []*schema.GatewayResponse{
		{Type: "DEFAULT_4XX", Params: []*schema.Mapping{{Target: "gatewayresponse.header.Access-Control-Allow-Origin", Source: "'*'"}}},
		{Type: "UNAUTHORIZED", Status: 401, Templates: []*schema.Template{{ContentType: "application/json", Text: `{"message": $context.error.messageString}`}}},
	}
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `{"ResponseType": "DEFAULT_4XX", "RestApiId": {"Ref": "Api"}, "ResponseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}}`,
		"Resources", "GatewayResponseDefault4xx", "Properties")
	wantValue(t, doc, `"401"`, "Resources", "GatewayResponseUnauthorized", "Properties", "StatusCode")
}
