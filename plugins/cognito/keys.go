package cognito

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"
)

// keySource holds a key set and finds a token's key in it.
type keySource interface {
	keyfunc(ctx context.Context) jwt.Keyfunc
}

type sourceOptions struct {
	timeout, refresh, unknownKID time.Duration
	client                       *http.Client
	log                          *slog.Logger
}

// signingUses are the key uses accepted: keys for signatures, and keys
// that do not say (local providers often leave use out). A key meant for
// encryption never verifies a token.
var signingUses = []jwkset.USE{jwkset.UseSig, ""}

// newSource returns the key source of a JWKS location: a URL or a file.
func newSource(ctx context.Context, location string, o sourceOptions) (keySource, error) {
	if strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://") {
		return newURLSource(ctx, location, o)
	}
	return newFileSource(location, o.log)
}

// kfSource is a key source keyfunc reads.
type kfSource struct{ kf keyfunc.Keyfunc }

func (s kfSource) keyfunc(ctx context.Context) jwt.Keyfunc { return s.kf.KeyfuncCtx(ctx) }

// newURLSource fetches a key set now, again every refresh interval, and
// when a token names a key the set does not hold, at most once per
// unknownKID interval. Fetches are bounded by the timeout.
func newURLSource(ctx context.Context, u string, o sourceOptions) (keySource, error) {
	log := o.log.With("url", u)
	kf, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{u}, keyfunc.Override{
		Client:          o.client,
		HTTPTimeout:     o.timeout,
		RefreshInterval: o.refresh,
		// The limiter starts full: the first unknown key fetches at
		// once.
		RefreshUnknownKID: rate.NewLimiter(rate.Every(o.unknownKID), 1),
		// keyfunc waits this long for the limiter and then fetches within
		// the same deadline. A token must not wait for the next allowed
		// fetch (minutes away): with the timeout as the deadline, a
		// limited fetch fails at once, and an allowed one has the
		// timeout to finish.
		RateLimitWaitMax: o.timeout,
		RefreshErrorHandlerFunc: func(string) func(context.Context, error) {
			return func(ctx context.Context, err error) {
				log.Warn("cannot fetch the JSON Web Key Set", "error", err)
			}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("JSON Web Key Set %s: %w", u, err)
	}
	kf, err = keyfunc.New(keyfunc.Options{Ctx: ctx, Storage: kf.Storage(), UseWhitelist: signingUses})
	if err != nil {
		return nil, fmt.Errorf("JSON Web Key Set %s: %w", u, err)
	}
	return kfSource{kf}, nil
}

// fileKeys is a key set read from a file. A token naming a key the set
// does not hold makes it read the file again if the file changed since,
// so that keys rotated into the file are picked up without a restart.
type fileKeys struct {
	*jwkset.MemoryJWKSet
	path string
	log  *slog.Logger

	mu sync.Mutex
	// mod and size identify the version of the file last read.
	mod  time.Time
	size int64
}

func newFileSource(path string, log *slog.Logger) (keySource, error) {
	f := &fileKeys{MemoryJWKSet: jwkset.NewMemoryStorage(), path: path, log: log.With("file", path)}
	if err := f.load(); err != nil {
		return nil, err
	}
	kf, err := keyfunc.New(keyfunc.Options{Storage: f, UseWhitelist: signingUses})
	if err != nil {
		return nil, err
	}
	return kfSource{kf}, nil
}

// load reads the file, if it changed since it was last read, and
// replaces the keys with its keys.
func (f *fileKeys) load() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, err := os.Stat(f.path)
	if err != nil {
		return fmt.Errorf("JSON Web Key Set: %w", err)
	}
	if st.ModTime().Equal(f.mod) && st.Size() == f.size {
		return nil
	}
	// The version is recorded before parsing, so that a broken file is
	// read once, not on every token.
	f.mod, f.size = st.ModTime(), st.Size()
	b, err := os.ReadFile(f.path)
	if err != nil {
		return fmt.Errorf("JSON Web Key Set: %w", err)
	}
	keys, err := parseKeySet(b)
	if err != nil {
		return fmt.Errorf("JSON Web Key Set %s: %w", f.path, err)
	}
	return f.KeyReplaceAll(context.Background(), keys)
}

// KeyRead finds a key, reading the file again when the key is unknown.
func (f *fileKeys) KeyRead(ctx context.Context, kid string) (jwkset.JWK, error) {
	k, err := f.MemoryJWKSet.KeyRead(ctx, kid)
	if !errors.Is(err, jwkset.ErrKeyNotFound) {
		return k, err
	}
	if lerr := f.load(); lerr != nil {
		f.log.Warn("cannot read the JSON Web Key Set", "error", lerr)
		return k, err
	}
	return f.MemoryJWKSet.KeyRead(ctx, kid)
}

// parseKeySet reads a key set as jwkset reads one fetched over HTTP:
// keys of types it does not support are left out.
func parseKeySet(b []byte) ([]jwkset.JWK, error) {
	var set jwkset.JWKSMarshal
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, err
	}
	if set.Keys == nil {
		return nil, errors.New(`no "keys" array`)
	}
	keys := make([]jwkset.JWK, 0, len(set.Keys))
	for _, m := range set.Keys {
		k, err := jwkset.NewJWKFromMarshal(m, jwkset.JWKMarshalOptions{Private: true}, jwkset.JWKValidateOptions{})
		switch {
		case errors.Is(err, jwkset.ErrUnsupportedKey):
			continue
		case err != nil:
			return nil, fmt.Errorf("key %q: %w", m.KID, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}
