package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"gwc.dev/gwc/runtime"
)

// invokeServer serves the Invoke API for local test functions.
func invokeServer(t *testing.T, fns ...LocalFunction) (*Router, *httptest.Server) {
	t.Helper()
	local, _ := newRouter(t, Config{Functions: fns})
	srv := httptest.NewServer(local.InvokeAPI())
	t.Cleanup(srv.Close)
	return local, srv
}

// sdkClient is an AWS SDK Lambda client for an endpoint.
func sdkClient(endpoint string) *lambdasdk.Client {
	return lambdasdk.New(lambdasdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("x", "y", "")})
}

// The Router sends functions that are not local to the Invoke API
// endpoint, through the AWS SDK; here the endpoint is a second Router's
// Invoke API, so both ends of the wire protocol are exercised.
func TestRemoteThroughInvokeAPI(t *testing.T) {
	slow := fn("sleep")
	slow.Timeout = Duration(20 * time.Second)
	_, srv := invokeServer(t, fn("echo"), fn("fail"), fn("counter"), slow)
	r, logs := newRouter(t, Config{Endpoint: srv.URL})
	_ = logs

	res := invoke(t, r, "echo", `{"a":[1,2,3]}`)
	if res.FunctionError != "" || string(res.Payload) != `{"a":[1,2,3]}` {
		t.Fatalf("echo: got %q (error %q)", res.Payload, res.FunctionError)
	}

	// The function error and its document come through as Lambda sends
	// them (X-Amz-Function-Error).
	doc := errorDocOf(t, invoke(t, r, "fail", `{}`))
	if doc["errorMessage"] != "boom" || doc["errorType"] != "errorString" {
		t.Fatalf("fail: got %v", doc)
	}

	// A qualified ARN names the function too.
	res, err := r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "echo:live", Payload: []byte(`1`)})
	if err != nil || string(res.Payload) != "1" {
		t.Fatalf("echo:live: %v %q", err, res.Payload)
	}

	// ResourceNotFoundException is runtime.ErrFunctionNotFound.
	_, err = r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "nope", Payload: []byte(`{}`)})
	if !errors.Is(err, runtime.ErrFunctionNotFound) || !strings.Contains(err.Error(), "Function not found: "+testARN+"nope") {
		t.Fatalf("unknown function: %v", err)
	}

	// An Event invocation comes back empty at once.
	res, err = r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "echo", Payload: []byte(`{}`), Async: true})
	if err != nil || res.FunctionError != "" || len(res.Payload) != 0 {
		t.Fatalf("event: %+v, %v", res, err)
	}

	// The integration timeout bounds the call: runtime.ErrTimeout.
	_, err = r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "sleep", Payload: []byte(`{"ms":20000}`), Timeout: 200 * time.Millisecond})
	if !errors.Is(err, runtime.ErrTimeout) {
		t.Fatalf("slow call: got %v, want runtime.ErrTimeout", err)
	}
}

// Without local functions or an endpoint, a function is not found.
func TestNotFoundWithoutEndpoint(t *testing.T) {
	r, _ := newRouter(t, Config{Functions: []LocalFunction{fn("echo")}})
	_, err := r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "other", Payload: []byte(`{}`)})
	if !errors.Is(err, runtime.ErrFunctionNotFound) {
		t.Fatalf("got %v", err)
	}
}

// The Invoke API server answers the AWS SDK as Lambda does.
func TestInvokeAPIWithSDK(t *testing.T) {
	_, srv := invokeServer(t, fn("context"), fn("echo"), fn("fail"))
	c := sdkClient(srv.URL)
	ctx := context.Background()

	// By name, with a client context (passed on to the runtime).
	cc := base64.StdEncoding.EncodeToString([]byte(`{"custom":{"tenant":"acme"}}`))
	out, err := c.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("context"), ClientContext: aws.String(cc)})
	if err != nil {
		t.Fatal(err)
	}
	if out.StatusCode != 200 || out.FunctionError != nil || aws.ToString(out.ExecutedVersion) != "$LATEST" {
		t.Fatalf("status %d, function error %v, version %v", out.StatusCode, out.FunctionError, aws.ToString(out.ExecutedVersion))
	}
	var a struct {
		FunctionARN   string
		ClientContext map[string]string
	}
	json.Unmarshal(out.Payload, &a)
	if a.FunctionARN != testARN+"context" || a.ClientContext["tenant"] != "acme" {
		t.Fatalf("the function saw ARN %q and client context %v", a.FunctionARN, a.ClientContext)
	}

	// By ARN with a qualifier.
	out, err = c.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("context"), Qualifier: aws.String("prod")})
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(out.Payload, &a)
	if a.FunctionARN != testARN+"context:prod" {
		t.Fatalf("the function saw ARN %q", a.FunctionARN)
	}

	// A function error.
	out, err = c.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String(testARN + "fail"), Payload: []byte(`{}`)})
	if err != nil || aws.ToString(out.FunctionError) != "Unhandled" || string(out.Payload) != `{"errorMessage":"boom","errorType":"errorString"}` {
		t.Fatalf("fail: %v, %v, %s", err, aws.ToString(out.FunctionError), out.Payload)
	}

	// Event: 202; DryRun: 204.
	out, err = c.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{}`)})
	if err != nil || out.StatusCode != 202 {
		t.Fatalf("event: %v, %+v", err, out)
	}
	out, err = c.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), InvocationType: types.InvocationTypeDryRun})
	if err != nil || out.StatusCode != 204 {
		t.Fatalf("dry run: %v, %+v", err, out)
	}

	// An unknown function: ResourceNotFoundException, with Lambda's message.
	_, err = c.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("nope")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || nf.ErrorMessage() != "Function not found: "+testARN+"nope" {
		t.Fatalf("unknown function: %v", err)
	}

	// A payload over 6 MB: RequestTooLargeException.
	big := []byte(`"` + strings.Repeat("x", 6291456) + `"`)
	_, err = c.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), Payload: big})
	var tl *types.RequestTooLargeException
	if !errors.As(err, &tl) || tl.ErrorMessage() != "6291458 byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)" {
		t.Fatalf("large payload: %v", err)
	}

	// A payload that is not JSON: InvalidRequestContentException.
	_, err = c.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{nope`)})
	var bad *types.InvalidRequestContentException
	if !errors.As(err, &bad) {
		t.Fatalf("invalid JSON: %v", err)
	}
}

// The Invoke API on the wire: status codes and headers.
func TestInvokeAPIWire(t *testing.T) {
	_, srv := invokeServer(t, fn("echo"))
	post := func(path, typ, body string) *http.Response {
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		if typ != "" {
			req.Header.Set("X-Amz-Invocation-Type", typ)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	resp := post("/2015-03-31/functions/echo/invocations", "", "")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "{}" || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("empty payload: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	resp = post("/2015-03-31/functions/nope/invocations", "", "{}")
	body, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != 404 || resp.Header.Get("X-Amzn-Errortype") != "ResourceNotFoundException" ||
		string(body) != `{"Type":"User","Message":"Function not found: `+testARN+`nope"}` {
		t.Fatalf("unknown function: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	resp = post("/2015-03-31/functions/echo/invocations", "Sometimes", "{}")
	if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-Errortype") != "ValidationException" {
		t.Fatalf("bad invocation type: %d %v", resp.StatusCode, resp.Header)
	}
	resp = post("/2015-03-31/functions/echo/invocations", "Event", `"`+strings.Repeat("x", 1048576)+`"`)
	if resp.StatusCode != 413 || resp.Header.Get("X-Amzn-Errortype") != "RequestTooLargeException" {
		t.Fatalf("large event: %d %v", resp.StatusCode, resp.Header)
	}
	resp = post("/2015-03-31/functions/echo", "", "{}")
	if resp.StatusCode != 404 {
		t.Fatalf("unknown operation: %d", resp.StatusCode)
	}
}
