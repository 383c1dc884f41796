package runtime_test

import (
	"gwc.dev/gwc/runtime"
	"strings"
	"testing"
)

const validationAPI = `
modelSchemas:
  Order:
    type: object
    required: [id, items]
    properties:
      id: {type: string, pattern: "^o-[0-9]+$"}
      items: {type: array, items: {$ref: "#/models/Item"}}
  Item:
    type: object
    required: [sku, quantity]
    properties:
      sku: {type: string}
      quantity: {type: integer, minimum: 1}
  Text:
    type: object
    required: [text]
requestValidators:
  all: {body: true, params: true}
  body: {body: true}
gatewayResponses:
  BAD_REQUEST_BODY:
    templates:
      application/json: '{"message": $context.error.messageString, "details": "$context.error.validationErrorString"}'
resources:
  /nested/{test}:
    POST:
      request:
        validator: all
        params:
          header.x-header-param: {required: true}
          path.test: {required: true}
          querystring.qs1: {required: true}
          querystring.optional: {required: false}
        models: {application/json: Order}
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200}}
      responses: {"200": {}}
  /orders:
    POST:
      request:
        validator: body
        models: {application/json: Order, $default: Text}
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}', text/plain: '{"statusCode": 200}', application/xml: '{"statusCode": 200}'}
          responses: {default: {status: 200}}
      responses: {"200": {}}
  /unvalidated:
    POST:
      request:
        params: {querystring.q: {required: true}}
        models: {application/json: Order}
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200}}
      responses: {"200": {}}
`

const goodOrder = `{"id": "o-1", "items": [{"sku": "a", "quantity": 1}]}`

func TestValidationParameters(t *testing.T) {
	api := loadYAML(t, validationAPI, runtime.Options{})
	for _, c := range []struct {
		name, target, body string
		header             []string
		status             int
		want               string
	}{
		{"all missing", "/dev/nested/x", goodOrder, nil, 400, `{"message":"Missing required request parameters: [x-header-param, qs1]"}`},
		{"header missing", "/dev/nested/x?qs1=1", goodOrder, nil, 400, `{"message":"Missing required request parameters: [x-header-param]"}`},
		{"query missing", "/dev/nested/x", goodOrder, []string{"x-header-param: 1"}, 400, `{"message":"Missing required request parameters: [qs1]"}`},
		// "included and not blank": an empty value is missing.
		{"blank values", "/dev/nested/x?qs1=", goodOrder, []string{"x-header-param: "}, 400, `{"message":"Missing required request parameters: [x-header-param, qs1]"}`},
		// Header names match case-insensitively (docs/decisions.md).
		{"header case", "/dev/nested/x?qs1=1", goodOrder, []string{"X-Header-Param: 1"}, 200, ""},
		// Parameters are checked before the body.
		{"params before body", "/dev/nested/x", `{"bad": true}`, nil, 400, `{"message":"Missing required request parameters: [x-header-param, qs1]"}`},
		{"all present", "/dev/nested/x?qs1=1", goodOrder, []string{"x-header-param: 1"}, 200, ""},
	} {
		r := invoke(t, api, "POST", c.target, c.body, c.header...)
		if r.Status != c.status || c.want != "" && string(r.Body) != c.want {
			t.Errorf("%s: got %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.want)
		}
		if c.status == 400 && hget(r, "x-amzn-ErrorType") != "BadRequestException" {
			t.Errorf("%s: x-amzn-ErrorType %q", c.name, hget(r, "x-amzn-ErrorType"))
		}
	}
}

// TestValidationUndeclaredPathParameter: a required path parameter that
// is not a variable of the resource path is always missing (§6.2). The
// compiler warns about it; the runtime must still answer as AWS does.
func TestValidationUndeclaredPathParameter(t *testing.T) {
	api := loadYAML(t, `
requestValidators: {all: {params: true}}
resources:
  /nested/{test}:
    GET:
      request:
        validator: all
        params: {path.issuer: {required: true}, header.x-header-param: {required: true}, querystring.qs1: {required: true}}
      integration: {mock: {templates: {application/json: '{"statusCode": 200}'}, responses: {default: {status: 200}}}}
      responses: {"200": {}}
`, runtime.Options{})
	r := invoke(t, api, "GET", "/dev/nested/x", "")
	if want := `{"message":"Missing required request parameters: [x-header-param, issuer, qs1]"}`; string(r.Body) != want {
		t.Errorf("got %d %s, want %s", r.Status, r.Body, want)
	}
}

func TestValidationBody(t *testing.T) {
	api := loadYAML(t, validationAPI, runtime.Options{})
	for _, c := range []struct {
		name, body string
		header     []string
		status     int
		details    string
	}{
		{"valid", goodOrder, nil, 200, ""},
		{"valid with charset", goodOrder, []string{"Content-Type: application/json; charset=UTF-8"}, 200, ""},
		{"missing properties", `{}`, nil, 400, `object has missing required properties (["id","items"])`},
		// An empty body is validated as {}.
		{"empty body", ``, nil, 400, `object has missing required properties`},
		{"not JSON", `id=1`, nil, 400, ""},
		// Models refer to models: the items are checked against Item.
		{"referenced model", `{"id": "o-1", "items": [{"sku": "a", "quantity": 0}]}`, nil, 400, `numeric instance is lower than the required minimum (minimum: 1, found: 0)`},
		{"pattern", `{"id": "x", "items": []}`, nil, 400, `ECMA 262 regex "^o-[0-9]+$" does not match input string "x"`},
		// Other media types use $default.
		{"$default", `{"id": 1}`, []string{"Content-Type: text/plain"}, 400, `object has missing required properties (["text"])`},
		{"$default ok", `{"text": "hi"}`, []string{"Content-Type: application/xml"}, 200, ""},
	} {
		r := invoke(t, api, "POST", "/dev/orders", c.body, c.header...)
		if r.Status != c.status {
			t.Errorf("%s: got %d %s, want %d", c.name, r.Status, r.Body, c.status)
			continue
		}
		if c.status == 400 {
			// Gateway response templates substitute text as it is,
			// without escaping (§12.3).
			if !strings.HasPrefix(string(r.Body), `{"message": "Invalid request body", "details": "[`) || !strings.Contains(string(r.Body), c.details) {
				t.Errorf("%s: body %s, want details containing %s", c.name, r.Body, c.details)
			}
			if hget(r, "x-amzn-ErrorType") != "BadRequestException" {
				t.Errorf("%s: x-amzn-ErrorType %q", c.name, hget(r, "x-amzn-ErrorType"))
			}
		}
	}
}

// TestValidationDefaultBody: the un-customized BAD_REQUEST_BODY body.
func TestValidationDefaultBody(t *testing.T) {
	api := loadYAML(t, strings.Replace(validationAPI, "BAD_REQUEST_BODY", "UNAUTHORIZED", 1), runtime.Options{})
	r := invoke(t, api, "POST", "/dev/orders", `{}`)
	if r.Status != 400 || string(r.Body) != `{"message":"Invalid request body"}` {
		t.Errorf("got %d %s", r.Status, r.Body)
	}
}

// TestValidationNeedsValidator: required parameters and models have no
// effect without a request validator (§6.1).
func TestValidationNeedsValidator(t *testing.T) {
	api := loadYAML(t, validationAPI, runtime.Options{})
	if r := invoke(t, api, "POST", "/dev/unvalidated", `{}`); r.Status != 200 {
		t.Errorf("got %d %s", r.Status, r.Body)
	}
}

// TestValidationNoModelForType: without a model for the media type and
// without $default, the body is not validated.
func TestValidationNoModelForType(t *testing.T) {
	api := loadYAML(t, validationAPI, runtime.Options{})
	r := invoke(t, api, "POST", "/dev/nested/x?qs1=1", `not json`, "x-header-param: 1", "Content-Type: text/plain")
	// No template for text/plain and WHEN_NO_MATCH: the body passes
	// through to MOCK, which answers 200.
	if r.Status != 200 {
		t.Errorf("got %d %s\n%s", r.Status, r.Body, logText(r))
	}
}
