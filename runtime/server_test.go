package runtime_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"gwc.dev/gwc/runtime"
)

// The runtime serves HTTP two ways: with its own HTTP/1.1 server
// (Server.Serve, what gwc serve runs) and through net/http
// (Server.HTTPServer on a CaseListener, for embedders). The server tests
// run against both.
type serverKind int

const (
	ownServer serverKind = iota
	netHTTPServer
)

func (k serverKind) String() string { return [...]string{"own", "net/http"}[k] }

// eachServer runs test once per kind of server, as subtests.
func eachServer(t *testing.T, test func(t *testing.T, kind serverKind)) {
	for _, k := range []serverKind{ownServer, netHTTPServer} {
		t.Run(k.String(), func(t *testing.T) { test(t, k) })
	}
}

// serve starts gwc's HTTP server (Serve) for api on loopback and returns
// its address.
func serve(t *testing.T, api *runtime.API, configure ...func(*runtime.Server, *http.Server)) string {
	t.Helper()
	return serveKind(t, ownServer, api, configure...)
}

// serveKind starts a server of the given kind for api on loopback and
// returns its address. configure gets the http.Server of a net/http one
// (after the Server's timeouts are copied into it), nil otherwise.
func serveKind(t *testing.T, kind serverKind, api *runtime.API, configure ...func(*runtime.Server, *http.Server)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := runtime.NewServer(api)
	if kind == ownServer {
		for _, c := range configure {
			c(s, nil)
		}
		go func() { _ = s.Serve(l) }()
		t.Cleanup(func() { _ = s.Close() })
		return l.Addr().String()
	}
	hs := s.HTTPServer()
	for _, c := range configure {
		c(s, hs)
	}
	go func() { _ = hs.Serve(runtime.CaseListener(l)) }()
	t.Cleanup(func() { _ = hs.Close() })
	return l.Addr().String()
}

// rawExchange sends raw request bytes and returns the raw response (the
// server is asked to close the connection after it).
func rawExchange(t *testing.T, addr, req string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(c)
	return string(b)
}

// TestServerHeaderCase: templates see header names as the client wrote
// them, not net/http's canonical form, and in order (§3, §8.2); the
// response carries API Gateway's headers in its case (§13).
func TestServerHeaderCase(t *testing.T) {
	eachServer(t, func(t *testing.T, kind serverKind) {
		api := loadYAML(t, `
resources:
  /h:
    POST:
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses:
            default:
              status: 200
              templates: {application/json: '#foreach($k in $input.params().header.keySet())$k=$input.params().header.get($k);#end'}
      responses: {"200": {}}
`, runtime.Options{})
		addr := serveKind(t, kind, api)
		body := `{"a": 1}`
		resp := rawExchange(t, addr, "POST /dev/h HTTP/1.1\r\nHost: api.local\r\nx-lower: 1\r\nX-MiXeD-cAsE: 2\r\nx-lower: 3\r\ncontent-type: application/json\r\nPragma: no-cache\r\n"+
			fmt.Sprintf("Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body))
		head, got, _ := strings.Cut(resp, "\r\n\r\n")
		if !strings.HasPrefix(head, "HTTP/1.1 200 OK\r\n") {
			t.Fatalf("response:\n%s", resp)
		}
		// The header map of $input.params() keeps the last value of a name.
		want := "Host=api.local;x-lower=3;X-MiXeD-cAsE=2;content-type=application/json;Pragma=no-cache;Content-Length=8;Connection=close;"
		if got != want {
			t.Errorf("template saw\n%s\nwant\n%s", got, want)
		}
		for _, re := range []string{
			`(?m)^x-amzn-RequestId: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\r$`,
			`(?m)^x-amz-apigw-id: [A-Za-z0-9_-]{15}=\r$`,
			`(?m)^Content-Type: application/json\r$`,
			`(?m)^Content-Length: ` + fmt.Sprint(len(want)) + `\r$`,
			`(?m)^Date: `,
		} {
			if !regexp.MustCompile(re).MatchString(head) {
				t.Errorf("response header lacks %s:\n%s", re, head)
			}
		}
	})
}

// TestServerLimits: the limits of §15.1 over real HTTP.
func TestServerLimits(t *testing.T) {
	eachServer(t, func(t *testing.T, kind serverKind) {
		api := loadYAML(t, "resources:\n  /a:"+mockOK, runtime.Options{})
		addr := serveKind(t, kind, api)
		// A declared length over 10 MB is refused without reading the body.
		resp := rawExchange(t, addr, "POST /dev/a HTTP/1.1\r\nHost: x\r\nContent-Length: 10485761\r\nConnection: close\r\n\r\n")
		if !strings.HasPrefix(resp, "HTTP/1.1 413 ") || !strings.HasSuffix(resp, "\r\n\r\nHTTP content length exceeded 10485760 bytes.") {
			t.Errorf("413:\n%s", resp)
		}
		if strings.Contains(resp, "Content-Type") {
			t.Errorf("413 with a content type:\n%s", resp)
		}
		// A chunked body over the limit.
		c := &http.Client{}
		r, err := c.Post("http://"+addr+"/dev/a", "text/plain", io.LimitReader(zeros{}, runtime.MaxBody+1))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != 413 || string(b) != "HTTP content length exceeded 10485760 bytes." {
			t.Errorf("chunked 413: %d %s", r.StatusCode, b)
		}
		// URL and header limits (docs/decisions.md for the answers).
		long := "/dev/a?q=" + strings.Repeat("x", runtime.MaxURL)
		resp = rawExchange(t, addr, "GET "+long+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		if !strings.HasPrefix(resp, "HTTP/1.1 414 ") || !strings.HasSuffix(resp, `{"message":"Request-URI Too Long"}`) {
			t.Errorf("414:\n%.300s", resp)
		}
		resp = rawExchange(t, addr, "GET /dev/a HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("y", runtime.MaxHeaderValues)+"\r\nConnection: close\r\n\r\n")
		if !strings.HasPrefix(resp, "HTTP/1.1 431 ") || !strings.HasSuffix(resp, `{"message":"Request Header Fields Too Large"}`) {
			t.Errorf("431:\n%.300s", resp)
		}
		// HEAD answers without a body.
		resp = rawExchange(t, addr, "HEAD /dev/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		if !strings.HasPrefix(resp, "HTTP/1.1 403 ") || !strings.HasSuffix(resp, "\r\n\r\n") {
			t.Errorf("HEAD:\n%s", resp)
		}
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestServerSlowClient: a client that never finishes its header is
// disconnected after the header timeout.
func TestServerSlowClient(t *testing.T) {
	eachServer(t, func(t *testing.T, kind serverKind) {
		api := loadYAML(t, "resources:\n  /a:"+mockOK, runtime.Options{})
		addr := serveKind(t, kind, api, func(s *runtime.Server, hs *http.Server) {
			s.ReadHeaderTimeout = 100 * time.Millisecond
			if hs != nil {
				hs.ReadHeaderTimeout = s.ReadHeaderTimeout
			}
		})
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.WriteString(c, "GET /dev/a HTTP/1.1\r\nHost: x\r\n"); err != nil {
			t.Fatal(err)
		}
		// The server closes the connection; the read ends before the deadline.
		_, err = bufio.NewReader(c).ReadString('\n')
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Errorf("the server still holds a client that stopped sending its header")
		}
	})
}

// TestServerSwap: a swapped API serves the next request.
func TestServerSwap(t *testing.T) {
	eachServer(t, func(t *testing.T, kind serverKind) {
		one := loadYAML(t, "resources:\n  /one:"+mockOK, runtime.Options{})
		two := loadYAML(t, "resources:\n  /two:"+mockOK, runtime.Options{})
		var srv *runtime.Server
		addr := serveKind(t, kind, one, func(s *runtime.Server, _ *http.Server) { srv = s })
		get := func(path string) int {
			r, err := http.Get("http://" + addr + path)
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			return r.StatusCode
		}
		if get("/dev/one") != 200 || get("/dev/two") != 403 {
			t.Fatal("before the swap")
		}
		if old := srv.Swap(two); old != one {
			t.Errorf("Swap returned %p, want %p", old, one)
		}
		if get("/dev/one") != 403 || get("/dev/two") != 200 {
			t.Error("after the swap")
		}
	})
}
