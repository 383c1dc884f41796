package httpbackend

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gwc.dev/gwc/runtime"
)

// rawServer answers each connection with handle, which reads requests
// and writes raw bytes: what real backends may send, byte for byte.
func rawServer(t *testing.T, handle func(c net.Conn, br *bufio.Reader)) (addr string, conns *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns = &atomic.Int32{}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer c.Close()
				handle(c, bufio.NewReader(c))
			}()
		}
	}()
	t.Cleanup(func() { l.Close() })
	return l.Addr().String(), conns
}

// readRequest reads one request (header and Content-Length body) and
// returns its head.
func readRequest(br *bufio.Reader) (string, error) {
	req, err := http.ReadRequest(br)
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, req.Body)
	return req.Method + " " + req.RequestURI, nil
}

func call(t *testing.T, b *Backend, method, url string, body string, header ...runtime.Field) (*runtime.Reply, error) {
	t.Helper()
	return b.Call(context.Background(), &runtime.Call{Method: method, URL: url, Header: header, Body: []byte(body), Timeout: 5 * time.Second})
}

func TestResponseFraming(t *testing.T) {
	responses := map[string]string{
		"/length":  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-MiXeD: a\r\n\r\nhello",
		"/chunked": "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nhel\r\n2\r\nlo\r\n0\r\nTrailer: x\r\n\r\n",
		"/close":   "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end",
		"/1xx":     "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"/204":     "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n",
		"/folded":  "HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\nContent-Length: 0\r\n\r\n",
	}
	addr, _ := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		for {
			head, err := readRequest(br)
			if err != nil {
				return
			}
			path := strings.Fields(head)[1]
			io.WriteString(c, responses[path])
			if path == "/close" {
				return
			}
		}
	})
	b := New()
	defer b.Close()
	for _, c := range []struct {
		path   string
		status int
		body   string
		header runtime.Field
	}{
		{"/length", 200, "hello", runtime.Field{Name: "X-MiXeD", Value: "a"}},
		{"/chunked", 201, "hello", runtime.Field{Name: "Transfer-Encoding", Value: "chunked"}},
		{"/close", 200, "until the end", runtime.Field{Name: "Connection", Value: "close"}},
		{"/1xx", 200, "ok", runtime.Field{Name: "Content-Length", Value: "2"}},
		{"/204", 204, "", runtime.Field{Name: "X-A", Value: "1"}},
		{"/folded", 200, "", runtime.Field{Name: "X-Long", Value: "a b"}},
	} {
		r, err := call(t, b, "GET", "http://"+addr+c.path, "")
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if r.Status != c.status || string(r.Body) != c.body || !slices.Contains(r.Header, c.header) {
			t.Errorf("%s: %d %q %v", c.path, r.Status, r.Body, r.Header)
		}
	}
}

// TestRequestAsGiven: the request goes out with the header names and
// order given, the Host of the URL or the mapped one, and a length.
func TestRequestAsGiven(t *testing.T) {
	got := make(chan string, 1)
	addr, _ := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		var b strings.Builder
		n := 0
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			b.WriteString(line)
			if line == "\r\n" {
				break
			}
			fmt.Sscanf(line, "Content-Length: %d", &n)
		}
		body := make([]byte, n)
		io.ReadFull(br, body)
		got <- b.String() + string(body)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
	})
	b := New()
	defer b.Close()
	_, err := call(t, b, "PATCH", "http://user@"+addr+"/a%20b?x=1#frag", "body",
		runtime.Field{Name: "x-lower", Value: "1"}, runtime.Field{Name: "X-UPPER", Value: "2"},
		runtime.Field{Name: "Content-Length", Value: "99"}, runtime.Field{Name: "Accept", Value: "*/*"})
	if err != nil {
		t.Fatal(err)
	}
	want := "PATCH /a%20b?x=1 HTTP/1.1\r\nHost: " + addr + "\r\nx-lower: 1\r\nX-UPPER: 2\r\nAccept: */*\r\nContent-Length: 4\r\n\r\nbody"
	if s := <-got; s != want {
		t.Errorf("sent\n%q\nwant\n%q", s, want)
	}
	_, err = call(t, b, "GET", "http://"+addr, "", runtime.Field{Name: "host", Value: "mapped.example"})
	if err != nil {
		t.Fatal(err)
	}
	if s := <-got; !strings.HasPrefix(s, "GET / HTTP/1.1\r\nHost: mapped.example\r\nContent-Length: 0\r\n\r\n") {
		t.Errorf("sent %q", s)
	}
	// A value with a line break is never sent.
	if _, err := call(t, b, "GET", "http://"+addr, "", runtime.Field{Name: "X-Evil", Value: "a\r\nInjected: 1"}); err == nil {
		t.Error("a header value with CRLF was accepted")
	}
}

// TestKeepAlive: calls reuse one connection; a connection the backend
// closed while idle is replaced without failing the call.
func TestKeepAlive(t *testing.T) {
	addr, conns := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		for i := 0; ; i++ {
			head, err := readRequest(br)
			if err != nil {
				return
			}
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
			if strings.HasSuffix(head, "/last") {
				return // closes while the client keeps it idle
			}
		}
	})
	b := New()
	defer b.Close()
	for i := 0; i < 5; i++ {
		if _, err := call(t, b, "GET", "http://"+addr+"/", ""); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("5 calls used %d connections", n)
	}
	if _, err := call(t, b, "POST", "http://"+addr+"/last", "x"); err != nil {
		t.Fatal(err)
	}
	// Give the backend's close time to arrive; the next call must still
	// succeed, on a new connection.
	deadline := time.Now().Add(5 * time.Second)
	for conns.Load() == 1 && time.Now().Before(deadline) {
		if _, err := call(t, b, "POST", "http://"+addr+"/", "x"); err != nil {
			t.Fatalf("a call after the backend closed an idle connection: %v", err)
		}
	}
	if conns.Load() != 2 {
		t.Errorf("connections: %d", conns.Load())
	}
}

func TestTimeoutAndErrors(t *testing.T) {
	addr, _ := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		readRequest(br)
		time.Sleep(5 * time.Second)
	})
	b := New()
	defer b.Close()
	_, err := b.Call(context.Background(), &runtime.Call{Method: "GET", URL: "http://" + addr + "/", Timeout: 50 * time.Millisecond})
	if !errors.Is(err, runtime.ErrTimeout) {
		t.Errorf("slow backend: %v", err)
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := l.Addr().String()
	l.Close()
	if _, err := call(t, b, "GET", "http://"+closed+"/", ""); err == nil || errors.Is(err, runtime.ErrTimeout) {
		t.Errorf("closed port: %v", err)
	}
	if _, err := call(t, b, "GET", "ftp://"+addr+"/", ""); err == nil {
		t.Error("ftp URL accepted")
	}
	big, _ := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		readRequest(br)
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", maxReply+1)
	})
	if _, err := call(t, b, "GET", "http://"+big+"/", ""); !errors.Is(err, runtime.ErrResponseTooLarge) {
		t.Errorf("large answer: %v", err)
	}
}

// TestHEAD: no body is read after a HEAD, whatever the length says.
func TestHEAD(t *testing.T) {
	addr, _ := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		for {
			if _, err := readRequest(br); err != nil {
				return
			}
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")
		}
	})
	b := New()
	defer b.Close()
	for i := 0; i < 2; i++ {
		r, err := call(t, b, "HEAD", "http://"+addr+"/", "")
		if err != nil || r.Status != 200 || len(r.Body) != 0 {
			t.Fatalf("HEAD %d: %v %v", i, r, err)
		}
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "tls %s", r.TLS.ServerName)
	}))
	defer srv.Close()
	b := New()
	defer b.Close()
	url := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	// The test certificate is self-signed: verification fails unless
	// the integration is insecure.
	if _, err := call(t, b, "GET", url, ""); err == nil {
		t.Error("an unverified certificate was accepted")
	}
	r, err := b.Call(context.Background(), &runtime.Call{Method: "GET", URL: url, TLSInsecure: true, Timeout: 5 * time.Second})
	if err != nil || string(r.Body) != "tls localhost" {
		t.Fatalf("insecure: %v %v", r, err)
	}
	r, err = b.Call(context.Background(), &runtime.Call{Method: "GET", URL: url, TLSInsecure: true, ServerName: "api.example", Timeout: 5 * time.Second})
	if err != nil || string(r.Body) != "tls api.example" {
		t.Fatalf("server name: %v %v", r, err)
	}
	// Trusting the test's certificate authority verifies the backend.
	trusted := New()
	defer trusted.Close()
	trusted.RootCAs = x509.NewCertPool()
	trusted.RootCAs.AddCert(srv.Certificate())
	// (The test certificate names 127.0.0.1 and example.com.)
	if r, err := call(t, trusted, "GET", srv.URL, ""); err != nil || string(r.Body) != "tls " {
		t.Fatalf("trusted CA: %v %v", r, err)
	}
	_ = tls.VersionTLS12
}
