package runtime_test

import (
	"encoding/base64"
	"fmt"
	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/runtime"
	"net/http"
	"strings"
	"testing"
)

// TestPassthrough replays the table of §7.3 against a real backend that
// echoes what it received.
func TestPassthrough(t *testing.T) {
	b := startBackend(t)
	method := func(path, passthrough string, templates bool) string {
		tmpl := ""
		if templates {
			tmpl = `templates: {application/json: 'transformed $input.body'}, `
		}
		return fmt.Sprintf(`
  %s:
    POST:
      integration:
        http: {uri: "http://${stageVariables.backend}/", passthrough: %s, %sresponses: {default: {status: 200}}}
      responses: {"200": {}}`, path, passthrough, tmpl)
	}
	def := "resources:" +
		method("/match-t", "WHEN_NO_MATCH", true) + method("/match-n", "WHEN_NO_MATCH", false) +
		method("/templates-t", "WHEN_NO_TEMPLATES", true) + method("/templates-n", "WHEN_NO_TEMPLATES", false) +
		method("/never-t", "NEVER", true) + method("/never-n", "NEVER", false)
	api := loadYAML(t, def, httpOptions(t, b))
	for _, c := range []struct {
		path, ctype string
		want        string // the body the backend gets, or "415"
	}{
		{"/match-t", "application/json", "transformed {}"},
		{"/match-t", "text/plain", "{}"},
		{"/match-n", "text/plain", "{}"},
		{"/templates-t", "application/json", "transformed {}"},
		{"/templates-t", "text/plain", "415"},
		{"/templates-n", "text/plain", "{}"},
		{"/never-t", "application/json", "transformed {}"},
		{"/never-t", "text/plain", "415"},
		{"/never-n", "application/json", "415"},
		// No Content-Type is application/json (§7.3).
		{"/never-t", "", "transformed {}"},
		// The key is the media type, parameters ignored, case-insensitive.
		{"/never-t", "Application/JSON; charset=UTF-8", "transformed {}"},
	} {
		var hs []string
		if c.ctype != "" {
			hs = append(hs, "Content-Type: "+c.ctype)
		}
		r := invoke(t, api, "POST", "/dev"+c.path, "{}", hs...)
		if c.want == "415" {
			if r.Status != 415 || string(r.Body) != `{"message":"Unsupported Media Type"}` || hget(r, "x-amzn-ErrorType") != "BadRequestException" {
				t.Errorf("%s %s: got %d %s, want 415", c.path, c.ctype, r.Status, r.Body)
			}
			continue
		}
		if r.Status != 200 {
			t.Errorf("%s %s: got %d %s\n%s", c.path, c.ctype, r.Status, r.Body, logText(r))
			continue
		}
		if s := b.seen(t); s.Body != c.want {
			t.Errorf("%s %s: backend got %q, want %q", c.path, c.ctype, s.Body, c.want)
		}
	}
}

// TestRequestContentHandling replays the request table of §7.4.
func TestRequestContentHandling(t *testing.T) {
	b := startBackend(t)
	b.setAnswer(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
	method := func(path, handling string) string {
		h := ""
		if handling != "" {
			h = "contentHandling: " + handling + ", "
		}
		return fmt.Sprintf(`
  %s:
    POST:
      integration:
        http: {uri: "http://${stageVariables.backend}/", %sresponses: {default: {status: 200}}}
      responses: {"200": {}}`, path, h)
	}
	def := "binaryMediaTypes: [image/png]\nresources:" + method("/unset", "") + method("/binary", "CONVERT_TO_BINARY") + method("/text", "CONVERT_TO_TEXT")
	api := loadYAML(t, def, httpOptions(t, b))
	png := "\x89PNG\r\n\x1a\n\x00\xff"
	b64 := base64.StdEncoding.EncodeToString([]byte(png))
	for _, c := range []struct {
		path, ctype, body, want string
	}{
		{"/unset", "text/plain", "hello", "hello"},
		{"/binary", "text/plain", b64, png},
		{"/text", "text/plain", "hello", "hello"},
		{"/unset", "image/png", png, png},
		{"/binary", "image/png", png, png},
		{"/text", "image/png", png, b64},
	} {
		r := invoke(t, api, "POST", "/dev"+c.path, c.body, "Content-Type: "+c.ctype)
		if r.Status != 200 {
			t.Errorf("%s %s: %d %s", c.path, c.ctype, r.Status, r.Body)
			continue
		}
		if s := b.seen(t); s.Body != c.want {
			t.Errorf("%s %s: backend got %q, want %q", c.path, c.ctype, s.Body, c.want)
		}
	}
	// A text that is not base64 under CONVERT_TO_BINARY: 500.
	r := invoke(t, api, "POST", "/dev/binary", "not base64!", "Content-Type: text/plain")
	if r.Status != 500 || string(r.Body) != `{"message": "Internal server error"}` {
		t.Errorf("bad base64: %d %s", r.Status, r.Body)
	}
}

// TestMock covers §9.2: the status comes from the request template's
// output, in JSON or CDK's unquoted form; no template answers 200; the
// integration response template gives the body.
func TestMock(t *testing.T) {
	api := loadYAML(t, `
resources:
  /json:
    GET:
      integration:
        mock:
          templates: {application/json: '{"statusCode": 404}'}
          responses: {default: {status: 200}, "404": {status: 404, templates: {application/json: '{"found": false}'}}}
      responses: {"200": {}, "404": {}}
  /cdk:
    GET:
      integration:
        mock:
          templates: {application/json: '{statusCode: 200}'}
          responses: {default: {status: 204}}
      responses: {"204": {}}
  /branch:
    GET:
      request: {params: {querystring.scope: {}}}
      integration:
        mock:
          templates:
            application/json: |
              {
              #if( $input.params('scope') == "internal" )
                "statusCode": 200
              #else
                "statusCode": 500
              #end
              }
          responses: {"2\\d{2}": {status: 200, templates: {application/json: '{"scope": "internal"}'}}, "5\\d{2}": {status: 500, templates: {application/json: '{"scope": "other"}'}}}
      responses: {"200": {}, "500": {}}
  /none:
    GET:
      integration:
        mock:
          responses: {default: {status: 200}}
      responses: {"200": {}}
`, runtime.Options{})
	for _, c := range []struct {
		target string
		status int
		body   string
	}{
		{"/dev/json", 404, `{"found": false}`},
		{"/dev/cdk", 204, ``},
		{"/dev/branch?scope=internal", 200, `{"scope": "internal"}`},
		{"/dev/branch?scope=x", 500, `{"scope": "other"}`},
		{"/dev/none", 200, ``},
	} {
		r := invoke(t, api, "GET", c.target, "")
		if r.Status != c.status || string(r.Body) != c.body {
			t.Errorf("%s: %d %q, want %d %q\n%s", c.target, r.Status, r.Body, c.status, c.body, logText(r))
		}
		if hhas(r, "X-Amzn-Trace-Id") {
			t.Errorf("%s: MOCK answers carry no trace id", c.target)
		}
	}
}

// TestOverrides covers $context.requestOverride and responseOverride
// (§7.2, §10.4, §11): request overrides are final, a response override
// may set a status without a method response.
func TestOverrides(t *testing.T) {
	b := startBackend(t)
	api := loadYAML(t, `
resources:
  /x:
    POST:
      request: {params: {header.X-In: {}}}
      integration:
        http:
          uri: http://${stageVariables.backend}/
          params: {header.X-In: method.request.header.X-In}
          templates:
            application/json: |
              #set($context.requestOverride.header.X-In = "overridden")
              #set($context.requestOverride.querystring.q = "v w")
              body
          responses:
            default:
              status: 200
              templates:
                application/json: |
                  #set($context.responseOverride.status = 444)
                  #set($context.responseOverride.header.X-Out = "out")
                  done
      responses: {"200": {}}
`, httpOptions(t, b))
	r := invoke(t, api, "POST", "/dev/x", "{}", "X-In: client")
	if r.Status != 444 || strings.TrimSpace(string(r.Body)) != "done" || hget(r, "X-Out") != "out" {
		t.Errorf("got %d %q %v\n%s", r.Status, r.Body, r.Header, logText(r))
	}
	s := b.seen(t)
	if v, _ := s.get("X-In"); v != "overridden" || s.URI != "/?q=v+w" || strings.TrimSpace(s.Body) != "body" {
		t.Errorf("backend got X-In %q, URI %s, body %q", v, s.URI, s.Body)
	}
}

// TestResponses covers §10.3–§11: mapped headers (and only they), the
// remapped names, template selection by Accept, and an integration
// response whose status has no method response.
func TestResponses(t *testing.T) {
	b := startBackend(t)
	b.setAnswer(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.Header().Set("X-One", "1")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"name": "rex", "nested": {"a": [1, 2]}}`))
	})
	api := loadYAML(t, `
stages: {dev: {variables: {v: sv}}}
resources:
  /x:
    GET:
      integration:
        http:
          uri: http://${stageVariables.backend}/
          responses:
            default:
              status: 200
              params:
                header.X-One: integration.response.header.X-One
                header.X-Joined: integration.response.multivalueheader.X-Multi
                header.X-Name: integration.response.body.name
                header.X-Nested: integration.response.body.nested
                header.X-Lit: "'literal'"
                header.X-Stage: stageVariables.v
                header.X-Ctx: context.resourcePath
                header.X-Missing: integration.response.header.Nope
                header.Server: "'mine'"
                header.Date: "'today'"
              templates:
                application/json: 'json $input.path(''$.name'')'
                text/html: '<p>$input.path(''$.name'')</p>'
      responses:
        "200":
          headers: {X-One: {}, X-Joined: {}, X-Name: {}, X-Nested: {}, X-Lit: {}, X-Stage: {}, X-Ctx: {}, X-Missing: {}, Server: {}, Date: {}}
`, httpOptions(t, b))
	r := invoke(t, api, "GET", "/dev/x", "")
	if r.Status != 200 || string(r.Body) != "json rex" {
		t.Fatalf("got %d %q\n%s", r.Status, r.Body, logText(r))
	}
	for name, want := range map[string]string{
		"X-One": "1", "X-Joined": "a,b", "X-Name": "rex", "X-Nested": `{"a":[1,2]}`, "X-Lit": "literal",
		"X-Stage": "sv", "X-Ctx": "/x", "x-amzn-Remapped-Server": "mine", "x-amzn-Remapped-Date": "today",
		"Content-Type": "application/json",
	} {
		if got := hget(r, name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if hhas(r, "X-Missing") || hhas(r, "X-Multi") {
		t.Errorf("headers %v", r.Header)
	}
	// Accept selects the template; an unknown type falls back to
	// application/json; only the first type of Accept counts.
	for accept, want := range map[string]string{
		"text/html":             "<p>rex</p>",
		"image/png":             "json rex",
		"text/html, text/plain": "<p>rex</p>",
		"text/plain, text/html": "json rex",
	} {
		if r := invoke(t, api, "GET", "/dev/x", "", "Accept: "+accept); string(r.Body) != want {
			t.Errorf("Accept %s: %q, want %q", accept, r.Body, want)
		}
	}
	// gwc build refuses an integration response whose status has no
	// method response; an artifact that has one answers 500 (§11).
	api = loadMutated(t, `
api:
  test:
    resources:
      /undeclared:
        GET:
          integration:
            http:
              uri: http://${stageVariables.backend}/
              responses: {default: {status: 200}}
          responses: {"200": {}}
`, httpOptions(t, b), func(a *artifact.API) {
		a.Resources[1].Methods[0].Integration.Responses[0].Status = 201
	})
	r = invoke(t, api, "GET", "/dev/undeclared", "")
	if r.Status != 500 || string(r.Body) != `{"message": "Internal server error"}` {
		t.Errorf("undeclared method response: %d %s", r.Status, r.Body)
	}
	if !strings.Contains(logText(r), "Output mapping refers to an invalid method response: 201") {
		t.Errorf("log:\n%s", logText(r))
	}
}

// TestResponseContentHandling replays the response table of §10.5.
func TestResponseContentHandling(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\xff"
	b64 := base64.StdEncoding.EncodeToString([]byte(png))
	b := startBackend(t)
	method := func(path, handling string) string {
		h := ""
		if handling != "" {
			h = "contentHandling: " + handling + ", "
		}
		return fmt.Sprintf(`
  %s:
    GET:
      integration:
        http: {uri: "http://${stageVariables.backend}/", responses: {default: {status: 200, %s}}}
      responses: {"200": {}}`, path, h)
	}
	def := "binaryMediaTypes: [image/png]\nresources:" + method("/unset", "") + method("/binary", "CONVERT_TO_BINARY") + method("/text", "CONVERT_TO_TEXT")
	api := loadYAML(t, def, httpOptions(t, b))
	for _, c := range []struct {
		path, payloadType, payload, accept, want string
	}{
		{"/unset", "text/plain", "hello", "text/plain", "hello"},
		{"/binary", "text/plain", b64, "text/plain", png},
		{"/text", "text/plain", "hello", "text/plain", "hello"},
		{"/unset", "text/plain", b64, "image/png", png},
		{"/binary", "text/plain", b64, "image/png", png},
		{"/text", "text/plain", "hello", "image/png", "hello"},
		{"/unset", "image/png", png, "text/plain", b64},
		{"/binary", "image/png", png, "text/plain", png},
		{"/text", "image/png", png, "text/plain", b64},
		{"/unset", "image/png", png, "image/png", png},
		{"/binary", "image/png", png, "image/png", png},
		{"/text", "image/png", png, "image/png", b64},
	} {
		payloadType, payload := c.payloadType, c.payload
		b.setAnswer(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", payloadType)
			_, _ = w.Write([]byte(payload))
		})
		r := invoke(t, api, "GET", "/dev"+c.path, "", "Accept: "+c.accept)
		if r.Status != 200 || string(r.Body) != c.want {
			t.Errorf("%s payload %s Accept %s: %d %q, want %q", c.path, c.payloadType, c.accept, r.Status, r.Body, c.want)
		}
	}
}
