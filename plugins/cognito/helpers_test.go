package cognito_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The pool the tests' tokens come from, and its issuer as Cognito writes
// it (https://cognito-idp.{region}.amazonaws.com/{poolId}).
const (
	poolID    = "us-east-1_AbCdEf123"
	poolARN   = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + poolID
	poolIss   = "https://cognito-idp.us-east-1.amazonaws.com/" + poolID
	otherID   = "eu-west-1_Other42"
	otherARN  = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/" + otherID
	otherIss  = "https://cognito-idp.eu-west-1.amazonaws.com/" + otherID
	nowSecond = 1700000000
)

var now = time.Unix(nowSecond, 0)

func clock() time.Time { return now }

// Keys are generated once: RSA generation is slow.
var (
	keysOnce         sync.Once
	rsa1, rsa2, rsa3 *rsa.PrivateKey
	ec1              *ecdsa.PrivateKey
)

func keys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		for _, k := range []**rsa.PrivateKey{&rsa1, &rsa2, &rsa3} {
			if *k, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
				panic(err)
			}
		}
		if ec1, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
	})
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// rsaJWK is a public RSA key as Cognito's JWKS lists it (RFC 7517, 7518
// §6.3.1): kty, kid, alg, use, and the modulus and exponent in base64url.
func rsaJWK(kid string, k *rsa.PrivateKey) map[string]any {
	return map[string]any{
		"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
		"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes()),
	}
}

// ecJWK is a public P-256 key (RFC 7518 §6.2.1).
func ecJWK(kid string, k *ecdsa.PrivateKey) map[string]any {
	pad := func(b []byte) []byte { return append(make([]byte, 32-len(b)), b...) }
	return map[string]any{
		"kty": "EC", "kid": kid, "alg": "ES256", "use": "sig", "crv": "P-256",
		"x": b64(pad(k.X.Bytes())), "y": b64(pad(k.Y.Bytes())),
	}
}

func jwks(keys ...map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		panic(err)
	}
	return b
}

// writeJWKS writes a key set to a file and returns its path.
func writeJWKS(t testing.TB, name string, keys ...map[string]any) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, jwks(keys...), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// sign signs claims with a key, naming kid in the header ("" for none).
func sign(t testing.TB, m jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// idClaims are the claims of a Cognito ID token of the test pool, valid
// for an hour from now.
func idClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "5f7b-user", "iss": poolIss, "aud": "client-1", "token_use": "id",
		"email": "a@example.com", "auth_time": nowSecond - 60, "iat": nowSecond - 60, "exp": nowSecond + 3600,
	}
}

func with(c jwt.MapClaims, kv ...any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for k, v := range c {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

// logBuffer collects log records.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// tamper changes one character in the middle of a token's part i, so
// that the decoded bytes change (the last character of a base64url
// segment may carry only padding bits).
func tamper(tok string, i int) string {
	parts := strings.Split(tok, ".")
	p := []byte(parts[i])
	j := len(p) / 2
	if p[j] == 'A' {
		p[j] = 'B'
	} else {
		p[j] = 'A'
	}
	parts[i] = string(p)
	return strings.Join(parts, ".")
}
