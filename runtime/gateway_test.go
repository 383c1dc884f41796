package runtime_test

import (
	"strings"
	"testing"

	"gwc.dev/gwc/runtime"
)

// unroutable is a definition whose only method is GET /a, with gateway
// responses configured by the caller.
func gatewayAPI(t *testing.T, gateway string) *runtime.API {
	return loadYAML(t, "stages: {dev: {variables: {a: va}}}\n"+gateway+`
resources:
  /a:
    GET:
      request: {params: {header.X-Id: {}}}
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {"2\\d{2}": {status: 200}}
      responses: {"200": {}}
  /broken:
    GET:
      integration:
        mock:
          templates: {application/json: '{"statusCode": 302}'}
          responses: {"2\\d{2}": {status: 200}}
      responses: {"200": {}}
`, runtime.Options{})
}

// TestGatewayDefaults: the un-customized defaults, byte for byte as
// recorded (§12.1): 4XX bodies without a space, the 5XX with one.
func TestGatewayDefaults(t *testing.T) {
	api := gatewayAPI(t, "")
	r := invoke(t, api, "GET", "/dev/nothing", "")
	if r.Status != 403 || string(r.Body) != `{"message":"Missing Authentication Token"}` || hget(r, "Content-Type") != "application/json" {
		t.Errorf("MISSING_AUTHENTICATION_TOKEN: %d %s %v", r.Status, r.Body, r.Header)
	}
	// No integration response matches 302 and there is no default.
	r = invoke(t, api, "GET", "/dev/broken", "")
	if r.Status != 500 || string(r.Body) != `{"message": "Internal server error"}` || len(r.Body) != 36 ||
		hget(r, "x-amzn-ErrorType") != "InternalServerErrorException" {
		t.Errorf("API_CONFIGURATION_ERROR: %d %s %v", r.Status, r.Body, r.Header)
	}
}

// TestGatewayInheritance replays §12.2's recorded resolution: DEFAULT_5XX
// with status 599 applies to the 5XX types that are not customized; a
// customized type keeps its own status and the default template.
func TestGatewayInheritance(t *testing.T) {
	api := gatewayAPI(t, `
gatewayResponses:
  DEFAULT_5XX:
    status: 599
    params: {header.X-Family: "'5xx'"}
    templates: {application/json: '{"family": "$context.error.responseType"}'}
  DEFAULT_4XX:
    status: 499
  UNSUPPORTED_MEDIA_TYPE:
    params: {header.X-Own: "'own'"}
`)
	r := invoke(t, api, "GET", "/dev/broken", "")
	if r.Status != 599 || string(r.Body) != `{"family": "API_CONFIGURATION_ERROR"}` || hget(r, "X-Family") != "5xx" {
		t.Errorf("API_CONFIGURATION_ERROR under DEFAULT_5XX: %d %s %v", r.Status, r.Body, r.Header)
	}
	// "Changing the status code of this fallback gateway response changes
	// the status codes of all other 4XX responses."
	r = invoke(t, api, "GET", "/dev/nothing", "")
	if r.Status != 499 || string(r.Body) != `{"message":"Missing Authentication Token"}` {
		t.Errorf("MISSING_AUTHENTICATION_TOKEN under DEFAULT_4XX: %d %s", r.Status, r.Body)
	}
}

// TestGatewayTemplate renders AWS's documented example template (§12.3)
// and maps headers from literals and request parameters.
func TestGatewayTemplate(t *testing.T) {
	api := gatewayAPI(t, `
gatewayResponses:
  MISSING_AUTHENTICATION_TOKEN:
    status: 404
    params:
      gatewayresponse.header.Access-Control-Allow-Origin: "'*'"
      gatewayresponse.header.X-Echo: method.request.header.X-Id
    templates:
      application/json: '{ "message": $context.error.messageString, "type": "$context.error.responseType", "stage": "$context.stage", "resourcePath": "$context.resourcePath", "stageVariables.a": "$stageVariables.a", "statusCode": "''404''" }'
      text/plain: 'not here: ${context.error.message}'
`)
	r := invoke(t, api, "GET", "/dev/nothing", "", "X-Id: 7")
	want := `{ "message": "Missing Authentication Token", "type": "MISSING_AUTHENTICATION_TOKEN", "stage": "dev", "resourcePath": "", "stageVariables.a": "va", "statusCode": "'404'" }`
	if r.Status != 404 || string(r.Body) != want {
		t.Errorf("got %d %s\nwant %s", r.Status, r.Body, want)
	}
	if hget(r, "Access-Control-Allow-Origin") != "*" || hget(r, "X-Echo") != "7" || hget(r, "x-amzn-ErrorType") != "MissingAuthenticationTokenException" {
		t.Errorf("headers %v", r.Header)
	}
	// The template is chosen by Accept; its type is the Content-Type.
	r = invoke(t, api, "GET", "/dev/nothing", "", "Accept: text/plain")
	if string(r.Body) != "not here: Missing Authentication Token" || hget(r, "Content-Type") != "text/plain" {
		t.Errorf("Accept text/plain: %s %v", r.Body, r.Header)
	}
}

// TestRequestTooLarge: 413 with AWS's plain-text body, not customizable
// (§15.1).
func TestRequestTooLarge(t *testing.T) {
	api := gatewayAPI(t, "gatewayResponses: {DEFAULT_4XX: {status: 499, templates: {application/json: 'custom'}}}")
	r := invoke(t, api, "POST", "/dev/a", strings.Repeat("x", runtime.MaxBody+1))
	if r.Status != 413 || string(r.Body) != "HTTP content length exceeded 10485760 bytes." || hhas(r, "Content-Type") {
		t.Errorf("got %d %q %v", r.Status, r.Body, r.Header)
	}
	if r := invoke(t, api, "GET", "/dev/a", strings.Repeat("x", runtime.MaxBody)); r.Status != 200 {
		t.Errorf("a body of exactly 10 MB: %d %s", r.Status, r.Body)
	}
}
