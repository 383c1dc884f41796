package cognito_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gwc.dev/gwc/plugins/cognito"
)

// jwksServer serves a key set that tests can change, on loopback, and
// counts the fetches.
type jwksServer struct {
	*httptest.Server
	mu    sync.Mutex
	body  []byte
	hits  atomic.Int32
	block chan struct{} // when non-nil, requests wait for it to close
}

func newJWKSServer(t *testing.T, keys ...map[string]any) *jwksServer {
	s := &jwksServer{body: jwks(keys...)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		body, block := s.body, s.block
		s.mu.Unlock()
		if block != nil {
			select {
			case <-block:
			case <-r.Context().Done():
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) set(keys ...map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body = jwks(keys...)
}

func verify(v *cognito.Verifier, tok string) error {
	_, err := v.VerifyToken(context.Background(), tok, []string{poolARN})
	return err
}

// TestJWKSOverHTTP: keys come from a URL; a token naming a key the set
// lacks fetches it again once (a rotated key is accepted, a removed one
// is not), and further unknown keys do not fetch again within the
// interval.
func TestJWKSOverHTTP(t *testing.T) {
	keys(t)
	srv := newJWKSServer(t, rsaJWK("k1", rsa1))
	v, err := cognito.New(cognito.Config{Now: clock, Pools: []cognito.Pool{{Pool: poolARN, JWKS: srv.URL + "/.well-known/jwks.json"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	tok1 := sign(t, jwt.SigningMethodRS256, rsa1, "k1", idClaims())
	tok2 := sign(t, jwt.SigningMethodRS256, rsa2, "k2", idClaims())
	if err := verify(v, tok1); err != nil {
		t.Fatal(err)
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("%d fetches at start, want 1", n)
	}
	// Rotation: the provider now signs with k2 and has dropped k1.
	srv.set(rsaJWK("k2", rsa2))
	if err := verify(v, tok2); err != nil {
		t.Errorf("the rotated key: %v", err)
	}
	if n := srv.hits.Load(); n != 2 {
		t.Errorf("%d fetches after the rotation, want 2", n)
	}
	if err := verify(v, tok1); err == nil {
		t.Error("a key dropped from the set still verifies")
	}
	// The dropped key is unknown now, but the set was fetched moments
	// ago: no fetch, and no waiting for the next one.
	start := time.Now()
	if err := verify(v, sign(t, jwt.SigningMethodRS256, rsa1, "k9", idClaims())); err == nil {
		t.Error("an unknown key verifies")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("an unknown key within the interval took %v", d)
	}
	if n := srv.hits.Load(); n != 2 {
		t.Errorf("%d fetches after unknown keys within the interval, want 2", n)
	}
}

// TestJWKSUnknownKIDInterval: once the interval has passed, an unknown
// key fetches again.
func TestJWKSUnknownKIDInterval(t *testing.T) {
	keys(t)
	srv := newJWKSServer(t, rsaJWK("k1", rsa1))
	v, err := cognito.New(cognito.Config{Now: clock, UnknownKIDInterval: cognito.Duration(100 * time.Millisecond),
		Pools: []cognito.Pool{{Pool: poolARN, JWKS: srv.URL}}})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	verify(v, sign(t, jwt.SigningMethodRS256, rsa1, "x1", idClaims())) // fetch 2
	time.Sleep(300 * time.Millisecond)
	srv.set(rsaJWK("k1", rsa1), rsaJWK("k2", rsa2))
	if err := verify(v, sign(t, jwt.SigningMethodRS256, rsa2, "k2", idClaims())); err != nil {
		t.Errorf("after the interval: %v", err)
	}
	if n := srv.hits.Load(); n != 3 {
		t.Errorf("%d fetches, want 3", n)
	}
}

// TestJWKSTimeout: a provider that does not answer delays neither the
// start nor a token longer than the timeout, and is logged.
func TestJWKSTimeout(t *testing.T) {
	keys(t)
	srv := newJWKSServer(t, rsaJWK("k1", rsa1))
	srv.block = make(chan struct{})
	defer close(srv.block)
	var log logBuffer
	start := time.Now()
	v, err := cognito.New(cognito.Config{Now: clock, HTTPTimeout: cognito.Duration(200 * time.Millisecond), Logger: log.logger(),
		Pools: []cognito.Pool{{Pool: poolARN, JWKS: srv.URL}}})
	if err != nil {
		t.Fatalf("an unreachable key set fails the start: %v", err)
	}
	defer v.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("New took %v with a 200ms timeout", d)
	}
	if !strings.Contains(log.String(), "cannot fetch the JSON Web Key Set") || !strings.Contains(log.String(), srv.URL) {
		t.Errorf("log: %s", log.String())
	}
	start = time.Now()
	if err := verify(v, sign(t, jwt.SigningMethodRS256, rsa1, "k1", idClaims())); err == nil {
		t.Error("verified without keys")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a token took %v with a 200ms timeout", d)
	}
}

// TestClose: Close stops the periodic refresh.
func TestClose(t *testing.T) {
	keys(t)
	srv := newJWKSServer(t, rsaJWK("k1", rsa1))
	v, err := cognito.New(cognito.Config{Now: clock, RefreshInterval: cognito.Duration(20 * time.Millisecond),
		Pools: []cognito.Pool{{Pool: poolARN, JWKS: srv.URL}}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for srv.hits.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if srv.hits.Load() < 3 {
		t.Fatalf("%d fetches with a 20ms refresh interval", srv.hits.Load())
	}
	v.Close()
	time.Sleep(50 * time.Millisecond) // a fetch in flight may finish
	n := srv.hits.Load()
	time.Sleep(200 * time.Millisecond)
	if m := srv.hits.Load(); m != n {
		t.Errorf("%d fetches after Close", m-n)
	}
}

// TestFileRotation: a token naming a key the file lacks reads the file
// again when it changed; a broken file keeps the keys read before.
func TestFileRotation(t *testing.T) {
	keys(t)
	var log logBuffer
	file := writeJWKS(t, "keys.json", rsaJWK("k1", rsa1))
	v, err := cognito.New(cognito.Config{Now: clock, Logger: log.logger(), Pools: []cognito.Pool{{Pool: poolARN, JWKS: file}}})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	tok1 := sign(t, jwt.SigningMethodRS256, rsa1, "k1", idClaims())
	tok2 := sign(t, jwt.SigningMethodRS256, rsa2, "k2", idClaims())
	if err := verify(v, tok1); err != nil {
		t.Fatal(err)
	}
	rewrite := func(b []byte, mod time.Time) {
		if err := os.WriteFile(file, b, 0o600); err != nil {
			t.Fatal(err)
		}
		// A later modification time, whatever the file system's
		// resolution.
		if err := os.Chtimes(file, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	// A broken file: the unknown key is refused, the known one still
	// verifies, and the failure is logged.
	rewrite([]byte(`{"keys": [`), time.Now().Add(time.Minute))
	for range 2 {
		if err := verify(v, tok2); err == nil {
			t.Error("k2 verifies before it is in the file")
		}
	}
	if err := verify(v, tok1); err != nil {
		t.Errorf("k1 after the file broke: %v", err)
	}
	// The broken version is read once, not again for every token.
	if n := strings.Count(log.String(), "cannot read the JSON Web Key Set"); n != 1 {
		t.Errorf("%d failures logged, want 1: %s", n, log.String())
	}
	rewrite(jwks(rsaJWK("k2", rsa2)), time.Now().Add(2*time.Minute))
	if err := verify(v, tok2); err != nil {
		t.Errorf("k2 after it was written to the file: %v", err)
	}
	if err := verify(v, tok1); err == nil {
		t.Error("k1 verifies after it left the file")
	}
}
