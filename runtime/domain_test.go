package runtime_test

import (
	"encoding/json"
	"testing"

	"gwc.dev/gwc/runtime"
)

// TestCustomDomains covers §14.6: the longest base path selects the
// mapping, whole segments only; a mapping without a stage takes it from
// the path; the event's path is the path as the domain received it.
func TestCustomDomains(t *testing.T) {
	fns := &scripted{fn: map[string]func([]byte) ([]byte, string, error){fnARN: answer(`{"statusCode": 200}`)}}
	def := `
stages: {dev: {}, prod: {}}
domainNames:
  api.example.com:
    regionalCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc
    endpoint: {type: REGIONAL}
    securityPolicy: TLS_1_2
    mappings:
      "(none)": {}
      bp: {}
      orders: {stage: dev}
      orders/v1: {stage: prod}
  only.example.com:
    regionalCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc
    mappings:
      v2: {stage: prod}
resources:
  /{proxy+}:
    ANY:
      integration: {awsProxy: {function: app}}
`
	api := loadYAML(t, def, runtime.Options{Functions: fns})
	for _, c := range []struct {
		host, target             string
		status                   int
		stage, path, contextPath string
		proxy                    string
	}{
		{"api.example.com", "/dev/x", 200, "dev", "/dev/x", "/dev/x", "x"},
		{"api.example.com", "/bp/prod/x", 200, "prod", "/bp/prod/x", "/bp/prod/x", "x"},
		{"api.example.com", "/orders/x", 200, "dev", "/orders/x", "/orders/x", "x"},
		{"API.example.com:8080", "/orders/v1/x", 200, "prod", "/orders/v1/x", "/orders/v1/x", "x"},
		// Whole segments: orders/v10 is not orders/v1.
		{"api.example.com", "/orders/v10/x", 200, "dev", "/orders/v10/x", "/orders/v10/x", "v10/x"},
		{"api.example.com", "/nostage/x", 403, "", "", "", ""},
		{"only.example.com", "/v3/x", 403, "", "", "", ""},
		{"localhost", "/prod/x", 200, "prod", "/x", "/prod/x", "x"},
	} {
		r := invoke(t, api, "GET", c.target, "", "Host: "+c.host)
		if r.Status != c.status {
			t.Errorf("%s%s: %d %s\n%s", c.host, c.target, r.Status, r.Body, logText(r))
			continue
		}
		if c.status != 200 {
			if string(r.Body) != `{"message":"Forbidden"}` {
				t.Errorf("%s%s: %s", c.host, c.target, r.Body)
			}
			continue
		}
		var ev struct {
			Path           string
			PathParameters map[string]string
			RequestContext struct{ Stage, Path string }
		}
		json.Unmarshal(fns.last(t).Payload, &ev)
		if ev.RequestContext.Stage != c.stage || ev.Path != c.path || ev.RequestContext.Path != c.contextPath || ev.PathParameters["proxy"] != c.proxy {
			t.Errorf("%s%s: stage %s path %s context path %s proxy %s", c.host, c.target, ev.RequestContext.Stage, ev.Path, ev.RequestContext.Path, ev.PathParameters["proxy"])
		}
	}
	api = loadYAML(t, "disableExecuteApiEndpoint: true\n"+def, runtime.Options{Functions: fns})
	if r := invoke(t, api, "GET", "/dev/x", "", "Host: localhost"); r.Status != 403 {
		t.Errorf("disabled execute-api endpoint: %d", r.Status)
	}
	if r := invoke(t, api, "GET", "/dev/x", "", "Host: api.example.com"); r.Status != 200 {
		t.Errorf("custom domain with the endpoint disabled: %d", r.Status)
	}
	if len(api.Warnings) == 0 {
		t.Error("no warning about the disabled endpoint")
	}
}
