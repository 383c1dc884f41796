package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"gwc.dev/gwc/runtime"
)

// scripted is a runtime.Functions that answers from Go functions, for
// tests of the runtime's side of Lambda (events, answers); the Lambda
// plugin's own tests run real handlers.
type scripted struct {
	mu    sync.Mutex
	calls []*runtime.FunctionCall
	fn    map[string]func(payload []byte) ([]byte, string, error)
}

func (s *scripted) Invoke(_ context.Context, c *runtime.FunctionCall) (*runtime.FunctionResult, error) {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	f := s.fn[c.ARN]
	s.mu.Unlock()
	if f == nil {
		return nil, runtime.ErrFunctionNotFound
	}
	p, fe, err := f(c.Payload)
	if err != nil {
		return nil, err
	}
	return &runtime.FunctionResult{Payload: p, FunctionError: fe}, nil
}

func (s *scripted) last(t *testing.T) *runtime.FunctionCall {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.calls) == 0 {
		t.Fatal("no function was invoked")
	}
	return s.calls[len(s.calls)-1]
}

func (s *scripted) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

const fnARN = "arn:aws:lambda:us-east-1:123456789012:function:app"

func answer(payload string) func([]byte) ([]byte, string, error) {
	return func([]byte) ([]byte, string, error) { return []byte(payload), "", nil }
}

const proxyDef = `
resources:
  /{proxy+}:
    ANY:
      integration: {awsProxy: {function: app}}
  /hardcoded:
    GET:
      integration: {awsProxy: {function: app}}
`

// TestProxyEvent checks the event against the recording of §9.5.2
// (regional API, so no CloudFront headers).
func TestProxyEvent(t *testing.T) {
	fns := &scripted{fn: map[string]func([]byte) ([]byte, string, error){fnARN: answer(`{"statusCode": 200}`)}}
	api := loadYAML(t, proxyDef, runtime.Options{Functions: fns})
	r := invoke(t, api, "GET", "/dev/proxy-value?urlparam=test", "",
		"Accept: */*", "tEsT-HEADeR: aValUE", "User-Agent: python-requests/testing", "Content-Length: 0", "Connection: keep-alive")
	if r.Status != 200 {
		t.Fatalf("got %d %s\n%s", r.Status, r.Body, logText(r))
	}
	var ev map[string]any
	c := fns.last(t)
	if err := json.Unmarshal(c.Payload, &ev); err != nil {
		t.Fatalf("event is not JSON: %v\n%s", err, c.Payload)
	}
	keys := func(m any) []string {
		var out []string
		for k := range m.(map[string]any) {
			out = append(out, k)
		}
		return sortedStrings(out)
	}
	if got, want := keys(ev), []string{"body", "headers", "httpMethod", "isBase64Encoded", "multiValueHeaders",
		"multiValueQueryStringParameters", "path", "pathParameters", "queryStringParameters", "requestContext",
		"resource", "stageVariables"}; !reflect.DeepEqual(got, want) {
		t.Errorf("event keys %v", got)
	}
	for k, want := range map[string]any{
		"resource": "/{proxy+}", "path": "/proxy-value", "httpMethod": "GET", "body": nil, "isBase64Encoded": false,
		"stageVariables":                  nil,
		"queryStringParameters":           map[string]any{"urlparam": "test"},
		"multiValueQueryStringParameters": map[string]any{"urlparam": []any{"test"}},
		"pathParameters":                  map[string]any{"proxy": "proxy-value"},
	} {
		if !reflect.DeepEqual(ev[k], want) {
			t.Errorf("%s: %#v, want %#v", k, ev[k], want)
		}
	}
	h := ev["headers"].(map[string]any)
	if h["tEsT-HEADeR"] != "aValUE" || h["Accept"] != "*/*" || h["X-Forwarded-For"] != "127.0.0.1" ||
		h["X-Forwarded-Proto"] != "http" || !strings.HasPrefix(h["X-Amzn-Trace-Id"].(string), "Root=1-") {
		t.Errorf("headers %v", h)
	}
	if _, ok := h["Content-Length"]; ok {
		t.Error("Content-Length is in the event's headers")
	}
	if _, ok := h["Connection"]; ok {
		t.Error("Connection is in the event's headers")
	}
	if mv := ev["multiValueHeaders"].(map[string]any); !reflect.DeepEqual(mv["tEsT-HEADeR"], []any{"aValUE"}) {
		t.Errorf("multiValueHeaders %v", mv)
	}
	rc := ev["requestContext"].(map[string]any)
	if got, want := keys(rc), []string{"accountId", "apiId", "deploymentId", "domainName", "domainPrefix", "extendedRequestId",
		"httpMethod", "identity", "path", "protocol", "requestId", "requestTime", "requestTimeEpoch", "resourceId",
		"resourcePath", "stage"}; !reflect.DeepEqual(got, want) {
		t.Errorf("requestContext keys %v", got)
	}
	if rc["path"] != "/dev/proxy-value" || rc["resourcePath"] != "/{proxy+}" || rc["stage"] != "dev" || rc["protocol"] != "HTTP/1.1" ||
		rc["requestId"] != hget(r, "x-amzn-RequestId") || rc["extendedRequestId"] != hget(r, "x-amz-apigw-id") {
		t.Errorf("requestContext %v", rc)
	}
	id := rc["identity"].(map[string]any)
	if got, want := keys(id), []string{"accessKey", "accountId", "caller", "cognitoAuthenticationProvider", "cognitoAuthenticationType",
		"cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId", "sourceIp", "user", "userAgent", "userArn"}; !reflect.DeepEqual(got, want) {
		t.Errorf("identity keys %v", got)
	}
	if id["sourceIp"] != "127.0.0.1" || id["userAgent"] != "python-requests/testing" || id["caller"] != nil {
		t.Errorf("identity %v", id)
	}
	// Lambda sees the configured verb and the resource template.
	if want := "arn:aws:execute-api:us-east-1:123456789012:" + api.ID + "/dev/ANY/{proxy+}"; c.SourceARN != want {
		t.Errorf("source ARN %s, want %s", c.SourceARN, want)
	}
}

// TestProxyEventFields covers the field rules of §9.5.2.
func TestProxyEventFields(t *testing.T) {
	fns := &scripted{fn: map[string]func([]byte) ([]byte, string, error){fnARN: answer(`{}`)}}
	api := loadYAML(t, "binaryMediaTypes: [image/png]\nstages: {dev: {variables: {v: x}}}\n"+proxyDef, runtime.Options{Functions: fns})
	event := func(method, target, body string, header ...string) map[string]any {
		t.Helper()
		if r := invoke(t, api, method, target, body, header...); r.Status != 200 {
			t.Fatalf("%s: %d %s", target, r.Status, r.Body)
		}
		var ev map[string]any
		if err := json.Unmarshal(fns.last(t).Payload, &ev); err != nil {
			t.Fatal(err)
		}
		return ev
	}
	ev := event("GET", "/dev/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com?plus=test+alias@gmail.com&email=test%2Balias%40gmail.com&category=electronics&category=books", "")
	if ev["path"] != "/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com" ||
		ev["pathParameters"].(map[string]any)["proxy"] != "proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com" {
		t.Errorf("raw path: %v %v", ev["path"], ev["pathParameters"])
	}
	q := ev["queryStringParameters"].(map[string]any)
	if q["plus"] != "test alias@gmail.com" || q["email"] != "test+alias@gmail.com" || q["category"] != "books" {
		t.Errorf("query %v", q)
	}
	if mq := ev["multiValueQueryStringParameters"].(map[string]any); !reflect.DeepEqual(mq["category"], []any{"electronics", "books"}) {
		t.Errorf("multi query %v", mq)
	}
	ev = event("GET", "/dev/proxy-value/", "")
	if ev["path"] != "/proxy-value/" || ev["pathParameters"].(map[string]any)["proxy"] != "proxy-value" {
		t.Errorf("trailing slash: %v %v", ev["path"], ev["pathParameters"])
	}
	ev = event("GET", "/dev/hardcoded", "")
	if ev["pathParameters"] != nil || ev["queryStringParameters"] != nil || !reflect.DeepEqual(ev["stageVariables"], map[string]any{"v": "x"}) {
		t.Errorf("hardcoded: %v %v %v", ev["pathParameters"], ev["queryStringParameters"], ev["stageVariables"])
	}
	ev = event("POST", "/dev/x", "\x89PNG\x00", "Content-Type: image/png")
	if ev["body"] != "iVBORwA=" || ev["isBase64Encoded"] != true {
		t.Errorf("binary body: %v %v", ev["body"], ev["isBase64Encoded"])
	}
	ev = event("POST", "/dev/x", `{"a": 1}`, "Content-Type: application/json", "X-Forwarded-For: 10.0.0.1")
	if ev["body"] != `{"a": 1}` || ev["isBase64Encoded"] != false || ev["headers"].(map[string]any)["X-Forwarded-For"] != "10.0.0.1, 127.0.0.1" {
		t.Errorf("text body: %v %v %v", ev["body"], ev["isBase64Encoded"], ev["headers"])
	}
}

// TestProxyAnswers replays the table of §9.5.3.
func TestProxyAnswers(t *testing.T) {
	var payload string
	fns := &scripted{fn: map[string]func([]byte) ([]byte, string, error){fnARN: func([]byte) ([]byte, string, error) {
		return []byte(payload), "", nil
	}}}
	api := loadYAML(t, "binaryMediaTypes: [image/png]\n"+proxyDef, runtime.Options{Functions: fns})
	for _, c := range []struct {
		payload, accept string
		status          int
		body            string
		header          [2]string
	}{
		{`{"statusCode": 200}`, "", 200, "", [2]string{"Content-Type", "application/json"}},
		{`{}`, "", 200, "", [2]string{}},
		{`{"headers": {"test-header": "value"}}`, "", 200, "", [2]string{"test-header", "value"}},
		{`{"statusCode": "201"}`, "", 201, "", [2]string{}},
		{`{"statusCode": "test"}`, "", 502, `{"message": "Internal server error"}`, [2]string{"x-amzn-ErrorType", "InternalServerErrorException"}},
		{`{"statusCode": 200, "wrongValue": "value"}`, "", 502, `{"message": "Internal server error"}`, [2]string{}},
		{`"justAString"`, "", 502, `{"message": "Internal server error"}`, [2]string{}},
		{`not json`, "", 502, `{"message": "Internal server error"}`, [2]string{}},
		{`{"statusCode":200,"headers":{"header-bool": true}}`, "", 200, "", [2]string{"header-bool", "true"}},
		{`{"statusCode":200,"headers": null}`, "", 200, "", [2]string{}},
		{`{"statusCode":200,"multiValueHeaders": {"test-multi": ["value1","value2"]}}`, "", 200, "", [2]string{"test-multi", "value1, value2"}},
		{`{"statusCode":200,"multiValueHeaders": {"test-multi": ["value-multi"]}, "headers": {"test-multi": "value-solo"}}`, "", 200, "", [2]string{"test-multi", "value-multi, value-solo"}},
		{`{"statusCode":200,"multiValueHeaders": {"tesT-Multi": ["value-multi"]}, "headers": {"test-multi": "value-solo"}}`, "", 200, "", [2]string{"tesT-Multi", "value-multi, value-solo"}},
		{`{"statusCode":200,"multiValueHeaders": {"test-multi-invalid": "value1"}}`, "", 502, `{"message": "Internal server error"}`, [2]string{}},
		{`{"statusCode":200,"body": {"a": 1}}`, "", 502, `{"message": "Internal server error"}`, [2]string{}},
		{`{"statusCode":200,"body": "aGVsbG8=","isBase64Encoded": true}`, "", 200, "aGVsbG8=", [2]string{}},
		{`{"statusCode":200,"body": "aGVsbG8="}`, "image/png", 200, "aGVsbG8=", [2]string{}},
		{`{"statusCode":200,"body": "aGVsbG8=","isBase64Encoded": true}`, "image/png", 200, "hello", [2]string{}},
		// A wildcard in the request does not match a configured type.
		{`{"statusCode":200,"body": "aGVsbG8=","isBase64Encoded": true}`, "image/*", 200, "aGVsbG8=", [2]string{}},
		{`{"statusCode":200,"headers":{"Server": "lambda", "Date": "d"}}`, "", 200, "", [2]string{"x-amzn-Remapped-Server", "lambda"}},
	} {
		payload = c.payload
		var hs []string
		if c.accept != "" {
			hs = append(hs, "Accept: "+c.accept)
		}
		r := invoke(t, api, "GET", "/dev/x", "", hs...)
		if r.Status != c.status || string(r.Body) != c.body {
			t.Errorf("%s: got %d %q, want %d %q", c.payload, r.Status, r.Body, c.status, c.body)
		}
		if c.header[0] != "" && hget(r, c.header[0]) != c.header[1] {
			t.Errorf("%s: header %s = %q, want %q (%v)", c.payload, c.header[0], hget(r, c.header[0]), c.header[1], r.Header)
		}
	}
}

// TestProxyFailures: function errors are 502, invocation failures 500,
// a timeout 504 (§9.5).
func TestProxyFailures(t *testing.T) {
	fns := &scripted{fn: map[string]func([]byte) ([]byte, string, error){
		fnARN: func([]byte) ([]byte, string, error) {
			return []byte(`{"errorMessage":"boom","errorType":"Error"}`), "Unhandled", nil
		},
		"arn:aws:lambda:us-east-1:123456789012:function:slow": func([]byte) ([]byte, string, error) { return nil, "", runtime.ErrTimeout },
		"arn:aws:lambda:us-east-1:123456789012:function:down": func([]byte) ([]byte, string, error) { return nil, "", errors.New("connection refused") },
		"arn:aws:lambda:us-east-1:123456789012:function:big":  func([]byte) ([]byte, string, error) { return nil, "", runtime.ErrPayloadTooLarge },
	}}
	api := loadYAML(t, `
resources:
  /error: {GET: {integration: {awsProxy: {function: app}}}}
  /slow: {GET: {integration: {awsProxy: {function: slow}}}}
  /down: {GET: {integration: {awsProxy: {function: down}}}}
  /missing: {GET: {integration: {awsProxy: {function: nothere}}}}
  /big: {GET: {integration: {awsProxy: {function: big}}}}
  /big-custom: {GET: {integration: {aws: {function: big, responses: {default: {status: 200}}}}, responses: {"200": {}}}}
`, runtime.Options{Functions: fns})
	for _, c := range []struct {
		path   string
		status int
		body   string
	}{
		{"/error", 502, `{"message": "Internal server error"}`},
		{"/slow", 504, `{"message": "Endpoint request timed out"}`},
		{"/down", 500, `{"message": "Internal server error"}`},
		{"/missing", 500, `{"message": "Internal server error"}`},
		// An event over Lambda's limit: 502 through a proxy, 500 otherwise (§15.1).
		{"/big", 502, `{"message": "Internal server error"}`},
		{"/big-custom", 500, `{"message": "Internal server error"}`},
	} {
		r := invoke(t, api, "GET", "/dev"+c.path, "")
		if r.Status != c.status || string(r.Body) != c.body {
			t.Errorf("%s: %d %s, want %d %s", c.path, r.Status, r.Body, c.status, c.body)
		}
	}
	// Without Functions configured, Lambda methods answer 500 and say why.
	api = loadYAML(t, "resources:\n  /error: {GET: {integration: {awsProxy: {function: app}}}}", runtime.Options{})
	r := invoke(t, api, "GET", "/dev/error", "")
	if r.Status != 500 || !strings.Contains(logText(r), "--function") {
		t.Errorf("no functions: %d %s\n%s", r.Status, r.Body, logText(r))
	}
}

// TestLambdaCustom covers the AWS (non-proxy) Lambda integration of §9.6
// with the recorded selection-pattern case.
func TestLambdaCustom(t *testing.T) {
	var fail string
	fns := &scripted{fn: map[string]func([]byte) ([]byte, string, error){fnARN: func(p []byte) ([]byte, string, error) {
		if fail != "" {
			b, _ := json.Marshal(map[string]any{"errorMessage": fail, "errorType": "Exception", "stackTrace": []string{}})
			return b, "Unhandled", nil
		}
		return []byte(`"Pass"`), "", nil
	}}}
	api := loadYAML(t, `
resources:
  /x:
    POST:
      integration:
        aws:
          function: app
          responses:
            default: {status: 200}
            ".*four hundred.*": {status: 405}
            ".+": {status: 502}
            "200": {status: 504}
      responses: {"200": {}, "405": {}, "502": {}, "504": {}}
`, runtime.Options{Functions: fns})
	for _, c := range []struct {
		fail   string
		status int
		body   string
	}{
		{"", 200, `"Pass"`},
		{"Error: Raising four hundred from within the Lambda function", 405, ""},
		{"some other error", 502, ""},
	} {
		fail = c.fail
		r := invoke(t, api, "POST", "/dev/x", "")
		if r.Status != c.status || c.body != "" && string(r.Body) != c.body {
			t.Errorf("error %q: %d %s, want %d\n%s", c.fail, r.Status, r.Body, c.status, logText(r))
		}
	}
	// An empty passthrough body is sent as {}.
	if got := string(fns.last(t).Payload); got != "{}" {
		t.Errorf("event %q", got)
	}
}

func sortedStrings(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}
