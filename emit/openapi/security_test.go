package openapi_test

import (
	"errors"
	"strings"
	"testing"

	"gwc.dev/gwc/emit/openapi"
)

// The expectations in these tests are AWS's documented examples of
// x-amazon-apigateway-authorizer and x-amazon-apigateway-authtype
// (api-gateway-swagger-extensions-authorizer and -authtype in the API
// Gateway developer guide) and of API keys (-api-key-source, and
// LocalStack's recording of the importer's is_api_key_required). The
// guide's TOKEN example uses the free-form authtype "oauth2"; for Lambda
// authorizers an export writes "custom", as the guide's REQUEST examples
// do.

func TestAuthorizers(t *testing.T) {
	doc, res := exportDef(t, `
api:
  auth:
    stages: {dev: {}}
    authorizers:
      test-authorizer:
        type: TOKEN
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:account-id:function:function-name/invocations
        credentials: arn:aws:iam::account-id:role
        identityValidationExpression: ^x-[a-z]+
        ttl: 60
      request_authorizer_single_header:
        type: REQUEST
        identitySource: method.request.header.auth
        credentials: arn:aws:iam::123456789012:role/AWSepIntegTest-CS-LambdaRole
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:APIGateway-Request-Authorizer:vtwo/invocations
        ttl: 300
      request_authorizer_header_query:
        type: REQUEST
        identitySource: method.request.header.HeaderAuth1, method.request.querystring.QueryString1
        credentials: arn:aws:iam::123456789012:role/AWSepIntegTest-CS-LambdaRole
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:APIGateway-Request-Authorizer:vtwo/invocations
        ttl: 300
      request_authorizer_single_stagevar:
        type: REQUEST
        identitySource: stageVariables.stage
        credentials: arn:aws:iam::123456789012:role/AWSepIntegTest-CS-LambdaRole
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:APIGateway-Request-Authorizer:vtwo/invocations
        ttl: 300
      request_authorizer_query:
        type: REQUEST
        identitySource: method.request.querystring.auth
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authorizer/invocations
        ttl: 0
      users:
        type: COGNITO_USER_POOLS
        identitySource: method.request.header.TestHeaderAuth
        providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_example]
    resources:
      /http:
        GET:
          authorizer: test-authorizer
          integration:
            http:
              uri: http://api.example.com
              method: GET
              responses: {default: {status: 200}}
          responses: {"200": {}}
      /profile:
        GET:
          authorizer: users
          scopes: [email, profile]
          integration: {httpProxy: {uri: https://profile.example.com}}
`)
	schemes := at(t, doc, "components", "securitySchemes")
	expect(t, at(t, schemes, "test-authorizer"), `{
      "type" : "apiKey",
      "name" : "Authorization",
      "in" : "header",
      "x-amazon-apigateway-authtype" : "custom",
      "x-amazon-apigateway-authorizer" : {
        "type" : "token",
        "authorizerUri" : "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:account-id:function:function-name/invocations",
        "authorizerCredentials" : "arn:aws:iam::account-id:role",
        "identityValidationExpression" : "^x-[a-z]+",
        "authorizerResultTtlInSeconds" : 60
      }
    }`)
	expect(t, at(t, schemes, "request_authorizer_single_header"), `{
      "type" : "apiKey",
      "name" : "auth",
      "in" : "header",
      "x-amazon-apigateway-authtype" : "custom",
      "x-amazon-apigateway-authorizer" : {
        "type" : "request",
        "identitySource" : "method.request.header.auth",
        "authorizerCredentials" : "arn:aws:iam::123456789012:role/AWSepIntegTest-CS-LambdaRole",
        "authorizerUri" : "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:APIGateway-Request-Authorizer:vtwo/invocations",
        "authorizerResultTtlInSeconds" : 300
      }
    }`)
	expect(t, at(t, schemes, "request_authorizer_header_query"), `{
      "type" : "apiKey",
      "name" : "Unused",
      "in" : "header",
      "x-amazon-apigateway-authtype" : "custom",
      "x-amazon-apigateway-authorizer" : {
        "type" : "request",
        "identitySource" : "method.request.header.HeaderAuth1, method.request.querystring.QueryString1",
        "authorizerCredentials" : "arn:aws:iam::123456789012:role/AWSepIntegTest-CS-LambdaRole",
        "authorizerUri" : "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:APIGateway-Request-Authorizer:vtwo/invocations",
        "authorizerResultTtlInSeconds" : 300
      }
    }`)
	expect(t, at(t, schemes, "request_authorizer_single_stagevar"), `{
      "type" : "apiKey",
      "name" : "Unused",
      "in" : "header",
      "x-amazon-apigateway-authtype" : "custom",
      "x-amazon-apigateway-authorizer" : {
        "type" : "request",
        "identitySource" : "stageVariables.stage",
        "authorizerCredentials" : "arn:aws:iam::123456789012:role/AWSepIntegTest-CS-LambdaRole",
        "authorizerUri" : "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:APIGateway-Request-Authorizer:vtwo/invocations",
        "authorizerResultTtlInSeconds" : 300
      }
    }`)
	// The guide: "The valid value is header or query" for a single
	// identity source.
	expect(t, at(t, schemes, "request_authorizer_query"), `{
      "type": "apiKey",
      "name": "auth",
      "in": "query",
      "x-amazon-apigateway-authtype": "custom",
      "x-amazon-apigateway-authorizer": {
        "type": "request",
        "identitySource": "method.request.querystring.auth",
        "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authorizer/invocations",
        "authorizerResultTtlInSeconds": 0
      }
    }`)
	// As AWS exports Cognito authorizers (LocalStack's
	// openapi.cognito-auth.json): the header is the scheme's name. gwc
	// writes the cache TTL its model holds.
	expect(t, at(t, schemes, "users"), `{
      "type": "apiKey",
      "name": "TestHeaderAuth",
      "in": "header",
      "x-amazon-apigateway-authtype": "cognito_user_pools",
      "x-amazon-apigateway-authorizer": {
        "type": "cognito_user_pools",
        "providerARNs": ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_example"],
        "authorizerResultTtlInSeconds": 300
      }
    }`)
	expect(t, at(t, doc, "paths", "/http", "get", "security"), `[{"test-authorizer": []}]`)
	expect(t, at(t, doc, "paths", "/profile", "get", "security"), `[{"users": ["email", "profile"]}]`)
	checkRoundTrip(t, res)
}

// TestAPIKeyAndIAM writes the API key requirement as the x-api-key header
// scheme and AWS_IAM as the awsSigv4 scheme (the guide's authtype
// example), both applied together with an authorizer in one requirement.
// Schemes nobody uses are left out, and an authorizer that takes one of
// their names keeps it.
func TestAPIKeyAndIAM(t *testing.T) {
	doc, res := exportDef(t, `
api:
  keys:
    stages: {dev: {}}
    authorizers:
      api_key:
        type: TOKEN
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations
    resources:
      /operation1:
        GET:
          authorization: AWS_IAM
          integration: {httpProxy: {uri: https://example.com/1}}
      /operation2:
        GET:
          apiKeyRequired: true
          authorizer: api_key
          integration: {httpProxy: {uri: https://example.com/2}}
      /open:
        GET:
          integration: {httpProxy: {uri: https://example.com/open}}
`)
	schemes := at(t, doc, "components", "securitySchemes")
	expect(t, at(t, schemes, "sigv4"), `{
        "type" : "apiKey",
        "name" : "Authorization",
        "in" : "header",
        "x-amazon-apigateway-authtype": "awsSigv4"
      }`)
	expect(t, at(t, schemes, "api_key_2"), `{"type": "apiKey", "name": "x-api-key", "in": "header"}`)
	expect(t, at(t, doc, "paths", "/operation1", "get", "security"), `[{"sigv4": []}]`)
	expect(t, at(t, doc, "paths", "/operation2", "get", "security"), `[{"api_key": [], "api_key_2": []}]`)
	absent(t, doc, "paths", "/open", "get", "security")
	checkRoundTrip(t, res)

	doc, _ = exportDef(t, `
api:
  open:
    resources:
      /:
        GET:
          integration: {httpProxy: {uri: https://example.com}}
`)
	absent(t, doc, "components")
}

// TestAuthorizerNameNotAComponentName reports an authorizer whose name an
// OpenAPI document cannot carry, at the authorizer.
func TestAuthorizerNameNotAComponentName(t *testing.T) {
	res := compileDef(t, "api.yaml", `
api:
  names:
    authorizers:
      "my authorizer":
        type: TOKEN
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations
    resources:
      /:
        GET:
          authorizer: my authorizer
          integration: {httpProxy: {uri: https://example.com}}
`)
	_, err := openapi.Export(res.API, openapi.Options{})
	var exportErr *openapi.Error
	if !errors.As(err, &exportErr) || len(exportErr.Diagnostics) != 1 {
		t.Fatalf("want one diagnostic, got %v", err)
	}
	d := exportErr.Diagnostics[0]
	if d.Code != openapi.CodeExport || d.Range.Start.Line != 4 || !strings.Contains(d.Message, `authorizer "my authorizer" cannot be exported`) {
		t.Errorf("got %s", d)
	}
}

// TestCompileWarningsRoundTrip round-trips an API compile warns about:
// reading the export back gives the same warnings, and nothing else.
func TestCompileWarningsRoundTrip(t *testing.T) {
	res := compileDef(t, "api.yaml", `
api:
  warned:
    authorizers:
      req:
        type: REQUEST
        identitySource: method.request.header.X-Key
        identityValidationExpression: ^k-
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations
    resources:
      /:
        GET:
          authorizer: req
          scopes: [read]
          integration: {httpProxy: {uri: https://example.com}}
`)
	checkRoundTrip(t, res)
}
