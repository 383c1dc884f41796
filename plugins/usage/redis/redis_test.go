package redis

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"gwc.dev/gwc/internal/redistest"
	"gwc.dev/gwc/plugins/usage/internal/storetest"
	"gwc.dev/gwc/runtime"
)

// expiryDeadline bounds the wait for Redis to expire a key whose expiry
// is a few hundred milliseconds away: a limit for a broken setup only.
const expiryDeadline = 20 * time.Second

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newStore(t testing.TB, url string, opts Options) *Store {
	t.Helper()
	s, err := New(url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// rawClient is a plain client for looking at what the store wrote.
func rawClient(t testing.TB, url string) *goredis.Client {
	t.Helper()
	o, err := goredis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := goredis.NewClient(o)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestShared(t *testing.T) {
	srv := redistest.Start(t)
	raw := rawClient(t, srv.URL)
	var n atomic.Int64
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		// Each test has its own prefix in the one server, so that the
		// tests' keys cannot meet.
		prefix := fmt.Sprintf("t%d:", n.Add(1))
		s := newStore(t, srv.URL, Options{Prefix: prefix})
		return storetest.Harness{
			Store: s,
			Handles: func(t *testing.T, n int) []runtime.UsageStore {
				// Separate clients, each with its own pool, as separate
				// gwc serve processes would have.
				hs := make([]runtime.UsageStore, n)
				for i := range hs {
					hs[i] = newStore(t, srv.URL, Options{Prefix: prefix})
				}
				return hs
			},
			Now: time.Now,
			PassExpiry: func(t *testing.T, key string, expires time.Time) {
				waitGone(t, raw, prefix+"q:"+key)
			},
		}
	})
}

// waitGone returns once Redis has expired key.
func waitGone(t *testing.T, c *goredis.Client, key string) {
	t.Helper()
	deadline := time.Now().Add(expiryDeadline)
	for {
		n, err := c.Exists(context.Background(), key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("key %s still there after %v", key, expiryDeadline)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestBucketExpiry(t *testing.T) {
	srv := redistest.Start(t)
	raw := rawClient(t, srv.URL)
	s := newStore(t, srv.URL, Options{})
	ctx := context.Background()
	pttl := func(key string) time.Duration {
		t.Helper()
		d, err := raw.PTTL(ctx, "gwc:b:"+key).Result()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// One token of 2 at a thousandth of a token a second: full again in
	// 1000 s, and forgettable then.
	if ok, err := s.Allow(ctx, "slow", 0.001, 2, t0); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if d := pttl("slow"); d <= 990*time.Second || d > 1000*time.Second {
		t.Errorf("slow bucket's TTL %v, want just under 1000s", d)
	}
	// Full again in a second: kept for minBucketTTL all the same.
	s.Allow(ctx, "fast", 1, 2, t0)
	if d := pttl("fast"); d <= minBucketTTL-10*time.Second || d > minBucketTTL {
		t.Errorf("fast bucket's TTL %v, want just under %v", d, minBucketTTL)
	}
	// A bucket that never refills is kept: PTTL -1 is a key without one.
	s.Allow(ctx, "never", 0, 2, t0)
	if d := pttl("never"); d != -1 {
		t.Errorf("rate 0 bucket's TTL %v, want none", d)
	}
	// Nor one that would take longer than maxBucketTTL to fill.
	s.Allow(ctx, "glacial", 1e-12, 2, t0)
	if d := pttl("glacial"); d != -1 {
		t.Errorf("1e-12 rate bucket's TTL %v, want none", d)
	}
	// A refusal writes nothing, so it does not extend the expiry.
	s.Allow(ctx, "r", 0.001, 1, t0)
	raw.PExpire(ctx, "gwc:b:r", 500*time.Second)
	if ok, _ := s.Allow(ctx, "r", 0.001, 1, t0); ok {
		t.Fatal("second token of a burst of 1 allowed")
	}
	if d := pttl("r"); d > 500*time.Second {
		t.Errorf("a refusal rewrote the expiry: %v", d)
	}
}

func TestQuotaExpiry(t *testing.T) {
	srv := redistest.Start(t)
	raw := rawClient(t, srv.URL)
	s := newStore(t, srv.URL, Options{})
	ctx := context.Background()
	exp := time.Now().Add(time.Hour).Truncate(time.Millisecond).Add(300 * time.Microsecond)
	s.Count(ctx, "q", 10, exp)
	at, err := raw.Do(ctx, "PEXPIRETIME", "gwc:q:q").Int64()
	if err != nil {
		t.Fatal(err)
	}
	// Rounded up to the millisecond: never forgotten before expires.
	if want := exp.Truncate(time.Millisecond).Add(time.Millisecond).UnixMilli(); at != want {
		t.Errorf("expiry %d, want %d", at, want)
	}
	// Later requests do not move it.
	s.Count(ctx, "q", 10, exp.Add(time.Hour))
	if at2, _ := raw.Do(ctx, "PEXPIRETIME", "gwc:q:q").Int64(); at2 != at {
		t.Errorf("expiry moved from %d to %d", at, at2)
	}
	// A refused request is not counted.
	s.Count(ctx, "full", 1, exp)
	s.Count(ctx, "full", 1, exp)
	if n, _ := raw.Get(ctx, "gwc:q:full").Int64(); n != 1 {
		t.Errorf("count %d after a refusal, want 1", n)
	}
}

func TestScriptFlushed(t *testing.T) {
	// After SCRIPT FLUSH (or a restart) Redis no longer knows the scripts
	// by digest: they are sent again in full.
	srv := redistest.Start(t)
	raw := rawClient(t, srv.URL)
	s := newStore(t, srv.URL, Options{})
	ctx := context.Background()
	for range 2 {
		if err := raw.ScriptFlush(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Allow(ctx, "b", 1, 1, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Count(ctx, "q", 1, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestURL(t *testing.T) {
	srv := redistest.Start(t, "--requirepass", "s3cret")
	ctx := context.Background()

	s := newStore(t, "redis://:s3cret@"+srv.Addr+"/3", Options{Prefix: "x:"})
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Count(ctx, "q", 1, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// The count is in database 3, under the prefix.
	raw := rawClient(t, "redis://:s3cret@"+srv.Addr+"/3")
	if n, _ := raw.Exists(ctx, "x:q:q").Result(); n != 1 {
		t.Error("x:q:q not in database 3")
	}

	bad := newStore(t, "redis://:wrong@"+srv.Addr, Options{})
	if err := bad.Ping(ctx); err == nil {
		t.Error("Ping with a wrong password: no error")
	}
	if _, err := bad.Count(ctx, "q", 1, time.Now().Add(time.Hour)); err == nil {
		t.Error("Count with a wrong password: no error")
	}
}

func TestParseURL(t *testing.T) {
	o, err := parseURL("redis://127.0.0.1:6379/2")
	if err != nil {
		t.Fatal(err)
	}
	if o.Addr != "127.0.0.1:6379" || o.DB != 2 || o.TLSConfig != nil {
		t.Errorf("addr %q db %d tls %v", o.Addr, o.DB, o.TLSConfig != nil)
	}
	if o.DialTimeout != defaultDialTimeout || o.ReadTimeout != defaultReadTimeout || o.MaxRetries != -1 || o.DialerRetries != 1 {
		t.Errorf("defaults not applied: dial %v read %v retries %d dialer retries %d", o.DialTimeout, o.ReadTimeout, o.MaxRetries, o.DialerRetries)
	}
	o, err = parseURL("rediss://user:pw@redis.example:6380?dial_timeout=3s&read_timeout=2s&max_retries=2")
	if err != nil {
		t.Fatal(err)
	}
	if o.TLSConfig == nil || o.TLSConfig.ServerName != "redis.example" || o.Username != "user" || o.Password != "pw" {
		t.Errorf("rediss: tls %v user %q password %q", o.TLSConfig, o.Username, o.Password)
	}
	if o.DialTimeout != 3*time.Second || o.ReadTimeout != 2*time.Second || o.MaxRetries != 2 {
		t.Errorf("the URL's settings were overridden: dial %v read %v retries %d", o.DialTimeout, o.ReadTimeout, o.MaxRetries)
	}
	for _, u := range []string{"http://127.0.0.1:6379", "redis://127.0.0.1:6379/x", "redis://h:1?nonsense=1", "://"} {
		if _, err := New(u, Options{}); err == nil {
			t.Errorf("New(%q): no error", u)
		}
	}
	// A password in a URL that does not parse is not repeated in the error.
	if _, err := New("redis://:hunter2@h:1/x", Options{}); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %v", err)
	}
}
