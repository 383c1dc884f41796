package sigv4_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"gwc.dev/gwc/plugins/sigv4"
	"gwc.dev/gwc/runtime"
)

// TestSDKSigned: requests signed by aws-sdk-go-v2's signer, sent over
// loopback, verify.
func TestSDKSigned(t *testing.T) {
	w := newWire(t)
	v := verifier(t)
	for _, c := range []struct {
		name, method, target string
		// rawQuery, when set, is sent instead of the query the SDK
		// rewrites to its canonical form while signing: the same
		// parameters, written as clients write them.
		rawQuery string
		body     []byte
		header   [][2]string
		token    string
	}{
		{name: "GET", method: "GET", target: "/dev/pets"},
		{name: "root", method: "GET", target: "/dev"},
		{name: "trailing slash", method: "GET", target: "/dev/pets/"},
		{name: "query", method: "GET", target: "/dev/pets?b=2&a=1&a=0&empty=&flag&eq=a%3Db"},
		// Reserved characters raw and encoded, lower-case escapes,
		// "+" for a space, repeated keys and empty values: canonical
		// after decoding and encoding again, sorted after encoding.
		{name: "query as written", method: "GET", target: "/dev/pets",
			rawQuery: "z=last&sp=a+b&pct=a%20b&raw=!*'()&res=%21%2a%27%28%29&slash=a/b&enc=a%2fb&uni=%c3%bc&utf8=ü&tilde=~x&k=v2&k=v1&k=&nil&a-b=1&a/b=2"},
		{name: "POST", method: "POST", target: "/dev/pets?dry=true", body: []byte(`{"name":"rex","tags":["a","b"]}`),
			header: [][2]string{{"Content-Type", "application/json"}}},
		{name: "PUT empty body", method: "PUT", target: "/dev/pets/1", body: []byte{}},
		{name: "space", method: "GET", target: "/dev/a%20b/c"},
		{name: "unicode", method: "GET", target: "/dev/%C3%BC/%E2%82%AC"},
		{name: "encoded slash", method: "GET", target: "/dev/a%2Fb"},
		{name: "sub-delimiters", method: "GET", target: "/dev/x!$&'()*+,;=:@y"},
		{name: "double slash", method: "GET", target: "/dev//pets"},
		{name: "session token", method: "GET", target: "/dev/pets", token: token},
		// Signed headers: runs of spaces collapse, several fields of a
		// name join with commas.
		{name: "headers", method: "GET", target: "/dev/pets", header: [][2]string{
			{"X-Custom", "a   b    c"}, {"X-Multi", "1"}, {"X-Multi", "two  2"}, {"Accept", "application/json"}}},
		{name: "content hash signed", method: "POST", target: "/dev/pets", body: []byte("x=1"),
			header: [][2]string{{"X-Amz-Content-Sha256", sha([]byte("x=1"))}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := w.newRequest(t, c.method, c.target, c.body)
			for _, h := range c.header {
				req.Header.Add(h[0], h[1])
			}
			if c.rawQuery != "" {
				req.URL.RawQuery = c.rawQuery
			}
			signHTTP(t, req, c.body, creds(c.token), region, svc, signTime)
			if c.rawQuery != "" {
				req.URL.RawQuery = c.rawQuery
			}
			got := w.send(t, req)
			vv := v
			if c.token != "" {
				vv = verifier(t, sigv4.Credential{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: c.token})
			}
			caller, err := vv.VerifySignature(context.Background(), got)
			if err != nil {
				t.Fatalf("%s %s?%s: %v", got.Method, got.Path, got.RawQuery, err)
			}
			if caller.AccessKey != akid {
				t.Errorf("caller %+v", caller)
			}
		})
	}
}

// TestCaller: the caller is the credential's, with its defaults.
func TestCaller(t *testing.T) {
	w := newWire(t)
	req := w.newRequest(t, "GET", "/dev/pets", nil)
	signHTTP(t, req, nil, creds(""), region, svc, signTime)
	got := w.send(t, req)
	for _, c := range []struct {
		cred sigv4.Credential
		want runtime.Caller
	}{
		{sigv4.Credential{UserARN: "arn:aws:iam::111122223333:user/alice", User: "AIDAEXAMPLE", PrincipalOrgID: "o-abc"},
			runtime.Caller{AccountID: "111122223333", Caller: "AIDAEXAMPLE", User: "AIDAEXAMPLE", UserARN: "arn:aws:iam::111122223333:user/alice", AccessKey: akid, PrincipalOrgID: "o-abc"}},
		{sigv4.Credential{AccountID: "444455556666", UserARN: "arn:aws:sts::111122223333:assumed-role/r/s", Caller: "AROAEXAMPLE:s"},
			runtime.Caller{AccountID: "444455556666", Caller: "AROAEXAMPLE:s", User: "AROAEXAMPLE:s", UserARN: "arn:aws:sts::111122223333:assumed-role/r/s", AccessKey: akid}},
		{sigv4.Credential{}, runtime.Caller{AccessKey: akid}},
	} {
		c.cred.AccessKeyID, c.cred.SecretAccessKey = akid, secret
		caller, err := verifier(t, c.cred).VerifySignature(context.Background(), got)
		if err != nil {
			t.Fatal(err)
		}
		if *caller != c.want {
			t.Errorf("%+v: caller %+v, want %+v", c.cred, *caller, c.want)
		}
	}
}

// check runs a case and compares the error with the runtime error it
// must wrap and, when want is not empty, AWS's text.
func check(t *testing.T, name string, v *sigv4.Verifier, r *runtime.SignedRequest, kind error, want string) {
	t.Helper()
	_, err := v.VerifySignature(context.Background(), r)
	switch {
	case kind == nil && err != nil:
		t.Errorf("%s: %v", name, err)
	case kind == nil:
	case err == nil:
		t.Errorf("%s: accepted", name)
	case !errors.Is(err, kind):
		t.Errorf("%s: %v, want %v", name, err, kind)
	case want != "" && err.Error() != want:
		t.Errorf("%s:\n got %q\nwant %q", name, err, want)
	}
}

// TestRejects: a request signed by the SDK, changed in one way.
func TestRejects(t *testing.T) {
	w := newWire(t)
	v := verifier(t)
	body := []byte(`{"name":"rex"}`)
	req := w.newRequest(t, "POST", "/dev/pets?a=1&b=2", body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Custom", "signed")
	signHTTP(t, req, body, creds(""), region, svc, signTime)
	req.Header.Set("X-Unsigned", "x")
	good := w.send(t, req)
	check(t, "unchanged", v, good, nil, "")

	mut := func(f func(r *runtime.SignedRequest)) *runtime.SignedRequest {
		r := clone(good)
		f(r)
		return r
	}
	mismatch := runtime.ErrSignatureMismatch
	other := verifier(t, sigv4.Credential{AccessKeyID: akid, SecretAccessKey: "another secret"})
	check(t, "wrong secret", other, good, mismatch, "")
	check(t, "unknown key", verifier(t, sigv4.Credential{AccessKeyID: "AKIDOTHER", SecretAccessKey: secret}), good,
		runtime.ErrUnknownAccessKey, "The security token included in the request is invalid.")
	check(t, "body changed", v, mut(func(r *runtime.SignedRequest) { r.Body = []byte(`{"name":"rox"}`) }), mismatch, "")
	check(t, "body dropped", v, mut(func(r *runtime.SignedRequest) { r.Body = nil }), mismatch, "")
	check(t, "signed header changed", v, mut(func(r *runtime.SignedRequest) { setHeader(r, "X-Custom", "changed") }), mismatch, "")
	check(t, "signed header removed", v, mut(func(r *runtime.SignedRequest) { setHeader(r, "Content-Type", "") }), mismatch, "")
	check(t, "host changed", v, mut(func(r *runtime.SignedRequest) { setHeader(r, "Host", "evil.example.com") }), mismatch, "")
	check(t, "method changed", v, mut(func(r *runtime.SignedRequest) { r.Method = "PUT" }), mismatch, "")
	check(t, "path changed", v, mut(func(r *runtime.SignedRequest) { r.Path = "/dev/pet" }), mismatch, "")
	check(t, "path encoded differently", v, mut(func(r *runtime.SignedRequest) { r.Path = "/dev/%70ets" }), mismatch, "")
	check(t, "query changed", v, mut(func(r *runtime.SignedRequest) { r.RawQuery = "a=1&b=3" }), mismatch, "")
	check(t, "query added", v, mut(func(r *runtime.SignedRequest) { r.RawQuery += "&c=" }), mismatch, "")
	check(t, "query dropped", v, mut(func(r *runtime.SignedRequest) { r.RawQuery = "a=1" }), mismatch, "")
	check(t, "signature changed", v, mut(func(r *runtime.SignedRequest) {
		a := header(r, "Authorization")
		i := len(a) - 1
		c := byte('0')
		if a[i] == '0' {
			c = '1'
		}
		setHeader(r, "Authorization", a[:i]+string(c))
	}), mismatch, "")
	check(t, "signature upper case", v, mut(func(r *runtime.SignedRequest) {
		a := header(r, "Authorization")
		i := strings.Index(a, "Signature=") + len("Signature=")
		setHeader(r, "Authorization", a[:i]+strings.ToUpper(a[i:]))
	}), mismatch, "")
	// A signed x-amz-content-sha256 keeps the canonical request the
	// same when the body changes: the body must match it.
	req = w.newRequest(t, "POST", "/dev/pets", body)
	req.Header.Set("X-Amz-Content-Sha256", sha(body))
	signHTTP(t, req, body, creds(""), region, svc, signTime)
	hashed := w.send(t, req)
	check(t, "hashed body", v, hashed, nil, "")
	hashed.Body = []byte(`{"name":"rox"}`)
	check(t, "hashed body changed", v, hashed, mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")
	// Headers nobody signed may change.
	check(t, "unsigned header changed", v, mut(func(r *runtime.SignedRequest) { setHeader(r, "X-Unsigned", "y") }), nil, "")
	check(t, "unsigned header added", v, mut(func(r *runtime.SignedRequest) { setHeader(r, "X-Forwarded-For", "10.0.0.1") }), nil, "")
	check(t, "user agent changed", v, mut(func(r *runtime.SignedRequest) { setHeader(r, "User-Agent", "curl/8") }), nil, "")
	// Signed headers are found whatever their case, and their values
	// compared after trimming and collapsing spaces.
	check(t, "names in other case", v, mut(func(r *runtime.SignedRequest) {
		for i := range r.Header {
			r.Header[i].Name = strings.ToUpper(r.Header[i].Name)
		}
	}), nil, "")
	check(t, "spaces in a signed value", v, mut(func(r *runtime.SignedRequest) { setHeader(r, "X-Custom", "  signed ") }), nil, "")
}

// TestTime: the date may be five minutes either side of now; the
// messages are API Gateway's, as recorded: "Signature expired:
// 20201027T123008Z is now earlier than 20201027T125507Z
// (20201027T130007Z - 5 min.)" (mhart/aws4#118, an execute-api call) and
// "Signature not yet current: 20230804T000000Z is still later than
// 20230803T172233Z (20230803T171733Z + 5 min.)" (NickWaterton/
// Roomba980-Python#118); AWS's troubleshooting guide names both.
func TestTime(t *testing.T) {
	w := newWire(t)
	v := verifier(t)
	req := w.newRequest(t, "GET", "/dev/pets", nil)
	signHTTP(t, req, nil, creds(""), region, svc, signTime)
	good := w.send(t, req)
	at := func(d time.Duration) *runtime.SignedRequest {
		r := clone(good)
		r.Now = signTime.Add(d)
		return r
	}
	exp := runtime.ErrSignatureExpired
	check(t, "5 min later", v, at(5*time.Minute), nil, "")
	check(t, "5 min earlier", v, at(-5*time.Minute), nil, "")
	check(t, "5 min 1 s later", v, at(5*time.Minute+time.Second), exp,
		"Signature expired: 20240301T120000Z is now earlier than 20240301T120001Z (20240301T120501Z - 5 min.)")
	check(t, "5 min 1 s earlier", v, at(-5*time.Minute-time.Second), exp,
		"Signature not yet current: 20240301T120000Z is still later than 20240301T115959Z (20240301T115459Z + 5 min.)")
	// The window is configurable.
	v15, err := sigv4.New(sigv4.Config{ClockSkew: sigv4.Duration(15 * time.Minute), Credentials: []sigv4.Credential{{AccessKeyID: akid, SecretAccessKey: secret}}})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "10 min later, 15 min window", v15, at(10*time.Minute), nil, "")
	check(t, "16 min later, 15 min window", v15, at(16*time.Minute), exp,
		"Signature expired: 20240301T120000Z is now earlier than 20240301T120100Z (20240301T121600Z - 15 min.)")
	// Whatever the clock says, a changed X-Amz-Date is a changed request.
	r := at(0)
	setHeader(r, "X-Amz-Date", "20240301T120001Z")
	check(t, "date changed", v, r, runtime.ErrSignatureMismatch, "")
}

// TestScope: a credential scoped to another region, service or day is
// refused with AWS's messages (recorded: "Credential should be scoped to a
// valid region, not 'eu-west-1'. " from joona/aws-es-curl#15, and the
// others as dynalite records them from DynamoDB, the same front end).
func TestScope(t *testing.T) {
	w := newWire(t)
	v := verifier(t)
	sign := func(region, service string, at time.Time) *runtime.SignedRequest {
		req := w.newRequest(t, "GET", "/dev/pets", nil)
		signHTTP(t, req, nil, creds(""), region, service, at)
		r := w.send(t, req)
		r.Now = at
		return r
	}
	mismatch := runtime.ErrSignatureMismatch
	check(t, "region", v, sign("eu-west-1", svc, signTime), mismatch, "Credential should be scoped to a valid region, not 'eu-west-1'. ")
	check(t, "service", v, sign(region, "lambda", signTime), mismatch, "Credential should be scoped to correct service: 'execute-api'. ")
	check(t, "both", v, sign("eu-west-1", "lambda", signTime), mismatch,
		"Credential should be scoped to a valid region, not 'eu-west-1'. Credential should be scoped to correct service: 'execute-api'. ")
	r := sign(region, svc, signTime)
	a := header(r, "Authorization")
	setHeader(r, "Authorization", strings.Replace(a, "/20240301/", "/20240229/", 1))
	check(t, "date", v, r, mismatch,
		"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240229' != '20240301', from '20240301T120000Z'.")
	setHeader(r, "Authorization", strings.Replace(a, "/aws4_request", "/aws5_request", 1))
	check(t, "terminator", v, r, mismatch, "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ")
	// Another region is fine when the API is served there.
	r = sign("eu-west-1", svc, signTime)
	r.Region = "eu-west-1"
	check(t, "served in eu-west-1", v, r, nil, "")
}

// TestSessionToken: temporary credentials need their token; a wrong,
// missing or unexpected token is an unknown client.
func TestSessionToken(t *testing.T) {
	w := newWire(t)
	withToken := verifier(t, sigv4.Credential{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: token})
	plain := verifier(t)
	req := w.newRequest(t, "GET", "/dev/pets", nil)
	signHTTP(t, req, nil, creds(token), region, svc, signTime)
	signed := w.send(t, req)
	req = w.newRequest(t, "GET", "/dev/pets", nil)
	signHTTP(t, req, nil, creds(""), region, svc, signTime)
	unsigned := w.send(t, req)

	unknown := runtime.ErrUnknownAccessKey
	check(t, "token", withToken, signed, nil, "")
	check(t, "no token", withToken, unsigned, unknown, "")
	check(t, "unexpected token", plain, signed, unknown, "")
	other := verifier(t, sigv4.Credential{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: token + "x"})
	check(t, "another token", other, signed, unknown, "The security token included in the request is invalid")
	// The token is signed: changing it changes the request.
	r := clone(signed)
	setHeader(r, "X-Amz-Security-Token", token+"x")
	check(t, "token changed", other, r, runtime.ErrSignatureMismatch, "")
}

// TestPresigned: URLs presigned by the SDK verify until X-Amz-Expires has
// passed; every part of the query is signed but the signature.
func TestPresigned(t *testing.T) {
	w := newWire(t)
	v := verifier(t)
	presigned := func(target string, tok string) *runtime.SignedRequest {
		req := w.newRequest(t, "GET", target, nil)
		return w.send(t, w.presign(t, req, nil, creds(tok), signTime))
	}
	good := presigned("/dev/pets?X-Amz-Expires=3600&q=a%20b&q=c", "")
	check(t, "presigned", v, good, nil, "")
	at := func(r *runtime.SignedRequest, d time.Duration) *runtime.SignedRequest {
		r = clone(r)
		r.Now = signTime.Add(d)
		return r
	}
	// Valid for its hour, past the five minutes of a header signature.
	check(t, "after 59 min", v, at(good, 59*time.Minute), nil, "")
	check(t, "after 61 min", v, at(good, 61*time.Minute), runtime.ErrSignatureExpired,
		"Signature expired: 20240301T120000Z is now earlier than 20240301T120100Z (20240301T130100Z - 60 min.)")
	short := presigned("/dev/pets?X-Amz-Expires=90", "")
	check(t, "90 s, after 91 s", v, at(short, 91*time.Second), runtime.ErrSignatureExpired,
		"Signature expired: 20240301T120000Z is now earlier than 20240301T120001Z (20240301T120131Z - 90 sec.)")
	check(t, "not yet current", v, at(good, -6*time.Minute), runtime.ErrSignatureExpired, "")
	// Without X-Amz-Expires, the clock skew window applies.
	bare := presigned("/dev/pets", "")
	check(t, "no expiry, 4 min", v, at(bare, 4*time.Minute), nil, "")
	check(t, "no expiry, 6 min", v, at(bare, 6*time.Minute), runtime.ErrSignatureExpired, "")

	tok := presigned("/dev/pets?X-Amz-Expires=60", token)
	check(t, "with token", verifier(t, sigv4.Credential{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: token}), tok, nil, "")
	check(t, "token unexpected", v, tok, runtime.ErrUnknownAccessKey, "")

	mismatch := runtime.ErrSignatureMismatch
	replace := func(r *runtime.SignedRequest, old, new string) *runtime.SignedRequest {
		r = clone(r)
		if !strings.Contains(r.RawQuery, old) {
			t.Fatalf("%q not in %q", old, r.RawQuery)
		}
		r.RawQuery = strings.Replace(r.RawQuery, old, new, 1)
		return r
	}
	check(t, "expiry changed", v, replace(good, "X-Amz-Expires=3600", "X-Amz-Expires=7200"), mismatch, "")
	check(t, "parameter changed", v, replace(good, "q=c", "q=d"), mismatch, "")
	check(t, "parameter added", v, replace(good, "q=c", "q=c&r=1"), mismatch, "")
	check(t, "signature changed", v, replace(good, "X-Amz-Signature=", "X-Amz-Signature=0"), mismatch, "")
	check(t, "path changed", v, func() *runtime.SignedRequest { r := clone(good); r.Path = "/dev/pet"; return r }(), mismatch, "")
	check(t, "wrong secret", verifier(t, sigv4.Credential{AccessKeyID: akid, SecretAccessKey: "x"}), good, mismatch, "")
	check(t, "expiry not a number", v, replace(good, "X-Amz-Expires=3600", "X-Amz-Expires=soon"), mismatch, "X-Amz-Expires should be a number")
	check(t, "expiry over a week", v, replace(good, "X-Amz-Expires=3600", "X-Amz-Expires=604801"), mismatch,
		"X-Amz-Expires must be less than a week (in seconds) that is 604800")
}

// TestForm: incomplete and malformed signatures, with AWS's messages as
// dynalite and kinesalite record them from AWS (the same front end as
// API Gateway's; the header messages are those of §3.5).
func TestForm(t *testing.T) {
	v := verifier(t)
	const date = "20240301T120000Z"
	const good = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240301/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123"
	req := func(auth, query string, hs ...string) *runtime.SignedRequest {
		r := &runtime.SignedRequest{Method: "GET", Path: "/dev/pets", RawQuery: query, Region: region, Service: svc, Now: signTime,
			Header: []runtime.Field{{Name: "Host", Value: "127.0.0.1:3000"}}}
		if auth != "" {
			r.Header = append(r.Header, runtime.Field{Name: "Authorization", Value: auth})
		}
		for i := 0; i < len(hs); i += 2 {
			r.Header = append(r.Header, runtime.Field{Name: hs[i], Value: hs[i+1]})
		}
		return r
	}
	m := runtime.ErrSignatureMismatch
	for _, c := range []struct {
		name string
		r    *runtime.SignedRequest
		want string
	}{
		{"no equal sign", req("Bearer abc", "", "X-Amz-Date", date),
			"'abc' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc'."},
		{"nothing", req("AWS4-HMAC-SHA256", ""),
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=AWS4-HMAC-SHA256"},
		{"no date", req(good, ""), "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + good},
		{"both", req(good, "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Date", date),
			"Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."},
		{"query incomplete", req("", "X-Amz-Signature=abc"),
			"AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Credential'. " +
				"AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. " +
				"Re-examine the query-string parameters."},
		{"bad date", req(good, "", "X-Amz-Date", "2024-03-01T12:00:00Z"),
			"Date must be in ISO-8601 'basic format'. Got '2024-03-01T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{"bad Date", req(good, "", "Date", "yesterday"),
			"Date must be in ISO-8601 'basic format'. Got 'yesterday'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{"host unsigned", req(strings.Replace(good, "host;", "", 1), "", "X-Amz-Date", date),
			"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{"empty signed headers", req(strings.Replace(good, "host;x-amz-date", "", 1), "", "X-Amz-Date", date),
			"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{"algorithm", req(strings.Replace(good, "SHA256", "SHA512", 1), "", "X-Amz-Date", date),
			"Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "},
		{"credential", req(strings.Replace(good, "/execute-api", "", 1), "", "X-Amz-Date", date),
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20240301/us-east-1/aws4_request'"},
		{"content hash", req(good, "", "X-Amz-Date", date, "X-Amz-Content-Sha256", sha([]byte("other"))),
			"The provided 'x-amz-content-sha256' header does not match what was computed."},
		// S3's unsigned payload would leave the body unsigned.
		{"unsigned payload", req(good, "", "X-Amz-Date", date, "X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"),
			"The provided 'x-amz-content-sha256' header does not match what was computed."},
	} {
		check(t, c.name, v, c.r, m, c.want)
	}
	// The errors carry AWS's error types, for the answer's
	// x-amzn-ErrorType.
	for _, c := range []struct {
		r   *runtime.SignedRequest
		typ string
	}{
		{req("AWS4-HMAC-SHA256", ""), "IncompleteSignatureException"},
		{req(good, "", "X-Amz-Date", date), "InvalidSignatureException"},
		{req(strings.Replace(good, "AKIDEXAMPLE", "AKIDOTHER", 1), "", "X-Amz-Date", date), "UnrecognizedClientException"},
	} {
		_, err := v.VerifySignature(context.Background(), c.r)
		var e *sigv4.Error
		if !errors.As(err, &e) || e.Type != c.typ {
			t.Errorf("%v: type %v, want %s", err, e, c.typ)
		}
	}
}

// TestTestSuite: the get-vanilla case of AWS's SigV4 test suite (2011
// edition, as botocore keeps it in tests/unit/auth/aws4_testsuite), which
// dates the request with the Date header: its signature verifies, and a
// wrong one gets the suite's canonical request and string to sign in
// API Gateway's message format (mhart/aws4#33).
func TestTestSuite(t *testing.T) {
	const sig = "b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470"
	const auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=date;host, Signature="
	r := &runtime.SignedRequest{Method: "GET", Path: "/", Region: "us-east-1", Service: "host",
		Now: time.Date(2011, 9, 9, 23, 36, 0, 0, time.UTC),
		Header: []runtime.Field{
			{Name: "Host", Value: "host.foo.com"},
			{Name: "Date", Value: "Mon, 09 Sep 2011 23:36:00 GMT"},
			{Name: "Authorization", Value: auth + sig},
		}}
	v := verifier(t)
	check(t, "get-vanilla", v, r, nil, "")
	r = clone(r)
	setHeader(r, "Authorization", auth+strings.Repeat("0", 64))
	check(t, "get-vanilla, wrong signature", v, r, runtime.ErrSignatureMismatch,
		"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."+
			"\n\nThe Canonical String for this request should have been\n'"+
			"GET\n/\n\ndate:Mon, 09 Sep 2011 23:36:00 GMT\nhost:host.foo.com\n\ndate;host\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"+
			"'\n\nThe String-to-Sign should have been\n'"+
			"AWS4-HMAC-SHA256\n20110909T233600Z\n20110909/us-east-1/host/aws4_request\n366b91fb121d72a00f46bbe8d395f53a102b06dfb7e79636515208ed3fa606b1"+
			"'\n")
}

func TestConfig(t *testing.T) {
	for _, c := range []struct {
		cfg  sigv4.Config
		want string
	}{
		{sigv4.Config{Credentials: []sigv4.Credential{{SecretAccessKey: "s"}}}, "access_key_id is empty"},
		{sigv4.Config{Credentials: []sigv4.Credential{{AccessKeyID: "a"}}}, "secret_access_key is empty"},
		{sigv4.Config{Credentials: []sigv4.Credential{{AccessKeyID: "a", SecretAccessKey: "s"}, {AccessKeyID: "a", SecretAccessKey: "t"}}}, "listed twice"},
		{sigv4.Config{ClockSkew: -1}, "negative"},
	} {
		if _, err := sigv4.New(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
}

// TestAuthority: HTTP/2's :authority may be signed instead of host; its
// value is the request's host.
func TestAuthority(t *testing.T) {
	r := &runtime.SignedRequest{Method: "GET", Path: "/dev/pets", Region: region, Service: svc, Now: signTime,
		Header: []runtime.Field{
			{Name: "Host", Value: "127.0.0.1:3000"},
			{Name: "X-Amz-Date", Value: "20240301T120000Z"},
			{Name: "Authorization", Value: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240301/us-east-1/execute-api/aws4_request, SignedHeaders=:authority;x-amz-date, Signature=00"},
		}}
	_, err := verifier(t).VerifySignature(context.Background(), r)
	if err == nil || !strings.Contains(err.Error(), "\n:authority:127.0.0.1:3000\nx-amz-date:20240301T120000Z\n\n:authority;x-amz-date\n") {
		t.Errorf("%v", err)
	}
}

// TestNow: without a time in the request, the verifier's clock is used.
func TestNow(t *testing.T) {
	w := newWire(t)
	req := w.newRequest(t, "GET", "/dev/pets", nil)
	signHTTP(t, req, nil, creds(""), region, svc, time.Now())
	r := w.send(t, req)
	r.Now = time.Time{}
	check(t, "now", verifier(t), r, nil, "")
}

// TestConfigFile: the configuration reads from the serve configuration's
// YAML and JSON.
func TestConfigFile(t *testing.T) {
	yml := `
credentials:
  - access_key_id: AKIDEXAMPLE
    secret_access_key: secret
    session_token: tok
    account_id: "111122223333"
    user_arn: arn:aws:iam::111122223333:user/alice
    user: AIDAEXAMPLE
    caller: AIDAEXAMPLE
    principal_org_id: o-abc
clock_skew: 15m
`
	want := sigv4.Config{ClockSkew: sigv4.Duration(15 * time.Minute), Credentials: []sigv4.Credential{{
		AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", SessionToken: "tok", AccountID: "111122223333",
		UserARN: "arn:aws:iam::111122223333:user/alice", User: "AIDAEXAMPLE", Caller: "AIDAEXAMPLE", PrincipalOrgID: "o-abc",
	}}}
	var got sigv4.Config
	if err := yaml.Unmarshal([]byte(yml), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("yaml: %+v", got)
	}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"clock_skew":"15m0s"`) || !strings.Contains(string(b), `"secret_access_key":"secret"`) {
		t.Errorf("json: %s", b)
	}
	got = sigv4.Config{}
	if err := json.Unmarshal(b, &got); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("json: %+v %v", got, err)
	}
}
