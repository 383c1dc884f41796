package memory

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gwc.dev/gwc/plugins/usage/internal/storetest"
	"gwc.dev/gwc/runtime"
)

// clock is a test clock, stepped by hand.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}

func (c *clock) now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration) { c.ns.Add(int64(d)) }

func TestShared(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		c := newClock(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
		s := New(Options{Now: c.now})
		return storetest.Harness{
			Store: s,
			Handles: func(t *testing.T, n int) []runtime.UsageStore {
				hs := make([]runtime.UsageStore, n)
				for i := range hs {
					hs[i] = s
				}
				return hs
			},
			Now: c.now,
			PassExpiry: func(t *testing.T, key string, expires time.Time) {
				c.set(expires.Add(time.Nanosecond))
			},
		}
	})
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// keysPerShard returns n keys for each shard, so that a test can reach
// every shard's sweep.
func keysPerShard(t *testing.T, s *Store, prefix string, n int) []string {
	t.Helper()
	var keys []string
	got := make([]int, shardCount)
	for i := 0; len(keys) < n*shardCount; i++ {
		if i == 1<<20 {
			t.Fatalf("%d keys do not reach every shard", i)
		}
		k := fmt.Sprintf("%s%d", prefix, i)
		idx := s.shardIndex(k)
		if got[idx] < n {
			got[idx]++
			keys = append(keys, k)
		}
	}
	return keys
}

func TestSweepForgetsFullBuckets(t *testing.T) {
	ctx := context.Background()
	s := New(Options{SweepEvery: time.Minute})
	old := keysPerShard(t, s, "old", 4)
	for _, k := range old {
		// One token of 2 taken at one a second: full again at t0+1s.
		if ok, _ := s.Allow(ctx, k, 1, 2, t0); !ok {
			t.Fatal("refused")
		}
	}
	// Buckets that do not refill stay: forgetting them would hand out
	// their burst again.
	stuck := keysPerShard(t, s, "stuck", 1)
	for _, k := range stuck {
		s.Allow(ctx, k, 0, 1, t0)
	}
	if b, _ := s.Len(); b != len(old)+len(stuck) {
		t.Fatalf("%d buckets, want %d", b, len(old)+len(stuck))
	}
	// A sweep is due a minute on; new buckets, one per shard, trigger it.
	// Their own tokens were taken just now, so they stay.
	fresh := keysPerShard(t, s, "fresh", 1)
	for _, k := range fresh {
		s.Allow(ctx, k, 1, 2, t0.Add(time.Minute))
	}
	if b, _ := s.Len(); b != len(fresh)+len(stuck) {
		t.Fatalf("after the sweep: %d buckets, want %d (the fresh and stuck ones)", b, len(fresh)+len(stuck))
	}
	for _, k := range stuck {
		if ok, _ := s.Allow(ctx, k, 0, 1, t0.Add(2*time.Minute)); ok {
			t.Fatal("a bucket that never refills was forgotten")
		}
	}
}

func TestSweepKeepsBucketsNotYetFull(t *testing.T) {
	ctx := context.Background()
	s := New(Options{SweepEvery: time.Second})
	keys := keysPerShard(t, s, "k", 1)
	// Rate 0.01: one token takes 100 s, so these are still filling when
	// the sweeps below run.
	for _, k := range keys {
		s.Allow(ctx, k, 0.01, 1, t0)
	}
	trigger := keysPerShard(t, s, "t", 1)
	for _, k := range trigger {
		s.Allow(ctx, k, 0.01, 1, t0.Add(99*time.Second))
	}
	for _, k := range keys {
		if ok, _ := s.Allow(ctx, k, 0.01, 1, t0.Add(99*time.Second)); ok {
			t.Fatalf("bucket %s forgotten before it was full", k)
		}
	}
}

func TestSweepForgetsExpiredCounters(t *testing.T) {
	ctx := context.Background()
	c := newClock(t0)
	s := New(Options{Now: c.now, SweepEvery: time.Minute})
	old := keysPerShard(t, s, "old", 3)
	for _, k := range old {
		s.Count(ctx, k, 10, t0.Add(time.Second))
	}
	live := keysPerShard(t, s, "live", 1)
	for _, k := range live {
		s.Count(ctx, k, 1, t0.Add(time.Hour))
	}
	c.add(time.Minute)
	fresh := keysPerShard(t, s, "fresh", 1)
	for _, k := range fresh {
		s.Count(ctx, k, 10, t0.Add(time.Hour))
	}
	if _, n := s.Len(); n != len(fresh)+len(live) {
		t.Fatalf("after the sweep: %d counters, want %d", n, len(fresh)+len(live))
	}
	for _, k := range live {
		if ok, _ := s.Count(ctx, k, 1, t0.Add(time.Hour)); ok {
			t.Fatalf("quota %s forgotten before its expiry", k)
		}
	}
}

func TestCounterExpiresAtItsTime(t *testing.T) {
	// A count is kept up to and including its expiry instant, and
	// forgotten just after, with or without a sweep in between.
	ctx := context.Background()
	c := newClock(t0)
	s := New(Options{Now: c.now, SweepEvery: time.Hour})
	exp := t0.Add(time.Second)
	s.Count(ctx, "q", 1, exp)
	c.set(exp)
	if ok, _ := s.Count(ctx, "q", 1, exp); ok {
		t.Fatal("count forgotten at its expiry")
	}
	c.set(exp.Add(time.Nanosecond))
	if ok, _ := s.Count(ctx, "q", 1, exp.Add(time.Hour)); !ok {
		t.Fatal("count kept after its expiry")
	}
	if ok, _ := s.Count(ctx, "q", 1, exp.Add(time.Hour)); ok {
		t.Fatal("the new period's count does not count")
	}
}

func TestZeroAllocs(t *testing.T) {
	ctx := context.Background()
	s := New(Options{})
	s.Allow(ctx, "b", 1e9, 1000, t0)
	s.Count(ctx, "q", 1<<60, t0.Add(time.Hour))
	now := t0
	if n := testing.AllocsPerRun(1000, func() {
		now = now.Add(time.Millisecond)
		s.Allow(ctx, "b", 1e9, 1000, now)
	}); n != 0 {
		t.Errorf("Allow of a known key: %v allocations", n)
	}
	if n := testing.AllocsPerRun(1000, func() {
		s.Count(ctx, "q", 1<<60, t0.Add(time.Hour))
	}); n != 0 {
		t.Errorf("Count of a known key: %v allocations", n)
	}
}

func BenchmarkAllow(b *testing.B) {
	ctx := context.Background()
	s := New(Options{})
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		s.Allow(ctx, "key", 1e9, 1<<30, now)
	}
}

// BenchmarkAllowParallelOneKey is the worst case: every request for one
// bucket, so every goroutine waits for one lock.
func BenchmarkAllowParallelOneKey(b *testing.B) {
	ctx := context.Background()
	s := New(Options{})
	now := time.Now()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.Allow(ctx, "key", 1e9, 1<<30, now)
		}
	})
}

// BenchmarkAllowParallelKeys spreads requests over 1024 buckets, as many
// API keys and methods would.
func BenchmarkAllowParallelKeys(b *testing.B) {
	ctx := context.Background()
	s := New(Options{})
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprintf("apikey-%d/GET /pets", i)
	}
	now := time.Now()
	var seq atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := int(seq.Add(1)) * 7919
		for pb.Next() {
			i++
			s.Allow(ctx, keys[i&1023], 1e9, 1<<30, now)
		}
	})
}

func BenchmarkCountParallelKeys(b *testing.B) {
	ctx := context.Background()
	s := New(Options{})
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprintf("apikey-%d/2026-03-01", i)
	}
	exp := time.Now().Add(time.Hour)
	var seq atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := int(seq.Add(1)) * 7919
		for pb.Next() {
			i++
			s.Count(ctx, keys[i&1023], 1<<62, exp)
		}
	})
}
