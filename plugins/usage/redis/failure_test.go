package redis

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"gwc.dev/gwc/internal/redistest"
	"gwc.dev/gwc/plugins/usage"
)

// syncBuffer is a log destination shared by goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) lines(substr string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, l := range strings.Split(b.b.String(), "\n") {
		if strings.Contains(l, substr) {
			n++
		}
	}
	return n
}

// TestRedisDown stops the server mid-test: the store's calls then fail,
// and the failure policy decides what requests get.
func TestRedisDown(t *testing.T) {
	srv := redistest.Start(t)
	s := newStore(t, srv.URL, Options{})
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)

	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	// go-redis's own messages go to slog.Default() at Debug, not one per
	// failed request to stderr.
	var debug syncBuffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&debug, &slog.HandlerOptions{Level: slog.LevelDebug})))
	// A clock that does not move: every failure below is in one interval.
	frozen := func() time.Time { return t0 }
	closed := usage.WithFailurePolicy(s, usage.FailClosed, logger, usage.Clock(frozen))
	open := usage.WithFailurePolicy(s, usage.FailOpen, logger, usage.Clock(frozen))

	if ok, err := closed.Count(ctx, "q", 1, exp); !ok || err != nil {
		t.Fatalf("while up: %v %v", ok, err)
	}
	if ok, err := open.Count(ctx, "q", 1, exp); ok || err != nil {
		t.Fatalf("while up, over the quota: %v %v", ok, err)
	}
	if err := usage.Ping(ctx, closed); err != nil {
		t.Fatalf("Ping while up: %v", err)
	}

	srv.Stop()

	if _, err := s.Allow(ctx, "b", 1, 1, t0); err == nil {
		t.Fatal("the store's Allow: no error with Redis down")
	}
	if _, err := s.Count(ctx, "q", 1, exp); err == nil {
		t.Fatal("the store's Count: no error with Redis down")
	}
	for range 5 {
		if ok, err := closed.Allow(ctx, "b", 1, 1, t0); ok || err == nil {
			t.Fatalf("FailClosed Allow: %v %v, want an error", ok, err)
		}
		if ok, err := closed.Count(ctx, "q", 1, exp); ok || err == nil {
			t.Fatalf("FailClosed Count: %v %v, want an error", ok, err)
		}
		// The quota is exhausted, but nobody can tell: FailOpen allows.
		if ok, err := open.Count(ctx, "q", 1, exp); !ok || err != nil {
			t.Fatalf("FailOpen Count: %v %v, want allowed", ok, err)
		}
		if ok, err := open.Allow(ctx, "b", 1, 1, t0); !ok || err != nil {
			t.Fatalf("FailOpen Allow: %v %v, want allowed", ok, err)
		}
	}
	// Ping tells the truth whatever the policy.
	if err := usage.Ping(ctx, open); err == nil {
		t.Error("Ping with Redis down: no error")
	}
	if n := debug.lines("level=DEBUG msg=\"redis: connection pool: failed to dial"); n == 0 {
		t.Errorf("go-redis's messages did not reach slog.Default at Debug:\n%s", debug.b.String())
	}
	// Ten failures each, one record each.
	if n := logs.lines("usage store unreachable: refusing requests"); n != 1 {
		t.Errorf("FailClosed logged %d times, want once:\n%s", n, logs.b.String())
	}
	if n := logs.lines("usage store unreachable: allowing requests"); n != 1 {
		t.Errorf("FailOpen logged %d times, want once:\n%s", n, logs.b.String())
	}
}

// recoverDeadline bounds the wait for the client to reconnect to a
// restarted server: a limit for a broken setup only.
const recoverDeadline = 20 * time.Second

// TestRedisBack restarts the server: the store answers again without
// being recreated, and the failure policy logs the recovery.
func TestRedisBack(t *testing.T) {
	srv := redistest.Start(t)
	s := newStore(t, srv.URL, Options{})
	ctx := context.Background()
	var logs syncBuffer
	g := usage.WithFailurePolicy(s, usage.FailClosed, slog.New(slog.NewTextHandler(&logs, nil)))
	exp := time.Now().Add(time.Hour)

	// Enough failures to trip go-redis's pool, which then stops dialling
	// and fails at once until a background dial succeeds.
	srv.Stop()
	for range 100 {
		if _, err := g.Count(ctx, "q", 10, exp); err == nil {
			t.Fatal("Count with Redis down: no error")
		}
	}
	srv.Restart()
	deadline := time.Now().Add(recoverDeadline)
	for {
		ok, err := g.Count(ctx, "q", 10, exp)
		if err == nil {
			// The restarted server is empty: the first request counts.
			if !ok {
				t.Fatal("first request after the restart refused")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer %v after the restart: %v", recoverDeadline, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := logs.lines("usage store reachable again"); n != 1 {
		t.Errorf("recovery logged %d times, want once:\n%s", n, logs.b.String())
	}
}
