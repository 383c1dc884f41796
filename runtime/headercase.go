package runtime

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
)

// Go's HTTP server gives handlers header names in canonical case
// (x-my-HEADER becomes X-My-Header), but API Gateway passes names on as the
// client wrote them: into $input.params(), Lambda proxy events and
// forwarded requests. caseConn recovers them: it watches the bytes the
// server reads from a connection and, following HTTP/1.1's framing
// (request line, header lines, a body of Content-Length bytes or chunks),
// records each request's header names in order. Requests on a connection
// are handled in order, so the handler takes the oldest record.

// maxRecordedLine bounds a request or header line the recorder keeps; a
// longer one stops the recording for that connection (names then stay
// canonical), while the server decides whether to accept the request.
const maxRecordedLine = 64 << 10

type caseConn struct {
	net.Conn
	mu      sync.Mutex
	records [][]string
	broken  bool

	state     int
	line      []byte
	names     []string
	length    int64 // body bytes left, or chunk bytes left
	chunked   bool
	chunkCRLF int // bytes of a chunk's trailing CRLF left to skip
}

const (
	stRequestLine = iota
	stHeaders
	stBody
	stChunkSize
	stChunkData
	stTrailers
)

func (c *caseConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		if !c.broken {
			c.scan(p[:n])
		}
		c.mu.Unlock()
	}
	return n, err
}

// take returns the header names of the oldest request not yet handled.
func (c *caseConn) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.records) == 0 {
		return nil
	}
	r := c.records[0]
	c.records = c.records[1:]
	return r
}

func (c *caseConn) scan(b []byte) {
	for len(b) > 0 && !c.broken {
		switch c.state {
		case stBody:
			k := min(int64(len(b)), c.length)
			c.length -= k
			b = b[k:]
			if c.length == 0 {
				c.state = stRequestLine
			}
			continue
		case stChunkData:
			if c.length > 0 {
				k := min(int64(len(b)), c.length)
				c.length -= k
				b = b[k:]
				continue
			}
			k := min(len(b), c.chunkCRLF)
			c.chunkCRLF -= k
			b = b[k:]
			if c.chunkCRLF == 0 {
				c.state = stChunkSize
			}
			continue
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			c.line = append(c.line, b...)
			if len(c.line) > maxRecordedLine {
				c.broken = true
			}
			return
		}
		c.line = append(c.line, b[:i]...)
		b = b[i+1:]
		line := bytes.TrimSuffix(c.line, []byte("\r"))
		c.endLine(line)
		c.line = c.line[:0]
	}
}

func (c *caseConn) endLine(line []byte) {
	switch c.state {
	case stRequestLine:
		if len(line) == 0 {
			return // a blank line between requests
		}
		c.state = stHeaders
		c.names = nil
		c.length = 0
		c.chunked = false
	case stHeaders:
		if len(line) == 0 {
			c.records = append(c.records, c.names)
			switch {
			case c.chunked:
				c.state = stChunkSize
			case c.length > 0:
				c.state = stBody
			default:
				c.state = stRequestLine
			}
			return
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return
		}
		c.names = append(c.names, internName(name))
		value = bytes.TrimSpace(value)
		switch {
		case asciiEqualFold(name, "Content-Length"):
			n, err := strconv.ParseInt(string(value), 10, 64)
			if err != nil || n < 0 {
				c.broken = true
				return
			}
			c.length = n
		case asciiEqualFold(name, "Transfer-Encoding"):
			c.chunked = bytes.Contains(bytes.ToLower(value), []byte("chunked"))
		}
	case stChunkSize:
		size, _, _ := bytes.Cut(line, []byte(";"))
		n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
		if err != nil || n < 0 {
			c.broken = true
			return
		}
		if n == 0 {
			c.state = stTrailers
			return
		}
		c.length = n
		c.chunkCRLF = 2
		c.state = stChunkData
	case stTrailers:
		if len(line) == 0 {
			c.state = stRequestLine
		}
	}
}

// commonNames are header names as clients usually write them; a recorded
// name equal to one of them shares its string instead of allocating one.
var commonNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{"Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Charset",
		"Content-Type", "Content-Length", "Connection", "Authorization", "Cookie", "Cache-Control", "Pragma",
		"Origin", "Referer", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Amzn-Trace-Id",
		"X-Api-Key", "X-Amz-Date", "X-Amz-Security-Token", "If-None-Match", "If-Modified-Since", "Upgrade-Insecure-Requests"} {
		m[n] = n
		m[strings.ToLower(n)] = strings.ToLower(n)
	}
	return m
}()

func internName(b []byte) string {
	if s, ok := commonNames[string(b)]; ok {
		return s
	}
	return string(b)
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i]|0x20, s[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}

type caseListener struct{ net.Listener }

func (l caseListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &caseConn{Conn: c}, nil
}

// CaseListener wraps a listener so that the server can see header names as
// clients write them. Serve with ConnContext.
func CaseListener(l net.Listener) net.Listener { return caseListener{l} }

type connKey struct{}

// ConnContext is http.Server.ConnContext for servers whose listener is a
// CaseListener.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if cc, ok := c.(*caseConn); ok {
		return context.WithValue(ctx, connKey{}, cc)
	}
	return ctx
}

// rawHeaderNames returns the header names of the request being handled, as
// the client wrote them, or nil when they are unknown.
func rawHeaderNames(ctx context.Context) []string {
	if cc, ok := ctx.Value(connKey{}).(*caseConn); ok {
		return cc.take()
	}
	return nil
}
