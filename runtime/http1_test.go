package runtime_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"gwc.dev/gwc/runtime"
)

// The protocol of the runtime's own HTTP/1.1 server (http1.go). Where
// net/http and this server must agree, the tests run against both.

// readResponses reads n responses from r, with their bodies.
func readResponses(t *testing.T, r *bufio.Reader, n int, method string) []*http.Response {
	t.Helper()
	var out []*http.Response
	for range n {
		resp, err := http.ReadResponse(r, &http.Request{Method: method})
		if err != nil {
			t.Fatalf("response %d: %v", len(out)+1, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("response %d body: %v", len(out)+1, err)
		}
		resp.Body = io.NopCloser(strings.NewReader(string(body)))
		resp.ContentLength = int64(len(body))
		out = append(out, resp)
	}
	return out
}

func bodyOf(r *http.Response) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

func dial(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	return c, bufio.NewReader(c)
}

// expectClosed fails unless the server closes c with nothing more to
// read.
func expectClosed(t *testing.T, c net.Conn, r *bufio.Reader) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := r.ReadByte()
	var ne net.Error
	switch {
	case err == nil:
		t.Errorf("the server sent more: %q", b)
	case errors.As(err, &ne) && ne.Timeout():
		t.Errorf("the server kept the connection open")
	}
}

// TestServerPipelining: requests sent together on one connection are
// answered in order, and Connection: close ends the connection after its
// answer.
func TestServerPipelining(t *testing.T) {
	eachServer(t, func(t *testing.T, kind serverKind) {
		api := loadYAML(t, "resources:\n  /a:"+mockOK, runtime.Options{})
		addr := serveKind(t, kind, api)
		c, r := dial(t, addr)
		req := "GET /dev/a HTTP/1.1\r\nHost: x\r\n\r\n" +
			"GET /dev/b HTTP/1.1\r\nHost: x\r\n\r\n" +
			// HEAD is not GET on API Gateway: 403, with no body.
			"HEAD /dev/a HTTP/1.1\r\nHost: x\r\n\r\n" +
			"GET /dev/a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatal(err)
		}
		got := readResponses(t, r, 2, "GET")
		got = append(got, readResponses(t, r, 1, "HEAD")...)
		got = append(got, readResponses(t, r, 1, "GET")...)
		want := []struct {
			status int
			body   string
		}{{200, `{"ok": true}`}, {403, `{"message":"Missing Authentication Token"}`}, {403, ""}, {200, `{"ok": true}`}}
		for i, w := range want {
			if got[i].StatusCode != w.status || bodyOf(got[i]) != w.body {
				t.Errorf("response %d: %d %q, want %d %q", i+1, got[i].StatusCode, bodyOf(got[i]), w.status, w.body)
			}
		}
		if !got[3].Close {
			t.Errorf("the last answer does not say Connection: close")
		}
		expectClosed(t, c, r)
	})
}

// TestServerKeepAlive: one connection serves many requests; HTTP/1.0 keeps
// the connection only when asked to.
func TestServerKeepAlive(t *testing.T) {
	eachServer(t, func(t *testing.T, kind serverKind) {
		api := loadYAML(t, "resources:\n  /a:"+mockOK, runtime.Options{})
		addr := serveKind(t, kind, api)

		c, r := dial(t, addr)
		for i := range 50 {
			if _, err := io.WriteString(c, "GET /dev/a HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			resp := readResponses(t, r, 1, "GET")[0]
			if resp.StatusCode != 200 || resp.Close {
				t.Fatalf("request %d: %d, close %v", i+1, resp.StatusCode, resp.Close)
			}
		}

		c, r = dial(t, addr)
		if _, err := io.WriteString(c, "GET /dev/a HTTP/1.0\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp := readResponses(t, r, 1, "GET")[0]
		if resp.StatusCode != 200 || resp.Proto != "HTTP/1.0" {
			t.Errorf("HTTP/1.0: %d %s", resp.StatusCode, resp.Proto)
		}
		expectClosed(t, c, r)

		c, r = dial(t, addr)
		for range 2 {
			if _, err := io.WriteString(c, "GET /dev/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			resp := readResponses(t, r, 1, "GET")[0]
			if resp.StatusCode != 200 || resp.Header.Get("Connection") != "keep-alive" {
				t.Errorf("HTTP/1.0 keep-alive: %d, Connection %q", resp.StatusCode, resp.Header.Get("Connection"))
			}
		}
	})
}

// echoProxyAPI serves /{proxy+} as an HTTP_PROXY to the echo backend, so
// that a test sees what the gateway read of a request.
func echoProxyAPI(t *testing.T) *runtime.API {
	b := startBackend(t)
	return loadYAML(t, `
resources:
  /{proxy+}:
    ANY:
      request:
        params: {path.proxy: {}}
      integration:
        httpProxy:
          uri: http://${stageVariables.backend}/{proxy}
          params: {path.proxy: method.request.path.proxy}
`, httpOptions(t, b))
}

func seenBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	var s struct{ Body string }
	if err := json.Unmarshal([]byte(bodyOf(resp)), &s); err != nil {
		t.Fatalf("%d: %v", resp.StatusCode, err)
	}
	return s.Body
}

// TestServerChunked: a chunked body is read whole, extensions and
// trailers dropped, and the next request on the connection follows it.
func TestServerChunked(t *testing.T) {
	eachServer(t, func(t *testing.T, kind serverKind) {
		addr := serveKind(t, kind, echoProxyAPI(t))
		c, r := dial(t, addr)
		req := "POST /dev/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
			"4\r\nWiki\r\n5;name=value\r\npedia\r\nE \r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: t\r\n\r\n" +
			"POST /dev/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatal(err)
		}
		got := readResponses(t, r, 2, "POST")
		if b := seenBody(t, got[0]); b != "Wikipedia in\r\n\r\nchunks." {
			t.Errorf("chunked body %q", b)
		}
		if b := seenBody(t, got[1]); b != "abc" {
			t.Errorf("next body %q", b)
		}
	})
}

// TestServerLargeBody: a body larger than the connection's buffer and
// than the first capacity of the body's buffer arrives whole.
func TestServerLargeBody(t *testing.T) {
	eachServer(t, func(t *testing.T, kind serverKind) {
		addr := serveKind(t, kind, echoProxyAPI(t))
		body := strings.Repeat("0123456789abcdef", 20000) // 320,000 bytes
		for _, chunked := range []bool{false, true} {
			req, _ := http.NewRequest("POST", "http://"+addr+"/dev/echo", strings.NewReader(body))
			if chunked {
				req.ContentLength = -1
				req.Body = io.NopCloser(strings.NewReader(body))
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if got := seenBody(t, resp); got != body {
				t.Errorf("chunked %v: %d bytes arrived, want %d", chunked, len(got), len(body))
			}
			resp.Body.Close()
		}
	})
}

// TestServerExpectContinue: a client that waits for 100 Continue gets it
// before it sends its body, and then the answer.
func TestServerExpectContinue(t *testing.T) {
	eachServer(t, func(t *testing.T, kind serverKind) {
		addr := serveKind(t, kind, echoProxyAPI(t))
		c, r := dial(t, addr)
		if _, err := io.WriteString(c, "PUT /dev/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		line, err := r.ReadString('\n')
		if err != nil || line != "HTTP/1.1 100 Continue\r\n" {
			t.Fatalf("first line %q, %v", line, err)
		}
		if blank, _ := r.ReadString('\n'); blank != "\r\n" {
			t.Fatalf("after 100 Continue: %q", blank)
		}
		if _, err := io.WriteString(c, "hello"); err != nil {
			t.Fatal(err)
		}
		resp := readResponses(t, r, 1, "PUT")[0]
		if resp.StatusCode != 200 || seenBody(t, resp) != "hello" {
			t.Errorf("answer %d", resp.StatusCode)
		}
	})
}

// TestServerRejects: requests that cannot be read safely are refused as
// net/http refuses them (or, where net/http is lenient, with 400), and
// their connection closed, so that nothing can be smuggled behind them.
func TestServerRejects(t *testing.T) {
	api := loadYAML(t, "resources:\n  /a:"+mockOK, runtime.Options{})
	addr := serve(t, api)
	for _, tc := range []struct {
		name, req string
		status    int
	}{
		{"no Host in HTTP/1.1", "GET /dev/a HTTP/1.1\r\n\r\n", 400},
		{"two Hosts", "GET /dev/a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
		{"bad Host", "GET /dev/a HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
		{"Content-Length and chunked", "POST /dev/a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
		{"two Content-Lengths", "POST /dev/a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400},
		{"signed Content-Length", "POST /dev/a HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", 400},
		{"another coding", "POST /dev/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501},
		{"chunked twice", "POST /dev/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501},
		{"chunked in HTTP/1.0", "POST /dev/a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
		{"folded header", "GET /dev/a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n", 400},
		{"space before colon", "GET /dev/a HTTP/1.1\r\nHost: x\r\nX-A : 1\r\n\r\n", 400},
		{"control character in a value", "GET /dev/a HTTP/1.1\r\nHost: x\r\nX-A: 1\x002\r\n\r\n", 400},
		{"no version", "GET /dev/a\r\nHost: x\r\n\r\n", 400},
		{"unknown protocol", "GET /dev/a FOO/1.1\r\nHost: x\r\n\r\n", 400},
		{"HTTP/2 over HTTP/1", "GET /dev/a HTTP/2.0\r\nHost: x\r\n\r\n", 505},
		{"broken escape in the path", "GET /dev/%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"unknown expectation", "GET /dev/a HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n", 417},
		{"header too large", "GET /dev/a HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("b", 70<<10) + "\r\n\r\n", 431},
		{"bad chunk size", "POST /dev/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n", 400},
		{"chunk without its CR LF", "POST /dev/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcGET /dev/a HTTP/1.1\r\n\r\n", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, r := dial(t, addr)
			if _, err := io.WriteString(c, tc.req); err != nil {
				t.Fatal(err)
			}
			resp := readResponses(t, r, 1, "GET")[0]
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
			expectClosed(t, c, r)
		})
	}
}

// TestServerNotHTTP: a connection that does not begin with a method is
// answered at once, not after the header's timeout: 400 for bytes that
// are not HTTP, and a closed connection for a TLS handshake (an https://
// URL), whose client could not read an HTTP answer.
func TestServerNotHTTP(t *testing.T) {
	api := loadYAML(t, "resources:\n  /a:"+mockOK, runtime.Options{})
	addr := serve(t, api)

	c, r := dial(t, addr)
	if _, err := io.WriteString(c, "\x00\x01garbage"); err != nil {
		t.Fatal(err)
	}
	if resp := readResponses(t, r, 1, "GET")[0]; resp.StatusCode != 400 {
		t.Errorf("status %d, want 400", resp.StatusCode)
	}
	expectClosed(t, c, r)

	raw, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	_ = raw.SetDeadline(time.Now().Add(5 * time.Second))
	tc := tls.Client(raw, &tls.Config{ServerName: "localhost", InsecureSkipVerify: true})
	err = tc.Handshake()
	var ne net.Error
	if err == nil || errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("a TLS handshake got %v; want the connection closed", err)
	}
}

// TestServerBlankLinesBeforeRequest: empty lines before a request line
// are skipped (RFC 9112, §2.2), as a client may send them after a body.
func TestServerBlankLinesBeforeRequest(t *testing.T) {
	api := loadYAML(t, "resources:\n  /a:"+mockOK, runtime.Options{})
	resp := rawExchange(t, serve(t, api), "\r\n\r\nGET /dev/a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(resp, "HTTP/1.1 200 OK\r\n") {
		t.Errorf("response %q", resp)
	}
}

// TestServerShutdown: Shutdown closes idle connections at once, lets the
// request being served finish, then returns; Serve returns
// ErrServerClosed, and no new connection is accepted.
func TestServerShutdown(t *testing.T) {
	b := startBackend(t)
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	b.setAnswer(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		_, _ = io.WriteString(w, "late")
	})
	api := loadYAML(t, `
resources:
  /slow:
    GET:
      integration:
        httpProxy:
          uri: http://${stageVariables.backend}/slow
  /a:`+mockOK, httpOptions(t, b))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := runtime.NewServer(api)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	addr := l.Addr().String()

	// An idle keep-alive connection.
	idle, idleR := dial(t, addr)
	if _, err := io.WriteString(idle, "GET /dev/a HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	readResponses(t, idleR, 1, "GET")

	// A request in flight.
	busy, busyR := dial(t, addr)
	if _, err := io.WriteString(busy, "GET /dev/slow HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	<-arrived

	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(context.Background()) }()
	if err := <-served; !errors.Is(err, runtime.ErrServerClosed) {
		t.Errorf("Serve returned %v", err)
	}
	expectClosed(t, idle, idleR)
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("a connection was accepted after Shutdown")
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while a request was being served", err)
	default:
	}
	close(release)
	resp := readResponses(t, busyR, 1, "GET")[0]
	if resp.StatusCode != 200 || bodyOf(resp) != "late" || !resp.Close {
		t.Errorf("the request in flight: %d %q, close %v", resp.StatusCode, bodyOf(resp), resp.Close)
	}
	expectClosed(t, busy, busyR)
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

// TestServerShutdownCutOff: a Shutdown whose context ends while a request
// is served closes its connection and returns the context's error.
func TestServerShutdownCutOff(t *testing.T) {
	b := startBackend(t)
	release := make(chan struct{})
	defer close(release)
	arrived := make(chan struct{}, 1)
	b.setAnswer(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
	})
	api := loadYAML(t, `
resources:
  /slow:
    GET:
      integration:
        httpProxy:
          uri: http://${stageVariables.backend}/slow
`, httpOptions(t, b))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := runtime.NewServer(api)
	go func() { _ = srv.Serve(l) }()
	c, r := dial(t, l.Addr().String())
	if _, err := io.WriteString(c, "GET /dev/slow HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	<-arrived
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown returned %v", err)
	}
	expectClosed(t, c, r)
}
