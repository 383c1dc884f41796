package sigv4

import (
	"context"
	"errors"
	"testing"
	"time"

	"gwc.dev/gwc/runtime"
)

func TestParseAuthorization(t *testing.T) {
	for _, c := range []struct {
		in   string
		want authorization
		msg  string
	}{
		{"AWS4-HMAC-SHA256 Credential=A/d/r/s/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
			authorization{"AWS4-HMAC-SHA256", "A/d/r/s/aws4_request", "host;x-amz-date", "abc", true}, ""},
		// Without spaces after the commas, and with more of them.
		{"AWS4-HMAC-SHA256 Credential=A,SignedHeaders=host,Signature=abc", authorization{"AWS4-HMAC-SHA256", "A", "host", "abc", true}, ""},
		{"  AWS4-HMAC-SHA256   Credential=A ,  SignedHeaders=host ,,Signature=abc  ", authorization{"AWS4-HMAC-SHA256", "A", "host", "abc", true}, ""},
		// A repeated part keeps its first value; unknown parts are
		// ignored.
		{"AWS4-HMAC-SHA256 Signature=first, Signature=second, Foo=bar", authorization{algorithm: "AWS4-HMAC-SHA256", signature: "first"}, ""},
		{"AWS4-HMAC-SHA256 SignedHeaders=", authorization{algorithm: "AWS4-HMAC-SHA256", hasSignedHeaders: true}, ""},
		{"AWS4-HMAC-SHA256 Credential", authorization{algorithm: "AWS4-HMAC-SHA256"},
			"'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential'."},
		{"", authorization{}, ""},
	} {
		got, msg := parseAuthorization(c.in)
		if got != c.want || msg != c.msg {
			t.Errorf("%q: %+v %q, want %+v %q", c.in, got, msg, c.want, c.msg)
		}
	}
}

// TestCanonicalQuery: parameters are decoded and encoded again with
// SigV4's unreserved set, then sorted. Where Go's url.ParseQuery (and so
// the SDK's signer) would drop a parameter — a "%" that starts no escape,
// a ";" — the text is kept as written, as a client that encodes its own
// parameters signs it.
func TestCanonicalQuery(t *testing.T) {
	for _, c := range []struct{ raw, want string }{
		{"", ""},
		{"b=2&a=1", "a=1&b=2"},
		{"a=2&a=1&a=", "a=&a=1&a=2"},
		{"flag&x=", "flag=&x="},
		{"sp=a+b&pct=a%20b&plus=a%2Bb", "pct=a%20b&plus=a%2Bb&sp=a%20b"},
		{"r=!*'()&u=%c3%bc&t=~-_.", "r=%21%2A%27%28%29&t=~-_.&u=%C3%BC"},
		// Sorted after encoding: "a%2Fb" < "a-b" although "/" > "-".
		{"a-b=1&a/b=2", "a%2Fb=2&a-b=1"},
		{"bad=%zz&end=%4&semi=x;y", "bad=%25zz&end=%254&semi=x%3By"},
		{"&&a=1&&", "a=1"},
	} {
		if got := canonicalQuery(parseQuery(c.raw), false); got != c.want {
			t.Errorf("%q: %q, want %q", c.raw, got, c.want)
		}
	}
	if got := canonicalQuery(parseQuery("X-Amz-Signature=abc&a=1"), true); got != "a=1" {
		t.Errorf("presigned: %q", got)
	}
}

// FuzzAuthorization: no Authorization header or query string makes the
// verifier panic, and every failure is one of the runtime's three kinds
// (anything else would be answered with a 500).
func FuzzAuthorization(f *testing.F) {
	for _, s := range []string{
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240301/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240301/us-east-1/execute-api/aws4_request, SignedHeaders=, Signature=",
		"AWS4-HMAC-SHA256 Credential=//// , SignedHeaders=:authority, Signature=0",
		"", " ", "AWS4-HMAC-SHA256", "Bearer x", "a=b=c, ,=,", "Credential=é\x00/\xff",
	} {
		f.Add(s, "")
		f.Add("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="+s+"&X-Amz-Date=20240301T120000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=0&X-Amz-Expires=9")
	}
	v, err := New(Config{Credentials: []Credential{{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, auth, query string) {
		parseAuthorization(auth)
		r := &runtime.SignedRequest{Method: "GET", Path: "/dev/x", RawQuery: query, Region: "us-east-1", Service: "execute-api",
			Now:    time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC),
			Header: []runtime.Field{{Name: "Host", Value: "h"}, {Name: "X-Amz-Date", Value: "20240301T120000Z"}}}
		if auth != "" {
			r.Header = append(r.Header, runtime.Field{Name: "Authorization", Value: auth})
		}
		_, err := v.VerifySignature(context.Background(), r)
		if err != nil && !errors.Is(err, runtime.ErrSignatureMismatch) && !errors.Is(err, runtime.ErrSignatureExpired) && !errors.Is(err, runtime.ErrUnknownAccessKey) {
			t.Errorf("%q %q: %v is none of the runtime's errors", auth, query, err)
		}
	})
}
