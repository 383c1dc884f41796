package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"gwc.dev/gwc/runtime"
)

// binDir holds the test functions, built once from testdata by TestMain:
// real handlers written with aws-lambda-go (and one raw custom runtime),
// run through the Runtime API as Lambda would run them.
var binDir string

var testFunctions = []string{"echo", "fail", "panic", "crash", "sleep", "oom", "initexit", "initerror", "counter", "context", "big", "gwproxy", "gwcustom", "gwauth"}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gwc-lambda-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binDir = dir
	goBin := filepath.Join(goruntime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	for _, f := range testFunctions {
		args = append(args, "./testdata/"+f)
	}
	cmd := exec.Command(goBin, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the test functions:", err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// bin is the path of a built test function.
func bin(name string) string { return filepath.Join(binDir, name) }

// fn is a local function running a test function under its own name.
func fn(name string) LocalFunction {
	return LocalFunction{Name: name, Command: Argv{bin(name)}}
}

// syncBuffer collects the functions' log output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newRouter returns a Router over the given local functions, closed when
// the test ends; the functions' log is shown if the test fails.
func newRouter(t testing.TB, cfg Config) (*Router, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	if cfg.Log == nil {
		cfg.Log = logs
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.Close()
		if t.Failed() {
			t.Logf("function log:\n%s", logs.String())
		}
	})
	return r, logs
}

const testARN = "arn:aws:lambda:us-east-1:123456789012:function:"

// invoke calls a function by ARN with an event, bounded by a generous
// integration timeout (a hang fails the test rather than the run).
func invoke(t testing.TB, r *Router, name string, event string) *runtime.FunctionResult {
	t.Helper()
	res, err := r.Invoke(context.Background(), &runtime.FunctionCall{
		ARN: testARN + name, Payload: []byte(event), Timeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("invoke %s: %v", name, err)
	}
	return res
}

// errorDocOf decodes a function error document.
func errorDocOf(t testing.TB, res *runtime.FunctionResult) map[string]any {
	t.Helper()
	if res.FunctionError != "Unhandled" {
		t.Fatalf("function error = %q, want Unhandled; payload %s", res.FunctionError, res.Payload)
	}
	var doc map[string]any
	if err := json.Unmarshal(res.Payload, &doc); err != nil {
		t.Fatalf("error document %q: %v", res.Payload, err)
	}
	return doc
}

// pidOf reads {"pid": …} from a result.
func pidOf(t testing.TB, res *runtime.FunctionResult) int {
	t.Helper()
	if res.FunctionError != "" {
		t.Fatalf("function error %s: %s", res.FunctionError, res.Payload)
	}
	var v struct{ PID int }
	if err := json.Unmarshal(res.Payload, &v); err != nil || v.PID == 0 {
		t.Fatalf("result %s: no pid (%v)", res.Payload, err)
	}
	return v.PID
}

// eventually waits, up to a bound that only a failure reaches, for cond.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s did not happen", what)
}

// hasLine reports whether the log has a line.
func hasLine(log, line string) bool {
	for _, l := range strings.Split(log, "\n") {
		if l == line {
			return true
		}
	}
	return false
}
