package sigv4_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"gwc.dev/gwc/internal/testapi"
	"gwc.dev/gwc/plugins/sigv4"
	"gwc.dev/gwc/runtime"
)

// serve compiles a definition and serves it on loopback as gwc serve
// does: the runtime's server, on a listener that records header case.
func serve(t *testing.T, src string, opts runtime.Options) *httptest.Server {
	t.Helper()
	a, digest := testapi.Compile(t, src)
	api, err := runtime.Load(a, digest, opts)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	srv.Listener.Close()
	srv.Listener = runtime.CaseListener(l)
	srv.Config = runtime.NewServer(api).HTTPServer()
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// TestRuntime: requests signed by the SDK reach an AWS_IAM method of the
// runtime with this verifier, the caller fills $context.identity, and
// the runtime answers failures as API Gateway does.
func TestRuntime(t *testing.T) {
	v, err := sigv4.New(sigv4.Config{Credentials: []sigv4.Credential{{
		AccessKeyID: akid, SecretAccessKey: secret, UserARN: "arn:aws:iam::111122223333:user/alice", User: "AIDAEXAMPLEALICE",
	}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := serve(t, `
api:
  test:
    resources:
      /admin/{item}:
        ANY:
          authorization: AWS_IAM
          integration:
            mock:
              templates: {application/json: '{"statusCode": 200}'}
              responses: {default: {status: 200, templates: {application/json: '$context.identity.userArn $context.identity.accountId $context.identity.accessKey $context.identity.caller'}}}
          responses: {"200": {}}
`, runtime.Options{Signatures: v})
	c, err := credentials.NewStaticCredentialsProvider(akid, secret, "").Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	do := func(req *http.Request) (int, string) {
		t.Helper()
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	request := func(method, target string, body []byte) *http.Request {
		req, err := http.NewRequest(method, srv.URL+target, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	const identity = "arn:aws:iam::111122223333:user/alice 111122223333 AKIDEXAMPLE AIDAEXAMPLEALICE"

	req := request("GET", "/dev/admin/a%20b?x=1&y=two+words", nil)
	signHTTP(t, req, nil, c, region, svc, time.Now())
	if status, body := do(req); status != 200 || body != identity {
		t.Errorf("signed GET: %d %s", status, body)
	}
	body := []byte(`{"a":1}`)
	req = request("POST", "/dev/admin/x", body)
	req.Header.Set("Content-Type", "application/json")
	signHTTP(t, req, body, c, region, svc, time.Now())
	if status, got := do(req); status != 200 || got != identity {
		t.Errorf("signed POST: %d %s", status, got)
	}
	req = request("GET", "/dev/admin/x?X-Amz-Expires=60", nil)
	u, _, err := v4Presign(req, c)
	if err != nil {
		t.Fatal(err)
	}
	if status, got := do(request("GET", strings.TrimPrefix(u, srv.URL), nil)); status != 200 || got != identity {
		t.Errorf("presigned GET: %d %s", status, got)
	}

	if status, got := do(request("GET", "/dev/admin/x", nil)); status != 403 || got != `{"message":"Missing Authentication Token"}` {
		t.Errorf("unsigned: %d %s", status, got)
	}
	req = request("POST", "/dev/admin/x", body)
	signHTTP(t, req, body, c, region, svc, time.Now())
	req.Body, req.ContentLength = io.NopCloser(strings.NewReader(`{"a":2}`)), 7
	if status, got := do(req); status != 403 || !strings.HasPrefix(got, `{"message":"The request signature we calculated does not match`) {
		t.Errorf("changed body: %d %s", status, got)
	}
	req = request("GET", "/dev/admin/x", nil)
	signHTTP(t, req, nil, c, region, svc, time.Now().Add(-10*time.Minute))
	if status, got := do(req); status != 403 || !strings.HasPrefix(got, `{"message":"Signature expired: `) || !strings.HasSuffix(got, ` - 5 min.)"}`) {
		t.Errorf("expired: %d %s", status, got)
	}
	req = request("GET", "/dev/admin/x", nil)
	signHTTP(t, req, nil, c, "eu-west-1", svc, time.Now())
	if status, got := do(req); status != 403 || !strings.Contains(got, "Credential should be scoped to a valid region") {
		t.Errorf("another region: %d %s", status, got)
	}
	// The signature covers the verb the client sent; X-HTTP-Method-Override
	// only changes routing (§13).
	req = request("GET", "/dev/admin/x", nil)
	req.Header.Set("X-HTTP-Method-Override", "POST")
	signHTTP(t, req, nil, c, region, svc, time.Now())
	if status, got := do(req); status != 200 || got != identity {
		t.Errorf("signed GET with a method override: %d %s", status, got)
	}
	// A verifier's error type reaches x-amzn-ErrorType.
	req = request("GET", "/dev/admin/x", nil)
	signHTTP(t, req, nil, c, region, svc, time.Now())
	req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), "Signature=", "Signature=0", 1))
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.Header.Get("x-amzn-ErrorType") != "InvalidSignatureException" {
		t.Errorf("bad signature: %d %s", resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"))
	}
}

func v4Presign(req *http.Request, c aws.Credentials) (string, http.Header, error) {
	return v4.NewSigner().PresignHTTP(context.Background(), c, req, sha(nil), svc, region, time.Now())
}
