package cfn

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// limitWarnings returns the messages of the template's CFN_LIMIT warnings.
func limitWarnings(tmpl *Template) []string {
	var out []string
	for _, d := range tmpl.Warnings() {
		if d.Code == CodeLimit {
			out = append(out, d.Message)
		}
	}
	return out
}

// addProxyPaths adds n paths to api, each with an HTTP_PROXY method whose
// host is a template parameter of its own: a Resource, a Method and a
// Parameter per path.
func addProxyPaths(api *schema.API, n int) {
	for i := range n {
		api.Resources = append(api.Resources, &schema.Resource{
			Path: fmt.Sprintf("/r%d", i),
			Methods: []*schema.Method{{
				Verb: "GET", Authorization: "NONE",
				Integration: &schema.Integration{
					Type: schema.HTTPProxy, URI: fmt.Sprintf("https://${Host%d}/r", i), HTTPMethod: "GET",
					Passthrough: "WHEN_NO_MATCH", TimeoutMillis: 29000,
				},
			}},
		})
	}
}

// TestQuotaCounts: CloudFormation accepts at most 500 resources, 200
// parameters and 200 outputs in one template (its quotas page); past one
// of them the template is still written, with a warning that says so.
func TestQuotaCounts(t *testing.T) {
	small := petstore()
	if _, tmpl := emitDoc(t, small); len(limitWarnings(tmpl)) != 0 {
		t.Fatalf("petstore: limit warnings %v, want none", limitWarnings(tmpl))
	}

	api := petstore()
	addProxyPaths(api, 260)
	for i := range 200 {
		api.Stages = append(api.Stages, &schema.Stage{Name: fmt.Sprintf("s%d", i)})
	}
	doc, tmpl := emitDoc(t, api)
	resources := len(doc["Resources"].(map[string]any))
	parameters := len(doc["Parameters"].(map[string]any))
	outputs := len(doc["Outputs"].(map[string]any))
	if resources <= 500 || parameters <= 200 || outputs <= 200 {
		t.Fatalf("the test API gives %d resources, %d parameters, %d outputs; it must exceed 500, 200, 200", resources, parameters, outputs)
	}
	want := []string{
		fmt.Sprintf("the template has %d resources; CloudFormation accepts at most 500 in one stack", resources),
		fmt.Sprintf("the template has %d parameters; CloudFormation accepts at most 200 in one stack", parameters),
		fmt.Sprintf("the template has %d outputs; CloudFormation accepts at most 200 in one stack", outputs),
	}
	got := limitWarnings(tmpl)
	if len(got) != len(want) {
		t.Fatalf("limit warnings %q, want %d", got, len(want))
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("no warning starts %q; got %q", w, got)
		}
	}
}

// TestSizeDiagnostics: a template is accepted inline up to 51,200 bytes
// and from S3 up to 1 MB (CloudFormation's quotas; the same numbers bound
// a processed template). Beyond the first it must go through S3 (a note);
// beyond the second no stack takes it (a warning).
func TestSizeDiagnostics(t *testing.T) {
	_, tmpl := emitDoc(t, petstore())
	for _, tt := range []struct {
		size int
		want diag.Severity // 0: nothing
	}{
		{1000, 0},
		{51_200, 0},
		{51_201, diag.Info},
		{1_048_576, diag.Info},
		{1_048_577, diag.Warning},
	} {
		ds := tmpl.SizeDiagnostics(tt.size)
		if tt.want == 0 {
			if len(ds) != 0 {
				t.Errorf("size %d: %v, want nothing", tt.size, ds)
			}
			continue
		}
		if len(ds) != 1 || ds[0].Severity != tt.want || ds[0].Code != CodeLimit {
			t.Errorf("size %d: %v, want one %s %s", tt.size, ds, tt.want, CodeLimit)
			continue
		}
		if !strings.Contains(ds[0].Message, fmt.Sprintf("the template is %d bytes", tt.size)) {
			t.Errorf("size %d: message %q does not give the size", tt.size, ds[0].Message)
		}
	}
}

// TestQuotaNested: nested stacks have the same quotas; a part that refers
// to more than 200 things outside it (here the template parameters of
// its methods' URIs) is warned about by name.
func TestQuotaNested(t *testing.T) {
	api := petstore()
	addProxyPaths(api, 260)
	tmpl, err := Emit(api, testDigest, Options{Nested: true})
	if err != nil {
		t.Fatal(err)
	}
	got := limitWarnings(tmpl)
	if !slices.ContainsFunc(got, func(m string) bool {
		return strings.HasPrefix(m, "the template of nested stack Paths1 has ") &&
			strings.Contains(m, " parameters; CloudFormation accepts at most 200 in one stack")
	}) {
		t.Errorf("no parameter warning for Paths1; got %q", got)
	}
	if slices.ContainsFunc(got, func(m string) bool { return strings.Contains(m, "resources;") }) {
		t.Errorf("a resource warning, though nesting keeps every stack under 500: %q", got)
	}
}
