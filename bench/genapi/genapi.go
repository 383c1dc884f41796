// Package genapi generates large API definitions for benchmarks: the same
// API as CUE and as OpenAPI, with a given number of resources and three
// methods on each, every method with parameters, a validator, models, a
// mapping template and integration responses, as a real API has.
package genapi

import (
	"fmt"
	"strings"
)

// Methods per resource.
const Methods = 3

var verbs = [Methods]string{"GET", "POST", "DELETE"}

// CUE returns the definition as CUE source.
func CUE(resources int) string {
	var b strings.Builder
	b.WriteString(`package big

api: big: {
	stages: dev: variables: backend: "backend.example.com"
	requestValidators: all: {body: true, params: true}
	models: {
		Item: {id: int & >=1, name: string & !="", tags?: [...string]}
		Error: message: string
	}
	resources: {
`)
	for i := range resources {
		fmt.Fprintf(&b, "\t\t%q: {\n", path(i))
		for _, v := range verbs {
			fmt.Fprintf(&b, `			%s: {
				request: {validator: "all", params: {"querystring.q": required: false, "header.X-Trace": required: true}, models: "application/json": "Item"}
				integration: http: {
					uri: "https://${stageVariables.backend}/res%d/{id}"
					params: {"path.id": "method.request.path.id", "header.X-Trace": "method.request.header.X-Trace"}
					templates: "application/json": "{\"id\": \"$input.params('id')\", \"q\": \"$input.params('q')\", \"body\": $input.json('$')}"
					responses: {default: status: 200, "4\\d{2}": status: 400, "5\\d{2}": status: 502}
				}
				responses: {"200": model: "Item", "400": model: "Error", "502": {}}
			}
`, v, i)
		}
		b.WriteString("\t\t}\n")
	}
	b.WriteString("\t}\n}\n")
	return b.String()
}

// OpenAPI returns the same definition as an OpenAPI 3.0 document in JSON.
func OpenAPI(resources int) string {
	var b strings.Builder
	b.WriteString(`{
  "openapi": "3.0.3",
  "info": {"title": "big", "version": "1"},
  "x-gateway-stages": {"dev": {"variables": {"backend": "backend.example.com"}}},
  "x-amazon-apigateway-request-validators": {"all": {"validateRequestBody": true, "validateRequestParameters": true}},
  "paths": {
`)
	for i := range resources {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    %q: {\n", path(i))
		for j, v := range verbs {
			if j > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, `      %q: {
        "x-amazon-apigateway-request-validator": "all",
        "parameters": [
          {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
          {"name": "q", "in": "query", "required": false, "schema": {"type": "string"}},
          {"name": "X-Trace", "in": "header", "required": true, "schema": {"type": "string"}}
        ],
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
        "responses": {
          "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
          "400": {"description": "bad", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "502": {"description": "down"}
        },
        "x-amazon-apigateway-integration": {
          "type": "http", "httpMethod": %q,
          "uri": "https://${stageVariables.backend}/res%d/{id}",
          "requestParameters": {"integration.request.path.id": "method.request.path.id", "integration.request.header.X-Trace": "method.request.header.X-Trace"},
          "requestTemplates": {"application/json": "{\"id\": \"$input.params('id')\", \"q\": \"$input.params('q')\", \"body\": $input.json('$')}"},
          "responses": {"default": {"statusCode": "200"}, "4\\d{2}": {"statusCode": "400"}, "5\\d{2}": {"statusCode": "502"}}
        }
      }`, strings.ToLower(v), v, i)
		}
		b.WriteString("\n    }")
	}
	b.WriteString(`
  },
  "components": {"schemas": {
    "Item": {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer", "minimum": 1}, "name": {"type": "string", "minLength": 1}, "tags": {"type": "array", "items": {"type": "string"}}}},
    "Error": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}
  }}
}
`)
	return b.String()
}

// path spreads resources over a tree: /g{group}/res{i}/{id}.
func path(i int) string { return fmt.Sprintf("/g%d/res%d/{id}", i/50, i) }
