package runtime_test

import (
	"context"
	"strings"
	"testing"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/internal/testapi"
	"gwc.dev/gwc/runtime"
)

// Tests compile small definitions with the real compiler and serve the
// decoded artifact, as gwc serve does; the runtime itself never imports
// compile (TestRuntimeDependencies).

// loadYAML compiles a gwc YAML definition of one API named "test" (body
// is the API's fields, indented as under the name) and loads it.
func loadYAML(t testing.TB, body string, opts runtime.Options) *runtime.API {
	t.Helper()
	var b strings.Builder
	b.WriteString("api:\n  test:\n")
	for _, line := range strings.Split(strings.Trim(body, "\n"), "\n") {
		b.WriteString("    " + line + "\n")
	}
	return loadDefinition(t, b.String(), opts)
}

func loadDefinition(t testing.TB, src string, opts runtime.Options) *runtime.API {
	t.Helper()
	return loadMutated(t, src, opts, nil)
}

// loadMutated is loadDefinition with a change made to the decoded
// artifact, for what gwc build refuses to write but an artifact could
// still hold.
func loadMutated(t testing.TB, src string, opts runtime.Options, mutate func(*artifact.API)) *runtime.API {
	t.Helper()
	a, digest := testapi.Compile(t, src)
	if mutate != nil {
		mutate(a)
	}
	api, err := runtime.Load(a, digest, opts)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return api
}

// invoke runs one request in-process.
func invoke(t testing.TB, api *runtime.API, method, target string, body string, header ...string) *runtime.Response {
	t.Helper()
	in := &runtime.InvokeRequest{Method: method, Target: target, Body: []byte(body)}
	for _, h := range header {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			t.Fatalf("bad header %q", h)
		}
		in.Header = append(in.Header, runtime.Field{Name: name, Value: strings.TrimSpace(value)})
	}
	return api.Invoke(context.Background(), in)
}

// get returns the last value of a response header (case-insensitive).
func hget(r *runtime.Response, name string) string {
	var v string
	for _, f := range r.Header {
		if strings.EqualFold(f.Name, name) {
			v = f.Value
		}
	}
	return v
}

func hhas(r *runtime.Response, name string) bool {
	for _, f := range r.Header {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// logText is the execution log, for failure messages.
func logText(r *runtime.Response) string {
	var b strings.Builder
	for _, s := range r.Log.Steps {
		b.WriteString(s.Phase + ": " + s.Message + "\n")
	}
	return b.String()
}

// mock is a MOCK method answering status 200 with the given response
// template, YAML-indented for a resource.
const mockOK = `
      GET:
        integration:
          mock:
            templates: {application/json: '{"statusCode": 200}'}
            responses: {default: {status: 200, templates: {application/json: '{"ok": true}'}}}
        responses: {"200": {}}`
