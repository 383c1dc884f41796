package sigv4_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"gwc.dev/gwc/plugins/sigv4"
	"gwc.dev/gwc/runtime"
)

// The credentials of AWS's SigV4 examples and test suite.
const (
	akid   = "AKIDEXAMPLE"
	secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	token  = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token=="
	region = "us-east-1"
	svc    = "execute-api"
)

// signTime is when the tests' requests are signed.
var signTime = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func creds(tok string) aws.Credentials {
	return aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: tok}
}

func verifier(t testing.TB, cs ...sigv4.Credential) *sigv4.Verifier {
	t.Helper()
	if cs == nil {
		cs = []sigv4.Credential{{AccessKeyID: akid, SecretAccessKey: secret, UserARN: "arn:aws:iam::111122223333:user/alice", User: "AIDAEXAMPLEALICE"}}
	}
	v, err := sigv4.New(sigv4.Config{Credentials: cs})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wire sends requests over loopback and returns them as the runtime
// reads them: the raw target, the Host header first, then the header
// fields (names canonical, as net/http gives them without the runtime's
// case recording), and the body.
type wire struct {
	srv *httptest.Server
	got chan *runtime.SignedRequest
}

func newWire(t testing.TB) *wire {
	w := &wire{got: make(chan *runtime.SignedRequest, 1)}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		path, query, _ := strings.Cut(r.RequestURI, "?")
		fields := []runtime.Field{{Name: "Host", Value: r.Host}}
		names := make([]string, 0, len(r.Header))
		for n := range r.Header {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			for _, v := range r.Header[n] {
				fields = append(fields, runtime.Field{Name: n, Value: v})
			}
		}
		body, _ := io.ReadAll(r.Body)
		w.got <- &runtime.SignedRequest{Method: r.Method, Path: path, RawQuery: query, Header: fields, Body: body,
			Region: region, Service: svc, Now: signTime}
		rw.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(w.srv.Close)
	return w
}

// newRequest builds a request to the loopback server.
func (w *wire) newRequest(t testing.TB, method, target string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, w.srv.URL+target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	return req
}

// send sends a request and returns what the server received.
func (w *wire) send(t testing.TB, req *http.Request) *runtime.SignedRequest {
	t.Helper()
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return <-w.got
}

// signHTTP signs a request with the SDK's signer, as a client of
// execute-api does.
func signHTTP(t testing.TB, req *http.Request, body []byte, c aws.Credentials, region, service string, at time.Time) {
	t.Helper()
	if err := v4.NewSigner().SignHTTP(context.Background(), c, req, sha(body), service, region, at); err != nil {
		t.Fatal(err)
	}
}

// presign presigns a request with the SDK's signer and returns the
// request to send: the presigned URL and the headers it signed.
func (w *wire) presign(t testing.TB, req *http.Request, body []byte, c aws.Credentials, at time.Time) *http.Request {
	t.Helper()
	u, signed, err := v4.NewSigner().PresignHTTP(context.Background(), c, req, sha(body), svc, region, at)
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(req.Method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range signed {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	return out
}

// header returns the last value of a field.
func header(r *runtime.SignedRequest, name string) string {
	var v string
	for _, f := range r.Header {
		if strings.EqualFold(f.Name, name) {
			v = f.Value
		}
	}
	return v
}

// setHeader replaces every field of a name (or adds it).
func setHeader(r *runtime.SignedRequest, name, value string) {
	var out []runtime.Field
	for _, f := range r.Header {
		if !strings.EqualFold(f.Name, name) {
			out = append(out, f)
		}
	}
	r.Header = append(out, runtime.Field{Name: name, Value: value})
}

// clone copies a request, so that cases can change it.
func clone(r *runtime.SignedRequest) *runtime.SignedRequest {
	c := *r
	c.Header = append([]runtime.Field(nil), r.Header...)
	c.Body = append([]byte(nil), r.Body...)
	return &c
}
