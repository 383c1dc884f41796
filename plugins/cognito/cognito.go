// Package cognito verifies the JSON Web Tokens of Cognito user pool
// authorizers (§4.7), for the runtime's TokenVerifier interface.
//
// API Gateway checks a token against the keys of the user pools the
// authorizer names. Locally those keys come from a JSON Web Key Set that
// the serving configuration names for each pool: a file, or a URL such as
// the pool's own https://cognito-idp.{region}.amazonaws.com/{poolId}/.well-known/jwks.json
// or a local identity provider's. The verifier checks the signature with
// those keys, the expiry, and that the issuer is one of the authorizer's
// pools; the runtime checks token_use, scopes and the audience.
package cognito

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gwc.dev/gwc/runtime"
)

// Config says where the keys of each user pool are. It is part of the
// serving configuration.
type Config struct {
	// Pools are the user pools whose tokens are accepted.
	Pools []Pool `json:"pools" yaml:"pools"`
	// Algorithms are the signature algorithms accepted; RS256 alone when
	// empty, the only one Cognito signs with. Only asymmetric algorithms
	// can be named: a key set holds public keys, and an HMAC "key" made of
	// one is the algorithm confusion attack.
	Algorithms []string `json:"algorithms,omitempty" yaml:"algorithms,omitempty"`
	// Leeway is how far past its expiry (or before its nbf and iat) a
	// token is still accepted, for clocks that disagree; 0 by default: a
	// token is refused from the second its exp names, as RFC 7519 says.
	Leeway Duration `json:"leeway,omitempty" yaml:"leeway,omitempty"`
	// HTTPTimeout bounds each fetch of a key set from a URL (default 10s).
	HTTPTimeout Duration `json:"http_timeout,omitempty" yaml:"http_timeout,omitempty"`
	// RefreshInterval is how often key sets at URLs are fetched again
	// (default 1h).
	RefreshInterval Duration `json:"refresh_interval,omitempty" yaml:"refresh_interval,omitempty"`
	// UnknownKIDInterval is the least time between two fetches caused by
	// tokens naming a key the set does not hold (default 5m): the first
	// such token fetches at once, so a rotated key is picked up, and a
	// stream of made-up key IDs cannot make gwc hammer the provider.
	UnknownKIDInterval Duration `json:"unknown_kid_interval,omitempty" yaml:"unknown_kid_interval,omitempty"`

	// HTTPClient fetches key sets from URLs; http.DefaultClient when nil.
	HTTPClient *http.Client `json:"-" yaml:"-"`
	// Logger receives failures to fetch or read key sets; nil discards
	// them.
	Logger *slog.Logger `json:"-" yaml:"-"`
	// Now returns the current time, for expiry; nil means time.Now.
	Now func() time.Time `json:"-" yaml:"-"`
}

// Pool is one user pool and its keys.
type Pool struct {
	// Pool names the pool as authorizers' providerARNs do: a user pool
	// ARN (arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC),
	// a pool ID (us-east-1_AbC), which matches every ARN of that pool
	// whatever its account or placeholders, or any other text an API's
	// providerARNs hold verbatim (such as ${UserPool.Arn}), which then
	// needs an Issuer.
	Pool string `json:"pool" yaml:"pool"`
	// JWKS is the pool's JSON Web Key Set: an http:// or https:// URL,
	// else a file path.
	JWKS string `json:"jwks" yaml:"jwks"`
	// Issuer is the iss claim of the pool's tokens; by default Cognito's,
	// https://cognito-idp.{region}.amazonaws.com/{poolId}. A local
	// identity provider has its own.
	Issuer string `json:"issuer,omitempty" yaml:"issuer,omitempty"`
}

// Defaults of a Config.
const (
	DefaultHTTPTimeout        = 10 * time.Second
	DefaultRefreshInterval    = time.Hour
	DefaultUnknownKIDInterval = 5 * time.Minute
)

// asymmetric are the algorithms Config.Algorithms may name: those jwt
// verifies with a public key.
var asymmetric = map[string]bool{
	"RS256": true, "RS384": true, "RS512": true,
	"PS256": true, "PS384": true, "PS512": true,
	"ES256": true, "ES384": true, "ES512": true,
	"EdDSA": true,
}

// Verifier is a runtime.TokenVerifier.
type Verifier struct {
	// byName indexes pools by their configured name, byID by pool ID.
	byName, byID map[string]*pool
	parser       *jwt.Parser
	cancel       context.CancelFunc
}

var _ runtime.TokenVerifier = (*Verifier)(nil)

// pool is a configured pool with its issuer and keys.
type pool struct {
	name, issuer string
	keys         keySource
}

// poolID is the form of a user pool ID: the region, an underscore, and
// letters and digits.
var poolID = regexp.MustCompile(`^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$`)

// New checks the configuration and loads the key sets: files are read
// now, and a file that cannot be read is an error; URLs are fetched now,
// and one that cannot be fetched is logged and fetched again when a token
// needs it, so that gwc serve can start before a local identity provider.
// Close stops the refreshing of URLs.
func New(cfg Config) (*Verifier, error) {
	if len(cfg.Pools) == 0 {
		return nil, errors.New("cognito: no user pools are configured")
	}
	algs := cfg.Algorithms
	if len(algs) == 0 {
		algs = []string{"RS256"}
	}
	for _, a := range algs {
		if !asymmetric[a] {
			return nil, fmt.Errorf("cognito: algorithm %q is not accepted (want RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA)", a)
		}
	}
	if cfg.Leeway < 0 || cfg.HTTPTimeout < 0 || cfg.RefreshInterval < 0 || cfg.UnknownKIDInterval < 0 {
		return nil, errors.New("cognito: durations must not be negative")
	}
	opts := sourceOptions{
		timeout:    orDefault(cfg.HTTPTimeout, DefaultHTTPTimeout),
		refresh:    orDefault(cfg.RefreshInterval, DefaultRefreshInterval),
		unknownKID: orDefault(cfg.UnknownKIDInterval, DefaultUnknownKIDInterval),
		client:     cfg.HTTPClient,
		log:        cfg.Logger,
	}
	if opts.log == nil {
		opts.log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	v := &Verifier{byName: map[string]*pool{}, byID: map[string]*pool{}, cancel: cancel}
	// Pools sharing a key set share its source, so that it is fetched
	// once.
	sources := map[string]keySource{}
	for i, pc := range cfg.Pools {
		p, id, err := newPool(pc)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("cognito: pools[%d]: %w", i, err)
		}
		if v.byName[p.name] != nil || id != "" && v.byID[id] != nil {
			cancel()
			return nil, fmt.Errorf("cognito: pools[%d]: user pool %s is configured twice", i, p.name)
		}
		src, ok := sources[pc.JWKS]
		if !ok {
			if src, err = newSource(ctx, pc.JWKS, opts); err != nil {
				cancel()
				return nil, fmt.Errorf("cognito: pools[%d]: %w", i, err)
			}
			sources[pc.JWKS] = src
		}
		p.keys = src
		v.byName[p.name] = p
		if id != "" {
			v.byID[id] = p
		}
	}
	popts := []jwt.ParserOption{
		jwt.WithValidMethods(algs),
		// Numbers stay as written, for the runtime to pass on (claims
		// reach templates as strings).
		jwt.WithJSONNumber(),
		// Cognito's tokens always expire; one that does not is not one.
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(time.Duration(cfg.Leeway)),
	}
	if cfg.Now != nil {
		popts = append(popts, jwt.WithTimeFunc(cfg.Now))
	}
	v.parser = jwt.NewParser(popts...)
	return v, nil
}

func orDefault(d Duration, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return time.Duration(d)
}

// newPool reads a pool's name into its pool ID (empty when the name is
// neither an ARN nor an ID) and issuer.
func newPool(pc Pool) (*pool, string, error) {
	if pc.Pool == "" {
		return nil, "", errors.New("pool is empty")
	}
	if pc.JWKS == "" {
		return nil, "", fmt.Errorf("user pool %s: jwks is empty", pc.Pool)
	}
	p := &pool{name: pc.Pool, issuer: pc.Issuer}
	var id, region string
	switch {
	case strings.HasPrefix(pc.Pool, "arn:"):
		// arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/ID
		f := strings.SplitN(pc.Pool, ":", 6)
		if len(f) != 6 || f[2] != "cognito-idp" || !strings.HasPrefix(f[5], "userpool/") {
			return nil, "", fmt.Errorf("%q is not a user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)", pc.Pool)
		}
		id = strings.TrimPrefix(f[5], "userpool/")
		m := poolID.FindStringSubmatch(id)
		if m == nil {
			return nil, "", fmt.Errorf("%q is not a user pool ID (REGION_ID)", id)
		}
		region = f[3]
		if region != m[1] {
			return nil, "", fmt.Errorf("user pool ARN %s names region %q, its pool ID %q", pc.Pool, region, m[1])
		}
	default:
		if m := poolID.FindStringSubmatch(pc.Pool); m != nil {
			id, region = pc.Pool, m[1]
		}
	}
	if p.issuer == "" {
		if id == "" {
			return nil, "", fmt.Errorf("user pool %s: neither an ARN nor a pool ID, so it needs an issuer", pc.Pool)
		}
		p.issuer = "https://cognito-idp." + region + ".amazonaws.com/" + id
	}
	return p, id, nil
}

// poolOf finds the configured pool of a providerARN: by the ARN as
// written, else by the pool ID it ends with.
func (v *Verifier) poolOf(arn string) *pool {
	if p := v.byName[arn]; p != nil {
		return p
	}
	if i := strings.LastIndex(arn, ":userpool/"); i >= 0 {
		return v.byID[arn[i+len(":userpool/"):]]
	}
	return nil
}

// VerifyToken checks a token's signature against the keys of the pools
// named by providerARNs, its expiry (and nbf and iat when present) and
// that its issuer is one of those pools. The claims keep numbers as
// json.Number.
func (v *Verifier) VerifyToken(ctx context.Context, token string, providerARNs []string) (map[string]any, error) {
	var pools []*pool
	for _, arn := range providerARNs {
		if p := v.poolOf(arn); p != nil {
			pools = append(pools, p)
		}
	}
	if len(pools) == 0 {
		return nil, fmt.Errorf("no key set is configured for user pool %s", strings.Join(providerARNs, ", "))
	}
	claims := jwt.MapClaims{}
	_, err := v.parser.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		// The issuer picks the pool whose keys must have signed the
		// token: only that pool's keys are tried, and only its key set
		// is fetched again for an unknown key.
		iss, _ := claims["iss"].(string)
		var p *pool
		for _, c := range pools {
			if c.issuer == iss {
				p = c
				break
			}
		}
		if p == nil {
			return nil, fmt.Errorf("issuer %q is not one of the authorizer's user pools", iss)
		}
		// Cognito names its key in every token; trying every key of
		// the set instead would make a token without one acceptable.
		if kid, _ := t.Header["kid"].(string); kid == "" {
			return nil, errors.New("the token names no key (kid)")
		}
		return p.keys.keyfunc(ctx)(t)
	})
	if err != nil {
		return nil, err
	}
	return claims, nil
}

// Close stops refreshing the key sets fetched from URLs.
func (v *Verifier) Close() error {
	v.cancel()
	return nil
}

// Duration is a time.Duration written as Go writes durations ("10s",
// "5m") in configuration files.
type Duration time.Duration

// MarshalText writes the duration as "1m30s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads a duration such as "10s" or "1h".
func (d *Duration) UnmarshalText(b []byte) error {
	x, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(x)
	return nil
}
