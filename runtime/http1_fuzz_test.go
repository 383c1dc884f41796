package runtime

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"slices"
	"testing"
	"time"
)

// inputConn is a connection whose client sent input and then closed its
// side; what the server writes is dropped. It lets the fuzz target drive
// the server's reading exactly as a socket would.
type inputConn struct{ r *bytes.Reader }

func (c *inputConn) Read(p []byte) (int, error)  { return c.r.Read(p) }
func (c *inputConn) Write(p []byte) (int, error) { return len(p), nil }
func (c *inputConn) Close() error                { return nil }
func (c *inputConn) LocalAddr() net.Addr         { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080} }
func (c *inputConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
}
func (c *inputConn) SetDeadline(t time.Time) error      { return nil }
func (c *inputConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *inputConn) SetWriteDeadline(t time.Time) error { return nil }

// FuzzReadRequest compares the server's reading of a request with
// net/http's (http.ReadRequest). This server may refuse more, but a
// request that both accept must mean the same to both: method, target,
// version, host, header fields, framing, body and whether the connection
// ends. A difference there is a request smuggling hazard behind any proxy
// that reads requests as net/http does.
func FuzzReadRequest(f *testing.F) {
	for _, seed := range []string{
		"GET /dev/pets?limit=1 HTTP/1.1\r\nHost: example.com\r\nAccept: application/json\r\n\r\n",
		"POST /dev/pets HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
		"POST /dev/pets HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;a=b\r\npedia\r\n0\r\nT: 1\r\n\r\n",
		"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
		"GET http://other.example/a?b HTTP/1.1\r\nHost: x\r\n\r\n",
		"PUT /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
		"GET /a HTTP/1.1\nHost: x\nx-a: 1\nX-A: 2\nConnection: close\n\n",
		"DELETE /a%20b HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
		"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n",
		"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewServer(nil)
		s.mu.Lock()
		s.initLocked()
		s.mu.Unlock()
		c := s.newConn(&inputConn{bytes.NewReader(data)})
		defer c.close()
		rq := getRequest()
		defer putRequest(rq)
		target, status, err := c.readRequest(rq, true)
		if err != nil || status != 0 || c.req.length > MaxBody {
			return
		}
		body, tooLarge, err := c.readBody(nil)
		if err != nil || tooLarge {
			return
		}

		hr, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(data)))
		if err != nil {
			return
		}
		hbody, err := io.ReadAll(hr.Body)
		if err != nil {
			return
		}

		if rq.verb != hr.Method || target != hr.RequestURI || rq.protocol != hr.Proto || rq.host != hr.Host {
			t.Errorf("request line: ours %q %q %q host %q; net/http %q %q %q host %q",
				rq.verb, target, rq.protocol, rq.host, hr.Method, hr.RequestURI, hr.Proto, hr.Host)
		}
		ours := http.Header{}
		for i, name := range rq.header.names {
			switch textproto.CanonicalMIMEHeaderKey(name) {
			case "Host", "Transfer-Encoding", "Content-Length":
				// net/http keeps these out of Header, or collapses them;
				// they are compared below as host and framing.
				continue
			}
			ours.Add(name, rq.header.values[i])
		}
		theirs := hr.Header.Clone()
		theirs.Del("Content-Length")
		for name, vs := range theirs {
			if !slices.Equal(ours[name], vs) {
				t.Errorf("header %s: ours %q, net/http %q", name, ours[name], vs)
			}
		}
		for name := range ours {
			if _, ok := theirs[name]; !ok {
				t.Errorf("header %s: ours %q, net/http has none", name, ours[name])
			}
		}
		if c.req.length != hr.ContentLength && !(c.req.length == 0 && hr.ContentLength == -1 && len(hbody) == 0) {
			t.Errorf("length: ours %d, net/http %d", c.req.length, hr.ContentLength)
		}
		if !bytes.Equal(body, hbody) {
			t.Errorf("body: ours %q, net/http %q", body, hbody)
		}
		if c.req.close != hr.Close {
			t.Errorf("close: ours %v, net/http %v", c.req.close, hr.Close)
		}
	})
}
