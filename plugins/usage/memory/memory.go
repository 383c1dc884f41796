// Package memory is a usage-state store kept in the process: the default
// of gwc serve, exact for one process.
//
// Token buckets refill continuously: a bucket last written at time at
// with tokens tokens holds min(burst, tokens + (now-at)·rate) at now, the
// now being the one the caller passes, so tests control time. Quotas are
// counters that are forgotten once their expiry has passed on the
// store's clock.
//
// The state is split into shards, each a mutex and two maps, chosen by a
// hash of the key, so that requests for different keys seldom wait for
// one another. Memory stays bounded: a shard sweeps itself every
// SweepEvery, dropping buckets that are full again (a full bucket is
// what a bucket nobody has used is) and counters past their expiry.
package memory

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"sync"
	"time"

	"gwc.dev/gwc/runtime"
)

// DefaultSweepEvery is how often a shard looks for entries it can forget.
const DefaultSweepEvery = time.Minute

// shardCount is a power of two, so that a shard is picked with a mask; 256
// shards keep the chance that two busy keys share a lock small without
// costing much memory when few keys are used.
const shardCount = 256

// Options configure a Store; the zero value is the default.
type Options struct {
	// Now is the clock against which quota expiries are checked
	// (time.Now when nil). Buckets use the time each call passes.
	Now func() time.Time
	// SweepEvery is how often each shard drops what it can forget
	// (DefaultSweepEvery when not positive).
	SweepEvery time.Duration
}

// Store is an in-memory runtime.UsageStore, safe for concurrent use.
type Store struct {
	seed   maphash.Seed
	now    func() time.Time
	every  int64 // nanoseconds
	shards [shardCount]shard
}

var _ runtime.UsageStore = (*Store)(nil)

type shard struct {
	mu       sync.Mutex
	buckets  map[string]*bucket
	counters map[string]*counter
	// nextBucketSweep is on the callers' clock (the now of Allow),
	// nextCounterSweep on the store's; both in Unix nanoseconds.
	nextBucketSweep  int64
	nextCounterSweep int64
	// The padding keeps two shards' locks off one cache line, or cores
	// working on different shards would still contend for it.
	_ [64]byte
}

// bucket is a token bucket as last written: tokens at time at.
type bucket struct {
	tokens float64
	at     int64 // Unix nanoseconds, on the callers' clock
	// full is when the bucket will be full again, after which it can be
	// forgotten; math.MaxInt64 for a bucket that never refills.
	full int64
}

type counter struct {
	n       int64
	expires int64 // Unix nanoseconds, on the store's clock
}

// New returns an empty store.
func New(opts Options) *Store {
	s := &Store{seed: maphash.MakeSeed(), now: opts.Now, every: int64(opts.SweepEvery)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.every <= 0 {
		s.every = int64(DefaultSweepEvery)
	}
	for i := range s.shards {
		s.shards[i].buckets = make(map[string]*bucket)
		s.shards[i].counters = make(map[string]*counter)
	}
	return s
}

func (s *Store) shard(key string) *shard {
	return &s.shards[s.shardIndex(key)]
}

func (s *Store) shardIndex(key string) uint64 {
	return maphash.String(s.seed, key) & (shardCount - 1)
}

// Allow takes one token from the bucket named key. A burst below one
// blocks everything: the bucket can never hold a whole token. A rate of
// zero never refills, so a bucket allows burst requests in all. A
// negative or non-finite rate is an error.
func (s *Store) Allow(_ context.Context, key string, rate float64, burst int, now time.Time) (bool, error) {
	if err := checkRate(rate); err != nil {
		return false, err
	}
	if burst < 1 {
		return false, nil
	}
	t := now.UnixNano()
	sh := s.shard(key)
	sh.mu.Lock()
	if t >= sh.nextBucketSweep {
		sh.sweepBuckets(t)
		sh.nextBucketSweep = t + s.every
	}
	b := sh.buckets[key]
	if b == nil {
		// A bucket nobody has used, or one forgotten once full, is full.
		b = &bucket{tokens: float64(burst), at: t}
		sh.buckets[key] = b
	}
	tokens := refill(b.tokens, b.at, t, rate, burst)
	if tokens < 1 {
		// A refusal changes nothing: refilling later from the old state
		// gives the same tokens as refilling now and again later, and
		// adding many small refills would let rounding errors pile up.
		sh.mu.Unlock()
		return false, nil
	}
	b.tokens = tokens - 1
	// The stamp never moves back: a caller whose clock is behind the
	// last one's gets no refill rather than refill counted twice.
	b.at = max(b.at, t)
	b.full = fullAt(b.tokens, b.at, rate, burst)
	sh.mu.Unlock()
	return true, nil
}

// checkRate rejects rates a bucket cannot refill at.
func checkRate(rate float64) error {
	if rate < 0 || math.IsNaN(rate) || math.IsInf(rate, 0) {
		return fmt.Errorf("token bucket rate %v is not a finite number at least 0", rate)
	}
	return nil
}

// refill returns the tokens a bucket that held tokens at time at (Unix
// nanoseconds) holds at time now: min(burst, tokens + elapsed·rate). A now
// before at refills nothing.
func refill(tokens float64, at, now int64, rate float64, burst int) float64 {
	if now > at && rate > 0 {
		tokens += float64(now-at) / 1e9 * rate
	}
	return min(tokens, float64(burst))
}

// fullAt returns when a bucket holding tokens at time at is full again.
func fullAt(tokens float64, at int64, rate float64, burst int) int64 {
	if rate <= 0 {
		return math.MaxInt64
	}
	d := math.Ceil((float64(burst) - tokens) / rate * 1e9)
	if d >= float64(math.MaxInt64-at) {
		return math.MaxInt64
	}
	return at + int64(d)
}

// Count counts one request against the quota named key, allowing limit
// requests; a limit below one allows none. The count is forgotten once the
// store's clock is past expires.
func (s *Store) Count(_ context.Context, key string, limit int64, expires time.Time) (bool, error) {
	if limit < 1 {
		return false, nil
	}
	t := s.now().UnixNano()
	sh := s.shard(key)
	sh.mu.Lock()
	if t >= sh.nextCounterSweep {
		sh.sweepCounters(t)
		sh.nextCounterSweep = t + s.every
	}
	c := sh.counters[key]
	if c != nil && t > c.expires {
		// Past its expiry the count is gone, as the sweep would have it.
		c.n, c.expires = 0, expires.UnixNano()
	}
	if c == nil {
		c = &counter{expires: expires.UnixNano()}
		sh.counters[key] = c
	}
	if c.n >= limit {
		sh.mu.Unlock()
		return false, nil
	}
	c.n++
	sh.mu.Unlock()
	return true, nil
}

// sweepBuckets drops the buckets that are full at now: a bucket that is
// not there is full, so forgetting them changes no answer.
func (sh *shard) sweepBuckets(now int64) {
	for k, b := range sh.buckets {
		if b.full <= now {
			delete(sh.buckets, k)
		}
	}
}

// sweepCounters drops the counters past their expiry at now.
func (sh *shard) sweepCounters(now int64) {
	for k, c := range sh.counters {
		if now > c.expires {
			delete(sh.counters, k)
		}
	}
}

// Len returns how many buckets and counters the store holds.
func (s *Store) Len() (buckets, counters int) {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		buckets += len(sh.buckets)
		counters += len(sh.counters)
		sh.mu.Unlock()
	}
	return buckets, counters
}
