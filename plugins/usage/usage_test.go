package usage

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"gwc.dev/gwc/runtime"
)

// fakeStore answers from err: nil allows, anything else fails.
type fakeStore struct {
	mu  sync.Mutex
	err error
}

func (f *fakeStore) set(err error) { f.mu.Lock(); f.err = err; f.mu.Unlock() }
func (f *fakeStore) get() error    { f.mu.Lock(); defer f.mu.Unlock(); return f.err }

func (f *fakeStore) Allow(ctx context.Context, key string, rate float64, burst int, now time.Time) (bool, error) {
	if err := f.get(); err != nil {
		return false, err
	}
	return true, nil
}

func (f *fakeStore) Count(ctx context.Context, key string, limit int64, expires time.Time) (bool, error) {
	if err := f.get(); err != nil {
		return false, err
	}
	return false, nil // over the quota, so that passing answers through shows
}

func (f *fakeStore) Ping(ctx context.Context) error { return f.get() }

var errDown = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *logBuffer) records() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := strings.TrimSpace(b.b.String())
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newGuard(policy Policy) (*Guard, *fakeStore, *logBuffer, *testClock) {
	f := &fakeStore{}
	logs := &logBuffer{}
	c := &testClock{t: t0}
	g := WithFailurePolicy(f, policy, slog.New(slog.NewTextHandler(logs, nil)), LogEvery(time.Minute), Clock(c.now))
	return g, f, logs, c
}

func TestPolicies(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		policy  Policy
		wantOK  bool
		wantErr bool
	}{
		{FailClosed, false, true},
		{FailOpen, true, false},
	} {
		t.Run(tc.policy.String(), func(t *testing.T) {
			g, f, _, _ := newGuard(tc.policy)
			// Healthy: the store's answers pass through unchanged.
			if ok, err := g.Allow(ctx, "b", 1, 1, t0); !ok || err != nil {
				t.Fatalf("Allow while up: %v %v", ok, err)
			}
			if ok, err := g.Count(ctx, "q", 1, t0); ok || err != nil {
				t.Fatalf("Count while up: %v %v (the store refused)", ok, err)
			}
			f.set(errDown)
			ok, err := g.Allow(ctx, "b", 1, 1, t0)
			if ok != tc.wantOK || (err != nil) != tc.wantErr {
				t.Errorf("Allow while down: %v %v", ok, err)
			}
			if tc.wantErr && !errors.Is(err, errDown) {
				t.Errorf("Allow while down: error %v, want the store's", err)
			}
			ok, err = g.Count(ctx, "q", 1, t0)
			if ok != tc.wantOK || (err != nil) != tc.wantErr {
				t.Errorf("Count while down: %v %v", ok, err)
			}
		})
	}
}

func TestFailClosedIsTheDefault(t *testing.T) {
	var p Policy
	if p != FailClosed {
		t.Fatal("the zero Policy is not FailClosed")
	}
}

func TestLogOncePerInterval(t *testing.T) {
	ctx := context.Background()
	g, f, logs, c := newGuard(FailOpen)
	f.set(errDown)
	for range 100 {
		g.Allow(ctx, "b", 1, 1, t0)
	}
	recs := logs.records()
	if len(recs) != 1 {
		t.Fatalf("%d records for 100 failures in one interval, want 1:\n%s", len(recs), strings.Join(recs, "\n"))
	}
	for _, want := range []string{"level=WARN", "usage store unreachable: allowing requests", "policy=open", "op=allow", "connection refused", "failures=1"} {
		if !strings.Contains(recs[0], want) {
			t.Errorf("record %q lacks %q", recs[0], want)
		}
	}
	// Just short of the interval: still quiet.
	c.add(time.Minute - time.Nanosecond)
	g.Count(ctx, "q", 1, t0)
	if n := len(logs.records()); n != 1 {
		t.Fatalf("%d records before the interval passed, want 1", n)
	}
	// Past it: one more, counting what was held back.
	c.add(time.Nanosecond)
	g.Count(ctx, "q", 1, t0)
	g.Count(ctx, "q", 1, t0)
	recs = logs.records()
	if len(recs) != 2 {
		t.Fatalf("%d records after the interval, want 2", len(recs))
	}
	if !strings.Contains(recs[1], "suppressed=100") || !strings.Contains(recs[1], "failures=102") || !strings.Contains(recs[1], "op=count") {
		t.Errorf("second record %q: want suppressed=100 failures=102 op=count", recs[1])
	}
}

func TestLogRecovery(t *testing.T) {
	ctx := context.Background()
	g, f, logs, _ := newGuard(FailClosed)
	g.Allow(ctx, "b", 1, 1, t0)
	if n := len(logs.records()); n != 0 {
		t.Fatalf("a healthy store logged %d records", n)
	}
	f.set(errDown)
	g.Allow(ctx, "b", 1, 1, t0)
	g.Allow(ctx, "b", 1, 1, t0)
	f.set(nil)
	g.Allow(ctx, "b", 1, 1, t0)
	g.Allow(ctx, "b", 1, 1, t0)
	recs := logs.records()
	if len(recs) != 2 || !strings.Contains(recs[1], "level=INFO") || !strings.Contains(recs[1], "usage store reachable again") || !strings.Contains(recs[1], "failures=2") {
		t.Fatalf("records:\n%s\nwant the outage, then one recovery with failures=2", strings.Join(recs, "\n"))
	}
	// A new outage is reported at once, though within the interval.
	f.set(errDown)
	g.Allow(ctx, "b", 1, 1, t0)
	if n := len(logs.records()); n != 3 {
		t.Fatalf("a second outage within the interval: %d records, want 3", n)
	}
}

func TestCanceledRequest(t *testing.T) {
	// A request whose client went away is not an outage: its error is
	// returned under either policy, and nothing is logged.
	for _, p := range []Policy{FailClosed, FailOpen} {
		g, f, logs, _ := newGuard(p)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		f.set(context.Canceled)
		if ok, err := g.Allow(ctx, "b", 1, 1, t0); ok || !errors.Is(err, context.Canceled) {
			t.Errorf("%v: Allow with a canceled request: %v %v", p, ok, err)
		}
		if n := len(logs.records()); n != 0 {
			t.Errorf("%v: a canceled request logged %d records", p, n)
		}
	}
}

func TestPing(t *testing.T) {
	ctx := context.Background()
	g, f, _, _ := newGuard(FailOpen)
	if err := Ping(ctx, g); err != nil {
		t.Fatal(err)
	}
	f.set(errDown)
	if err := Ping(ctx, g); !errors.Is(err, errDown) {
		t.Fatalf("Ping through FailOpen: %v, want the store's error", err)
	}
	// A store without Ping is in the process: always reachable.
	var noPing runtime.UsageStore = struct{ runtime.UsageStore }{f}
	if err := Ping(ctx, noPing); err != nil {
		t.Fatalf("store without Ping: %v", err)
	}
}

func TestParsePolicy(t *testing.T) {
	for _, p := range []Policy{FailClosed, FailOpen} {
		got, err := ParsePolicy(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v", p.String(), got, err)
		}
	}
	if _, err := ParsePolicy("ajar"); err == nil {
		t.Error("ParsePolicy(ajar): no error")
	}
}
