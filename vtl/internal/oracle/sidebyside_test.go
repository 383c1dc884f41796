package oracle_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/apigw"
	"gwc.dev/gwc/vtl/internal/oracle"
)

var sideBySide = flag.Bool("sidebyside", false, "run the side-by-side benchmark (bench/vtl/run.sh)")

// TestSideBySide measures the typical request template in gwc, in Velocity
// 1.7 and in velocityjs in one run and prints a table. It is run by
// bench/vtl/run.sh, not by go test.
func TestSideBySide(t *testing.T) {
	if !*sideBySide {
		t.Skip("run bench/vtl/run.sh")
	}
	dir := "../../../bench/vtl"
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	src, body, ctxJSON := read("request.vm"), read("body.json"), read("context.json")

	// gwc
	tp, err := vtl.Parse("request.vm", string(src))
	if err != nil {
		t.Fatal(err)
	}
	cm, _ := vtl.ParseJSON(ctxJSON, true)
	req := &apigw.Request{Body: body, Context: cm.Map()}
	req.Header.Add("User-Agent", "curl/8.5")
	res := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		var out bytes.Buffer
		for b.Loop() {
			out.Reset()
			if _, err := apigw.Render(tp, req, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	gwcNs := float64(res.NsPerOp())

	// Apache Velocity 1.7
	var javaNs float64
	if o, err := oracle.Start(); err != nil {
		t.Logf("velocity 1.7: skipped (%v)", err)
	} else {
		var ctx map[string]any
		json.Unmarshal(ctxJSON, &ctx)
		r, err := o.Do([]oracle.Request{{Op: "bench", Template: string(src), Context: ctx, Body: string(body), N: 20000}})
		o.Close()
		if err != nil || !r[0].OK {
			t.Fatalf("velocity bench: %v %s", err, r[0].Error)
		}
		javaNs = float64(r[0].NsPerOp)
	}

	// velocityjs
	var jsNs float64
	if d := os.Getenv("VELOCITYJS_DIR"); d == "" {
		t.Log("velocityjs: skipped (VELOCITYJS_DIR not set)")
	} else {
		cmd := exec.Command("node", filepath.Join(dir, "velocityjs-bench.js"), "20000")
		cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(d, "node_modules"))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("velocityjs: %v", err)
		}
		var r struct{ NsPerOp float64 }
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatal(err)
		}
		jsNs = r.NsPerOp
	}

	fmt.Printf("\nrequest.vm (31 lines) over body.json (%d bytes), %s/%s, GOMAXPROCS=%d\n\n", len(body), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	fmt.Printf("| engine | µs/op | gwc is faster by |\n|---|---:|---:|\n")
	fmt.Printf("| gwc (Go), %d allocs/op, %d B/op | %.1f | 1× |\n", res.AllocsPerOp(), res.AllocedBytesPerOp(), gwcNs/1000)
	if javaNs > 0 {
		fmt.Printf("| Apache Velocity 1.7 (Java 17, after JIT warm-up) | %.1f | %.1f× |\n", javaNs/1000, javaNs/gwcNs)
	}
	if jsNs > 0 {
		fmt.Printf("| velocityjs (Node %s) | %.1f | %.1f× |\n", nodeVersion(), jsNs/1000, jsNs/gwcNs)
	}
}

func nodeVersion() string {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return "?"
	}
	return string(bytes.TrimSpace(out))
}
