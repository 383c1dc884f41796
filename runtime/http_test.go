package runtime_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestHTTPRequestHeaders: with no mappings, the backend gets runtime.API Gateway's
// own headers and none of the client's (§9.3, recorded).
func TestHTTPRequestHeaders(t *testing.T) {
	b := startBackend(t)
	api := loadYAML(t, `
resources:
  /x:
    GET:
      integration:
        http:
          uri: http://${stageVariables.backend}/path
          responses: {default: {status: 200}}
      responses: {"200": {}}
`, httpOptions(t, b))
	r := invoke(t, api, "GET", "/dev/x?q=1", "", "X-Client: 1", "Accept: text/html", "Cookie: a=b")
	if r.Status != 200 {
		t.Fatalf("got %d %s\n%s", r.Status, r.Body, logText(r))
	}
	s := b.seen(t)
	if s.Method != "GET" || s.URI != "/path" || s.Host != b.addr {
		t.Errorf("request line: %s %s (Host %s)", s.Method, s.URI, s.Host)
	}
	// The recorded request (§9.3), Content-Length: 0 included.
	want := []string{"Host", "User-Agent", "Accept", "Content-Length", "X-Amzn-Apigateway-Api-Id", "X-Amzn-Trace-Id"}
	got := s.names()
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("headers sent %v, want %v", got, want)
	}
	if v, _ := s.get("Content-Length"); v != "0" {
		t.Errorf("Content-Length: %q", v)
	}
	if v, _ := s.get("Accept"); v != "application/json" {
		t.Errorf("Accept: %q", v)
	}
	if v, _ := s.get("User-Agent"); v != "AmazonAPIGateway_"+api.ID {
		t.Errorf("User-Agent: %q", v)
	}
	if v, _ := s.get("X-Amzn-Apigateway-Api-Id"); v != api.ID {
		t.Errorf("X-Amzn-Apigateway-Api-Id: %q", v)
	}
	trace, _ := s.get("X-Amzn-Trace-Id")
	if !regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$`).MatchString(trace) {
		t.Errorf("X-Amzn-Trace-Id: %q", trace)
	}
	// The response carries the trace id for HTTP integrations (§13), and
	// no backend header unless mapped.
	if hget(r, "X-Amzn-Trace-Id") != trace {
		t.Errorf("response X-Amzn-Trace-Id %q, sent %q", hget(r, "X-Amzn-Trace-Id"), trace)
	}
	if hget(r, "Content-Type") != "application/json" || len(r.Header) != 4 {
		t.Errorf("response headers %v", r.Header)
	}
}

// TestHTTPTraceID: a client's trace id is kept, and completed with a
// Parent when it has only a Root (§9.1).
func TestHTTPTraceID(t *testing.T) {
	b := startBackend(t)
	api := loadYAML(t, `
resources:
  /x:
    GET:
      integration: {http: {uri: "http://${stageVariables.backend}/", responses: {default: {status: 200}}}}
      responses: {"200": {}}
`, httpOptions(t, b))
	full := "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
	invoke(t, api, "GET", "/dev/x", "", "X-Amzn-Trace-Id: "+full)
	if v, _ := b.seen(t).get("X-Amzn-Trace-Id"); v != full {
		t.Errorf("full trace id became %q", v)
	}
	invoke(t, api, "GET", "/dev/x", "", "X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793")
	v, _ := b.seen(t).get("X-Amzn-Trace-Id")
	if !regexp.MustCompile(`^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16}$`).MatchString(v) {
		t.Errorf("root-only trace id became %q", v)
	}
}

// TestHTTPMappings covers the mapping sources of §7.2 and their targets.
func TestHTTPMappings(t *testing.T) {
	b := startBackend(t)
	api := loadYAML(t, `
stages: {dev: {variables: {v: stage-value}}}
resources:
  /items/{id}:
    POST:
      request:
        params:
          path.id: {}
          querystring.q: {}
          querystring.multi: {}
          querystring.nothere: {}
          header.X-Single: {}
          header.X-Multi: {}
      integration:
        http:
          method: PUT
          uri: http://${stageVariables.backend}/backend/{bid}?fixed=1
          params:
            path.bid: method.request.path.id
            querystring.q2: method.request.querystring.q
            querystring.many: method.request.multivaluequerystring.multi
            querystring.absent: method.request.querystring.nothere
            header.X-Single: method.request.header.X-Single
            header.X-Joined: method.request.multivalueheader.X-Multi
            header.X-Literal: "'lit value'"
            header.X-Stage: stageVariables.v
            header.X-Ctx: context.httpMethod
            header.X-Body: method.request.body.name
            header.X-Whole: method.request.body
            header.Accept: "'text/plain'"
          responses: {default: {status: 200}}
      responses: {"200": {}}
`, httpOptions(t, b))
	r := invoke(t, api, "POST", "/dev/items/42?q=a&q=b&multi=1&multi=2", `{"name": "rex"}`,
		"X-Single: one", "X-Single: two", "X-Multi: m1", "X-Multi: m2", "Content-Type: application/json")
	if r.Status != 200 {
		t.Fatalf("got %d %s\n%s", r.Status, r.Body, logText(r))
	}
	s := b.seen(t)
	if s.Method != "PUT" {
		t.Errorf("integration verb: %s", s.Method)
	}
	// Single-value sources take the last value; multi-value query
	// strings repeat; an absent source sets nothing.
	u, err := url.Parse(s.URI)
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"fixed": {"1"}, "q2": {"b"}, "many": {"1", "2"}}
	if !strings.HasPrefix(s.URI, "/backend/42?fixed=1&") || !reflect.DeepEqual(u.Query(), want) {
		t.Errorf("URI %s, want the query %v after the URI's own", s.URI, want)
	}
	for name, want := range map[string]string{
		"X-Single":     "two",
		"X-Joined":     "m1,m2",
		"X-Literal":    "lit value",
		"X-Stage":      "stage-value",
		"X-Ctx":        "POST",
		"X-Body":       "rex",
		"X-Whole":      `{"name": "rex"}`,
		"Accept":       "text/plain",
		"Content-Type": "application/json",
	} {
		if v, _ := s.get(name); v != want {
			t.Errorf("%s: %q, want %q", name, v, want)
		}
	}
	if s.Body != `{"name": "rex"}` {
		t.Errorf("body %q", s.Body)
	}
}

// TestHTTPBodyMappingErrors: body sources read JSON only when the body
// starts like JSON; malformed JSON that does is a 400 (§7.2).
func TestHTTPBodyMappingErrors(t *testing.T) {
	b := startBackend(t)
	api := loadYAML(t, `
resources:
  /x:
    POST:
      integration:
        http:
          uri: http://${stageVariables.backend}/
          params: {header.X-Name: method.request.body.name, header.X-Body: method.request.body}
          responses: {default: {status: 200}}
      responses: {"200": {}}
`, httpOptions(t, b))
	r := invoke(t, api, "POST", "/dev/x", `{"name": `)
	if r.Status != 400 || string(r.Body) != `{"message":"Invalid JSON in request body"}` {
		t.Errorf("malformed JSON: %d %s", r.Status, r.Body)
	}
	r = invoke(t, api, "POST", "/dev/x", `name=rex`)
	if r.Status != 200 {
		t.Fatalf("form body: %d %s", r.Status, r.Body)
	}
	s := b.seen(t)
	if _, ok := s.get("X-Name"); ok {
		t.Errorf("X-Name set from a non-JSON body")
	}
	if v, _ := s.get("X-Body"); v != "name=rex" {
		t.Errorf("X-Body %q", v)
	}
	// method.request.body of an empty body is {}.
	invoke(t, api, "POST", "/dev/x", ``)
	if v, _ := b.seen(t).get("X-Body"); v != "{}" {
		t.Errorf("empty body mapped as %q", v)
	}
}

// TestHTTPForbiddenMappings: mapping a header runtime.API Gateway sets itself
// fails every call with a 500; the dropped ones are never sent (§7.2,
// §9.3).
func TestHTTPForbiddenMappings(t *testing.T) {
	b := startBackend(t)
	for _, h := range []string{"Content-Length", "Transfer-Encoding", "X-Amzn-Trace-Id", "X-Amzn-Apigateway-Api-Id"} {
		api := loadYAML(t, `
resources:
  /x:
    GET:
      integration:
        http:
          uri: http://${stageVariables.backend}/
          params: {header.`+h+`: "'1'"}
          responses: {default: {status: 200}}
      responses: {"200": {}}
`, httpOptions(t, b))
		r := invoke(t, api, "GET", "/dev/x", "")
		if r.Status != 500 || string(r.Body) != `{"message": "Internal server error"}` || hget(r, "x-amzn-ErrorType") != "InternalServerErrorException" {
			t.Errorf("mapping %s: %d %s", h, r.Status, r.Body)
		}
	}
	api := loadYAML(t, `
resources:
  /x:
    GET:
      integration:
        http:
          uri: http://${stageVariables.backend}/
          params: {header.Expect: "'100-continue'", header.TE: "'trailers'", header.Via: "'1.1 x'", header.Proxy-Authenticate: "'x'", header.Max-Forwards: "'3'", header.Server: "'s'"}
          responses: {default: {status: 200}}
      responses: {"200": {}}
`, httpOptions(t, b))
	if r := invoke(t, api, "GET", "/dev/x", ""); r.Status != 200 {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	s := b.seen(t)
	for _, h := range []string{"Expect", "TE", "Via", "Proxy-Authenticate"} {
		if _, ok := s.get(h); ok {
			t.Errorf("%s was sent", h)
		}
	}
	for _, h := range []string{"Max-Forwards", "Server"} {
		if _, ok := s.get(h); !ok {
			t.Errorf("%s was not sent", h)
		}
	}
}

// TestHTTPStatusSelection: the client gets the selected integration
// response's status, not the backend's (§9.3, recorded).
func TestHTTPStatusSelection(t *testing.T) {
	b := startBackend(t)
	api := loadYAML(t, `
resources:
  /x:
    GET:
      integration:
        http:
          uri: http://${stageVariables.backend}/
          responses: {default: {status: 200}, "4\\d{2}": {status: 400}}
      responses: {"200": {}, "400": {}}
  /only-400:
    GET:
      integration:
        http:
          uri: http://${stageVariables.backend}/
          responses: {"4\\d{2}": {status: 400}}
      responses: {"400": {}}
`, httpOptions(t, b))
	for _, c := range []struct {
		path          string
		backend, want int
	}{
		{"/x", 201, 200},
		{"/x", 404, 400},
		{"/x", 500, 200},
		{"/only-400", 404, 400},
		// No match and no default: 500 (§9.3).
		{"/only-400", 200, 500},
	} {
		status := c.backend
		b.setAnswer(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Backend", "1")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"from": "backend"}`))
		})
		r := invoke(t, api, "GET", "/dev"+c.path, "")
		if r.Status != c.want {
			t.Errorf("%s backend %d: got %d %s, want %d", c.path, c.backend, r.Status, r.Body, c.want)
		}
		if c.want != 500 && string(r.Body) != `{"from": "backend"}` {
			t.Errorf("%s backend %d: body %s", c.path, c.backend, r.Body)
		}
		if hhas(r, "X-Backend") {
			t.Errorf("an unmapped backend header came back")
		}
	}
}

// TestHTTPFailures: a timeout and a network error get their gateway
// responses (§9.1).
func TestHTTPFailures(t *testing.T) {
	b := startBackend(t)
	b.setAnswer(slow(5 * time.Second))
	opts := httpOptions(t, b)
	opts.StageVariables["closed"] = closedAddr(t)
	api := loadYAML(t, `
resources:
  /slow:
    GET:
      integration: {http: {uri: "http://${stageVariables.backend}/", timeout: 50, responses: {default: {status: 200}}}}
      responses: {"200": {}}
  /closed:
    GET:
      integration: {http: {uri: "http://${stageVariables.closed}/", responses: {default: {status: 200}}}}
      responses: {"200": {}}
  /proxy-slow:
    GET:
      integration: {httpProxy: {uri: "http://${stageVariables.backend}/", timeout: 50}}
`, opts)
	for _, c := range []struct {
		path string
		body string
	}{
		{"/slow", `{"message": "Endpoint request timed out"}`},
		{"/proxy-slow", `{"message": "Endpoint request timed out"}`},
		{"/closed", `{"message": "Network error communicating with endpoint"}`},
	} {
		r := invoke(t, api, "GET", "/dev"+c.path, "")
		if r.Status != 504 || string(r.Body) != c.body || hget(r, "x-amzn-ErrorType") != "InternalServerErrorException" {
			t.Errorf("%s: %d %s (%s)\n%s", c.path, r.Status, r.Body, hget(r, "x-amzn-ErrorType"), logText(r))
		}
		if hhas(r, "X-Amzn-Trace-Id") {
			t.Errorf("%s: a gateway error carries X-Amzn-Trace-Id", c.path)
		}
	}
}

// TestHTTPProxyRecorded replays §9.4's recorded HTTP_PROXY case: URI
// query values first, then the client's, then mapped ones; mapped headers
// replace the client's.
func TestHTTPProxyRecorded(t *testing.T) {
	b := startBackend(t)
	api := loadYAML(t, `
resources:
  /{pathVariable}:
    ANY:
      request:
        params: {path.pathVariable: {}, querystring.testVar: {}, querystring.testQueryString: {}, header.foobar: {}}
      integration:
        httpProxy:
          uri: http://${stageVariables.backend}/test?testVar={pathVar}&testQs={qsVar}
          params:
            path.pathVar: method.request.path.pathVariable
            path.qsVar: method.request.querystring.testVar
            querystring.testQs: method.request.querystring.testQueryString
            querystring.queryString: method.request.querystring.testQueryString
            header.headerVar: method.request.header.foobar
`, httpOptions(t, b))
	r := invoke(t, api, "POST", "/dev/foobar?testQueryString=foo&testVar=bar", `{"a": 1}`,
		"headerVar: request-value", "foobar: mapped-value", "Content-Type: application/json")
	if r.Status != 200 {
		t.Fatalf("got %d %s\n%s", r.Status, r.Body, logText(r))
	}
	s := b.seen(t)
	if s.Method != "POST" {
		t.Errorf("verb %s", s.Method)
	}
	u, err := url.Parse(s.URI)
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"testVar": {"foobar", "bar"}, "testQs": {"bar", "foo"}, "queryString": {"foo"}, "testQueryString": {"foo"}}
	if got := u.Query(); u.Path != "/test" || !reflect.DeepEqual(got, want) {
		t.Errorf("URI %s: query %v, want %v", s.URI, got, want)
	}
	var headerVar []string
	for _, h := range s.Header {
		if strings.EqualFold(h[0], "headerVar") {
			headerVar = append(headerVar, h[1])
		}
	}
	if !slices.Equal(headerVar, []string{"mapped-value"}) {
		t.Errorf("headerVar %v", headerVar)
	}
	if s.Body != `{"a": 1}` {
		t.Errorf("body %q", s.Body)
	}
}

// TestHTTPProxyHeaders: what HTTP_PROXY forwards and what it does not
// (§9.4, recorded), and the response headers it remaps.
func TestHTTPProxyHeaders(t *testing.T) {
	b := startBackend(t)
	api := loadYAML(t, `
resources:
  /{proxy+}:
    ANY:
      request: {params: {path.proxy: {}}}
      integration:
        httpProxy:
          uri: http://${stageVariables.backend}/{proxy}
          params: {path.proxy: method.request.path.proxy}
`, httpOptions(t, b))
	forwarded := []string{"Accept: text/html", "Accept-Charset: utf-8", "Accept-Encoding: gzip", "Age: 1", "Authorization: Bearer t",
		"Content-Type: text/plain", "Date: Tue, 15 Nov 1994 08:12:31 GMT", "Pragma: no-cache", "Range: bytes=0-1", "Referer: http://r/",
		"User-Agent: test-agent", "Warn: 1", "x-Custom-CASE: kept"}
	dropped := []string{"Content-MD5: x", "Expect: 100-continue", "Max-Forwards: 2", "Proxy-Authenticate: x", "Server: s", "TE: trailers",
		"Trailer: x", "Upgrade: h2c", "WWW-Authenticate: x", "Content-Encoding: identity", "Via: 1.1 proxy"}
	r := invoke(t, api, "PATCH", "/dev/a/b%20c?x=1&x=2", "body", append(forwarded, dropped...)...)
	if r.Status != 200 {
		t.Fatalf("got %d %s\n%s", r.Status, r.Body, logText(r))
	}
	var s seenRequest
	if err := json.Unmarshal(r.Body, &s); err != nil {
		t.Fatal(err)
	}
	b.seen(t)
	if s.Method != "PATCH" || s.URI != "/a/b%20c?x=1&x=2" {
		t.Errorf("request line %s %s", s.Method, s.URI)
	}
	for _, h := range forwarded {
		name, value, _ := strings.Cut(h, ": ")
		found := false
		for _, sh := range s.Header {
			if sh[0] == name && sh[1] == value {
				found = true
			}
		}
		if !found {
			t.Errorf("%s was not forwarded as sent: %v", h, s.Header)
		}
	}
	for _, h := range dropped {
		name, _, _ := strings.Cut(h, ": ")
		if _, ok := s.get(name); ok {
			t.Errorf("%s was forwarded", name)
		}
	}
	if v, _ := s.get("X-Amzn-Apigateway-Api-Id"); v != api.ID {
		t.Errorf("X-Amzn-Apigateway-Api-Id %q", v)
	}
	if _, ok := s.get("X-Amzn-Trace-Id"); !ok {
		t.Errorf("no X-Amzn-Trace-Id")
	}
	if s.Host != b.addr {
		t.Errorf("Host %s", s.Host)
	}
	// The answer comes back as it is, with the backend's Content-Length,
	// Date and Server remapped; HTTP_PROXY answers carry no trace id.
	b.setAnswer(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "backend/1")
		w.Header().Set("X-Amzn-RequestId", "backend-id")
		w.Header().Set("X-Thing", "t")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(418)
		_, _ = w.Write([]byte("teapot"))
	})
	r = invoke(t, api, "GET", "/dev/x", "")
	if r.Status != 418 || string(r.Body) != "teapot" {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	for name, want := range map[string]string{
		"X-Thing": "t", "Content-Type": "text/plain", "x-amzn-Remapped-Server": "backend/1",
		"x-amzn-Remapped-Content-Length": "6", "x-amzn-Remapped-X-Amzn-Requestid": "backend-id",
	} {
		if got := hget(r, name); got != want {
			t.Errorf("response %s: %q, want %q (%v)", name, got, want, r.Header)
		}
	}
	if !hhas(r, "x-amzn-Remapped-Date") || hhas(r, "X-Amzn-Trace-Id") || hget(r, "x-amzn-RequestId") == "backend-id" {
		t.Errorf("response headers %v", r.Header)
	}
}
