package serve

import (
	"encoding/json"
	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/plugins/lambda"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// exampleRequest is one request to an example and what API Gateway
// answers (docs/apigw-behaviour.md).
type exampleRequest struct {
	method, path, body string
	header             []string
	status             int
	wantBody           string
	wantHeader         map[string]string
}

type exampleCase struct {
	// backend, when set, is started on 127.0.0.1 and named by the stage
	// variable "backend".
	backend http.HandlerFunc
	// setup, when set, configures what else the example needs (its
	// functions, API keys).
	setup    func(t *testing.T, cfg *Config)
	requests []exampleRequest
}

// greetBackend is the backend of examples/templates: it checks what the
// request template and the parameter mapping sent.
func greetBackend(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Who *string `json:"who"`
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &in); err != nil || r.URL.Path != "/greet" || r.URL.Query().Get("lang") != "fr" ||
			r.Header.Get("X-Request-Id") == "" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("the templates backend got %s %s %v %s", r.Method, r.URL, r.Header, b)
		}
		greeting := ""
		if in.Who != nil {
			greeting = "Bonjour, " + *in.Who
		}
		json.NewEncoder(w).Encode(map[string]string{"greeting": greeting})
	}
}

// echoBackend answers with what it received, and with the status and a
// header the request asks for.
func echoBackend(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	w.Header().Set("X-Backend", "echo")
	w.Header().Set("Content-Type", "text/plain")
	if r.URL.Query().Get("status") == "418" {
		w.WriteHeader(http.StatusTeapot)
	}
	io.WriteString(w, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("X-Client")+" "+string(b))
}

func exampleCases(t *testing.T) map[string]exampleCase {
	origin := "Origin: https://app.example.com"
	return map[string]exampleCase{
		// The pet store's backend is HTTPS on a stage variable; these
		// requests are the ones API Gateway answers before calling it.
		"petstore": {requests: []exampleRequest{
			{method: "POST", path: "/dev/pets", body: `{"tag": "dog"}`, header: []string{"Content-Type: application/json", origin},
				status: 400, wantBody: `{"message":"Invalid request body"}`,
				wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "x-amzn-ErrorType": "BadRequestException"}},
			{method: "OPTIONS", path: "/dev/pets/7", header: []string{origin, "Access-Control-Request-Method: GET"},
				status: 200, wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Allow-Methods": "GET,OPTIONS"}},
			{method: "GET", path: "/dev/nothing", status: 403, wantBody: `{"message":"Missing Authentication Token"}`},
		}},
		"serverless": {setup: serverlessSetup, requests: []exampleRequest{
			{method: "GET", path: "/dev/hello", status: 200,
				wantBody: `{"message":"hello from Lambda","method":"GET","path":"/hello","resource":"/hello"}`},
			{method: "GET", path: "/dev/pets/1", header: []string{"Authorization: Bearer allow-ann", "x-api-key: demo-key-0123456789abcdef"}, status: 200,
				wantBody: `{"apiKeyId":"` + serverlessKeyID + `","message":"hello from Lambda","method":"GET","path":"/pets/1","principal":"ann","resource":"/pets/{proxy+}","tenant":"acme"}`},
			{method: "GET", path: "/dev/pets/1", header: []string{"Authorization: Bearer allow-ann"}, status: 403, wantBody: `{"message":"Forbidden"}`},
			{method: "GET", path: "/dev/pets/1", header: []string{"Authorization: Bearer deny-bob", "x-api-key: demo-key-0123456789abcdef"},
				status: 403, wantBody: `{"Message":"User is not authorized to access this resource with an explicit deny"}`},
			{method: "GET", path: "/dev/pets/1", header: []string{"Authorization: nonsense"}, status: 401, wantBody: `{"message":"Unauthorized"}`},
			{method: "GET", path: "/dev/pets/1", header: []string{"Authorization: Bearer who", "x-api-key: demo-key-0123456789abcdef"}, status: 401, wantBody: `{"message":"Unauthorized"}`},
		}},
		"mock": {requests: []exampleRequest{
			{method: "GET", path: "/dev/pets/2", status: 200, wantBody: `{"id": 2, "name": "pet 2"}`, wantHeader: map[string]string{"X-Mock": "true"}},
			{method: "GET", path: "/dev/pets/9", status: 404, wantBody: `{"message": "no pet 9"}`},
		}},
		"httpproxy": {backend: echoBackend, requests: []exampleRequest{
			{method: "PUT", path: "/dev/things/1?a=b", body: "payload", header: []string{"X-Client: c1"},
				status: 200, wantBody: "PUT /things/1?a=b c1 payload", wantHeader: map[string]string{"X-Backend": "echo", "Content-Type": "text/plain"}},
			{method: "GET", path: "/dev/teapot?status=418", status: 418, wantBody: "GET /teapot?status=418  "},
		}},
		"validation": {requests: []exampleRequest{
			{method: "GET", path: "/dev/orders", status: 400, wantBody: `{"message":"Missing required request parameters: [status]"}`},
			{method: "GET", path: "/dev/orders?status=open", status: 200, wantBody: `{"orders": [], "status": "open"}`},
			{method: "POST", path: "/dev/orders", body: `{"item": "tea", "quantity": 2}`, header: []string{"Content-Type: application/json"},
				status: 400, wantBody: `{"message":"Missing required request parameters: [X-Customer]"}`},
			{method: "POST", path: "/dev/orders", body: `{"item": "tea", "quantity": 0}`, header: []string{"Content-Type: application/json", "X-Customer: 7"},
				status: 400, wantBody: `{"message":"Invalid request body"}`},
			{method: "POST", path: "/dev/orders", body: `{"item": "tea", "quantity": 2}`, header: []string{"Content-Type: application/json", "X-Customer: 7"},
				status: 201, wantBody: `{"accepted": true}`},
		}},
		"templates": {backend: greetBackend(t), requests: []exampleRequest{
			{method: "POST", path: "/dev/greetings", body: `{"name": "Ada"}`, header: []string{"Content-Type: application/json"},
				status: 200, wantBody: `{"message": "Bonjour, Ada"}` + "\n"},
			{method: "POST", path: "/dev/greetings", body: `{}`, header: []string{"Content-Type: application/json"},
				status: 404, wantBody: `{"message": "nobody to greet"}` + "\n", wantHeader: map[string]string{"X-Reason": "nobody to greet"}},
		}},
		"gateway-responses": {requests: []exampleRequest{
			{method: "GET", path: "/dev/nothing", status: 404, wantBody: `{"error": "not found", "stage": "dev"}`,
				wantHeader: map[string]string{"x-amzn-ErrorType": "MissingAuthenticationTokenException"}},
			{method: "GET", path: "/dev/items", status: 400,
				wantBody:   `{"error": "Missing required request parameters: [page]", "type": "BAD_REQUEST_PARAMETERS"}`,
				wantHeader: map[string]string{"Access-Control-Allow-Origin": "*"}},
			{method: "GET", path: "/dev/items?page=1", status: 200, wantBody: `{"items": []}`},
		}},
		"cors": {requests: []exampleRequest{
			{method: "OPTIONS", path: "/dev/notes", header: []string{origin, "Access-Control-Request-Method: POST"}, status: 200,
				wantHeader: map[string]string{
					"Access-Control-Allow-Origin":  "https://app.example.com",
					"Access-Control-Allow-Methods": "GET,OPTIONS,POST",
					"Access-Control-Allow-Headers": "Content-Type,Authorization",
					"Access-Control-Max-Age":       "600",
				}},
			{method: "GET", path: "/dev/notes", header: []string{origin}, status: 200, wantBody: `{"notes": []}`,
				wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Expose-Headers": "X-Total-Count", "X-Total-Count": "0"}},
			{method: "DELETE", path: "/dev/notes", header: []string{origin}, status: 403,
				wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com"}},
		}},
	}
}

// TestExamples builds every example as gwc build does, serves each once
// on loopback (with its backend, when it has one) and checks API
// Gateway's answers to real requests.
func TestExamples(t *testing.T) {
	cases := exampleCases(t)
	entries, err := os.ReadDir("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && cases[e.Name()].requests == nil {
			t.Errorf("examples/%s has no case in TestExamples", e.Name())
		}
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			src := filepath.Join("../../examples", name)
			if _, err := os.Stat(filepath.Join(src, "README.md")); err != nil {
				t.Errorf("examples/%s has no README.md", name)
			}
			dir := t.TempDir()
			writeArtifact(t, dir, compileDef(t, src))
			cfg := Config{}
			if c.setup != nil {
				c.setup(t, &cfg)
			}
			if c.backend != nil {
				b := httptest.NewServer(c.backend)
				defer b.Close()
				cfg.Runtime.StageVariables = map[string]string{"backend": strings.TrimPrefix(b.URL, "http://")}
			}
			s := startServer(t, cfg, DirLoader(dir))
			for _, r := range c.requests {
				code, h, body := do(t, r.method, "http://"+s.Addr()+r.path, r.body, r.header...)
				if code != r.status || (r.wantBody != "" && body != r.wantBody) {
					t.Errorf("%s %s: %d %q, want %d %q", r.method, r.path, code, body, r.status, r.wantBody)
				}
				for k, v := range r.wantHeader {
					if got := h.Get(k); got != v {
						t.Errorf("%s %s: %s: %q, want %q", r.method, r.path, k, got, v)
					}
				}
			}
		})
	}
}

// TestExampleOpenAPIForms checks that each example written in both CUE
// and OpenAPI compiles to the same artifact from either.
func TestExampleOpenAPIForms(t *testing.T) {
	forms, _ := filepath.Glob("../../examples/*/openapi.yaml")
	if len(forms) == 0 {
		t.Fatal("no example has an OpenAPI form")
	}
	for _, f := range forms {
		cue, oas := compileDef(t, filepath.Dir(f)), compileDef(t, f)
		if cue.Digest != oas.Digest {
			t.Errorf("%s: the CUE and OpenAPI forms compile to different artifacts", filepath.Dir(f))
		}
	}
}

// serverlessKeyID is the id gwc derives for the serverless example's key.
var serverlessKeyID = compile.APIKeyID(compile.APIID("serverless"), "demo")

// serverlessSetup builds the serverless example's functions with
// aws-lambda-go and runs them as local Lambda functions, as serve.yaml
// does with go run.
func serverlessSetup(t *testing.T, cfg *Config) {
	dir := t.TempDir()
	var fns []lambda.LocalFunction
	for _, name := range []string{"app", "authorizer"} {
		bin := filepath.Join(dir, name)
		out, err := exec.Command("go", "build", "-o", bin, "../../examples/serverless/functions/"+name).CombinedOutput()
		if err != nil {
			t.Fatalf("building %s: %v\n%s", name, err, out)
		}
		fns = append(fns, lambda.LocalFunction{Name: name, Command: lambda.Argv{bin}})
	}
	router, err := lambda.New(lambda.Config{Functions: fns, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { router.Close() })
	cfg.Runtime.Functions = router
	cfg.Runtime.APIKeys = map[string]string{"demo": "demo-key-0123456789abcdef"}
}
