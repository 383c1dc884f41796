// Package httpbackend carries out HTTP and HTTP_PROXY integration calls
// for the runtime. It speaks HTTP/1.1 itself over pooled keep-alive
// connections rather than through net/http's client, for two reasons:
// the request goes out exactly as the runtime prepared it (header names
// in the case given, in order, nothing added) and the response comes
// back as the backend wrote it (header names in its case); and a call
// costs a fraction of net/http's time and allocations, which matters on
// a path that should add little to the backend's own latency.
package httpbackend

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"gwc.dev/gwc/runtime"
)

// maxReply is API Gateway's response payload limit (§15.1).
const maxReply = 10 << 20

// maxResponseHeader bounds the header of a backend's response.
const maxResponseHeader = 64 << 10

// Backend is a runtime.Backend for HTTP and HTTP_PROXY integrations.
type Backend struct {
	// MaxIdlePerHost bounds the kept-alive connections per backend.
	MaxIdlePerHost int
	// DialTimeout bounds connecting (and the TLS handshake) when the
	// integration timeout is longer.
	DialTimeout time.Duration
	// RootCAs, when set, are the certificate authorities HTTPS backends
	// are verified against instead of the system's (a private CA, or a
	// test's). Set it before the first call.
	RootCAs *x509.CertPool

	mu   sync.Mutex
	idle map[poolKey][]*conn
	tls  map[tlsKey]*tls.Config
}

// poolKey identifies connections that can serve a call: same endpoint,
// same TLS settings.
type poolKey struct {
	https bool
	addr  string
	tlsKey
}

type tlsKey struct {
	serverName string
	insecure   bool
}

// New returns a backend with an empty connection pool.
func New() *Backend {
	return &Backend{MaxIdlePerHost: 256, DialTimeout: 10 * time.Second,
		idle: map[poolKey][]*conn{}, tls: map[tlsKey]*tls.Config{}}
}

// Close closes the idle connections.
func (b *Backend) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, cs := range b.idle {
		for _, c := range cs {
			c.nc.Close()
		}
		delete(b.idle, k)
	}
}

// conn is a connection to a backend.
type conn struct {
	nc  net.Conn
	br  *bufio.Reader
	bw  *bufio.Writer
	key poolKey
	// reused is set once the connection served a call: a failure before
	// any answer on a reused connection is the backend having closed it
	// while idle, and the call is retried on a new one.
	reused bool
}

// Call sends the request and reads the whole answer.
func (b *Backend) Call(ctx context.Context, c *runtime.Call) (*runtime.Reply, error) {
	t, err := parseTarget(c.URL)
	if err != nil {
		return nil, err
	}
	key := poolKey{https: t.https, addr: t.addr, tlsKey: tlsKey{c.ServerName, c.TLSInsecure}}
	deadline := time.Time{}
	if c.Timeout > 0 {
		deadline = time.Now().Add(c.Timeout)
	}
	if d, ok := ctx.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
		deadline = d
	}
	for attempt := 0; ; attempt++ {
		cn, err := b.get(ctx, key, t, deadline)
		if err != nil {
			return nil, callError(err)
		}
		reply, keep, answered, err := cn.roundTrip(c, t, deadline)
		if err == nil {
			if keep {
				b.put(cn)
			} else {
				cn.nc.Close()
			}
			return reply, nil
		}
		cn.nc.Close()
		if cn.reused && !answered && attempt == 0 && !isTimeout(err) {
			continue
		}
		return nil, callError(err)
	}
}

func (b *Backend) get(ctx context.Context, key poolKey, t target, deadline time.Time) (*conn, error) {
	b.mu.Lock()
	if cs := b.idle[key]; len(cs) > 0 {
		cn := cs[len(cs)-1]
		b.idle[key] = cs[:len(cs)-1]
		b.mu.Unlock()
		return cn, nil
	}
	b.mu.Unlock()
	dctx := ctx
	dialDeadline := time.Now().Add(b.DialTimeout)
	if !deadline.IsZero() && deadline.Before(dialDeadline) {
		dialDeadline = deadline
	}
	dctx, cancel := context.WithDeadline(dctx, dialDeadline)
	defer cancel()
	var d net.Dialer
	nc, err := d.DialContext(dctx, "tcp", t.addr)
	if err != nil {
		return nil, err
	}
	if t.https {
		tc := tls.Client(nc, b.tlsConfig(key.tlsKey, t.host))
		if err := tc.HandshakeContext(dctx); err != nil {
			nc.Close()
			return nil, err
		}
		nc = tc
	}
	return &conn{nc: nc, br: bufio.NewReaderSize(nc, 4096), bw: bufio.NewWriterSize(nc, 4096), key: key}, nil
}

func (b *Backend) put(cn *conn) {
	cn.reused = true
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.idle[cn.key]) >= b.MaxIdlePerHost {
		cn.nc.Close()
		return
	}
	b.idle[cn.key] = append(b.idle[cn.key], cn)
}

// tlsConfig returns the configuration for a TLS setting, shared by its
// connections so that sessions resume.
func (b *Backend) tlsConfig(k tlsKey, host string) *tls.Config {
	b.mu.Lock()
	defer b.mu.Unlock()
	cfg := b.tls[k]
	if cfg == nil {
		cfg = &tls.Config{InsecureSkipVerify: k.insecure, ServerName: k.serverName, RootCAs: b.RootCAs,
			NextProtos: []string{"http/1.1"}, ClientSessionCache: tls.NewLRUClientSessionCache(64)}
		b.tls[k] = cfg
	}
	if cfg.ServerName == "" {
		cfg = cfg.Clone()
		cfg.ServerName = host
	}
	return cfg
}

// target is an integration URL taken apart.
type target struct {
	https                 bool
	addr                  string // host:port to dial
	host                  string // the host, without port, for TLS
	authority, requestURI string
}

// parseTarget splits an absolute http(s) URL without allocating more than
// the strings it keeps.
func parseTarget(u string) (target, error) {
	var t target
	switch {
	case strings.HasPrefix(u, "http://"):
		u = u[len("http://"):]
	case strings.HasPrefix(u, "https://"):
		t.https = true
		u = u[len("https://"):]
	default:
		return t, errors.New("the integration URL is not http or https: " + u)
	}
	end := strings.IndexAny(u, "/?#")
	if end < 0 {
		end = len(u)
	}
	t.authority = u[:end]
	if at := strings.LastIndexByte(t.authority, '@'); at >= 0 {
		t.authority = t.authority[at+1:]
	}
	rest := u[end:]
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	switch {
	case rest == "":
		t.requestURI = "/"
	case rest[0] == '?':
		t.requestURI = "/" + rest
	default:
		t.requestURI = rest
	}
	if t.authority == "" {
		return t, errors.New("the integration URL has no host")
	}
	host, port, err := net.SplitHostPort(t.authority)
	if err != nil {
		host = strings.Trim(t.authority, "[]")
		port = "80"
		if t.https {
			port = "443"
		}
		t.addr = net.JoinHostPort(host, port)
	} else {
		t.addr = t.authority
	}
	t.host = host
	return t, nil
}

// roundTrip writes the request and reads the answer. keep reports whether
// the connection can serve another call; answered whether any byte of an
// answer arrived.
func (cn *conn) roundTrip(c *runtime.Call, t target, deadline time.Time) (reply *runtime.Reply, keep, answered bool, err error) {
	if err := cn.nc.SetDeadline(deadline); err != nil {
		return nil, false, false, err
	}
	if err := cn.writeRequest(c, t); err != nil {
		return nil, false, false, err
	}
	if _, err := cn.br.Peek(1); err != nil {
		return nil, false, false, err
	}
	reply, keep, err = cn.readResponse(c.Method == "HEAD")
	return reply, keep, true, err
}

func (cn *conn) writeRequest(c *runtime.Call, t target) error {
	w := cn.bw
	host := t.authority
	for _, f := range c.Header {
		if asciiEqualFold(f.Name, "Host") {
			host = f.Value
		}
	}
	if !validToken(c.Method) {
		return errors.New("invalid method " + strconv.Quote(c.Method))
	}
	w.WriteString(c.Method)
	w.WriteByte(' ')
	w.WriteString(t.requestURI)
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(host)
	w.WriteString("\r\n")
	for _, f := range c.Header {
		switch {
		case asciiEqualFold(f.Name, "Host"), asciiEqualFold(f.Name, "Content-Length"), asciiEqualFold(f.Name, "Transfer-Encoding"):
			continue
		}
		if !validToken(f.Name) || !validValue(f.Value) {
			return errors.New("invalid header " + strconv.Quote(f.Name) + ": " + strconv.Quote(f.Value))
		}
		w.WriteString(f.Name)
		w.WriteString(": ")
		w.WriteString(f.Value)
		w.WriteString("\r\n")
	}
	// API Gateway sends a length on every request, 0 included (§9.3).
	w.WriteString("Content-Length: ")
	w.WriteString(strconv.Itoa(len(c.Body)))
	w.WriteString("\r\n\r\n")
	w.Write(c.Body)
	return w.Flush()
}

// readResponse reads a response: the final one after any 1xx, its header
// with the names as sent, and its body.
func (cn *conn) readResponse(head bool) (*runtime.Reply, bool, error) {
	for {
		r, keep, err := cn.readOne(head)
		if err != nil {
			return nil, false, err
		}
		if r.Status >= 100 && r.Status < 200 && r.Status != 101 {
			continue
		}
		return r, keep, nil
	}
}

func (cn *conn) readOne(head bool) (*runtime.Reply, bool, error) {
	line, err := cn.line()
	if err != nil {
		return nil, false, err
	}
	proto, rest, ok := strings.Cut(line, " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/1.") || len(rest) < 3 {
		return nil, false, errors.New("malformed status line " + strconv.Quote(line))
	}
	status, err := strconv.Atoi(rest[:3])
	if err != nil || status < 100 || status > 999 || len(rest) > 3 && rest[3] != ' ' {
		return nil, false, errors.New("malformed status line " + strconv.Quote(line))
	}
	r := &runtime.Reply{Status: status}
	keep := proto == "HTTP/1.1"
	length := int64(-1)
	chunked := false
	size := 0
	for {
		line, err := cn.line()
		if err != nil {
			return nil, false, err
		}
		if line == "" {
			break
		}
		if size += len(line); size > maxResponseHeader {
			return nil, false, errors.New("the response header is too large")
		}
		if (line[0] == ' ' || line[0] == '\t') && len(r.Header) > 0 {
			// An obsolete folded continuation of the previous value.
			last := &r.Header[len(r.Header)-1]
			last.Value += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !validToken(name) {
			return nil, false, errors.New("malformed header line " + strconv.Quote(line))
		}
		value = strings.TrimSpace(value)
		r.Header = append(r.Header, runtime.Field{Name: name, Value: value})
		switch {
		case asciiEqualFold(name, "Content-Length"):
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil || n < 0 || length >= 0 && n != length {
				return nil, false, errors.New("invalid Content-Length " + strconv.Quote(value))
			}
			length = n
		case asciiEqualFold(name, "Transfer-Encoding"):
			chunked = strings.EqualFold(lastToken(value), "chunked")
		case asciiEqualFold(name, "Connection"):
			switch {
			case hasToken(value, "close"):
				keep = false
			case hasToken(value, "keep-alive"):
				keep = true
			}
		}
	}
	if head || status < 200 || status == 204 || status == 304 {
		return r, keep, nil
	}
	switch {
	case chunked:
		r.Body, err = cn.readChunked()
	case length >= 0:
		if length > maxReply {
			return nil, false, runtime.ErrResponseTooLarge
		}
		r.Body = make([]byte, length)
		_, err = io.ReadFull(cn.br, r.Body)
	default:
		// The body ends when the backend closes the connection.
		keep = false
		r.Body, err = io.ReadAll(io.LimitReader(cn.br, maxReply+1))
		if err == nil && len(r.Body) > maxReply {
			err = runtime.ErrResponseTooLarge
		}
	}
	if err != nil {
		return nil, false, err
	}
	return r, keep, nil
}

func (cn *conn) readChunked() ([]byte, error) {
	var body []byte
	for {
		line, err := cn.line()
		if err != nil {
			return nil, err
		}
		sz, _, _ := strings.Cut(line, ";")
		n, err := strconv.ParseInt(strings.TrimSpace(sz), 16, 64)
		if err != nil || n < 0 {
			return nil, errors.New("malformed chunk size " + strconv.Quote(line))
		}
		if n == 0 {
			// Trailers, up to the blank line.
			for {
				line, err := cn.line()
				if err != nil {
					return nil, err
				}
				if line == "" {
					return body, nil
				}
			}
		}
		if int64(len(body))+n > maxReply {
			return nil, runtime.ErrResponseTooLarge
		}
		start := len(body)
		body = append(body, make([]byte, n)...)
		if _, err := io.ReadFull(cn.br, body[start:]); err != nil {
			return nil, err
		}
		if line, err := cn.line(); err != nil || line != "" {
			return nil, errors.New("malformed chunk end")
		}
	}
}

// line reads a line without its CRLF (or LF).
func (cn *conn) line() (string, error) {
	b, err := cn.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return "", errors.New("a response line is longer than 4096 bytes")
	}
	if err != nil {
		if err == io.EOF && len(b) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return "", err
	}
	b = b[:len(b)-1]
	if len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return string(b), nil
}

// callError maps a failed call to the runtime's errors: the integration
// timeout becomes ErrTimeout, everything else a network error.
func callError(err error) error {
	if isTimeout(err) {
		return runtime.ErrTimeout
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &ne) && ne.Timeout()
}

func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i]|0x20 != b[i]|0x20 {
			return false
		}
	}
	return true
}

// validToken reports whether s is an HTTP token (a method or header name).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// validValue reports whether a header value can be sent: no line breaks
// or other control characters but tab.
func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func hasToken(list, token string) bool {
	for _, part := range strings.Split(list, ",") {
		if strings.EqualFold(strings.TrimSpace(part), token) {
			return true
		}
	}
	return false
}

func lastToken(list string) string {
	if i := strings.LastIndexByte(list, ','); i >= 0 {
		list = list[i+1:]
	}
	return strings.TrimSpace(list)
}
