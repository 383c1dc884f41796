package schema

import (
	"reflect"
	"strings"
	"testing"

	"gwc.dev/gwc/diag"
)

func loadOpenAPIString(t *testing.T, name, src string) (*Definition, []diag.Diagnostic) {
	t.Helper()
	var ds diag.Set
	root := LoadOpenAPI(NewFile(name, []byte(src)), &ds)
	if root == nil {
		return nil, ds.Sorted()
	}
	def := Build(root, &ds)
	return def, ds.Sorted()
}

func mustOpenAPI(t *testing.T, src string) *API {
	t.Helper()
	def, ds := loadOpenAPIString(t, "api.yaml", src)
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Errorf("%s", d)
		}
	}
	if def == nil || def.API == nil {
		t.FailNow()
	}
	return def.API
}

func method(t *testing.T, a *API, path, verb string) *Method {
	t.Helper()
	for _, r := range a.Resources {
		if r.Path == path {
			for _, m := range r.Methods {
				if m.Verb == verb {
					return m
				}
			}
		}
	}
	t.Fatalf("no %s %s", verb, path)
	return nil
}

func TestOpenAPIExtensions(t *testing.T) {
	a := mustOpenAPI(t, `
openapi: 3.0.1
info: {title: shop, version: "1", description: a shop}
x-amazon-apigateway-api-key-source: authorizer
x-amazon-apigateway-binary-media-types: ["image/*"]
x-amazon-apigateway-minimum-compression-size: 100
x-amazon-apigateway-endpoint-configuration: {disableExecuteApiEndpoint: true}
x-amazon-apigateway-policy: {Version: "2012-10-17", Statement: []}
x-amazon-apigateway-request-validators:
  body-only: {validateRequestBody: true, validateRequestParameters: false}
x-amazon-apigateway-request-validator: body-only
x-amazon-apigateway-gateway-responses:
  DEFAULT_4XX:
    statusCode: "400"
    responseParameters: {gatewayresponse.header.X-Y: "'z'"}
    responseTemplates: {application/json: '{"m": $context.error.messageString}'}
x-gateway-stages: {prod: {variables: {a: b}}}
paths:
  /items/{id}:
    x-amazon-apigateway-any-method:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          headers: {X-Count: {schema: {type: integer}}}
          content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}
      x-amazon-apigateway-integration:
        type: http
        httpMethod: POST
        uri: https://example.com/items/{id}
        connectionType: INTERNET
        passthroughBehavior: when_no_templates
        timeoutInMillis: "5000"
        requestParameters: {integration.request.path.id: method.request.path.id}
        requestTemplates: {application/json: '{"q": "$input.params(''q'')"}'}
        responses:
          default:
            statusCode: 200
            responseParameters: {method.response.header.X-Count: integration.response.header.X-Count}
          "4\\d{2}": {statusCode: "404"}
components:
  schemas:
    Item: {type: object, properties: {n: {type: integer, nullable: true, example: 3}}}
`)
	if a.Name != "shop" || a.Description != "a shop" || a.APIKeySource != "AUTHORIZER" || !reflect.DeepEqual(a.BinaryMediaTypes, []string{"image/*"}) ||
		*a.MinimumCompressionSize != 100 || !a.DisableExecuteAPIEndpoint || a.DefaultValidator != "body-only" || a.Policy == nil {
		t.Errorf("api = %+v", a)
	}
	if len(a.RequestValidators) != 1 || !a.RequestValidators[0].Body || a.RequestValidators[0].Params {
		t.Errorf("validators = %+v", a.RequestValidators[0])
	}
	if g := a.GatewayResponses[0]; g.Type != "DEFAULT_4XX" || g.Status != 400 || g.Params[0].Target != "gatewayresponse.header.X-Y" {
		t.Errorf("gateway response = %+v", g)
	}
	if len(a.Stages) != 1 || a.Stages[0].Name != "prod" || a.Stages[0].Variables[0].Value != "b" {
		t.Errorf("stages = %+v", a.Stages)
	}
	m := method(t, a, "/items/{id}", "ANY")
	var params []string
	for _, p := range m.RequestParams {
		params = append(params, p.Location+"."+p.Name+"="+map[bool]string{true: "required", false: "optional"}[p.Required])
	}
	if strings.Join(params, " ") != "path.id=required querystring.q=optional header.X-Trace=required" {
		t.Errorf("params = %v", params)
	}
	in := m.Integration
	if in.Type != HTTP || in.HTTPMethod != "POST" || in.Passthrough != "WHEN_NO_TEMPLATES" || in.TimeoutMillis != 5000 ||
		in.RequestParams[0].Target != "integration.request.path.id" || len(in.Responses) != 2 || in.Responses[1].Status != 404 ||
		in.Responses[1].Pattern != `4\d{2}` || in.Responses[0].Pattern != "" {
		t.Errorf("integration = %+v", in)
	}
	if mr := m.Responses[0]; mr.Status != 200 || mr.Headers[0].Name != "X-Count" || mr.Models[0].Model != "Item" {
		t.Errorf("method response = %+v", mr)
	}
	item := a.Models[0]
	want := map[string]any{"type": "object", "properties": map[string]any{"n": map[string]any{"type": []any{"integer", "null"}}}}
	if item.Name != "Item" || !reflect.DeepEqual(item.Schema, want) {
		t.Errorf("model = %s %v", item.Name, item.Schema)
	}
}

func TestSwagger2BodiesSecurityAndIntrinsics(t *testing.T) {
	a := mustOpenAPI(t, `{
 "swagger": "2.0",
 "info": {"title": "calc", "version": "1"},
 "consumes": ["application/json"],
 "securityDefinitions": {
  "api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"},
  "sigv4": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"},
  "tok": {"type": "apiKey", "name": "Auth", "in": "header", "x-amazon-apigateway-authtype": "custom",
          "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"}, "authorizerResultTtlInSeconds": 0}}
 },
 "security": [{"tok": []}],
 "paths": {
  "/add": {
   "post": {
    "security": [{"api_key": []}, {"sigv4": []}],
    "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Input"}}],
    "responses": {"200": {"description": "ok", "schema": {"type": "object", "properties": {"sum": {"type": "number"}}}}},
    "x-amazon-apigateway-integration": {
     "type": "aws", "httpMethod": "POST",
     "uri": {"Fn::Join": ["", ["arn:aws:apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/", {"Fn::GetAtt": ["Add", "Arn"]}, "/invocations"]]},
     "credentials": {"Fn::GetAtt": ["Role", "Arn"]},
     "requestTemplates": {"application/json": {"Fn::Sub": "{\"table\": \"${Table}\"}"}},
     "responses": {"default": {"statusCode": "200"}}
    }
   },
   "get": {
    "responses": {"200": {"description": "ok"}},
    "x-amazon-apigateway-integration": {"type": "mock", "httpMethod": "GET", "responses": {"default": {"statusCode": "200"}}}
   }
  }
 },
 "definitions": {"Input": {"type": "object", "required": ["a"], "properties": {"a": {"type": "number"}}}}
}`)
	post := method(t, a, "/add", "POST")
	if !post.APIKeyRequired || post.Authorization != "AWS_IAM" || post.Authorizer != "" {
		t.Errorf("POST security: key %v, %s %q", post.APIKeyRequired, post.Authorization, post.Authorizer)
	}
	if post.RequestModels[0].ContentType != "application/json" || post.RequestModels[0].Model != "Input" {
		t.Errorf("POST body = %+v", post.RequestModels[0])
	}
	if post.Responses[0].Models[0].Model != "PostAddResponse200" {
		t.Errorf("inline response model = %+v", post.Responses[0].Models[0])
	}
	in := post.Integration
	if in.URI != "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Add.Arn}/invocations" || in.Credentials != "${Role.Arn}" {
		t.Errorf("intrinsics: %q %q", in.URI, in.Credentials)
	}
	if tm := in.RequestTemplates[0]; tm.Text != `{"table": "${Table}"}` || !tm.Sub {
		t.Errorf("template = %+v", tm)
	}
	// The GET inherits the document's security, as API Gateway's importer
	// applies it; the MOCK's httpMethod is dropped.
	get := method(t, a, "/add", "GET")
	if get.Authorizer != "tok" || get.Integration.HTTPMethod != "" {
		t.Errorf("GET: authorizer %q, method %q", get.Authorizer, get.Integration.HTTPMethod)
	}
	z := a.Authorizers[0]
	if z.Name != "tok" || z.Type != "TOKEN" || z.TTL != 0 || z.IdentitySources[0] != "method.request.header.Auth" ||
		z.URI != "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations" {
		t.Errorf("authorizer = %+v", z)
	}
}

func TestOpenAPIDiagnosticsPointIntoTheDocument(t *testing.T) {
	src := `openapi: 3.0.0
info: {title: t, version: "1"}
x-gateway-stagez: {}
paths:
  /a:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: http
        uri: https://example.com
        passthroughBehavior: sometimes
        responses:
          default: {statusCode: "2xx"}
`
	_, ds := loadOpenAPIString(t, "api.yaml", src)
	want := []string{
		`api.yaml:3:1: error: x-gateway-stagez is not a gwc extension here; did you mean x-gateway-stages? [SCHEMA]`,
		`api.yaml:11:30: error: passthrough is "SOMETIMES", but must be one of "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER" [SCHEMA]`,
		`api.yaml:13:33: error: status must be an integer from 100 to 599, not "2xx" [SCHEMA]`,
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestOpenAPIVersionAndShape(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"openapi: 4.0.0\ninfo: {title: t}\n", `OpenAPI version "4.0.0" is not supported`},
		{"swagger: '1.2'\ninfo: {title: t}\n", `swagger version "1.2" is not supported`},
		{"info: {title: t}\n", "neither a swagger nor an openapi version field"},
		{"openapi: 3.0.0\ninfo: {}\n", "info.title is the API's name"},
		{"openapi: 3.0.0\ninfo: [\n", "invalid YAML/JSON"},
		{"- a\n- b\n", "an OpenAPI document is a map"},
	} {
		_, ds := loadOpenAPIString(t, "x.yaml", tt.src)
		if len(ds) == 0 || !strings.Contains(ds[0].Message, tt.want) {
			t.Errorf("%q: got %v, want %q", tt.src, ds, tt.want)
		}
	}
}

func TestOpenAPIPrimitiveResponseSchema(t *testing.T) {
	_, ds := loadOpenAPIString(t, "a.yaml", `openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content: {text/plain: {schema: {type: string}}}
      x-amazon-apigateway-integration: {type: mock}
`)
	if len(ds) != 1 || ds[0].String() != "a.yaml:9:49: error: API Gateway's importer rejects a response schema of type string: a method response model must be an object or an array [OPENAPI]" {
		t.Errorf("got %v", ds)
	}
}
