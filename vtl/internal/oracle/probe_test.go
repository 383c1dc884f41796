package oracle_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/internal/oracle"
)

var probe = flag.String("probe", "", "file of templates separated by lines \"@@\" to render with gwc and Velocity side by side")

// TestProbe is a development aid: go test ./vtl/internal/oracle -run Probe
// -probe FILE prints each template's output from both engines.
func TestProbe(t *testing.T) {
	if *probe == "" {
		t.Skip("no -probe file")
	}
	o := startOracle(t)
	data, err := os.ReadFile(*probe)
	if err != nil {
		t.Fatal(err)
	}
	ctx := probeContext()
	for _, src := range strings.Split(string(data), "\n@@\n") {
		want, err := o.Velocity(src, ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := renderGWC(src, ctx)
		mark := "  "
		if !sameResult(got, want) {
			mark = "!!"
		}
		t.Logf("%s %q\n   gwc: %s\n   vel: %s", mark, src, got, describeResp(want))
	}
}

const probeContextJSON = `{"a":1,"s":"abc","l":[1,2,3],"m":{"k":"v"},"d":2.5,"t":true,"e":"","n":-7}`

func probeContext() map[string]any {
	var ctx map[string]any
	json.Unmarshal([]byte(probeContextJSON), &ctx)
	return ctx
}

func startOracle(t testing.TB) *oracle.Oracle {
	t.Helper()
	o, err := oracle.Start()
	if err != nil {
		t.Skipf("reference engine unavailable: %v", err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// result is an engine's answer: output, or an error.
type result struct {
	out string
	err string
}

func (r result) String() string {
	if r.err != "" {
		return "ERROR " + r.err
	}
	s := strings.ReplaceAll(strings.ReplaceAll(jsonString(r.out), "\\n", "⏎"), "\\t", "⇥")
	if len(s) > 600 {
		s = s[:300] + fmt.Sprintf("…(%d bytes)…", len(s)-600) + s[len(s)-300:]
	}
	return s
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func describeResp(r oracle.Response) string {
	if !r.OK {
		e := r.Error
		if i := strings.IndexByte(e, '\n'); i > 0 {
			e = e[:i]
		}
		return "ERROR " + e
	}
	return result{out: r.Out}.String()
}

func sameResult(got result, want oracle.Response) bool {
	if !want.OK {
		return got.err != ""
	}
	return got.err == "" && got.out == want.Out
}

func renderGWC(src string, ctx map[string]any) result {
	return renderGWCLimits(src, ctx, vtl.Limits{})
}

// renderGWCLimits is renderGWC within the given limits.
func renderGWCLimits(src string, ctx map[string]any, lim vtl.Limits) result {
	t, err := vtl.Parse("t", src)
	if err != nil {
		return result{err: err.Error()}
	}
	c := vtl.NewContext()
	c.Limits = lim
	b, _ := json.Marshal(ctx)
	v, err := vtl.ParseJSON(b, false)
	if err != nil {
		return result{err: err.Error()}
	}
	for i := 0; i < v.Map().Len(); i++ {
		k, x := v.Map().Entry(i)
		c.Set(k.Str(), x)
	}
	out, err := t.RenderString(c)
	if err != nil {
		return result{err: err.Error()}
	}
	return result{out: out}
}
