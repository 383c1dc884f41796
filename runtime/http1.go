package runtime

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The runtime's own HTTP/1.1 server, for the gateway's listener (Serve).
//
// net/http costs the gateway more than its lifecycle on the cheapest
// routes (bench/serve/PROFILE.md): a background read of the connection for
// every request, which finds nothing and is then cancelled through a read
// deadline; several deadlines and clock readings per request; a Request
// with its header map, canonical names, URL and context; and, to give
// templates the header names as clients wrote them, caseConn re-reading
// every byte. This server reads a request straight into the pooled
// request: one string holds the request line and header, and the method,
// target, names and values are pieces of it, in the order and case the
// client sent them. The body goes into the request's reused buffer. The
// response is written with one write (two buffers for a large body), and
// the connection is read again only for the next request: a client that
// hangs up is noticed then. Deadlines move only when the phase of the
// connection changes or when they would be more than a fraction of their
// timeout early, so a busy keep-alive connection seldom touches its
// timers.
//
// It speaks what clients of API Gateway send: HTTP/1.1 with keep-alive
// and pipelining, HTTP/1.0, Content-Length and chunked bodies (trailers
// are read and dropped), Expect: 100-continue, HEAD. It rejects what
// net/http rejects to keep requests from being smuggled, and more: a
// request that both it and net/http accept means the same to both
// (FuzzReadRequest).

// ErrServerClosed is what Serve returns after Shutdown or Close.
var ErrServerClosed = http.ErrServerClosed

// Serve accepts connections on l and serves each on its own goroutine
// until Shutdown or Close, and then returns ErrServerClosed; or it
// returns the listener's error. It closes l.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.initLocked()
	s.listeners[&l] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, &l)
		s.mu.Unlock()
		// As with net/http, the listener ends with Serve (a second
		// close, after Shutdown's, fails harmlessly).
		l.Close()
	}()
	var delay time.Duration
	for {
		nc, err := l.Accept()
		if err != nil {
			if s.closing.Load() {
				return ErrServerClosed
			}
			// Running out of file descriptors passes: wait and
			// accept again, as net/http does.
			var te interface{ Temporary() bool }
			if errors.As(err, &te) && te.Temporary() {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				s.logger().Warn("accept failed; retrying", "err", err, "delay", delay)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		c := s.newConn(nc)
		if c == nil {
			nc.Close()
			return ErrServerClosed
		}
		go c.serve()
	}
}

// logger is the loaded API's logger, which the server's own messages go
// to as well.
func (s *Server) logger() *slog.Logger {
	if api := s.API(); api != nil {
		return api.opts.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Server) initLocked() {
	if s.listeners == nil {
		s.listeners = map[*net.Listener]struct{}{}
		s.conns = map[*conn]struct{}{}
		s.ctx, s.cancel = context.WithCancel(context.Background())
	}
}

// Shutdown stops accepting connections, closes idle ones, and waits for
// the requests being served to be answered (their connections then
// close). When ctx ends first, it closes every connection, ends the
// requests' context, and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	s.mu.Lock()
	s.initLocked()
	err := s.closeListenersLocked()
	s.mu.Unlock()
	// Poll as net/http does: requests end on their own goroutines, and
	// a connection becomes idle without telling anyone.
	wait := time.Millisecond
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		if s.closeIdle() {
			return err
		}
		select {
		case <-ctx.Done():
			s.closeAll()
			return ctx.Err()
		case <-t.C:
			wait = min(2*wait, 500*time.Millisecond)
			t.Reset(wait)
		}
	}
}

// Close closes the listeners and every connection at once, and ends the
// requests' context.
func (s *Server) Close() error {
	s.closing.Store(true)
	s.mu.Lock()
	s.initLocked()
	err := s.closeListenersLocked()
	s.mu.Unlock()
	s.closeAll()
	return err
}

func (s *Server) closeListenersLocked() error {
	var err error
	for l := range s.listeners {
		if e := (*l).Close(); e != nil && err == nil {
			err = e
		}
		delete(s.listeners, l)
	}
	return err
}

// closeIdle closes the connections that wait for a request and reports
// whether none is left.
func (s *Server) closeIdle() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	// A new connection counts as idle once it has sent nothing for 5 s
	// (net/http's rule): its first request may still be on its way.
	old := time.Now().Add(-5 * time.Second).Unix()
	for c := range s.conns {
		orig := c.state.Load()
		st := orig
		if st == connNew && c.created < old {
			st = connIdle
		}
		// The connection's goroutine moves it from idle to active with
		// a compare-and-swap too: a request that arrives now is either
		// served or never started.
		if st == connIdle && c.state.CompareAndSwap(orig, connClosed) {
			c.nc.Close()
			delete(s.conns, c)
		}
	}
	return len(s.conns) == 0
}

func (s *Server) closeAll() {
	s.mu.Lock()
	for c := range s.conns {
		c.state.Store(connClosed)
		c.nc.Close()
		delete(s.conns, c)
	}
	cancel := s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// The states of a connection, for Shutdown.
const (
	connNew    int32 = iota // accepted, no request yet
	connActive              // reading, serving or answering a request
	connIdle                // waiting for the next request
	connClosed              // closed by Shutdown or Close
)

// phase says which timeout a connection's read deadline enforces.
type phase uint8

const (
	phaseNone   phase = iota // no deadline set, or one that must be set anew
	phaseIdle                // waiting for a request: IdleTimeout
	phaseHeader              // reading a request's line and header: ReadHeaderTimeout
	phaseBody                // reading a body: ReadTimeout
)

// conn is a client connection of Serve.
type conn struct {
	srv      *Server
	nc       net.Conn
	sourceIP string
	created  int64 // Unix seconds
	state    atomic.Int32

	// in holds the input: what is read and not yet consumed is in[r:w].
	in   []byte
	r, w int
	// out holds responses not yet written; large is a response body
	// written after out without being copied.
	out   []byte
	large []byte

	// The deadlines as last set, so that they move only when they must,
	// and the clock as last read (before writing the last response).
	rdl, wdl time.Time
	rphase   phase
	now      time.Time

	req connRequest
}

// connRequest is what the connection needs to know of the request being
// served.
type connRequest struct {
	http10  bool
	head    bool
	close   bool  // the connection ends after the response
	chunked bool  // the body is chunked
	length  int64 // the declared body length, -1 when chunked
	expect  bool  // 100 Continue is to be sent before reading the body
	// bodyDone reports that the body was read to its end, so that the
	// next request follows it.
	bodyDone bool
}

// Sizes of a connection's buffers.
const (
	inSize = 4 << 10
	// largeBody is the size from which a response body is written from
	// where it is rather than copied after its header.
	largeBody = 8 << 10
	// maxPending bounds the pipelined responses held before writing.
	maxPending = 64 << 10
	// maxFields bounds a request's header fields (net/http's memory
	// accounting allows about 330 distinct names in 64 KiB).
	maxFields = 1000
	// maxChunkLine and maxTrailer are net/http's bounds of a chunk's
	// size line and of the trailer section.
	maxChunkLine = 4096
	maxTrailer   = 4096
	// lingerTime is how long a connection closed with input left unread
	// still reads and drops it, so that the client reads the answer
	// before a reset (net/http's rstAvoidanceDelay).
	lingerTime = 500 * time.Millisecond
)

var inPool = sync.Pool{New: func() any { return make([]byte, inSize) }}

func (s *Server) newConn(nc net.Conn) *conn {
	now := time.Now()
	c := &conn{srv: s, nc: nc, created: now.Unix(), now: now, in: inPool.Get().([]byte)}
	switch a := nc.RemoteAddr().(type) {
	case *net.TCPAddr:
		c.sourceIP = a.IP.String()
	case nil:
	default:
		if host, _, err := net.SplitHostPort(a.String()); err == nil {
			c.sourceIP = host
		} else {
			c.sourceIP = a.String()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return nil
	}
	s.conns[c] = struct{}{}
	// The first request has ReadHeaderTimeout from the connection's
	// start, as with net/http: a client that connects and sends nothing
	// is not kept for IdleTimeout.
	c.setReadDeadline(phaseHeader, now)
	return c
}

var (
	errClosing = errors.New("server closing")
	errNotHTTP = errors.New("not HTTP")
)

// tlsHandshake is the first byte of a TLS connection: the content type of
// a handshake record.
const tlsHandshake = 0x16

// serve reads and answers requests until the connection ends.
func (c *conn) serve() {
	defer c.close()
	first := true
	for {
		rq := getRequest()
		target, status, err := c.readRequest(rq, first)
		first = false
		if err != nil || status != 0 {
			putRequest(rq)
			if status != 0 {
				c.fail(status)
			}
			return
		}
		c.srv.serveRequest(c.srv.ctx, rq, target, c.req.length, c)
		closing := c.req.close || c.srv.closing.Load()
		var werr error
		if c.large != nil || closing || c.r == c.w || len(c.out) >= maxPending {
			// Pipelined requests already read are answered together.
			werr = c.flush()
		}
		putRequest(rq)
		if werr != nil {
			return
		}
		if closing {
			if !c.req.bodyDone {
				c.linger()
			}
			return
		}
		if c.r == c.w {
			// Every response is written: the connection is idle until
			// the next request, and Shutdown may close it.
			c.state.Store(connIdle)
			if c.srv.closing.Load() {
				return
			}
		}
	}
}

// close ends the connection and forgets it.
func (c *conn) close() {
	c.nc.Close()
	s := c.srv
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	if cap(c.in) == inSize {
		inPool.Put(c.in[:inSize])
	}
	c.in = nil
}

// linger ends a connection whose client may still be sending: it closes
// the sending side, then reads and drops input for a while, so that the
// answer is not lost to a reset.
func (c *conn) linger() {
	type closeWriter interface{ CloseWrite() error }
	if cw, ok := c.nc.(closeWriter); ok {
		_ = cw.CloseWrite()
	}
	_ = c.nc.SetReadDeadline(time.Now().Add(lingerTime))
	buf := c.in[:cap(c.in)]
	// The deadline ends the loop long before its bound (4 MiB or more).
	for range 1024 {
		if _, err := c.nc.Read(buf); err != nil {
			return
		}
	}
}

// fail answers a request the server cannot read, as net/http answers
// one, and closes the connection.
func (c *conn) fail(status int) {
	line := strconv.Itoa(status) + " " + http.StatusText(status)
	body := line
	if status == http.StatusNotImplemented {
		// Not the transfer coding's name: it could be a script.
		body = "Unsupported transfer encoding"
	}
	c.out = append(c.out, "HTTP/1.1 "+line+"\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "+
		strconv.Itoa(len(body))+"\r\nConnection: close\r\n\r\n"+body...)
	c.now = time.Now()
	if c.flush() == nil {
		c.linger()
	}
}

// Reading.

// setReadDeadline sets the read deadline for phase p, now being the
// clock's time. The idle deadline moves only when it would be more than
// an eighth of IdleTimeout (at most a second) early; the header and body
// deadlines are set once per request.
func (c *conn) setReadDeadline(p phase, now time.Time) {
	var d time.Duration
	switch p {
	case phaseIdle:
		d = c.srv.idleTimeout()
	case phaseHeader:
		d = c.srv.readHeaderTimeout()
	case phaseBody:
		d = c.srv.readTimeout()
	}
	var t time.Time
	if d > 0 {
		t = now.Add(d)
	}
	if c.rphase == p && (p != phaseIdle || within(c.rdl, t, d)) {
		return
	}
	_ = c.nc.SetReadDeadline(t)
	c.rdl, c.rphase = t, p
}

// within reports whether deadline is in (want - slack, want], slack being
// an eighth of the timeout d, at most a second: close enough not to move.
func within(deadline, want time.Time, d time.Duration) bool {
	if want.IsZero() {
		return deadline.IsZero()
	}
	slack := min(d/8, time.Second)
	return !deadline.After(want) && deadline.After(want.Add(-slack))
}

// fill reads more input into in[w:], which has room, with the deadline of
// phase p.
func (c *conn) fill(p phase) error {
	switch p {
	case phaseIdle:
		c.setReadDeadline(p, c.now)
	case phaseHeader, phaseBody:
		if c.rphase != p {
			c.setReadDeadline(p, time.Now())
		}
	}
	n, err := c.nc.Read(c.in[c.w:])
	c.w += n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

// room makes room in in for more input, keeping in[r:w], growing the
// buffer when it holds more than limit bytes; false when it cannot.
func (c *conn) room(limit int) bool {
	if c.w < len(c.in) {
		return true
	}
	if c.r > 0 {
		c.w = copy(c.in, c.in[c.r:c.w])
		c.r = 0
		return true
	}
	if len(c.in) >= limit {
		return false
	}
	in := make([]byte, min(2*len(c.in), limit))
	c.w = copy(in, c.in[c.r:c.w])
	c.r = 0
	if cap(c.in) == inSize {
		inPool.Put(c.in[:inSize])
	}
	c.in = in
	return true
}

// shrink returns a buffer grown for a large header to its usual size.
func (c *conn) shrink() {
	if len(c.in) > inSize && c.w-c.r <= inSize {
		in := inPool.Get().([]byte)
		c.w = copy(in, c.in[c.r:c.w])
		c.r = 0
		c.in = in
	}
}

// readRequest reads a request's line and header into rq and c.req. It
// returns the request target, or the status of the answer to a request
// that cannot be served (the connection then ends), or the error that
// ended the connection before a request.
func (c *conn) readRequest(rq *request, first bool) (target string, status int, err error) {
	limit := c.srv.maxHeaderBytes()
	if c.rphase == phaseHeader && !first || c.rphase == phaseBody {
		// The previous request's deadline: this request gets its own.
		c.rphase = phaseNone
	}
	got := c.r < c.w // bytes of this request have arrived
	if got {
		c.state.Store(connActive)
	}
	scan, skipped := 0, 0
	for {
		// Blank lines before a request line are ignored (RFC 9112,
		// §2.2), within the header's limit.
		for c.r < c.w {
			if c.in[c.r] == '\n' {
				c.r++
			} else if c.in[c.r] == '\r' && c.r+1 < c.w && c.in[c.r+1] == '\n' {
				c.r += 2
			} else {
				break
			}
			skipped++
			scan = 0
		}
		if skipped > limit {
			return "", http.StatusBadRequest, nil
		}
		if c.r < c.w {
			// A request starts with its method, a token: anything else
			// is not HTTP, and is answered now rather than after the
			// header's timeout.
			if b := c.in[c.r]; !tokenTable[b] && b != '\r' {
				if b == tlsHandshake {
					// A client that speaks TLS (an https:// URL)
					// cannot read an HTTP answer: its connection ends.
					c.srv.logger().Warn("a client began a TLS handshake on the plain HTTP listener; use http:// URLs, or a TLS proxy in front",
						"client", c.sourceIP)
					return "", 0, errNotHTTP
				}
				return "", http.StatusBadRequest, nil
			}
		}
		if end := headerEnd(c.in[c.r:c.w], &scan); end > 0 {
			head := string(c.in[c.r : c.r+end])
			c.r += end
			c.shrink()
			target, status = c.parseHead(rq, head)
			return target, status, nil
		}
		if c.w-c.r >= limit {
			return "", http.StatusRequestHeaderFieldsTooLarge, nil
		}
		// Room for the limit and the blank line that ends the header.
		if !c.room(limit + 4) {
			return "", http.StatusRequestHeaderFieldsTooLarge, nil
		}
		p := phaseHeader
		if !got && !first {
			p = phaseIdle
		}
		// A client that goes away or times out within a request is not
		// answered (nor by net/http).
		if err := c.fill(p); err != nil {
			return "", 0, err
		}
		if !got {
			got = true
			// Shutdown may have closed the connection while it was
			// idle: the request is then not served.
			if st := c.state.Load(); st == connClosed || !c.state.CompareAndSwap(st, connActive) {
				return "", 0, errClosing
			}
		}
	}
}

// headerEnd returns the length of the header in b, up to and including
// the blank line that ends it, or -1 when b does not hold all of it. scan
// is where to look from, kept between calls as b grows.
func headerEnd(b []byte, scan *int) int {
	i := *scan
	for {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			*scan = len(b)
			return -1
		}
		nl := i + j
		switch {
		case nl+1 < len(b) && b[nl+1] == '\n':
			return nl + 2
		case nl+2 < len(b) && b[nl+1] == '\r' && b[nl+2] == '\n':
			return nl + 3
		case nl+1 == len(b) || nl+2 == len(b) && b[nl+1] == '\r':
			// The next line's start is yet to come.
			*scan = nl
			return -1
		}
		i = nl + 1
	}
}

// parseHead parses a request's line and header, head, into rq and c.req.
// It returns the request target, or the status of the answer to a request
// that cannot be served.
func (c *conn) parseHead(rq *request, head string) (target string, status int) {
	c.req = connRequest{}
	q := &c.req
	line, rest := cutLine(head)
	method, rest1, ok1 := strings.Cut(line, " ")
	target, proto, ok2 := strings.Cut(rest1, " ")
	if !ok1 || !ok2 || !isToken(method) || target == "" {
		return "", http.StatusBadRequest
	}
	switch proto {
	case "HTTP/1.1":
	case "HTTP/1.0":
		q.http10 = true
	default:
		// HTTP/2's preface (PRI * HTTP/2.0), HTTP/1.2, HTTP/0.9: a
		// version this server does not speak. Anything else is not a
		// version.
		if len(proto) == len("HTTP/1.1") && strings.HasPrefix(proto, "HTTP/") && isDigit(proto[5]) && proto[6] == '.' && isDigit(proto[7]) {
			return "", http.StatusHTTPVersionNotSupported
		}
		return "", http.StatusBadRequest
	}
	absHost, ok := checkTarget(method, target)
	if !ok {
		return "", http.StatusBadRequest
	}
	rq.verb = internMethod(method)
	q.head = rq.verb == http.MethodHead
	if q.http10 {
		rq.protocol = "HTTP/1.0"
	} else {
		rq.protocol = "HTTP/1.1"
	}
	rq.sourceIP = c.sourceIP

	var (
		hosts         int
		host          string
		cl            string
		haveCL, te    bool
		expect        string
		haveExpect    bool
		close, keepAl bool
	)
	for {
		line, rest = cutLine(rest)
		if line == "" {
			break
		}
		if len(rq.header.names) == maxFields {
			return "", http.StatusRequestHeaderFieldsTooLarge
		}
		name, value, ok := strings.Cut(line, ":")
		// A line that starts with white space continues the previous
		// one (obs-fold), which RFC 9112 lets a server reject; so does
		// a name with a character outside token (space before the
		// colon included).
		if !ok || !isToken(name) {
			return "", http.StatusBadRequest
		}
		value = trimOWS(value)
		if !validValue(value) {
			return "", http.StatusBadRequest
		}
		switch len(name) {
		case 4:
			if asciiFold(name, "Host") {
				hosts++
				if hosts > 1 || !validHost(value) {
					return "", http.StatusBadRequest
				}
				host = value
				if absHost != "" {
					// The target's authority is the host (RFC 9112,
					// §3.2.2), as net/http has it.
					value = absHost
				}
			}
		case 6:
			if asciiFold(name, "Expect") && !haveExpect {
				expect, haveExpect = value, true
			}
		case 10:
			if asciiFold(name, "Connection") {
				close = close || hasToken(value, "close")
				keepAl = keepAl || hasToken(value, "keep-alive")
			}
		case 14:
			if asciiFold(name, "Content-Length") {
				if haveCL && value != cl {
					return "", http.StatusBadRequest
				}
				if _, err := strconv.ParseUint(value, 10, 63); err != nil {
					return "", http.StatusBadRequest
				}
				cl, haveCL = value, true
			}
		case 17:
			if asciiFold(name, "Transfer-Encoding") {
				if q.http10 {
					// RFC 9112, §6.1: the framing of an HTTP/1.0
					// message with Transfer-Encoding is faulty.
					return "", http.StatusBadRequest
				}
				if te || !asciiFold(value, "chunked") {
					// Only one coding, chunked (net/http's and nginx's
					// rule): 501, as net/http answers.
					return "", http.StatusNotImplemented
				}
				te = true
			}
		}
		rq.header.add(name, value)
	}
	if te && haveCL {
		// A message with both is a smuggling attempt more often than
		// not; RFC 9112, §6.3 lets a server reject it.
		return "", http.StatusBadRequest
	}
	if hosts == 0 && !q.http10 {
		return "", http.StatusBadRequest
	}
	if absHost != "" {
		host = absHost
	}
	rq.host = host
	switch {
	case te:
		q.chunked, q.length = true, -1
	case haveCL:
		q.length, _ = strconv.ParseInt(cl, 10, 64)
	}
	if q.http10 {
		q.close = close || !keepAl
	} else {
		q.close = close
	}
	if haveExpect && expect != "" {
		switch {
		case !hasToken(expect, "100-continue"):
			q.close = true
			return "", http.StatusExpectationFailed
		case !q.http10 && q.length != 0:
			q.expect = true
		}
	}
	q.bodyDone = q.length == 0
	return target, 0
}

// cutLine returns the first line of s without its end (LF, or CR LF),
// and the rest.
func cutLine(s string) (line, rest string) {
	i := strings.IndexByte(s, '\n')
	if i < 0 {
		return s, ""
	}
	line, rest = s[:i], s[i+1:]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest
}

// checkTarget checks a request target as net/http would parse it
// (url.ParseRequestURI) and returns the host of an absolute target.
func checkTarget(method, target string) (host string, ok bool) {
	for i := 0; i < len(target); i++ {
		if b := target[i]; b < ' ' || b == 0x7f {
			return "", false
		}
	}
	if target[0] == '/' {
		// The origin form, the common case: the path's escapes must be
		// whole, the query is not checked.
		path, _, _ := strings.Cut(target, "?")
		for i := 0; i < len(path); i++ {
			if path[i] == '%' && (i+2 >= len(path) || !isHex(path[i+1]) || !isHex(path[i+2])) {
				return "", false
			}
		}
		return "", true
	}
	if method == http.MethodConnect {
		// The authority form is for proxies.
		return "", false
	}
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return "", false
	}
	return u.Host, true
}

// internMethod returns the method as a constant when it is a common one,
// so that nothing that keeps it (metrics) keeps the request's header.
func internMethod(m string) string {
	for _, k := range [...]string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"} {
		if m == k {
			return k
		}
	}
	return strings.Clone(m)
}

// tchar of RFC 9110, §5.6.2: the characters of tokens and header names.
var tokenTable = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// text is what the parsing helpers take: the header is a string, chunk
// lines are bytes of the input buffer.
type text interface{ ~string | ~[]byte }

func isToken[T text](s T) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenTable[s[i]] {
			return false
		}
	}
	return true
}

// validValue reports whether a field value holds only what RFC 9110,
// §5.5 allows: visible characters, obs-text, spaces and tabs. A CR or a
// NUL in a value is refused, not passed on.
func validValue[T text](s T) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}

// hostTable holds the characters net/http accepts in a Host header
// (httpguts.ValidHostHeader).
var hostTable = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "!$%&()*+,-.:;='[]_~" {
		t[c] = true
	}
	return t
}()

func validHost(s string) bool {
	for i := 0; i < len(s); i++ {
		if !hostTable[s[i]] {
			return false
		}
	}
	return true
}

func trimOWS[T text](s T) T {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// hasToken reports whether a comma-separated list holds token, compared
// case-insensitively.
func hasToken(list, token string) bool {
	for list != "" {
		var t string
		t, list, _ = strings.Cut(list, ",")
		if asciiFold(trimOWS(t), token) {
			return true
		}
	}
	return false
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func isHex(b byte) bool { return isDigit(b) || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F' }

// readBody reads the request's body (exchange).
func (c *conn) readBody(buf []byte) ([]byte, bool, error) {
	q := &c.req
	if q.length == 0 {
		return buf[:0], false, nil
	}
	if q.expect && c.r == c.w {
		// The client waits for this before sending the body; after
		// the pipelined answers before it.
		c.out = append(c.out, "HTTP/1.1 100 Continue\r\n\r\n"...)
		c.now = time.Now()
		if err := c.flush(); err != nil {
			return buf[:0], false, err
		}
	}
	if q.chunked {
		return c.readChunked(buf)
	}
	// At most MaxBody: serveRequest answers a longer one.
	body, err := c.readN(buf[:0], int(q.length))
	if err != nil {
		return body[:0], false, err
	}
	q.bodyDone = true
	return body, false, nil
}

// readN appends the next n bytes of input to b: what is buffered, then
// straight from the connection. b grows as the bytes arrive, so that a
// client that declares 10 MB and sends nothing costs nothing.
func (c *conn) readN(b []byte, n int) ([]byte, error) {
	end := len(b) + n
	for len(b) < end {
		if len(b) == cap(b) {
			b = growCap(b, end)
		}
		free := b[len(b):min(end, cap(b))]
		var m int
		if c.r < c.w {
			m = copy(free, c.in[c.r:c.w])
			c.r += m
		} else {
			if c.rphase != phaseBody {
				c.setReadDeadline(phaseBody, time.Now())
			}
			var err error
			m, err = c.nc.Read(free)
			if m == 0 && err != nil {
				return b, err
			}
		}
		b = b[:len(b)+m]
	}
	return b, nil
}

// minBodyCap is the capacity a body buffer starts with; it then doubles.
const minBodyCap = 32 << 10

// growCap returns b with more capacity: twice as much, at least
// minBodyCap, and not more than want.
func growCap(b []byte, want int) []byte {
	c := min(max(2*cap(b), minBodyCap), want)
	nb := make([]byte, len(b), c)
	copy(nb, b)
	return nb
}

var errChunked = errors.New("malformed chunked body")

// readChunked reads a chunked body (RFC 9112, §7.1) as net/http does:
// size lines end with CR LF, hold no other CR and are shorter than 4 KiB;
// chunk extensions are dropped; the trailer section, at most 4 KiB, is
// checked and dropped.
func (c *conn) readChunked(buf []byte) ([]byte, bool, error) {
	body := buf[:0]
	var excess int64
	for {
		line, err := c.readChunkLine()
		if err != nil {
			return body, false, err
		}
		// net/http's guard against a flood of tiny chunks.
		excess += int64(len(line)) + 2
		line = bytes.TrimRight(line, " \t")
		line, _, _ = bytes.Cut(line, []byte(";"))
		size, ok := parseHexSize(line)
		if !ok {
			return body, false, errChunked
		}
		excess = max(excess-16-2*int64(size), 0)
		if excess > 16<<10 {
			return body, false, errChunked
		}
		if size == 0 {
			break
		}
		if size > uint64(MaxBody-len(body)) {
			return body, true, nil
		}
		if body, err = c.readN(body, int(size)); err != nil {
			return body, false, err
		}
		for c.w-c.r < 2 {
			if err := c.more(); err != nil {
				return body, false, err
			}
		}
		if c.in[c.r] != '\r' || c.in[c.r+1] != '\n' {
			return body, false, errChunked
		}
		c.r += 2
	}
	// The trailer section: empty, or fields up to a blank line.
	size := 0
	for {
		line, err := c.readChunkLine()
		if err != nil {
			return body, false, err
		}
		if len(line) == 0 {
			break
		}
		if size += len(line) + 2; size > maxTrailer {
			return body, false, errChunked
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !isToken(name) || !validValue(trimOWS(value)) {
			return body, false, errChunked
		}
	}
	c.req.bodyDone = true
	return body, false, nil
}

// more reads more input while a body is read.
func (c *conn) more() error {
	if !c.room(len(c.in)) {
		return errChunked
	}
	return c.fill(phaseBody)
}

// readChunkLine reads a line of a chunked body that ends with CR LF and
// holds no other CR, and returns it without its end. It is valid until
// the next read.
func (c *conn) readChunkLine() ([]byte, error) {
	scan := 0
	for {
		b := c.in[c.r:c.w]
		if i := bytes.IndexByte(b[scan:], '\n'); i >= 0 {
			end := scan + i
			if end == 0 || b[end-1] != '\r' || bytes.IndexByte(b[:end-1], '\r') >= 0 || end-1 >= maxChunkLine {
				return nil, errChunked
			}
			c.r += end + 1
			return b[:end-1], nil
		}
		scan = len(b)
		if len(b) > maxChunkLine {
			return nil, errChunked
		}
		if err := c.more(); err != nil {
			return nil, err
		}
	}
}

func parseHexSize(s []byte) (uint64, bool) {
	if len(s) == 0 || len(s) > 16 {
		return 0, false
	}
	var n uint64
	for _, b := range s {
		switch {
		case isDigit(b):
			b -= '0'
		case 'a' <= b && b <= 'f':
			b -= 'a' - 10
		case 'A' <= b && b <= 'F':
			b -= 'A' - 10
		default:
			return 0, false
		}
		n = n<<4 | uint64(b)
	}
	return n, true
}

// Writing.

// writeResponse buffers a response (exchange): the status line, the
// response's headers as finalize left them, Date, Content-Length and
// Connection. serve writes it.
func (c *conn) writeResponse(rq *request, resp *response) {
	q := &c.req
	if !q.bodyDone {
		// What is left of the body is not read: the connection ends.
		q.close = true
	}
	status := resp.status
	bodyAllowed := status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
	b := appendStatusLine(c.out, q.http10, status)
	hasDate := false
	for i, name := range resp.header.names {
		v := resp.header.values[i]
		switch {
		case !isToken(name):
			// net/http drops such a header too.
			continue
		case asciiFold(name, "Content-Length"), asciiFold(name, "Transfer-Encoding"):
			// The framing is the server's.
			continue
		case asciiFold(name, "Connection"):
			if hasToken(v, "close") {
				q.close = true
			}
			continue
		case asciiFold(name, "Date"):
			hasDate = true
		case status == http.StatusNotModified && asciiFold(name, "Content-Type"):
			continue
		}
		b = append(b, name...)
		b = append(b, ": "...)
		b = appendValue(b, v)
		b = append(b, "\r\n"...)
	}
	c.now = time.Now()
	if !hasDate {
		b = append(b, c.srv.dateLine(c.now)...)
	}
	if bodyAllowed {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, int64(len(resp.body)), 10)
		b = append(b, "\r\n"...)
	}
	if c.srv.closing.Load() {
		q.close = true
	}
	switch {
	case q.close && !q.http10:
		b = append(b, "Connection: close\r\n"...)
	case !q.close && q.http10:
		b = append(b, "Connection: keep-alive\r\n"...)
	}
	b = append(b, "\r\n"...)
	if bodyAllowed && !q.head {
		if len(resp.body) >= largeBody {
			c.large = resp.body
		} else {
			b = append(b, resp.body...)
		}
	}
	c.out = b
}

// appendValue appends a header value with line breaks replaced by spaces,
// as net/http writes it, so that no value can add a header.
func appendValue(b []byte, v string) []byte {
	start := len(b)
	b = append(b, v...)
	for i := start; i < len(b); i++ {
		if b[i] == '\r' || b[i] == '\n' {
			b[i] = ' '
		}
	}
	return b
}

// flush writes the buffered responses with the write deadline, moved only
// when it would be more than an eighth of WriteTimeout (at most a second)
// early.
func (c *conn) flush() error {
	if len(c.out) == 0 && c.large == nil {
		return nil
	}
	d := c.srv.writeTimeout()
	var want time.Time
	if d > 0 {
		want = c.now.Add(d)
	}
	if !within(c.wdl, want, d) {
		_ = c.nc.SetWriteDeadline(want)
		c.wdl = want
	}
	var err error
	if c.large != nil {
		bufs := net.Buffers{c.out, c.large}
		_, err = bufs.WriteTo(c.nc)
		c.large = nil
	} else {
		_, err = c.nc.Write(c.out)
	}
	if cap(c.out) > maxPending {
		c.out = nil
	} else {
		c.out = c.out[:0]
	}
	return err
}

// statusLines are the status lines of HTTP/1.1 and HTTP/1.0 answers, with
// net/http's reason phrases.
var statusLines = func() (t [2][600]string) {
	for code := 100; code < 600; code++ {
		text := http.StatusText(code)
		if text == "" {
			text = "status code " + strconv.Itoa(code)
		}
		t[0][code] = "HTTP/1.1 " + strconv.Itoa(code) + " " + text + "\r\n"
		t[1][code] = "HTTP/1.0 " + strconv.Itoa(code) + " " + text + "\r\n"
	}
	return t
}()

func appendStatusLine(b []byte, http10 bool, code int) []byte {
	v := 0
	if http10 {
		v = 1
	}
	if code >= 100 && code < 600 {
		return append(b, statusLines[v][code]...)
	}
	b = append(b, statusLines[v][200][:len("HTTP/1.1 ")]...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, " status code "...)
	b = strconv.AppendInt(b, int64(code), 10)
	return append(b, "\r\n"...)
}

// dateLine is the Date header of the current second.
type dateLine struct {
	sec  int64
	line []byte
}

func (s *Server) dateLine(now time.Time) []byte {
	sec := now.Unix()
	if d := s.date.Load(); d != nil && d.sec == sec {
		return d.line
	}
	b := append([]byte("Date: "), now.UTC().AppendFormat(nil, http.TimeFormat)...)
	d := &dateLine{sec, append(b, "\r\n"...)}
	s.date.Store(d)
	return d.line
}
