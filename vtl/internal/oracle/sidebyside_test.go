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

var (
	sideBySide = flag.Bool("sidebyside", false, "run the side-by-side benchmark (bench/vtl/run.sh)")
	rounds     = flag.Int("rounds", 5, "side-by-side rounds; each engine's best round is reported")
)

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
	// The engines run in turns, several rounds, and each keeps its best
	// round: the machine is shared, and the best round is the one least
	// disturbed.
	o, oerr := oracle.Start()
	if oerr != nil {
		t.Logf("velocity 1.7: skipped (%v)", oerr)
	} else {
		defer o.Close()
	}
	var ctx map[string]any
	json.Unmarshal(ctxJSON, &ctx)
	jsDir := os.Getenv("VELOCITYJS_DIR")
	if jsDir == "" {
		t.Log("velocityjs: skipped (VELOCITYJS_DIR not set)")
	}
	var res testing.BenchmarkResult
	var gwcNs, javaNs, jsNs float64
	better := func(best *float64, v float64) {
		if *best == 0 || v < *best {
			*best = v
		}
	}
	for round := 0; round < *rounds; round++ {
		r := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				if _, err := apigw.Render(tp, req, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
		if gwcNs == 0 || float64(r.NsPerOp()) < gwcNs {
			res = r
		}
		better(&gwcNs, float64(r.NsPerOp()))

		if oerr == nil {
			jr, err := o.Do([]oracle.Request{{Op: "bench", Template: string(src), Context: ctx, Body: string(body), N: 20000}})
			if err != nil || !jr[0].OK {
				t.Fatalf("velocity bench: %v %s", err, jr[0].Error)
			}
			better(&javaNs, float64(jr[0].NsPerOp))
		}

		if jsDir != "" {
			cmd := exec.Command("node", filepath.Join(dir, "velocityjs-bench.js"), "20000")
			cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(jsDir, "node_modules"))
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("velocityjs: %v", err)
			}
			var jr struct{ NsPerOp float64 }
			if err := json.Unmarshal(out, &jr); err != nil {
				t.Fatal(err)
			}
			better(&jsNs, jr.NsPerOp)
		}
	}

	fmt.Printf("\nrequest.vm (31 lines) over body.json (%d bytes), %s/%s, GOMAXPROCS=%d, best of %d rounds\n\n", len(body), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), *rounds)
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
