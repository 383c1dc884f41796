package openapi_test

import (
	"testing"
)

// The expectations in these tests are AWS's documented examples of
// x-amazon-apigateway-integration (api-gateway-swagger-extensions-integration,
// -any-method and -integration-tls-config in the API Gateway developer
// guide), with the differences each test names: gwc writes the defaults
// its model holds, and leaves out what is empty.

// TestIntegrationAWSLambda is the guide's example of a non-proxy Lambda
// integration. It writes "cacheKeyParameters": [], which an export leaves
// out; an export adds the defaults passthroughBehavior and timeoutInMillis.
func TestIntegrationAWSLambda(t *testing.T) {
	doc, res := exportDef(t, `
api:
  calc:
    stages: {dev: {}}
    resources:
      /:
        GET:
          request:
            params:
              querystring.version: {}
              querystring.vendor: {}
          integration:
            aws:
              uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:012345678901:function:HelloWorld/invocations
              method: POST
              credentials: arn:aws:iam::012345678901:role/apigateway-invoke-lambda-exec-role
              templates:
                application/json: '#set ($root=$input.path(''$'')) { "stage": "$root.name", "user-id": "$root.key" }'
                application/xml: '#set ($root=$input.path(''$'')) <stage>$root.name</stage> '
              params:
                integration.request.path.stage: method.request.querystring.version
                integration.request.querystring.provider: method.request.querystring.vendor
              cacheNamespace: cache namespace
              responses:
                '2\d{2}':
                  status: 200
                  params: {method.response.header.requestId: integration.response.header.cid}
                  templates:
                    application/json: '#set ($root=$input.path(''$'')) { "stage": "$root.name", "user-id": "$root.key" }'
                    application/xml: '#set ($root=$input.path(''$'')) <stage>$root.name</stage> '
                "302":
                  status: 302
                  params: {method.response.header.Location: integration.response.body.redirect.url}
                default:
                  status: 400
                  params: {method.response.header.test-method-response-header: "'static value'"}
          responses:
            "200": {headers: {requestId: {}}}
            "302": {headers: {Location: {}}}
            "400": {headers: {test-method-response-header: {}}}
`)
	expect(t, at(t, doc, "paths", "/", "get", "x-amazon-apigateway-integration"), `{
    "type" : "aws",
    "uri" : "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:012345678901:function:HelloWorld/invocations",
    "httpMethod" : "POST",
    "credentials" : "arn:aws:iam::012345678901:role/apigateway-invoke-lambda-exec-role",
    "requestTemplates" : {
                "application/json" : "#set ($root=$input.path('$')) { \"stage\": \"$root.name\", \"user-id\": \"$root.key\" }",
                "application/xml" : "#set ($root=$input.path('$')) <stage>$root.name</stage> "
    },
    "requestParameters" : {
        "integration.request.path.stage" : "method.request.querystring.version",
        "integration.request.querystring.provider" : "method.request.querystring.vendor"
    },
    "cacheNamespace" : "cache namespace",
    "responses" : {
        "2\\d{2}" : {
            "statusCode" : "200",
            "responseParameters" : {
                "method.response.header.requestId" : "integration.response.header.cid"
            },
            "responseTemplates" : {
                "application/json" : "#set ($root=$input.path('$')) { \"stage\": \"$root.name\", \"user-id\": \"$root.key\" }",
                "application/xml" : "#set ($root=$input.path('$')) <stage>$root.name</stage> "
            }
        },
        "302" : {
            "statusCode" : "302",
            "responseParameters" : {
                "method.response.header.Location" : "integration.response.body.redirect.url"
            }
        },
        "default" : {
            "statusCode" : "400",
            "responseParameters" : {
                "method.response.header.test-method-response-header" : "'static value'"
            }
        }
    },
    "passthroughBehavior": "when_no_match",
    "timeoutInMillis": 29000
}`)
	checkRoundTrip(t, res)
}

// TestIntegrationAnyMethodProxy is the guide's example of ANY on a
// {proxy+} resource with a Lambda proxy integration. Its Swagger 2.0
// parameter ("type": "string") is an OpenAPI 3.0 schema here, and a
// method without method responses gets the default response, because
// OpenAPI requires one ("responses": {} in the guide).
func TestIntegrationAnyMethodProxy(t *testing.T) {
	doc, res := exportDef(t, `
api:
  proxy:
    stages: {dev: {}}
    resources:
      /{proxy+}:
        ANY:
          integration:
            awsProxy:
              uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:TestSimpleProxy/invocations
`)
	item := at(t, doc, "paths", "/{proxy+}").(map[string]any)
	if len(item) != 1 {
		t.Errorf("the path item holds more than the ANY method: %v", item)
	}
	expect(t, at(t, item, "x-amazon-apigateway-any-method"), `{
        "parameters": [
          {
            "name": "proxy",
            "in": "path",
            "required": true,
            "schema": {"type": "string"}
          }
        ],
        "responses": {"default": {"description": "Default response"}},
        "x-amazon-apigateway-integration": {
          "uri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:TestSimpleProxy/invocations",
          "httpMethod": "POST",
          "type": "aws_proxy",
          "timeoutInMillis": 29000
        }
    }`)
	checkRoundTrip(t, res)
}

// TestIntegrationTLSConfig is the guide's tlsConfig example on an
// HTTP_PROXY integration. The guide's example also writes
// passthroughBehavior and responses, which proxy integrations do not
// use and gwc's model does not hold.
func TestIntegrationTLSConfig(t *testing.T) {
	doc, res := exportDef(t, `
api:
  tls:
    stages: {dev: {}}
    resources:
      /pets:
        ANY:
          integration:
            httpProxy:
              uri: http://petstore-demo-endpoint.execute-api.com/petstore/pets
              method: ANY
              tls: {insecureSkipVerification: true}
`)
	expect(t, at(t, doc, "paths", "/pets", "x-amazon-apigateway-any-method", "x-amazon-apigateway-integration"), `{
  "uri": "http://petstore-demo-endpoint.execute-api.com/petstore/pets",
  "httpMethod": "ANY",
  "tlsConfig" : {
    "insecureSkipVerification" : true
  },
  "type": "http_proxy",
  "timeoutInMillis": 29000
}`)
	checkRoundTrip(t, res)
}

// TestIntegrationVPCLink writes a private integration's connection as the
// guide's property table describes it: connectionType VPC_LINK and the
// link's id in connectionId. An HTTP integration's default connection is
// INTERNET.
func TestIntegrationVPCLink(t *testing.T) {
	doc, res := exportDef(t, `
api:
  private:
    stages: {dev: {}}
    resources:
      /orders:
        GET:
          integration:
            http:
              uri: http://orders.internal/orders
              connection: {type: VPC_LINK, id: abc123}
              cacheKeyParameters: [method.request.querystring.page]
              responses: {default: {status: 200}}
          request: {params: {querystring.page: {}}}
          responses: {"200": {}}
        POST:
          integration:
            http:
              uri: https://orders.example.com/orders
              timeout: 5000
              passthrough: WHEN_NO_TEMPLATES
              contentHandling: CONVERT_TO_TEXT
              responses: {default: {status: 200, contentHandling: CONVERT_TO_BINARY}}
          responses: {"200": {}}
`)
	expect(t, at(t, doc, "paths", "/orders", "get", "x-amazon-apigateway-integration"), `{
  "type": "http",
  "uri": "http://orders.internal/orders",
  "httpMethod": "GET",
  "connectionType": "VPC_LINK",
  "connectionId": "abc123",
  "cacheKeyParameters": ["method.request.querystring.page"],
  "passthroughBehavior": "when_no_match",
  "timeoutInMillis": 29000,
  "responses": {"default": {"statusCode": "200"}}
}`)
	expect(t, at(t, doc, "paths", "/orders", "post", "x-amazon-apigateway-integration"), `{
  "type": "http",
  "uri": "https://orders.example.com/orders",
  "httpMethod": "POST",
  "connectionType": "INTERNET",
  "contentHandling": "CONVERT_TO_TEXT",
  "passthroughBehavior": "when_no_templates",
  "timeoutInMillis": 5000,
  "responses": {"default": {"statusCode": "200", "contentHandling": "CONVERT_TO_BINARY"}}
}`)
	checkRoundTrip(t, res)
}

// TestIntegrationMock writes a mock without the backend fields it has no
// use for (no httpMethod, no timeout), and passthrough "never" in lower
// case.
func TestIntegrationMock(t *testing.T) {
	doc, res := exportDef(t, `
api:
  mock:
    resources:
      /health:
        HEAD:
          integration:
            mock:
              passthrough: NEVER
              templates: {application/json: '{"statusCode": 204}'}
              responses: {default: {status: 204}}
          responses: {"204": {}}
`)
	expect(t, at(t, doc, "paths", "/health", "head", "x-amazon-apigateway-integration"), `{
  "type": "mock",
  "passthroughBehavior": "never",
  "requestTemplates": {"application/json": "{\"statusCode\": 204}"},
  "responses": {"default": {"statusCode": "204"}}
}`)
	checkRoundTrip(t, res)
}

// TestIntegrationFnSubTemplate keeps a template CloudFormation
// substitutes in the form the reader recognizes it by, so the artifact
// still marks it.
func TestIntegrationFnSubTemplate(t *testing.T) {
	res := compileDef(t, "api.yaml", `
openapi: 3.0.1
info: {title: sub, version: "1"}
paths:
  /send:
    post:
      responses:
        "200": {description: ok}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/queue
        credentials: arn:aws:iam::${AWS::AccountId}:role/send
        requestTemplates:
          application/json:
            Fn::Sub: Action=SendMessage&QueueUrl=${QueueUrl}
        responses:
          default: {statusCode: "200"}
`)
	doc := decode(t, export(t, res.API, "json"))
	expect(t, at(t, doc, "paths", "/send", "post", "x-amazon-apigateway-integration", "requestTemplates"), `{
  "application/json": {"Fn::Sub": "Action=SendMessage&QueueUrl=${QueueUrl}"}
}`)
	checkRoundTrip(t, res)
}
