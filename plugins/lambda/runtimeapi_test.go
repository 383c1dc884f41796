package lambda

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"gwc.dev/gwc/runtime"
)

// These tests play the runtime themselves, on the wire: the function's
// process is a bystander (sleep), and the test speaks the Runtime API to
// the instance's address.

// rawRuntime starts a function whose process does nothing, so that the
// test can be its runtime; it returns the Router and a way to reach the
// instance's Runtime API once the first call has started it.
func rawRuntime(t *testing.T) (*Router, func() string) {
	t.Helper()
	r, _ := newRouter(t, Config{Functions: []LocalFunction{{Name: "raw", Command: Argv{"sleep", "60"}}}})
	addr := func() string {
		var a string
		eventually(t, "the instance to listen", func() bool {
			f := r.byName["raw"]
			f.mu.Lock()
			defer f.mu.Unlock()
			for inst := range f.all {
				// The process is set, under the lock, once the
				// listener is.
				inst.mu.Lock()
				started := inst.proc != nil
				inst.mu.Unlock()
				if started {
					a = inst.ln.Addr().String()
					return true
				}
			}
			return false
		})
		return a
	}
	return r, addr
}

// goInvoke starts a call and returns where its result arrives.
func goInvoke(r *Router, event string) <-chan *runtime.FunctionResult {
	ch := make(chan *runtime.FunctionResult, 1)
	go func() {
		res, err := r.Invoke(context.Background(), &runtime.FunctionCall{
			ARN: testARN + "raw:prod", Payload: []byte(event), Timeout: 30 * time.Second})
		if err != nil {
			res = &runtime.FunctionResult{FunctionError: "call failed: " + err.Error()}
		}
		ch <- res
	}()
	return ch
}

type rawConn struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

func dial(t *testing.T, addr string) *rawConn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return &rawConn{t, nc, bufio.NewReader(nc)}
}

func (c *rawConn) send(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.nc, s); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawConn) response() (*http.Response, string) {
	c.t.Helper()
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, string(b)
}

func (c *rawConn) next() (id string, resp *http.Response, body string) {
	c.t.Helper()
	c.send("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: rt\r\n\r\n")
	resp, body = c.response()
	if resp.StatusCode != 200 {
		c.t.Fatalf("next: %d %s", resp.StatusCode, body)
	}
	return resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), resp, body
}

func TestRuntimeAPIOnTheWire(t *testing.T) {
	r, addr := rawRuntime(t)
	first := goInvoke(r, `{"n":1}`)
	c := dial(t, addr())

	// The invocation and its headers (runtimes-api: Next invocation).
	start := time.Now()
	id, resp, body := c.next()
	if body != `{"n":1}` {
		t.Fatalf("event %q", body)
	}
	h := resp.Header
	if !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(id) ||
		h.Get("Lambda-Runtime-Invoked-Function-Arn") != testARN+"raw:prod" ||
		!strings.HasPrefix(h.Get("Lambda-Runtime-Trace-Id"), "Root=1-") ||
		h.Get("Content-Type") != "application/json" {
		t.Fatalf("headers %v", h)
	}
	var deadline int64
	json.Unmarshal([]byte(h.Get("Lambda-Runtime-Deadline-Ms")), &deadline)
	if d := time.UnixMilli(deadline); d.Before(start.Add(3*time.Second).Truncate(time.Millisecond)) || d.After(time.Now().Add(3*time.Second)) {
		t.Fatalf("deadline %v is not the 3s default timeout from now", d)
	}

	// A response for another request ID is refused.
	c.send("POST /2018-06-01/runtime/invocation/nope/response HTTP/1.1\r\nHost: rt\r\nContent-Length: 2\r\n\r\n{}")
	resp, body = c.response()
	if resp.StatusCode != 400 || !strings.Contains(body, `"errorType":"InvalidRequestID"`) {
		t.Fatalf("wrong ID: %d %s", resp.StatusCode, body)
	}

	// The response, sent after 100 Continue, as curl-based runtime
	// clients do.
	c.send("POST /2018-06-01/runtime/invocation/" + id + "/response HTTP/1.1\r\nHost: rt\r\nContent-Length: 9\r\nExpect: 100-continue\r\n\r\n")
	line, _ := c.br.ReadString('\n')
	blank, _ := c.br.ReadString('\n')
	if line != "HTTP/1.1 100 Continue\r\n" || blank != "\r\n" {
		t.Fatalf("no 100 Continue: %q %q", line, blank)
	}
	c.send(`{"ok":42}`)
	resp, body = c.response()
	if resp.StatusCode != 202 || body != `{"status":"OK"}` {
		t.Fatalf("response: %d %s", resp.StatusCode, body)
	}
	if res := <-first; res.FunctionError != "" || string(res.Payload) != `{"ok":42}` {
		t.Fatalf("the call got %+v", res)
	}

	// After init, an init error is refused.
	c.send("POST /2018-06-01/runtime/init/error HTTP/1.1\r\nHost: rt\r\nContent-Length: 2\r\n\r\n{}")
	resp, body = c.response()
	if resp.StatusCode != 403 || !strings.Contains(body, "InvalidStateTransition") {
		t.Fatalf("late init error: %d %s", resp.StatusCode, body)
	}
	c.send("GET /2018-06-01/runtime/other HTTP/1.1\r\nHost: rt\r\n\r\n")
	if resp, _ = c.response(); resp.StatusCode != 404 {
		t.Fatalf("unknown path: %d", resp.StatusCode)
	}

	// An error, chunked, with its type in a header: its document is the
	// result, function error Unhandled.
	second := goInvoke(r, `{}`)
	id, _, _ = c.next()
	c.send("POST /2018-06-01/runtime/invocation/" + id + "/error HTTP/1.1\r\nHost: rt\r\nTransfer-Encoding: chunked\r\n" +
		"Lambda-Runtime-Function-Error-Type: Runtime.Custom\r\n\r\n" +
		"10\r\n{\"errorMessage\":\r\n" + "1b;ext=1\r\n\"bad\",\"errorType\":\"Custom\"}\r\n0\r\n\r\n")
	if resp, body = c.response(); resp.StatusCode != 202 {
		t.Fatalf("error: %d %s", resp.StatusCode, body)
	}
	if res := <-second; res.FunctionError != "Unhandled" || string(res.Payload) != `{"errorMessage":"bad","errorType":"Custom"}` {
		t.Fatalf("the call got %q %s", res.FunctionError, res.Payload)
	}

	// An error without a body: Lambda's unknown error, with the type
	// from the header.
	third := goInvoke(r, `{}`)
	id, _, _ = c.next()
	c.send("POST /2018-06-01/runtime/invocation/" + id + "/error HTTP/1.1\r\nHost: rt\r\nContent-Length: 0\r\n" +
		"Lambda-Runtime-Function-Error-Type: Runtime.Unknown\r\n\r\n")
	c.response()
	if res := <-third; string(res.Payload) != `{"errorType":"Runtime.Unknown","errorMessage":"Unknown application error occurred"}` {
		t.Fatalf("the call got %s", res.Payload)
	}

	// A response that fails while streaming: the error comes in the
	// trailers (as aws-lambda-go sends it).
	fourth := goInvoke(r, `{}`)
	id, _, _ = c.next()
	doc := base64.StdEncoding.EncodeToString([]byte(`{"errorMessage":"read failed","errorType":"errorString"}`))
	c.send("POST /2018-06-01/runtime/invocation/" + id + "/response HTTP/1.1\r\nHost: rt\r\nTransfer-Encoding: chunked\r\n" +
		"Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n" +
		"3\r\n{\"a\r\n0\r\nLambda-Runtime-Function-Error-Type: errorString\r\nLambda-Runtime-Function-Error-Body: " + doc + "\r\n\r\n")
	c.response()
	if res := <-fourth; res.FunctionError != "Unhandled" || string(res.Payload) != `{"errorMessage":"read failed","errorType":"errorString"}` {
		t.Fatalf("the call got %q %s", res.FunctionError, res.Payload)
	}
}

// A runtime that gives up its waiting /next connection and asks again on
// another gets the next invocation there.
func TestRuntimeAPIReconnect(t *testing.T) {
	r, addr := rawRuntime(t)
	first := goInvoke(r, `{"n":1}`)
	a := dial(t, addr())
	id, _, _ := a.next()
	a.send("POST /2018-06-01/runtime/invocation/" + id + "/response HTTP/1.1\r\nHost: rt\r\nContent-Length: 1\r\n\r\n1")
	a.response()
	<-first

	a.send("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: rt\r\n\r\n")
	// Let the server take the waiting /next before the connection goes.
	eventually(t, "the /next to wait", func() bool {
		inst := anyInstance(r, "raw")
		inst.mu.Lock()
		defer inst.mu.Unlock()
		return inst.waiter != nil
	})
	a.nc.Close()
	// (A /next given up unnoticed would take the invocation with it, as
	// on Lambda; here the server sees the connection go first.)
	eventually(t, "the server to notice", func() bool {
		inst := anyInstance(r, "raw")
		inst.mu.Lock()
		defer inst.mu.Unlock()
		return inst.waiter == nil
	})
	b := dial(t, addr())
	second := goInvoke(r, `{"n":2}`)
	id, _, body := b.next()
	if body != `{"n":2}` {
		t.Fatalf("event %q", body)
	}
	b.send("POST /2018-06-01/runtime/invocation/" + id + "/response HTTP/1.1\r\nHost: rt\r\nContent-Length: 1\r\nConnection: close\r\n\r\n2")
	resp, _ := b.response()
	if resp.StatusCode != 202 || !resp.Close {
		t.Fatalf("status %d, close %v", resp.StatusCode, resp.Close)
	}
	if res := <-second; string(res.Payload) != "2" {
		t.Fatalf("the call got %+v", res)
	}

	// A /next that asks to close the connection waits all the same; the
	// connection ends with its answer.
	c := dial(t, addr())
	c.send("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: rt\r\nConnection: close\r\n\r\n")
	eventually(t, "the /next to wait", func() bool {
		inst := anyInstance(r, "raw")
		inst.mu.Lock()
		defer inst.mu.Unlock()
		return inst.waiter != nil
	})
	third := goInvoke(r, `{"n":3}`)
	resp, body = c.response()
	if resp.StatusCode != 200 || body != `{"n":3}` || !resp.Close {
		t.Fatalf("next: %d %q, close %v", resp.StatusCode, body, resp.Close)
	}
	if _, err := c.br.ReadByte(); err != io.EOF {
		t.Fatalf("the connection is still open (%v)", err)
	}
	d := dial(t, addr())
	d.send("POST /2018-06-01/runtime/invocation/" + resp.Header.Get("Lambda-Runtime-Aws-Request-Id") + "/response HTTP/1.1\r\nHost: rt\r\nContent-Length: 1\r\n\r\n3")
	d.response()
	if res := <-third; string(res.Payload) != "3" {
		t.Fatalf("the call got %+v", res)
	}
}

// A runtime that reports an init error ends the instance; the waiting
// call gets the document.
func TestRuntimeAPIInitError(t *testing.T) {
	r, addr := rawRuntime(t)
	first := goInvoke(r, `{}`)
	c := dial(t, addr())
	c.send("POST /2018-06-01/runtime/init/error HTTP/1.1\r\nHost: rt\r\nContent-Length: 0\r\nLambda-Runtime-Function-Error-Type: Runtime.NoSuchHandler\r\n\r\n")
	if resp, body := c.response(); resp.StatusCode != 202 || body != `{"status":"OK"}` {
		t.Fatalf("init error: %d %s", resp.StatusCode, body)
	}
	res := <-first
	if res.FunctionError != "Unhandled" || string(res.Payload) != `{"errorType":"Runtime.NoSuchHandler","errorMessage":"Unknown application error occurred"}` {
		t.Fatalf("the call got %q %s", res.FunctionError, res.Payload)
	}
}

func anyInstance(r *Router, name string) *instance {
	f := r.byName[name]
	f.mu.Lock()
	defer f.mu.Unlock()
	for inst := range f.all {
		return inst
	}
	return nil
}
