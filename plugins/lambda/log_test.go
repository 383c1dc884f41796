package lambda

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// writes records each Write as one string.
type writes struct {
	mu sync.Mutex
	w  []string
}

func (w *writes) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.w = append(w.w, string(p))
	return len(p), nil
}

// A START line is held until the instance's next line and goes out in the
// same write: before the function's first line, or with END and REPORT.
func TestStartLineGoesOutWithTheNextLine(t *testing.T) {
	w := &writes{}
	inst := newInstance(&function{name: "f", out: newLogOutput(w), cfg: LocalFunction{Memory: 128}}, 1)
	id1 := [36]byte([]byte("11111111-1111-4111-8111-111111111111"))
	id2 := [36]byte([]byte("22222222-2222-4222-8222-222222222222"))

	inst.platform.startLine(&id1)
	if len(w.w) != 0 {
		t.Fatalf("START written at once: %q", w.w)
	}
	inst.stdout.Write([]byte("hello\nworld\n"))
	inst.report(&id1, time.Now(), 0, "")
	inst.platform.startLine(&id2)
	inst.report(&id2, time.Now(), 0, "")

	want := []string{
		"[f#1] START RequestId: " + string(id1[:]) + " Version: $LATEST\n[f#1] hello\n",
		"[f#1] world\n",
		"[f#1] END RequestId: " + string(id1[:]) + "\n[f#1] REPORT RequestId: " + string(id1[:]) + "\tDuration: ",
		"[f#1] START RequestId: " + string(id2[:]) + " Version: $LATEST\n[f#1] END RequestId: " + string(id2[:]) + "\n[f#1] REPORT RequestId: " + string(id2[:]) + "\tDuration: ",
	}
	if len(w.w) != len(want) {
		t.Fatalf("got %d writes %q, want %d", len(w.w), w.w, len(want))
	}
	for k, s := range want {
		if !strings.HasPrefix(w.w[k], s) {
			t.Errorf("write %d is %q, want it to start with %q", k, w.w[k], s)
		}
	}
	if !strings.HasSuffix(w.w[2], "\tMemory Size: 128 MB\tMax Memory Used: 0 MB\n") {
		t.Errorf("REPORT line %q", w.w[2])
	}
}

// A function's output of an invocation comes after the invocation's
// START line (the output reaches gwc through a pipe, the result through
// the Runtime API, so it may also come after the invocation's END), and
// every invocation has one START, END and REPORT line.
func TestFunctionOutputAfterStart(t *testing.T) {
	r, logs := newRouter(t, Config{Functions: []LocalFunction{fn("counter")}})
	const calls = 5
	for range calls {
		invoke(t, r, "counter", `{}`)
	}
	eventually(t, "the last invocation's line", func() bool { return hasLine(logs.String(), "[counter#1] invocation 5") })
	lines := strings.Split(logs.String(), "\n")
	starts := 0
	for k, l := range lines {
		if strings.HasPrefix(l, "[counter#1] START RequestId: ") {
			starts++
		}
		if strings.HasPrefix(l, "[counter#1] invocation ") {
			n, _ := strconv.Atoi(strings.TrimPrefix(l, "[counter#1] invocation "))
			if n > starts {
				t.Errorf("line %d %q follows %d START lines:\n%s", k, l, starts, logs.String())
			}
		}
	}
	for _, kind := range []string{"START", "END", "REPORT"} {
		if n := strings.Count(logs.String(), "[counter#1] "+kind+" RequestId: "); n != calls {
			t.Errorf("%d %s lines, want %d:\n%s", n, kind, calls, logs.String())
		}
	}
}
