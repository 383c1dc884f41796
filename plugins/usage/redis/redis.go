// Package redis is a usage-state store kept in Redis, so that several
// gwc serve processes enforce one usage plan exactly.
//
// Each operation is one Lua script, which Redis runs atomically: two
// processes taking the last token of a bucket, or counting the last
// request of a quota, cannot both succeed, and no update is lost. The
// scripts are sent by digest (EVALSHA) and in full only when Redis does
// not know them yet (after a restart or SCRIPT FLUSH).
//
// Time is the caller's: Allow refills a bucket from the now it is passed,
// not from Redis's TIME. That keeps the store's answers the same as the
// in-memory store's for the same calls (tests drive both with a stepped
// clock), and clock skew between hosts costs little: a bucket's stamp
// never moves back, so the refill credited over any stretch of calls is
// the difference between the first and last stamps, and skew of d seconds
// between processes can shift what a bucket admits by at most d·rate
// tokens, without accumulating. Quota expiries (PEXPIREAT) are on Redis's
// clock, and only decide when a count may be forgotten: the runtime names
// each quota period in its key.
//
// The store returns every failure as an error; what a request gets then
// is the failure policy's business (usage.WithFailurePolicy).
package redis

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"strconv"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"gwc.dev/gwc/runtime"
)

// DefaultPrefix starts every key the store writes.
const DefaultPrefix = "gwc:"

// minBucketTTL is the least time a bucket is kept after its last token
// was taken. A bucket may be forgotten once full, and Redis's expiry
// counts on Redis's clock while the bucket fills on the callers': a
// caller whose clock runs slow (a test stepping it by hand, most of all)
// could otherwise find its bucket forgotten, hence full, before it had
// refilled by that caller's clock. Keeping it longer than needed changes
// no answer: a full bucket stays full.
const minBucketTTL = time.Minute

// maxBucketTTL bounds a bucket's expiry; a rate so small that the bucket
// would take longer to fill is kept without one, like a rate of zero.
const maxBucketTTL = 100 * 365 * 24 * time.Hour

// The defaults below apply where the URL does not set them (its query
// parameters are go-redis's: dial_timeout, read_timeout, max_retries,
// pool_size, …). go-redis's own defaults (5 s to dial, 3 s to read, 3
// retries) would hold a request several seconds while Redis is down
// before its failure policy could answer.
const (
	defaultDialTimeout = time.Second
	defaultReadTimeout = time.Second
)

//go:embed allow.lua
var allowSrc string

//go:embed count.lua
var countSrc string

var (
	allowScript = goredis.NewScript(allowSrc)
	countScript = goredis.NewScript(countSrc)
)

// Options configure a Store; the zero value is the default.
type Options struct {
	// Prefix starts every key the store writes (DefaultPrefix when
	// empty), so that one Redis can keep other things too. Buckets are
	// under Prefix+"b:", quotas under Prefix+"q:".
	Prefix string
}

// Store is a runtime.UsageStore kept in Redis, safe for concurrent use.
type Store struct {
	client       *goredis.Client
	bucketPrefix string
	quotaPrefix  string
}

var _ runtime.UsageStore = (*Store)(nil)

// New connects to the Redis named by rawURL: redis://[[user]:password@]host:port[/db]
// or rediss://… for TLS, with go-redis's query parameters. It does not
// dial: a Redis that is down is an error of the first operation (and of
// Ping), so that gwc serve can start before its Redis does.
func New(rawURL string, opts Options) (*Store, error) {
	o, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	quietOnce.Do(func() { goredis.SetLogger(debugLogger{}) })
	prefix := opts.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Store{
		client:       goredis.NewClient(o),
		bucketPrefix: prefix + "b:",
		quotaPrefix:  prefix + "q:",
	}, nil
}

// quietOnce moves go-redis's own messages, process-wide, to
// slog.Default() at Debug: while Redis is down it writes one per failed
// dial, that is one per request, to stderr, where the failure policy
// already logs the outage once per interval from the errors the store
// returns.
var quietOnce sync.Once

type debugLogger struct{}

func (debugLogger) Printf(ctx context.Context, format string, v ...any) {
	if l := slog.Default(); l.Enabled(ctx, slog.LevelDebug) {
		l.DebugContext(ctx, fmt.Sprintf(format, v...))
	}
}

func parseURL(rawURL string) (*goredis.Options, error) {
	o, err := goredis.ParseURL(rawURL)
	if err != nil {
		// ParseURL's errors start with "redis: "; the URL itself may
		// hold a password, so it is not repeated here.
		return nil, fmt.Errorf("usage state: %w", err)
	}
	q := url.Values{}
	if u, err := url.Parse(rawURL); err == nil {
		q = u.Query()
	}
	if !q.Has("dial_timeout") {
		o.DialTimeout = defaultDialTimeout
	}
	if !q.Has("read_timeout") {
		o.ReadTimeout = defaultReadTimeout
	}
	if !q.Has("max_retries") {
		// A script whose answer was lost (a read timeout) may have run:
		// running it again would count one request twice.
		o.MaxRetries = -1
	}
	// One dial per attempt: the pool stops dialling by itself once
	// dials fail (and probes in the background), so retries would only
	// delay the failure policy's answer.
	o.DialerRetries = 1
	// Maintenance notifications are a Redis Enterprise/Cloud feature;
	// asking an open-source Redis for them costs a round trip per
	// connection and nothing else.
	o.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return o, nil
}

// Allow takes one token from the bucket named key. A burst below one
// blocks everything (the bucket can never hold a whole token) without
// asking Redis; a rate of zero never refills. A negative or non-finite
// rate is an error.
func (s *Store) Allow(ctx context.Context, key string, rate float64, burst int, now time.Time) (bool, error) {
	if rate < 0 || math.IsNaN(rate) || math.IsInf(rate, 0) {
		return false, fmt.Errorf("token bucket rate %v is not a finite number at least 0", rate)
	}
	if burst < 1 {
		return false, nil
	}
	n, err := allowScript.Run(ctx, s.client, []string{s.bucketPrefix + key},
		strconv.FormatFloat(rate, 'g', -1, 64), burst, now.UnixMicro(),
		minBucketTTL.Milliseconds(), maxBucketTTL.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("redis usage store: allow: %w", err)
	}
	return n == 1, nil
}

// Count counts one request against the quota named key, allowing limit
// requests; a limit below one allows none, without asking Redis. The
// count expires at expires on Redis's clock, rounded up to the
// millisecond so that it is never forgotten early; an expires already
// past there makes Redis forget the count at once.
func (s *Store) Count(ctx context.Context, key string, limit int64, expires time.Time) (bool, error) {
	if limit < 1 {
		return false, nil
	}
	ms := expires.UnixMilli()
	if expires.After(time.UnixMilli(ms)) {
		ms++
	}
	n, err := countScript.Run(ctx, s.client, []string{s.quotaPrefix + key}, limit, ms).Int64()
	if err != nil {
		return false, fmt.Errorf("redis usage store: count: %w", err)
	}
	return n == 1, nil
}

// Ping reports whether Redis answers, for /-/status.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis usage store: %w", err)
	}
	return nil
}

// Close closes the store's connections.
func (s *Store) Close() error {
	return s.client.Close()
}
