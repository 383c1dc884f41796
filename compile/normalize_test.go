package compile

import (
	"bytes"
	"strings"
	"testing"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/diag"
)

func mustCompileYAML(t *testing.T, src string) *Result {
	t.Helper()
	res, ds := compileYAML(t, src)
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Errorf("unexpected: %s", d)
		}
	}
	if res == nil {
		t.FailNow()
	}
	return res
}

func findMethod(t *testing.T, a *artifact.API, path, verb string) *artifact.Method {
	t.Helper()
	for _, r := range a.Resources {
		if r.Path != path {
			continue
		}
		for _, m := range r.Methods {
			if m.Verb == verb {
				return m
			}
		}
	}
	t.Fatalf("no method %s %s", verb, path)
	return nil
}

func findGateway(a *artifact.API, typ string) *artifact.GatewayResponse {
	for _, g := range a.GatewayResponses {
		if g.Type == typ {
			return g
		}
	}
	return nil
}

func TestResourceTreeIsComplete(t *testing.T) {
	res := mustCompileYAML(t, api("resources:\n  /a/b/{id}:"+mockGet))
	var paths []string
	byPath := map[string]*artifact.Resource{}
	for _, r := range res.Artifact.Resources {
		paths = append(paths, r.Path)
		byPath[r.Path] = r
	}
	if got := strings.Join(paths, " "); got != "/ /a /a/b /a/b/{id}" {
		t.Fatalf("resources = %s", got)
	}
	leaf := byPath["/a/b/{id}"]
	if leaf.ParentID != byPath["/a/b"].ID || leaf.PathPart != "{id}" || byPath["/"].ParentID != "" {
		t.Errorf("tree links are wrong: %+v", leaf)
	}
	if len(byPath["/"].ID) != 10 || len(leaf.ID) != 6 {
		t.Errorf("ids %q %q do not look like API Gateway's (10 and 6 characters)", byPath["/"].ID, leaf.ID)
	}
	// The path parameter is declared on the method without being written.
	m := findMethod(t, res.Artifact, "/a/b/{id}", "GET")
	if len(m.RequestParams) != 1 || *m.RequestParams[0] != (artifact.RequestParam{Location: "path", Name: "id", Required: true}) {
		t.Errorf("request params = %+v", m.RequestParams)
	}
}

func TestAuthorizationAndDefaults(t *testing.T) {
	res := mustCompileYAML(t, api(`requestValidators: {all: {body: true, params: true}}
requestValidator: all
authorizers:
  tok: {type: TOKEN, function: auth}
  pool: {type: COGNITO_USER_POOLS, providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x]}
resources:
  /a:
    GET:
      authorizer: tok
      integration: {http: {uri: "https://example.com/a"}}
    ANY:
      authorizer: pool
      scopes: [read]
      request: {validator: NONE}
      integration: {httpProxy: {uri: "https://example.com/a"}}
    POST:
      integration: {awsProxy: {function: my-fn}}
    PUT:
      authorization: AWS_IAM
      integration: {mock: {}}`))
	a := res.Artifact
	get := findMethod(t, a, "/a", "GET")
	if get.Authorization != "CUSTOM" || get.Validator == nil || get.Validator.Name != "all" {
		t.Errorf("GET: authorization %s, validator %+v", get.Authorization, get.Validator)
	}
	if get.Integration.HTTPMethod != "GET" || get.Integration.TimeoutMillis != 29000 || get.Integration.Passthrough != "WHEN_NO_MATCH" {
		t.Errorf("GET integration defaults: %+v", get.Integration)
	}
	anyM := findMethod(t, a, "/a", "ANY")
	if anyM.Authorization != "COGNITO_USER_POOLS" || anyM.Validator != nil || anyM.Integration.HTTPMethod != "ANY" {
		t.Errorf("ANY: %s validator %+v method %s", anyM.Authorization, anyM.Validator, anyM.Integration.HTTPMethod)
	}
	post := findMethod(t, a, "/a", "POST")
	want := "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:my-fn/invocations"
	if post.Authorization != "NONE" || post.Integration.HTTPMethod != "POST" || post.Integration.URI != want {
		t.Errorf("POST: %s %s %s", post.Authorization, post.Integration.HTTPMethod, post.Integration.URI)
	}
	if put := findMethod(t, a, "/a", "PUT"); put.Authorization != "AWS_IAM" || put.Integration.HTTPMethod != "" {
		t.Errorf("PUT: %s %q", put.Authorization, put.Integration.HTTPMethod)
	}
	if len(a.Authorizers) != 2 || a.Authorizers[0].Name != "pool" || a.Authorizers[1].IdentitySources[0] != "method.request.header.Authorization" || a.Authorizers[1].TTLSeconds != 300 {
		t.Errorf("authorizers = %+v %+v", a.Authorizers[0], a.Authorizers[1])
	}
}

func TestIntegrationResponseOrder(t *testing.T) {
	res := mustCompileYAML(t, api(`resources:
  /a:
    GET:
      integration:
        http:
          uri: "https://example.com"
          responses:
            default: {status: 200}
            "5\\d{2}": {status: 502}
            ".*not found.*": {status: 404}
            "4\\d{2}": {status: 400}
            "403": {status: 400}
      responses: {"200": {}, "400": {}, "404": {}, "502": {}}`))
	var got []string
	for _, r := range findMethod(t, res.Artifact, "/a", "GET").Integration.Responses {
		got = append(got, r.Pattern)
	}
	if strings.Join(got, " | ") != `403 | 4\d{2} | .*not found.* | 5\d{2} | ` {
		t.Errorf("order = %q", got)
	}
}

// TestGatewayResponseInheritance follows the behaviour recorded on AWS
// (§12.2): a customized type uses only its own configuration, with its
// default status when it sets none; other types of a customized family
// take the family's status and configuration; the rest keep the default
// template and the error's own status.
func TestGatewayResponseInheritance(t *testing.T) {
	res := mustCompileYAML(t, api(`gatewayResponses:
  DEFAULT_5XX:
    status: 599
    params: {header.X-Family: "'5xx'"}
    templates: {application/json: '{"family": $context.error.messageString}'}
  AUTHORIZER_FAILURE:
    params: {header.X-Own: "'own'"}
resources:
  /a:`+mockGet))
	a := res.Artifact
	if len(a.GatewayResponses) != 21 {
		t.Fatalf("%d gateway responses, want all 21", len(a.GatewayResponses))
	}
	for _, typ := range []string{"API_CONFIGURATION_ERROR", "AUTHORIZER_CONFIGURATION_ERROR", "INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT"} {
		g := findGateway(a, typ)
		if g.Status != 599 || g.From != "DEFAULT_5XX" || g.Params[0].Target != "gatewayresponse.header.X-Family" ||
			g.Templates[0].Text != `{"family": $context.error.messageString}` {
			t.Errorf("%s = %+v", typ, g)
		}
	}
	own := findGateway(a, "AUTHORIZER_FAILURE")
	if own.Status != 500 || own.From != "custom" || len(own.Params) != 1 || own.Params[0].Target != "gatewayresponse.header.X-Own" ||
		own.Templates[0].Text != DefaultGatewayTemplate {
		t.Errorf("AUTHORIZER_FAILURE = %+v", own)
	}
	if g := findGateway(a, "THROTTLED"); g.Status != 0 || g.From != "default" || g.Templates[0].Text != DefaultGatewayTemplate {
		t.Errorf("THROTTLED = %+v", g)
	}
}

func TestCORSExpansion(t *testing.T) {
	res := mustCompileYAML(t, api(`cors: {origins: ["https://app.example.com"], credentials: true}
resources:
  /pets:
    GET:
      integration: {http: {uri: "https://example.com/pets", responses: {default: {status: 200}}}}
      responses: {"200": {}}
    POST:
      integration: {httpProxy: {uri: "https://example.com/pets"}}
  /own:
    GET:
      integration: {mock: {responses: {default: {status: 200}}}}
      responses: {"200": {}}
    OPTIONS:
      integration: {mock: {responses: {default: {status: 204}}}}
      responses: {"204": {}}`))
	a := res.Artifact
	pre := findMethod(t, a, "/pets", "OPTIONS")
	if pre.Integration.Type != "MOCK" || pre.Authorization != "NONE" || pre.APIKeyRequired {
		t.Fatalf("preflight = %+v", pre)
	}
	got := map[string]string{}
	for _, p := range pre.Integration.Responses[0].Params {
		got[p.Target] = p.Source
	}
	want := map[string]string{
		"method.response.header.Access-Control-Allow-Origin":      "'https://app.example.com'",
		"method.response.header.Access-Control-Allow-Methods":     "'GET,OPTIONS,POST'",
		"method.response.header.Access-Control-Allow-Headers":     "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
		"method.response.header.Access-Control-Allow-Credentials": "'true'",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("preflight %s = %q, want %q", k, got[k], v)
		}
	}
	get := findMethod(t, a, "/pets", "GET")
	if p := get.Integration.Responses[0].Params; len(p) != 2 || p[0].Target != "method.response.header.Access-Control-Allow-Credentials" || p[1].Source != "'https://app.example.com'" {
		t.Errorf("GET response params = %+v", p)
	}
	if h := get.Responses[0].Headers; len(h) != 2 || h[1].Name != "Access-Control-Allow-Origin" {
		t.Errorf("GET method response headers = %+v", h)
	}
	if post := findMethod(t, a, "/pets", "POST"); len(post.Responses) != 0 {
		t.Errorf("a proxy method got CORS responses: %+v", post.Responses)
	}
	if own := findMethod(t, a, "/own", "OPTIONS"); own.Integration.Responses[0].Status != 204 {
		t.Errorf("an explicit OPTIONS was replaced: %+v", own.Integration.Responses[0])
	}
	for _, typ := range []string{"DEFAULT_4XX", "DEFAULT_5XX", "UNAUTHORIZED"} {
		g := findGateway(a, typ)
		if len(g.Params) != 2 || g.Params[1].Target != "gatewayresponse.header.Access-Control-Allow-Origin" {
			t.Errorf("%s params = %+v", typ, g.Params)
		}
	}
}

func TestCORSWithSeveralOrigins(t *testing.T) {
	res := mustCompileYAML(t, api(`cors: {origins: ["https://a.example.com", "https://b.example.com"]}
resources:
  /pets:
    GET:
      integration: {http: {uri: "https://example.com/pets", responses: {default: {status: 200}}}}
      responses: {"200": {}}`))
	a := res.Artifact
	tmpl := findMethod(t, a, "/pets", "GET").Integration.Responses[0].Templates
	if len(tmpl) != 1 || !strings.Contains(tmpl[0].Text, `$gwcOrigin == "https://b.example.com"`) || !strings.HasSuffix(tmpl[0].Text, "$input.body") {
		t.Errorf("templates = %+v", tmpl)
	}
	if g := findGateway(a, "DEFAULT_4XX"); g.Params[0].Source != "method.request.header.Origin" {
		t.Errorf("DEFAULT_4XX = %+v", g.Params)
	}
}

func TestAccessLogPreset(t *testing.T) {
	res := mustCompileYAML(t, api("stages: {dev: {accessLog: {format: clf}}}\nresources:\n  /a:"+mockGet))
	if got := res.Artifact.Stages[0].AccessLog.Format; got != AccessLogPresets["clf"] {
		t.Errorf("format = %q", got)
	}
}

func TestImplicitStage(t *testing.T) {
	res := mustCompileYAML(t, api("resources:\n  /a:"+mockGet))
	if len(res.Artifact.Stages) != 0 {
		t.Errorf("artifact stages = %+v; a definition without stages leaves the name to gwc serve", res.Artifact.Stages)
	}
	if len(res.API.Stages) != 1 || res.API.Stages[0].Name != "dev" {
		t.Errorf("normalized stages = %+v", res.API.Stages)
	}
}

// TestImplicitStageInUsagePlan: a usage plan may name the stage a
// definition without stages gets.
func TestImplicitStageInUsagePlan(t *testing.T) {
	res := mustCompileYAML(t, api("apiKeys: {k: {enabled: true}}\nusagePlans: {p: {stages: {dev: {}}, keys: [k]}}\nresources:\n  /a:"+mockGet))
	if got := res.Artifact.UsagePlans[0].Stages[0].Stage; got != "dev" {
		t.Errorf("usage plan stage %q", got)
	}
}

// TestDeterministic checks that the artifact depends on the definition,
// not on how it is written: building twice, and building the same API
// with its fields in another order, gives the same bytes.
func TestDeterministic(t *testing.T) {
	a := api(`stages: {dev: {variables: {a: "1", b: "2"}}, prod: {}}
resources:
  /b:` + mockGet + `
  /a:` + mockGet)
	b := api(`resources:
  /a:` + mockGet + `
  /b:` + mockGet + `
stages: {prod: {}, dev: {variables: {b: "2", a: "1"}}}`)
	r1, r2, r3 := mustCompileYAML(t, a), mustCompileYAML(t, a), mustCompileYAML(t, b)
	if !bytes.Equal(r1.APIJSON, r2.APIJSON) || !bytes.Equal(r1.Manifest, r2.Manifest) {
		t.Error("two builds of the same input differ")
	}
	if r1.Digest != r3.Digest {
		t.Errorf("reordered input changed the artifact:\n%s\n%s", r1.APIJSON, r3.APIJSON)
	}
}
