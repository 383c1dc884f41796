package runtime_test

import (
	"fmt"
	"gwc.dev/gwc/runtime"
	"strings"
	"testing"
)

// mockMethod is a MOCK method whose response body names the resource, so
// that tests see which one served a request.
func mockMethod(verb, path string) string {
	return fmt.Sprintf(`
      %s:
        integration:
          mock:
            templates: {application/json: '{"statusCode": 200}'}
            responses: {default: {status: 200, templates: {application/json: '%s %s $input.params()'}}}
        responses: {"200": {}}`, verb, verb, path)
}

func resources(defs ...[2]string) string {
	var b strings.Builder
	b.WriteString("resources:\n")
	byPath := map[string][]string{}
	var order []string
	for _, d := range defs {
		if _, ok := byPath[d[1]]; !ok {
			order = append(order, d[1])
		}
		byPath[d[1]] = append(byPath[d[1]], d[0])
	}
	for _, p := range order {
		b.WriteString("  " + p + ":")
		for _, v := range byPath[p] {
			if v == "" {
				continue
			}
			b.WriteString(mockMethod(v, p))
		}
		if byPath[p][0] == "" {
			b.WriteString(" {}")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestRoutingMeasured replays the routing cases measured on runtime.API Gateway
// (§3.3): a node without the verb lets the request fall through to the
// proxy.
func TestRoutingMeasured(t *testing.T) {
	api := loadYAML(t, resources(
		[2]string{"ANY", "/{proxy+}"},
		[2]string{"", "/jobs"},
		[2]string{"GET", "/jobs/{operation_type}"},
		[2]string{"OPTIONS", "/cors_only"},
	), runtime.Options{})
	for _, c := range []struct{ verb, path, want string }{
		{"GET", "/jobs/reboot", "GET /jobs/{operation_type} {path={operation_type=reboot}, querystring={}, header={Host=localhost}}"},
		{"GET", "/jobs", "ANY /{proxy+} {path={proxy=jobs}, querystring={}, header={Host=localhost}}"},
		{"POST", "/jobs", "ANY /{proxy+}"},
		{"POST", "/jobs/reboot", "ANY /{proxy+} {path={proxy=jobs/reboot}"},
		{"GET", "/cors_only", "ANY /{proxy+}"},
		{"OPTIONS", "/cors_only", "OPTIONS /cors_only"},
	} {
		r := invoke(t, api, c.verb, "/dev"+c.path, "")
		if r.Status != 200 || !strings.HasPrefix(string(r.Body), c.want) {
			t.Errorf("%s %s: got %d %q, want %q", c.verb, c.path, r.Status, r.Body, c.want)
		}
	}
}

// TestRoutingLocalStackValidated replays the AWS-validated LocalStack
// routing cases of §3.3.
func TestRoutingLocalStackValidated(t *testing.T) {
	api := loadYAML(t, resources(
		[2]string{"POST", "/test"},
		[2]string{"ANY", "/test/any"},
		[2]string{"OPTIONS", "/{proxy+}"},
	), runtime.Options{})
	for _, c := range []struct{ verb, path, want string }{
		{"OPTIONS", "/test", "OPTIONS /{proxy+}"},
		{"POST", "/test", "POST /test "},
		{"OPTIONS", "/test/any", "ANY /test/any"},
		{"GET", "/test/any", "ANY /test/any"},
	} {
		r := invoke(t, api, c.verb, "/dev"+c.path, "")
		if r.Status != 200 || !strings.HasPrefix(string(r.Body), c.want) {
			t.Errorf("%s %s: got %d %q, want %q", c.verb, c.path, r.Status, r.Body, c.want)
		}
	}
	api = loadYAML(t, resources(
		[2]string{"GET", "/part1"},
		[2]string{"GET", "/{param+}"},
		[2]string{"GET", "/part1/hardcoded-value"},
	), runtime.Options{})
	for _, c := range []struct{ path, want string }{
		{"/part1", "GET /part1 "},
		{"/part1/hardcoded-value", "GET /part1/hardcoded-value "},
		{"/part1/random-value", "GET /{param+} {path={param=part1/random-value}"},
	} {
		r := invoke(t, api, "GET", "/dev"+c.path, "")
		if r.Status != 200 || !strings.HasPrefix(string(r.Body), c.want) {
			t.Errorf("GET %s: got %d %q, want %q", c.path, r.Status, r.Body, c.want)
		}
	}
}

// TestRoutingPaths covers §2.3 and §3.4: slashes, raw values, case, verbs
// and the root.
func TestRoutingPaths(t *testing.T) {
	api := loadYAML(t, resources(
		[2]string{"GET", "/hardcoded"},
		[2]string{"GET", "/foo/{param}"},
		[2]string{"GET", "/proxy-value/{proxy+}"},
		[2]string{"ANY", "/{any+}"},
	), runtime.Options{})
	for _, c := range []struct {
		verb, path string
		status     int
		want       string
	}{
		// Leading duplicate slashes collapse for routing.
		{"GET", "//hardcoded", 200, "GET /hardcoded "},
		// A trailing slash is ignored for matching; the greedy value drops it.
		{"GET", "/hardcoded/", 200, "GET /hardcoded "},
		{"GET", "/proxy-value/a/", 200, "GET /proxy-value/{proxy+} {path={proxy=a}"},
		// Inner slashes of a greedy value are kept, raw.
		{"GET", "/proxy-value/a//b", 200, "GET /proxy-value/{proxy+} {path={proxy=a//b}"},
		// Percent-encoding is not decoded; %2F does not split segments.
		{"GET", "/foo/foo%2Fbar/", 200, "GET /foo/{param} {path={param=foo%2Fbar}"},
		{"GET", "/proxy-value/test%2Balias@gmail.com/plus/test+alias@gmail.com", 200,
			"GET /proxy-value/{proxy+} {path={proxy=test%2Balias@gmail.com/plus/test+alias@gmail.com}"},
		// Paths are case-sensitive: /HARDCODED goes to the proxy.
		{"GET", "/HARDCODED", 200, "ANY /{any+} {path={any=HARDCODED}"},
		// ANY covers the seven verbs only; HEAD is not served by GET.
		{"HEAD", "/hardcoded", 200, "ANY /{any+}"},
		{"TRACE", "/x", 403, `{"message":"Missing Authentication Token"}`},
		{"PROPFIND", "/x", 403, `{"message":"Missing Authentication Token"}`},
		// A greedy resource never matches the root.
		{"GET", "/", 403, `{"message":"Missing Authentication Token"}`},
		{"GET", "", 403, `{"message":"Missing Authentication Token"}`},
	} {
		r := invoke(t, api, c.verb, "/dev"+c.path, "")
		if r.Status != c.status || !strings.HasPrefix(string(r.Body), c.want) {
			t.Errorf("%s %q: got %d %q, want %d %q", c.verb, c.path, r.Status, r.Body, c.status, c.want)
		}
	}
}

// TestRoutingNotFound: unknown paths and undeclared verbs get
// MISSING_AUTHENTICATION_TOKEN with its error type (§3.3 step 5), and an
// unknown stage 403 Forbidden (§2.2).
func TestRoutingNotFound(t *testing.T) {
	api := loadYAML(t, resources([2]string{"GET", "/a"}), runtime.Options{})
	for _, c := range []struct {
		verb, target string
		status       int
		body, etype  string
	}{
		{"GET", "/dev/b", 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
		{"POST", "/dev/a", 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
		{"GET", "/prod/a", 403, `{"message":"Forbidden"}`, "ForbiddenException"},
		{"GET", "/Dev/a", 403, `{"message":"Forbidden"}`, "ForbiddenException"},
		{"GET", "/", 403, `{"message":"Forbidden"}`, "ForbiddenException"},
	} {
		r := invoke(t, api, c.verb, c.target, "")
		if r.Status != c.status || string(r.Body) != c.body || hget(r, "x-amzn-ErrorType") != c.etype {
			t.Errorf("%s %s: got %d %q (%s), want %d %q (%s)", c.verb, c.target, r.Status, r.Body, hget(r, "x-amzn-ErrorType"), c.status, c.body, c.etype)
		}
	}
	// The stage URL without a slash is the root resource.
	api = loadYAML(t, resources([2]string{"GET", "/"}), runtime.Options{})
	for _, target := range []string{"/dev", "/dev/"} {
		if r := invoke(t, api, "GET", target, ""); r.Status != 200 {
			t.Errorf("GET %s: got %d %q", target, r.Status, r.Body)
		}
	}
}

// TestAuthorizationHeaderOnUnmatchedRoute: §3.5's quirk, with the wording
// recorded from AWS.
func TestAuthorizationHeaderOnUnmatchedRoute(t *testing.T) {
	api := loadYAML(t, resources([2]string{"GET", "/a"}), runtime.Options{})
	for _, c := range []struct{ auth, date, want string }{
		{"Bearer abc.def", "", `{"message":"'abc.def' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc.def'."}`},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/execute-api/aws4_request", "", `{"message":"Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/execute-api/aws4_request"}`},
		{"Custom a=b", "X-Amz-Date: 20240101T000000Z", `{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Custom a=b"}`},
	} {
		hs := []string{"Authorization: " + c.auth}
		if c.date != "" {
			hs = append(hs, c.date)
		}
		r := invoke(t, api, "GET", "/dev/nothing", "", hs...)
		if r.Status != 403 || string(r.Body) != c.want || hget(r, "x-amzn-ErrorType") != "IncompleteSignatureException" {
			t.Errorf("%s: got %d %s (%s)\nwant %s", c.auth, r.Status, r.Body, hget(r, "x-amzn-ErrorType"), c.want)
		}
	}
	// A routed request is not affected.
	if r := invoke(t, api, "GET", "/dev/a", "", "Authorization: Bearer x"); r.Status != 200 {
		t.Errorf("routed request with Authorization: %d %s", r.Status, r.Body)
	}
}
