package openapi_test

import (
	"testing"
)

// TestParametersAndBodies writes the method request's parameters (with
// their location in OpenAPI's words and whether they are required), its
// body models, and the method responses' headers and models, as AWS's
// exports do; the reader takes name, in and required of a parameter.
func TestParametersAndBodies(t *testing.T) {
	doc, res := exportDef(t, `
api:
  pets:
    stages: {dev: {}}
    modelSchemas:
      Pet: {type: object, properties: {name: {type: string}}}
      Empty: {type: object}
    resources:
      /pets/{petId}:
        PUT:
          operationName: putPet
          summary: Replace a pet
          description: Replaces the pet with the one in the body.
          request:
            params:
              querystring.dryRun: {}
              header.X-Trace: {required: true}
            models: {application/json: Pet, $default: Empty}
          integration:
            http:
              uri: https://example.com/pets/{petId}
              params: {path.petId: method.request.path.petId}
              responses: {default: {status: 200, params: {header.ETag: integration.response.header.ETag}}}
          responses:
            "200":
              headers: {ETag: {required: true}, X-Other: {}}
              models: {application/json: Pet, application/xml: Empty}
`)
	expect(t, at(t, doc, "paths", "/pets/{petId}", "put"), `{
  "operationId": "putPet",
  "summary": "Replace a pet",
  "description": "Replaces the pet with the one in the body.",
  "parameters": [
    {"name": "X-Trace", "in": "header", "required": true, "schema": {"type": "string"}},
    {"name": "petId", "in": "path", "required": true, "schema": {"type": "string"}},
    {"name": "dryRun", "in": "query", "schema": {"type": "string"}}
  ],
  "requestBody": {
    "content": {
      "$default": {"schema": {"$ref": "#/components/schemas/Empty"}},
      "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
    }
  },
  "responses": {
    "200": {
      "description": "200 response",
      "headers": {
        "ETag": {"required": true, "schema": {"type": "string"}},
        "X-Other": {"schema": {"type": "string"}}
      },
      "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
        "application/xml": {"schema": {"$ref": "#/components/schemas/Empty"}}
      }
    }
  },
  "x-amazon-apigateway-integration": {
    "type": "http",
    "uri": "https://example.com/pets/{petId}",
    "httpMethod": "PUT",
    "connectionType": "INTERNET",
    "passthroughBehavior": "when_no_match",
    "timeoutInMillis": 29000,
    "requestParameters": {"integration.request.path.petId": "method.request.path.petId"},
    "responses": {"default": {"statusCode": "200", "responseParameters": {"method.response.header.ETag": "integration.response.header.ETag"}}}
  }
}`)
	checkRoundTrip(t, res)
}

// TestResourcesWithoutMethods writes a resource without methods only when
// no other resource lies below it: compile adds every ancestor again.
func TestResourcesWithoutMethods(t *testing.T) {
	doc, res := exportDef(t, `
api:
  tree:
    stages: {dev: {}}
    resources:
      /reserved: {}
      /a/b/c:
        GET:
          integration: {httpProxy: {uri: https://example.com}}
`)
	expect(t, at(t, doc, "paths", "/reserved"), `{}`)
	for _, p := range []string{"/", "/a", "/a/b"} {
		absent(t, doc, "paths", p)
	}
	checkRoundTrip(t, res)
}

// TestOptionalPathParameter keeps a path parameter a method declares
// optional: OpenAPI path parameters are always required, so the method's
// whole request goes into x-gateway-request as well.
func TestOptionalPathParameter(t *testing.T) {
	doc, res := exportDef(t, `
api:
  optional:
    stages: {dev: {}}
    requestValidators: {all: {body: true, params: true}}
    modelSchemas: {Pet: {type: object}}
    resources:
      /pets/{petId}:
        POST:
          request:
            params: {path.petId: {required: false}, querystring.q: {required: true}}
            models: {application/json: Pet}
            validator: all
          integration:
            httpProxy:
              uri: https://example.com/{petId}
              params: {path.petId: method.request.path.petId}
`)
	op := at(t, doc, "paths", "/pets/{petId}", "post")
	expect(t, at(t, op, "parameters"), `[
    {"name": "petId", "in": "path", "required": true, "schema": {"type": "string"}},
    {"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}
  ]`)
	expect(t, at(t, op, "x-gateway-request"), `{
    "params": {"path.petId": {"required": false}, "querystring.q": {"required": true}},
    "models": {"application/json": "Pet"},
    "validator": "all"
  }`)
	checkRoundTrip(t, res)
}

// TestPrimitiveResponseModel keeps a response model of a primitive type,
// which gwc's OpenAPI reader rejects as a response body (as API Gateway's
// importer does): the content leaves it out, and the method's responses
// go into x-gateway-responses as well.
func TestPrimitiveResponseModel(t *testing.T) {
	doc, res := exportDef(t, `
api:
  primitive:
    stages: {dev: {}}
    modelSchemas:
      Message: {type: string}
      Pet: {type: object}
    resources:
      /:
        GET:
          integration:
            mock: {responses: {default: {status: 200}}}
          responses:
            "200": {headers: {X-Id: {}}, models: {text/plain: Message, application/json: Pet}}
`)
	op := at(t, doc, "paths", "/", "get")
	expect(t, at(t, op, "responses", "200", "content"), `{"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}`)
	expect(t, at(t, op, "x-gateway-responses"), `{
    "200": {"headers": {"X-Id": {"required": false}}, "models": {"application/json": "Pet", "text/plain": "Message"}}
  }`)
	checkRoundTrip(t, res)
}

// TestSharedOperationName keeps a name several methods share, which
// OpenAPI operation IDs cannot, in x-gateway-operation-name.
func TestSharedOperationName(t *testing.T) {
	doc, res := exportDef(t, `
api:
  names:
    stages: {dev: {}}
    resources:
      /a:
        GET:
          operationName: list
          integration: {httpProxy: {uri: https://example.com/a}}
      /b:
        GET:
          operationName: list
          integration: {httpProxy: {uri: https://example.com/b}}
        POST:
          operationName: create
          integration: {httpProxy: {uri: https://example.com/b}}
`)
	for _, p := range []string{"/a", "/b"} {
		absent(t, doc, "paths", p, "get", "operationId")
		expect(t, at(t, doc, "paths", p, "get", "x-gateway-operation-name"), `"list"`)
	}
	expect(t, at(t, doc, "paths", "/b", "post", "operationId"), `"create"`)
	absent(t, doc, "paths", "/b", "post", "x-gateway-operation-name")
	checkRoundTrip(t, res)
}
