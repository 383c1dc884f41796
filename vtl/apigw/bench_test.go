package apigw_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/apigw"
)

// benchFixture loads the typical request template, its 2 KB body and the
// $context shared with the side-by-side scripts in bench/vtl.
func benchFixture(tb testing.TB) (*vtl.Template, []byte, []byte) {
	tb.Helper()
	src, err := os.ReadFile("../../bench/vtl/request.vm")
	if err != nil {
		tb.Fatal(err)
	}
	body, err := os.ReadFile("../../bench/vtl/body.json")
	if err != nil {
		tb.Fatal(err)
	}
	ctx, err := os.ReadFile("../../bench/vtl/context.json")
	if err != nil {
		tb.Fatal(err)
	}
	tp, err := vtl.Parse("request.vm", string(src))
	if err != nil {
		tb.Fatal(err)
	}
	return tp, body, ctx
}

func benchRequest(tb testing.TB, body, ctxJSON []byte) *apigw.Request {
	cm, err := vtl.ParseJSON(ctxJSON, true)
	if err != nil {
		tb.Fatal(err)
	}
	req := &apigw.Request{Body: body, Context: cm.Map()}
	req.Header.Add("User-Agent", "curl/8.5")
	req.Path.Add("id", "42")
	return req
}

// TestBenchTemplateRenders checks that the benchmark template produces
// valid JSON with the expected values, so the benchmark measures real work.
func TestBenchTemplateRenders(t *testing.T) {
	tp, body, ctx := benchFixture(t)
	var b bytes.Buffer
	if _, err := apigw.Render(tp, benchRequest(t, body, ctx), &b); err != nil {
		t.Fatal(err)
	}
	var out struct {
		User    string `json:"user"`
		Items   []map[string]any
		Express bool
		Agent   string
		Notes   string
	}
	// escapeJavaScript turns ' into \' (as on API Gateway), which JSON
	// does not allow; undo it before decoding.
	if err := json.Unmarshal(bytes.ReplaceAll(b.Bytes(), []byte(`\'`), []byte(`'`)), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b.String())
	}
	if out.User != "Zoë O'Brien" || len(out.Items) != 8 || !out.Express || out.Agent != "curl/8.5" {
		t.Errorf("unexpected output %s", b.String())
	}
}

func BenchmarkRenderRequestTemplate(b *testing.B) {
	tp, body, ctx := benchFixture(b)
	req := benchRequest(b, body, ctx)
	var out bytes.Buffer
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		out.Reset()
		if _, err := apigw.Render(tp, req, &out); err != nil {
			b.Fatal(err)
		}
	}
}
