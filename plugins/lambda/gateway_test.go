package lambda

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"gwc.dev/gwc/internal/testapi"
	"gwc.dev/gwc/runtime"
)

// TestGateway runs real aws-lambda-go functions behind the runtime, for
// each integration type and a REQUEST authorizer, first as local
// processes and then through an Invoke API endpoint (the Invoke API
// server in front of the same functions, spoken to by aws-sdk-go-v2).
func TestGateway(t *testing.T) {
	a, digest := testapi.Compile(t, `
api:
  gw:
    stages: {dev: {}}
    authorizers:
      tenant: {type: REQUEST, function: gwauth, identitySource: [method.request.header.X-Tenant], ttl: 0}
    resources:
      /proxy/{proxy+}:
        ANY:
          authorizer: tenant
          integration: {awsProxy: {function: gwproxy}}
      /custom:
        POST:
          integration:
            aws:
              function: gwcustom
              responses:
                default: {status: 200}
                ".*four hundred.*": {status: 405, templates: {application/json: '{"error": $input.json(''$.errorMessage'')}'}}
                ".+": {status: 502}
          responses: {"200": {}, "405": {}, "502": {}}
`)
	local, _ := newRouter(t, Config{Functions: []LocalFunction{fn("gwproxy"), fn("gwcustom"), fn("gwauth")}})
	invokeAPI := httptest.NewServer(local.InvokeAPI())
	defer invokeAPI.Close()
	remote, _ := newRouter(t, Config{Endpoint: invokeAPI.URL})
	for name, functions := range map[string]runtime.Functions{"local": local, "Invoke API": remote} {
		t.Run(name, func(t *testing.T) {
			api, err := runtime.Load(a, digest, runtime.Options{Functions: functions})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				method, target, body string
				header               []runtime.Field
				status               int
				want                 string
			}{
				{"GET", "/dev/proxy/a/b?q=1", "", []runtime.Field{{Name: "X-Tenant", Value: "t1"}}, 201, "GET /proxy/a/b 1 tenant-t1"},
				{"GET", "/dev/proxy/a", "", []runtime.Field{{Name: "X-Tenant", Value: "t2"}}, 401, `{"message":"Unauthorized"}`},
				{"POST", "/dev/custom", `{}`, nil, 200, `"Pass"`},
				{"POST", "/dev/custom", `{"fail": "Error: Raising four hundred from within the Lambda function"}`, nil, 405,
					`{"error": "Error: Raising four hundred from within the Lambda function"}`},
				{"POST", "/dev/custom", `{"fail": "other"}`, nil, 502, ""},
			} {
				r := api.Invoke(context.Background(), &runtime.InvokeRequest{Method: c.method, Target: c.target, Body: []byte(c.body), Header: c.header})
				if r.Status != c.status || c.want != "" && string(r.Body) != c.want {
					var log strings.Builder
					for _, s := range r.Log.Steps {
						log.WriteString(s.Message + "\n")
					}
					t.Errorf("%s %s: %d %s, want %d %s\n%s", c.method, c.target, r.Status, r.Body, c.status, c.want, log.String())
				}
				if c.status == 201 {
					for _, h := range r.Header {
						if h.Name == "X-Multi" && h.Value != "a, b" {
							t.Errorf("X-Multi: %q", h.Value)
						}
					}
				}
			}
		})
	}
}
