package cognito_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"go.yaml.in/yaml/v3"

	"gwc.dev/gwc/plugins/cognito"
)

// newVerifier returns a verifier of the test pool, whose keys (kid k1,
// rsa1; kid ec1, an ES256 key; kid enc1, rsa3 marked for encryption)
// are in a file, and of the other pool (kid o1, rsa2).
func newVerifier(t *testing.T, edit func(*cognito.Config)) *cognito.Verifier {
	t.Helper()
	keys(t)
	enc := rsaJWK("enc1", rsa3)
	enc["use"] = "enc"
	cfg := cognito.Config{
		Pools: []cognito.Pool{
			{Pool: poolARN, JWKS: writeJWKS(t, "pool.json", rsaJWK("k1", rsa1), ecJWK("ec1", ec1), enc)},
			{Pool: otherID, JWKS: writeJWKS(t, "other.json", rsaJWK("o1", rsa2))},
		},
		Now: clock,
	}
	if edit != nil {
		edit(&cfg)
	}
	v, err := cognito.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func TestVerifyToken(t *testing.T) {
	v := newVerifier(t, nil)
	tok := sign(t, jwt.SigningMethodRS256, rsa1, "k1", idClaims())
	claims, err := v.VerifyToken(context.Background(), tok, []string{poolARN})
	if err != nil {
		t.Fatal(err)
	}
	// Numbers stay json.Number, as the runtime formats them.
	if claims["exp"] != json.Number("1700003600") || claims["auth_time"] != json.Number("1699999940") {
		t.Errorf("numbers: exp %#v auth_time %#v", claims["exp"], claims["auth_time"])
	}
	if claims["sub"] != "5f7b-user" || claims["token_use"] != "id" || claims["aud"] != "client-1" || claims["iss"] != poolIss {
		t.Errorf("claims %v", claims)
	}
}

// TestVerifyTokenRejects: every token below differs from a good one in
// one way, and each is refused.
func TestVerifyTokenRejects(t *testing.T) {
	v := newVerifier(t, nil)
	good := idClaims()
	pubDER, err := x509.MarshalPKIXPublicKey(&rsa1.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	goodTok := sign(t, jwt.SigningMethodRS256, rsa1, "k1", good)
	for _, c := range []struct {
		name, token, want string
		arns              []string
	}{
		{"expired", sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(good, "exp", nowSecond-1)), "expired", nil},
		// exp is the first instant the token is no longer accepted
		// (RFC 7519 §4.1.4).
		{"expiring now", sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(good, "exp", nowSecond)), "expired", nil},
		{"no exp", sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(good, "exp", nil)), "exp claim is required", nil},
		{"not yet valid", sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(good, "nbf", nowSecond+60)), "not valid yet", nil},
		{"issued in the future", sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(good, "iat", nowSecond+60)), "used before issued", nil},
		{"wrong issuer", sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(good, "iss", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Evil1")), "is not one of", nil},
		{"no issuer", sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(good, "iss", nil)), "is not one of", nil},
		// A pool gwc knows, but not one of this authorizer's.
		{"another pool's token", sign(t, jwt.SigningMethodRS256, rsa2, "o1", with(good, "iss", otherIss)), "is not one of", nil},
		// The test pool's issuer with the other pool's key: the issuer
		// picks the keys.
		{"another pool's key", sign(t, jwt.SigningMethodRS256, rsa2, "o1", good), "not found", []string{poolARN, otherARN}},
		{"unknown kid", sign(t, jwt.SigningMethodRS256, rsa1, "nope", good), "not found", nil},
		{"no kid", sign(t, jwt.SigningMethodRS256, rsa1, "", good), "names no key", nil},
		{"other key, same kid", sign(t, jwt.SigningMethodRS256, rsa2, "k1", good), "verification error", nil},
		{"tampered signature", tamper(goodTok, 2), "verification error", nil},
		{"tampered claims", swapClaims(t, goodTok, with(good, "sub", "admin")), "verification error", nil},
		{"alg none", sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "k1", good), "signing method none is invalid", nil},
		// Algorithm confusion: an HMAC over the token with the public
		// key (as PEM, and as the JWK's bytes) for a secret.
		{"HS256 with the public key", sign(t, jwt.SigningMethodHS256, pubPEM, "k1", good), "signing method HS256 is invalid", nil},
		{"HS256 with the public DER", sign(t, jwt.SigningMethodHS256, pubDER, "k1", good), "signing method HS256 is invalid", nil},
		{"RS512, not accepted", sign(t, jwt.SigningMethodRS512, rsa1, "k1", good), "signing method RS512 is invalid", nil},
		{"ES256, not accepted", sign(t, jwt.SigningMethodES256, ec1, "ec1", good), "signing method ES256 is invalid", nil},
		{"encryption key", sign(t, jwt.SigningMethodRS256, rsa3, "enc1", good), "not in whitelist", nil},
		{"garbage", "not.a.token", "malformed", nil},
		{"pool not configured", goodTok, "no key set is configured", []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Unknown1"}},
	} {
		arns := c.arns
		if arns == nil {
			arns = []string{poolARN}
		}
		claims, err := v.VerifyToken(context.Background(), c.token, arns)
		if err == nil {
			t.Errorf("%s: accepted: %v", c.name, claims)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want it to say %q", c.name, err, c.want)
		}
	}
}

// swapClaims replaces a token's claims, keeping its header and signature.
func swapClaims(t *testing.T, tok string, claims jwt.MapClaims) string {
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	parts[1] = b64(b)
	return strings.Join(parts, ".")
}

func TestLeeway(t *testing.T) {
	tok := sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(idClaims(), "exp", nowSecond-30))
	v := newVerifier(t, func(c *cognito.Config) { c.Leeway = cognito.Duration(time.Minute) })
	if _, err := v.VerifyToken(context.Background(), tok, []string{poolARN}); err != nil {
		t.Errorf("30s past exp with a minute of leeway: %v", err)
	}
	tok = sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(idClaims(), "exp", nowSecond-61))
	if _, err := v.VerifyToken(context.Background(), tok, []string{poolARN}); err == nil {
		t.Error("61s past exp with a minute of leeway: accepted")
	}
}

func TestAlgorithms(t *testing.T) {
	v := newVerifier(t, func(c *cognito.Config) { c.Algorithms = []string{"RS256", "ES256"} })
	for _, tok := range []string{
		sign(t, jwt.SigningMethodES256, ec1, "ec1", idClaims()),
		sign(t, jwt.SigningMethodRS256, rsa1, "k1", idClaims()),
	} {
		if _, err := v.VerifyToken(context.Background(), tok, []string{poolARN}); err != nil {
			t.Errorf("with ES256 accepted: %v", err)
		}
	}
	// The key decides the algorithm too: an RSA key does not verify
	// ES256, nor an EC key RS256.
	for _, tok := range []string{
		sign(t, jwt.SigningMethodES256, ec1, "k1", idClaims()),
	} {
		if _, err := v.VerifyToken(context.Background(), tok, []string{poolARN}); err == nil {
			t.Error("an ES256 token naming an RSA key: accepted")
		}
	}
}

// TestPoolNames: a pool configured by ID matches ARNs with placeholders;
// one named by other text matches that text and needs an issuer.
func TestPoolNames(t *testing.T) {
	keys(t)
	file := writeJWKS(t, "keys.json", rsaJWK("k1", rsa1))
	const local = "http://127.0.0.1:9229/local_pool"
	v, err := cognito.New(cognito.Config{Now: clock, Pools: []cognito.Pool{
		{Pool: poolID, JWKS: file},
		{Pool: "${UserPool.Arn}", JWKS: file, Issuer: local},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	for _, c := range []struct {
		arn, iss string
	}{
		{poolARN, poolIss},
		{"arn:aws:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/" + poolID, poolIss},
		{"arn:aws:cognito-idp:us-east-1:999999999999:userpool/" + poolID, poolIss},
		{"${UserPool.Arn}", local},
	} {
		tok := sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(idClaims(), "iss", c.iss))
		if _, err := v.VerifyToken(context.Background(), tok, []string{c.arn}); err != nil {
			t.Errorf("%s: %v", c.arn, err)
		}
	}
	// The derived issuer is not the override's.
	tok := sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(idClaims(), "iss", local))
	if _, err := v.VerifyToken(context.Background(), tok, []string{poolARN}); err == nil {
		t.Error("a local issuer's token accepted for the Cognito pool")
	}
}

func TestIssuerOverride(t *testing.T) {
	keys(t)
	const local = "http://127.0.0.1:9229/us-east-1_AbCdEf123"
	v, err := cognito.New(cognito.Config{Now: clock, Pools: []cognito.Pool{
		{Pool: poolARN, JWKS: writeJWKS(t, "k.json", rsaJWK("k1", rsa1)), Issuer: local},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if _, err := v.VerifyToken(context.Background(), sign(t, jwt.SigningMethodRS256, rsa1, "k1", with(idClaims(), "iss", local)), []string{poolARN}); err != nil {
		t.Errorf("the override's issuer: %v", err)
	}
	if _, err := v.VerifyToken(context.Background(), sign(t, jwt.SigningMethodRS256, rsa1, "k1", idClaims()), []string{poolARN}); err == nil {
		t.Error("Cognito's issuer accepted although the pool's issuer is overridden")
	}
}

func TestConfigErrors(t *testing.T) {
	keys(t)
	file := writeJWKS(t, "k.json", rsaJWK("k1", rsa1))
	broken := writeJWKS(t, "broken.json")
	os.WriteFile(broken, []byte(`{"keys": [`), 0o600)
	for _, c := range []struct {
		name string
		cfg  cognito.Config
		want string
	}{
		{"no pools", cognito.Config{}, "no user pools"},
		{"HS256", cognito.Config{Algorithms: []string{"HS256"}, Pools: []cognito.Pool{{Pool: poolID, JWKS: file}}}, `algorithm "HS256" is not accepted`},
		{"none", cognito.Config{Algorithms: []string{"none"}, Pools: []cognito.Pool{{Pool: poolID, JWKS: file}}}, `algorithm "none" is not accepted`},
		{"no jwks", cognito.Config{Pools: []cognito.Pool{{Pool: poolID}}}, "jwks is empty"},
		{"no pool", cognito.Config{Pools: []cognito.Pool{{JWKS: file}}}, "pool is empty"},
		{"text without issuer", cognito.Config{Pools: []cognito.Pool{{Pool: "${UserPool.Arn}", JWKS: file}}}, "needs an issuer"},
		{"not a pool ARN", cognito.Config{Pools: []cognito.Pool{{Pool: "arn:aws:lambda:us-east-1:1:function:f", JWKS: file}}}, "not a user pool ARN"},
		{"bad pool ID", cognito.Config{Pools: []cognito.Pool{{Pool: "arn:aws:cognito-idp:us-east-1:1:userpool/nope", JWKS: file}}}, "not a user pool ID"},
		{"regions differ", cognito.Config{Pools: []cognito.Pool{{Pool: "arn:aws:cognito-idp:eu-west-1:1:userpool/" + poolID, JWKS: file}}}, "names region"},
		{"twice", cognito.Config{Pools: []cognito.Pool{{Pool: poolID, JWKS: file}, {Pool: poolARN, JWKS: file}}}, "configured twice"},
		{"missing file", cognito.Config{Pools: []cognito.Pool{{Pool: poolID, JWKS: file + ".missing"}}}, "no such file"},
		{"broken file", cognito.Config{Pools: []cognito.Pool{{Pool: poolID, JWKS: broken}}}, "unexpected end of JSON"},
		{"negative leeway", cognito.Config{Leeway: -1, Pools: []cognito.Pool{{Pool: poolID, JWKS: file}}}, "negative"},
	} {
		v, err := cognito.New(c.cfg)
		if err == nil {
			v.Close()
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %q, want it to say %q", c.name, err, c.want)
		}
	}
}

// TestConfigFile: the configuration reads from the serve configuration's
// YAML and JSON.
func TestConfigFile(t *testing.T) {
	want := cognito.Config{
		Pools:              []cognito.Pool{{Pool: poolARN, JWKS: "keys/pool.json", Issuer: "http://127.0.0.1:9229/x"}},
		Algorithms:         []string{"RS256", "ES256"},
		Leeway:             cognito.Duration(30 * time.Second),
		HTTPTimeout:        cognito.Duration(5 * time.Second),
		RefreshInterval:    cognito.Duration(time.Hour),
		UnknownKIDInterval: cognito.Duration(time.Minute),
	}
	yml := `
pools:
  - pool: ` + poolARN + `
    jwks: keys/pool.json
    issuer: http://127.0.0.1:9229/x
algorithms: [RS256, ES256]
leeway: 30s
http_timeout: 5s
refresh_interval: 1h
unknown_kid_interval: 1m
`
	var got cognito.Config
	if err := yaml.Unmarshal([]byte(yml), &got); err != nil {
		t.Fatal(err)
	}
	check := func(form string, got cognito.Config) {
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) {
			t.Errorf("%s:\n got %s\nwant %s", form, gb, wb)
		}
	}
	check("yaml", got)
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"leeway":"30s"`) || !strings.Contains(string(b), `"unknown_kid_interval":"1m0s"`) {
		t.Errorf("json: %s", b)
	}
	got = cognito.Config{}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	check("json", got)
}
