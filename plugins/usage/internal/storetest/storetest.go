// Package storetest is the behaviour every usage store shares, as tests
// that each store's package runs against itself: the same calls must get
// the same answers from the in-memory store and from Redis.
package storetest

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gwc.dev/gwc/runtime"
)

// Harness is one store under test, fresh for each test.
type Harness struct {
	// Store is the store.
	Store runtime.UsageStore
	// Handles returns n stores that share Store's state, as n gwc serve
	// processes would: the store itself for the in-memory store, n
	// clients with their own connections for Redis.
	Handles func(t *testing.T, n int) []runtime.UsageStore
	// Now is the clock quota expiries are checked against.
	Now func() time.Time
	// PassExpiry returns once the quota named key, counted with expiry
	// expires, has been forgotten: it steps a test clock past expires, or
	// waits for Redis to expire the key.
	PassExpiry func(t *testing.T, key string, expires time.Time)
}

// Run runs the shared tests; newHarness makes a fresh store per test.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	tests := []struct {
		name string
		run  func(t *testing.T, h Harness)
	}{
		{"BurstThenRefusal", burstThenRefusal},
		{"RefillOverTime", refillOverTime},
		{"FractionalRate", fractionalRate},
		{"RateZeroNeverRefills", rateZero},
		{"BurstZeroBlocksEverything", burstZero},
		{"BadRate", badRate},
		{"ClockBehind", clockBehind},
		{"BurstLowered", burstLowered},
		{"KeysIndependent", keysIndependent},
		{"QuotaExactlyLimit", quotaExactlyLimit},
		{"QuotaRefusedNotCounted", quotaRefusedNotCounted},
		{"QuotaLimitZero", quotaLimitZero},
		{"QuotaExpiryResets", quotaExpiryResets},
		{"ConcurrentQuotaExact", concurrentQuotaExact},
		{"ConcurrentBucketExact", concurrentBucketExact},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newHarness(t))
		})
	}
}

// t0 is the start of the test clock buckets are driven with; far from the
// real time, so that nothing here depends on it.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

func allow(t *testing.T, s runtime.UsageStore, key string, rate float64, burst int, now time.Time) bool {
	t.Helper()
	ok, err := s.Allow(context.Background(), key, rate, burst, now)
	if err != nil {
		t.Fatalf("Allow(%q, %v, %d, %v): %v", key, rate, burst, now.Sub(t0), err)
	}
	return ok
}

func count(t *testing.T, s runtime.UsageStore, key string, limit int64, expires time.Time) bool {
	t.Helper()
	ok, err := s.Count(context.Background(), key, limit, expires)
	if err != nil {
		t.Fatalf("Count(%q, %d): %v", key, limit, err)
	}
	return ok
}

// step is one call of a bucket script: at d after t0, want the answer.
type step struct {
	d    time.Duration
	want bool
}

func runSteps(t *testing.T, s runtime.UsageStore, key string, rate float64, burst int, steps []step) {
	t.Helper()
	for i, st := range steps {
		if got := allow(t, s, key, rate, burst, at(st.d)); got != st.want {
			t.Fatalf("step %d (t0+%v, rate %v, burst %d): got %v, want %v", i, st.d, rate, burst, got, st.want)
		}
	}
}

func burstThenRefusal(t *testing.T, h Harness) {
	// A new bucket is full: burst requests at one instant, then none.
	runSteps(t, h.Store, "b", 1, 3, []step{
		{0, true}, {0, true}, {0, true}, {0, false}, {0, false},
	})
}

func refillOverTime(t *testing.T, h Harness) {
	ms := time.Millisecond
	runSteps(t, h.Store, "b", 2, 2, []step{
		{0, true}, {0, true}, {0, false},
		// Two tokens a second: one every 500 ms, none before.
		{499 * ms, false}, {500 * ms, true}, {500 * ms, false},
		{999 * ms, false}, {1000 * ms, true}, {1000 * ms, false},
		// A long pause fills the bucket to its burst and no further.
		{time.Hour, true}, {time.Hour, true}, {time.Hour, false},
	})
}

func fractionalRate(t *testing.T, h Harness) {
	// Half a token a second: one request every two seconds. The refusals
	// in between must not lose the half tokens already refilled.
	runSteps(t, h.Store, "b", 0.5, 1, []step{
		{0, true},
		{time.Second, false}, {1999 * time.Millisecond, false}, {2 * time.Second, true},
		{3 * time.Second, false}, {3999 * time.Millisecond, false}, {3999999 * time.Microsecond, false},
		{4 * time.Second, true}, {4 * time.Second, false},
	})
	// A tenth of a token a second, with a burst of 3.
	runSteps(t, h.Store, "c", 0.1, 3, []step{
		{0, true}, {0, true}, {0, true}, {0, false},
		{9 * time.Second, false}, {10 * time.Second, true}, {10 * time.Second, false},
		{30 * time.Second, true}, {30 * time.Second, true}, {30 * time.Second, false},
	})
}

func rateZero(t *testing.T, h Harness) {
	// Rate 0 never refills: burst requests in all, then none ever.
	runSteps(t, h.Store, "b", 0, 2, []step{
		{0, true}, {time.Second, true}, {time.Second, false},
		{1000 * time.Hour, false},
	})
}

func burstZero(t *testing.T, h Harness) {
	// Burst 0 blocks everything, whatever the rate (§5.2: rate and burst
	// 0 block the method).
	for _, rate := range []float64{0, 1, 1000} {
		runSteps(t, h.Store, "b", rate, 0, []step{{0, false}, {time.Hour, false}})
		runSteps(t, h.Store, "n", rate, -1, []step{{0, false}})
	}
}

func badRate(t *testing.T, h Harness) {
	for _, rate := range []float64{-1, math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := h.Store.Allow(context.Background(), "b", rate, 1, t0); err == nil {
			t.Errorf("Allow with rate %v: no error", rate)
		}
	}
}

func clockBehind(t *testing.T, h Harness) {
	// A caller whose clock is behind the last one's gets no refill, and
	// does not set the bucket's time back: otherwise the next caller would
	// be credited the same stretch of time twice.
	runSteps(t, h.Store, "b", 1, 2, []step{
		{10 * time.Second, true},
		{0, true}, // the second token, no refill
		{0, false},
		{10500 * time.Millisecond, false}, // from 10 s, not from 0
		{11 * time.Second, true},
		{11 * time.Second, false},
	})
}

func burstLowered(t *testing.T, h Harness) {
	// The same bucket asked with a smaller burst (a reloaded plan) holds
	// at most the new burst.
	runSteps(t, h.Store, "b", 1, 10, []step{{0, true}})
	runSteps(t, h.Store, "b", 1, 2, []step{{time.Second, true}, {time.Second, true}, {time.Second, false}})
}

func keysIndependent(t *testing.T, h Harness) {
	runSteps(t, h.Store, "a", 0, 1, []step{{0, true}, {0, false}})
	runSteps(t, h.Store, "b", 0, 1, []step{{0, true}, {0, false}})
	// A quota and a bucket of one name are different things.
	exp := h.Now().Add(time.Hour)
	if !count(t, h.Store, "a", 1, exp) || count(t, h.Store, "a", 1, exp) {
		t.Fatal("quota a: want one request allowed")
	}
	if !count(t, h.Store, "b", 1, exp) {
		t.Fatal("quota b: first request refused")
	}
}

func quotaExactlyLimit(t *testing.T, h Harness) {
	exp := h.Now().Add(time.Hour)
	for i := range 5 {
		if !count(t, h.Store, "q", 5, exp) {
			t.Fatalf("request %d of 5 refused", i+1)
		}
	}
	for i := range 3 {
		if count(t, h.Store, "q", 5, exp) {
			t.Fatalf("request %d over the limit allowed", i+1)
		}
	}
}

func quotaRefusedNotCounted(t *testing.T, h Harness) {
	// Refused requests do not count: were they counted, raising the limit
	// (a reloaded plan) would not let the next requests through.
	exp := h.Now().Add(time.Hour)
	got := []bool{
		count(t, h.Store, "q", 2, exp), count(t, h.Store, "q", 2, exp),
		count(t, h.Store, "q", 2, exp), count(t, h.Store, "q", 2, exp),
		count(t, h.Store, "q", 4, exp), count(t, h.Store, "q", 4, exp),
		count(t, h.Store, "q", 4, exp),
	}
	want := []bool{true, true, false, false, true, true, false}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("answers %v, want %v", got, want)
		}
	}
}

func quotaLimitZero(t *testing.T, h Harness) {
	exp := h.Now().Add(time.Hour)
	for _, limit := range []int64{0, -1} {
		if count(t, h.Store, "q", limit, exp) {
			t.Fatalf("limit %d: request allowed", limit)
		}
	}
	// Nothing was counted: a later limit of 1 allows one.
	if !count(t, h.Store, "q", 1, exp) {
		t.Fatal("limit 1 after refusals: refused")
	}
}

func quotaExpiryResets(t *testing.T, h Harness) {
	exp := h.Now().Add(300 * time.Millisecond)
	if !count(t, h.Store, "q", 2, exp) || !count(t, h.Store, "q", 2, exp) {
		t.Fatal("first two requests refused")
	}
	if count(t, h.Store, "q", 2, exp) {
		t.Fatal("third request allowed")
	}
	h.PassExpiry(t, "q", exp)
	exp2 := h.Now().Add(time.Hour)
	if !count(t, h.Store, "q", 2, exp2) || !count(t, h.Store, "q", 2, exp2) {
		t.Fatal("after expiry: the count was not forgotten")
	}
	if count(t, h.Store, "q", 2, exp2) {
		t.Fatal("after expiry: third request allowed")
	}
}

// hammer runs workers goroutines over the handles, each making calls
// requests, and returns how many were allowed.
func hammer(t *testing.T, handles []runtime.UsageStore, workers, calls int, call func(runtime.UsageStore) (bool, error)) int64 {
	t.Helper()
	var allowed atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	start := make(chan struct{})
	for w := range workers {
		s := handles[w%len(handles)]
		wg.Go(func() {
			<-start
			for range calls {
				ok, err := call(s)
				if err != nil {
					errs <- err
					return
				}
				if ok {
					allowed.Add(1)
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return allowed.Load()
}

func concurrentQuotaExact(t *testing.T, h Harness) {
	const limit, workers, calls = 500, 32, 40 // 1280 requests for 500
	exp := h.Now().Add(time.Hour)
	got := hammer(t, h.Handles(t, 2), workers, calls, func(s runtime.UsageStore) (bool, error) {
		return s.Count(context.Background(), "q", limit, exp)
	})
	if got != limit {
		t.Fatalf("allowed %d of %d requests, want exactly %d", got, workers*calls, limit)
	}
}

func concurrentBucketExact(t *testing.T, h Harness) {
	const burst, workers, calls = 300, 32, 40
	// Rate 0, so that exactly burst tokens exist.
	got := hammer(t, h.Handles(t, 2), workers, calls, func(s runtime.UsageStore) (bool, error) {
		return s.Allow(context.Background(), "b", 0, burst, t0)
	})
	if got != burst {
		t.Fatalf("allowed %d of %d requests, want exactly %d", got, workers*calls, burst)
	}
	// With a rate, the calls at one instant still get exactly burst.
	got = hammer(t, h.Handles(t, 2), workers, calls, func(s runtime.UsageStore) (bool, error) {
		return s.Allow(context.Background(), "r", 5, burst, t0)
	})
	if got != burst {
		t.Fatalf("rate 5, one instant: allowed %d, want exactly %d", got, burst)
	}
}
