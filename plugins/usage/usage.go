// Package usage holds what the usage-state stores (plugins/usage/memory,
// plugins/usage/redis) share: the policy that decides what a request gets
// when its store cannot answer, and the health check /-/status asks.
//
// The stores themselves report every failure as an error and decide
// nothing; WithFailurePolicy turns those errors into the configured
// answer, so that the choice lives in one place and is logged in one way.
package usage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gwc.dev/gwc/runtime"
)

// Policy is what a request gets when the usage store cannot be reached.
type Policy int

const (
	// FailClosed, the default, passes the store's error on: the runtime
	// refuses the request. A shared plan is then never exceeded, at the
	// price of refusing everything while its store is down.
	FailClosed Policy = iota
	// FailOpen allows the request: the API stays up while its store is
	// down, and its throttles and quotas are not enforced meanwhile.
	FailOpen
)

// String returns the policy's name as ParsePolicy reads it.
func (p Policy) String() string {
	switch p {
	case FailClosed:
		return "closed"
	case FailOpen:
		return "open"
	}
	return fmt.Sprintf("Policy(%d)", int(p))
}

// ParsePolicy reads a policy from its name, "closed" or "open", as a
// command-line flag gives it.
func ParsePolicy(s string) (Policy, error) {
	switch s {
	case "closed":
		return FailClosed, nil
	case "open":
		return FailOpen, nil
	}
	return 0, fmt.Errorf("unknown failure policy %q (want closed or open)", s)
}

// Pinger is a store that can tell whether it is reachable.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Ping reports whether store is reachable, for /-/status. A store that
// keeps its state in the process (it has no Ping method) always is.
func Ping(ctx context.Context, store runtime.UsageStore) error {
	if p, ok := store.(Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// DefaultLogEvery is the least time between two log records about one
// store's failures: an outage is reported when it starts, then once per
// interval with the number of failures since, not once per request.
const DefaultLogEvery = time.Minute

// An Option adjusts WithFailurePolicy.
type Option func(*Guard)

// LogEvery sets the least time between two records about failures
// (DefaultLogEvery when not given or not positive).
func LogEvery(d time.Duration) Option {
	return func(g *Guard) {
		if d > 0 {
			g.every = d
		}
	}
}

// Clock sets the clock that spaces log records (time.Now when not given),
// so that tests can step it.
func Clock(now func() time.Time) Option {
	return func(g *Guard) {
		if now != nil {
			g.now = now
		}
	}
}

// Guard is a UsageStore that applies a failure policy to another one.
type Guard struct {
	store  runtime.UsageStore
	policy Policy
	log    *slog.Logger
	every  time.Duration
	now    func() time.Time

	// failing is set from a failure until the next success, so that the
	// path of a success costs one atomic load while the store is healthy
	// and takes the lock only to report a recovery.
	failing atomic.Bool

	mu sync.Mutex
	// lastLog is when a failure was last logged; suppressed counts the
	// failures since that were not, and failures those since the outage
	// began.
	lastLog    time.Time
	suppressed int64
	failures   int64
}

var _ runtime.UsageStore = (*Guard)(nil)

// WithFailurePolicy wraps store so that its failures get policy's answer:
// under FailClosed the error is returned (the runtime refuses the
// request), under FailOpen the request is allowed ((true, nil)). Either
// way the failure is logged to logger (slog.Default() when nil) at Warn,
// at most once per LogEvery with a count of the failures in between, and
// the first success after an outage is logged at Info.
//
// An error that comes with the request's context done is the client's
// doing, not the store's: it is returned as it is under both policies and
// is not logged.
func WithFailurePolicy(store runtime.UsageStore, policy Policy, logger *slog.Logger, opts ...Option) *Guard {
	if logger == nil {
		logger = slog.Default()
	}
	g := &Guard{store: store, policy: policy, log: logger, every: DefaultLogEvery, now: time.Now}
	for _, o := range opts {
		o(g)
	}
	return g
}

// Allow asks the wrapped store, applying the policy to its failures.
func (g *Guard) Allow(ctx context.Context, key string, rate float64, burst int, now time.Time) (bool, error) {
	ok, err := g.store.Allow(ctx, key, rate, burst, now)
	if err == nil {
		g.succeeded()
		return ok, nil
	}
	return g.failed(ctx, "allow", key, err)
}

// Count asks the wrapped store, applying the policy to its failures.
func (g *Guard) Count(ctx context.Context, key string, limit int64, expires time.Time) (bool, error) {
	ok, err := g.store.Count(ctx, key, limit, expires)
	if err == nil {
		g.succeeded()
		return ok, nil
	}
	return g.failed(ctx, "count", key, err)
}

// Ping reports whether the wrapped store is reachable, whatever the
// policy: /-/status should show an outage even while requests pass.
func (g *Guard) Ping(ctx context.Context) error {
	return Ping(ctx, g.store)
}

// Unwrap returns the wrapped store.
func (g *Guard) Unwrap() runtime.UsageStore { return g.store }

func (g *Guard) succeeded() {
	if !g.failing.Load() {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.failing.Load() {
		return
	}
	g.failing.Store(false)
	g.log.Info("usage store reachable again", "failures", g.failures, "policy", g.policy.String())
	g.failures, g.suppressed = 0, 0
	// A new outage is reported at once, however recent the last one.
	g.lastLog = time.Time{}
}

func (g *Guard) failed(ctx context.Context, op, key string, err error) (bool, error) {
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return false, err
	}
	g.mu.Lock()
	g.failing.Store(true)
	g.failures++
	now := g.now()
	if g.lastLog.IsZero() || now.Sub(g.lastLog) >= g.every {
		answer := "refusing"
		if g.policy == FailOpen {
			answer = "allowing"
		}
		g.log.Warn("usage store unreachable: "+answer+" requests",
			"policy", g.policy.String(), "op", op, "key", key, "error", err.Error(),
			"suppressed", g.suppressed, "failures", g.failures)
		g.lastLog = now
		g.suppressed = 0
	} else {
		g.suppressed++
	}
	g.mu.Unlock()
	if g.policy == FailOpen {
		return true, nil
	}
	return false, err
}
