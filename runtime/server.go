package runtime

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Limits of §15.1.
const (
	// MaxBody is API Gateway's request payload limit.
	MaxBody = 10 << 20
	// MaxURL is the longest request target accepted (regional APIs).
	MaxURL = 10240
	// MaxHeaderValues bounds the combined size of all header values.
	MaxHeaderValues = 10240
)

// Server serves a loaded API over HTTP: /{stage}/path for every stage, on
// one listener. The API can be swapped while requests are in flight; each
// request keeps the API it started with.
//
// Serve runs the runtime's own HTTP/1.1 server (http1.go); ServeHTTP and
// HTTPServer serve the same lifecycle through net/http, for tests and
// embedders. Both share serveRequest for everything after parsing.
type Server struct {
	api atomic.Pointer[API]

	// Observer, when set, is told about every request (metrics).
	Observer Observer
	// AccessLog, when set, receives one line per request in the stage's
	// access log format, or the CLF preset when the stage has none.
	AccessLog *AccessLog

	// The timeouts that keep slow clients from holding the server
	// (§15.1), for Serve and HTTPServer. NewServer sets the defaults
	// below; zero also means the default, a negative value no limit.
	//
	// ReadHeaderTimeout bounds the time a client takes to send a
	// request's line and header, from its first byte (from the
	// connection's start for its first request).
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds the time to read a whole request, body included.
	ReadTimeout time.Duration
	// WriteTimeout bounds the time to write a response.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that sends no request
	// for this long.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds a request's line and header; a longer one is
	// answered 431 and its connection closed. It is larger than the
	// limits the lifecycle enforces itself (MaxURL, MaxHeaderValues), so
	// that a request over those gets API Gateway's answer. Zero or less
	// means the default.
	MaxHeaderBytes int

	// The state of Serve (http1.go).
	mu        sync.Mutex
	listeners map[*net.Listener]struct{}
	conns     map[*conn]struct{}
	closing   atomic.Bool
	ctx       context.Context // the requests' context, ended by Close
	cancel    context.CancelFunc
	date      atomic.Pointer[dateLine]
}

// Defaults of the Server's timeouts and limits: a client has 10 s to send
// its header and a minute for its body; the answer may take the longest
// integration timeout (29 s by default) plus the body's time; an idle
// keep-alive connection lasts as long as API Gateway keeps one.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultWriteTimeout      = 2 * time.Minute
	DefaultIdleTimeout       = 350 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
)

func orDefault(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

func (s *Server) readHeaderTimeout() time.Duration {
	return orDefault(s.ReadHeaderTimeout, DefaultReadHeaderTimeout)
}
func (s *Server) readTimeout() time.Duration  { return orDefault(s.ReadTimeout, DefaultReadTimeout) }
func (s *Server) writeTimeout() time.Duration { return orDefault(s.WriteTimeout, DefaultWriteTimeout) }
func (s *Server) idleTimeout() time.Duration  { return orDefault(s.IdleTimeout, DefaultIdleTimeout) }

func (s *Server) maxHeaderBytes() int {
	if s.MaxHeaderBytes <= 0 {
		return DefaultMaxHeaderBytes
	}
	return s.MaxHeaderBytes
}

// Observer receives a record of every request after its response is
// written. It is called on the request's goroutine and must be quick.
type Observer interface {
	Observe(r *Record)
}

// Record describes a served request, for metrics: the dimensions of API
// Gateway's CloudWatch metrics and the measurements.
type Record struct {
	API          string
	Stage        string // "" when no stage matched
	ResourcePath string // "" when nothing was routed
	Method       string // the request's verb
	Status       int
	// ErrorType is the gateway response type when API Gateway answered
	// itself (MISSING_AUTHENTICATION_TOKEN, INTEGRATION_TIMEOUT, …).
	ErrorType          string
	Latency            time.Duration
	IntegrationLatency time.Duration
	// Integrated reports whether the integration was called (for the
	// IntegrationLatency metric).
	Integrated bool
}

// NewServer returns a server for api.
func NewServer(api *API) *Server {
	s := &Server{
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		ReadTimeout:       DefaultReadTimeout,
		WriteTimeout:      DefaultWriteTimeout,
		IdleTimeout:       DefaultIdleTimeout,
		MaxHeaderBytes:    DefaultMaxHeaderBytes,
	}
	s.api.Store(api)
	return s
}

// API returns the API being served.
func (s *Server) API() *API { return s.api.Load() }

// Swap replaces the API being served and returns the previous one.
// Requests already running finish on the API they started with.
func (s *Server) Swap(api *API) *API { return s.api.Swap(api) }

var requestPool = sync.Pool{New: func() any { return new(request) }}

func getRequest() *request { return requestPool.Get().(*request) }

func putRequest(rq *request) {
	// A request that carried very many headers or parameters does not
	// keep its slices in the pool.
	q, h := rq.query, rq.header
	if cap(q.names) > maxPooledParams {
		q = params{}
	}
	if cap(h.names) > maxPooledParams {
		h = params{}
	}
	// Nor does a large body's buffer stay.
	buf := rq.buf[:0]
	if cap(buf) > maxPooledBody {
		buf = nil
	}
	*rq = request{
		query:  params{names: q.names[:0], values: q.values[:0]},
		header: params{names: h.names[:0], values: h.values[:0]},
		buf:    buf,
	}
	requestPool.Put(rq)
}

const (
	maxPooledParams = 256
	maxPooledBody   = 1 << 20
)

// exchange is what serving a request needs of the connection it came on:
// net/http's (ServeHTTP) or the runtime's own (Serve).
type exchange interface {
	// readBody reads the request's body into buf's storage, at most
	// MaxBody bytes: tooLarge reports a longer one, of which the rest is
	// left unread; err a malformed body or a client that went away.
	readBody(buf []byte) (body []byte, tooLarge bool, err error)
	// writeResponse sends a finalized response, or buffers it: the
	// exchange may send it after serveRequest returns.
	writeResponse(rq *request, resp *response)
}

// ServeHTTP serves one request with API Gateway's lifecycle.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rq := getRequest()
	defer putRequest(rq)
	rq.verb = r.Method
	rq.host = r.Host
	rq.protocol = r.Proto
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		rq.sourceIP = host
	} else {
		rq.sourceIP = r.RemoteAddr
	}
	readHeader(rq, r)
	s.serveRequest(r.Context(), rq, r.RequestURI, r.ContentLength, &httpExchange{w, r})
}

// serveRequest serves a request whose line and header are parsed into rq
// (verb, header, host, protocol, source address), whichever server read
// them: it checks the limits of §15.1, reads the body, runs the
// lifecycle, adds the headers of §13, hands the response to x, and then
// writes the access log line and tells the observer. target is the
// request target as sent; length the declared body length, -1 when it is
// unknown (chunked).
func (s *Server) serveRequest(ctx context.Context, rq *request, target string, length int64, x exchange) {
	api := s.api.Load()
	rq.api = api
	rq.start = api.opts.Now()
	rq.requestID = newRequestID()
	rq.extID = newExtendedID()
	resp := s.admit(ctx, rq, target, length, x)
	api.finalize(rq, resp)
	x.writeResponse(rq, resp)
	s.finish(rq, resp)
}

// admit runs the steps before the lifecycle proper (limits, the body, the
// stage) and then the lifecycle.
func (s *Server) admit(ctx context.Context, rq *request, target string, length int64, x exchange) *response {
	api := rq.api
	if len(target) > MaxURL {
		return limitResponse(http.StatusRequestURITooLong, "Request-URI Too Long")
	}
	if i := strings.Index(target, "://"); i >= 0 && !strings.HasPrefix(target, "/") {
		// Absolute form: drop scheme and authority.
		rest := target[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			target = rest[j:]
		} else {
			target = "/"
		}
	}
	rawPath, rawQuery, _ := strings.Cut(target, "?")
	if n := headerValuesSize(rq); n > MaxHeaderValues {
		return limitResponse(http.StatusRequestHeaderFieldsTooLarge, "Request Header Fields Too Large")
	}
	if length > MaxBody {
		return api.gatewayResponse(rq, newError(errRequestTooLarge, "Content-Length "+strconv.FormatInt(length, 10)))
	}
	body, tooLarge, err := x.readBody(rq.buf)
	rq.buf = body[:0]
	if tooLarge {
		return api.gatewayResponse(rq, newError(errRequestTooLarge, "the body is larger than 10485760 bytes"))
	}
	if err != nil {
		// The client went away or sent a malformed body: nobody will
		// read the answer, but say what happened.
		return limitResponse(http.StatusBadRequest, "Bad Request")
	}
	rq.body = body
	return api.serve(ctx, rq, rawPath, rawQuery)
}

// serve resolves the stage, routes and runs the lifecycle: the part shared
// by the server and Invoke.
func (api *API) serve(ctx context.Context, rq *request, rawPath, rawQuery string) *response {
	rq.fullPath = rawPath
	rq.signedVerb = rq.verb
	if v, ok := rq.header.getFold("X-HTTP-Method-Override"); ok && v != "" {
		// §13: routing uses the override verb; a signature covers the
		// verb the client sent.
		rq.signedVerb = rq.verb
		rq.verb = strings.ToUpper(strings.TrimSpace(v))
	}
	path := rawPath
	var stage *Stage
	if d := api.domain(rq.host); d != nil {
		// §14.6: the longest base path mapping selects the stage, or
		// leaves it to the next segment; the event's path is the path as
		// the custom domain received it.
		m, rest, ok := d.match(rawPath)
		if !ok {
			if rq.log.on() {
				rq.log.step(phaseRoute, "No base path mapping of %s matches %s: 403 Forbidden", d.name, rawPath)
			}
			return forbidden()
		}
		rq.eventPath = rawPath
		path = rest
		if m.stage != "" {
			stage = api.stages[m.stage]
		}
	} else if api.executeDisabled {
		rq.log.step(phaseRoute, "The execute-api endpoint is disabled: use a custom domain (Host header)")
		return forbidden()
	}
	if stage == nil {
		// §2.2: the first segment names the stage, case-sensitively.
		name, after, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
		if stage = api.stages[name]; stage == nil {
			if rq.log.on() {
				rq.log.step(phaseRoute, "No deployed stage is named %q: 403 Forbidden", name)
			}
			return forbidden()
		}
		path = "/" + after
	}
	rq.stage = stage
	rq.path = path
	if rq.eventPath == "" {
		rq.eventPath = eventPath(path)
	}
	rq.parseQuery(rawQuery)
	if !api.root.route(rq.verb, rq.path, &rq.route) {
		return api.notRouted(rq)
	}
	rq.method = rq.route.method
	if rq.log.on() {
		rq.log.step(phaseRoute, "Extended Request Id: %s", rq.extID)
		rq.log.step(phaseRoute, "Starting execution for request: %s", rq.requestID)
		rq.log.step(phaseRoute, "HTTP Method: %s, Resource Path: %s", rq.verb, rq.method.Resource.Path)
	}
	return api.handle(ctx, rq)
}

// notRouted answers a request no method serves: MISSING_AUTHENTICATION_TOKEN
// (§3.3), or, when the request carries an Authorization header that is not
// a complete SigV4 one, the signature error API Gateway gives instead
// (§3.5).
func (api *API) notRouted(rq *request) *response {
	if rq.log.on() {
		rq.log.step(phaseRoute, "No method of stage %s serves %s %s", rq.stage.Name, rq.verb, rq.path)
	}
	e := newError(errMissingAuthenticationToken, "no resource and method match the request")
	if auth, ok := rq.header.getFold("Authorization"); ok {
		if msg := incompleteSignature(auth, &rq.header); msg != "" {
			e.message = msg
			e.errorType = "IncompleteSignatureException"
		}
	}
	return api.gatewayResponse(rq, e)
}

// incompleteSignature returns what API Gateway says of an Authorization
// header that is not a complete SigV4 header, or "" when it is complete.
// The wording is the one recorded from AWS (docs/decisions.md).
func incompleteSignature(auth string, h *params) string {
	_, rest, _ := strings.Cut(strings.TrimSpace(auth), " ")
	found := map[string]bool{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, _, ok := strings.Cut(part, "=")
		if !ok {
			return "'" + part + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" + auth + "'."
		}
		found[strings.TrimSpace(k)] = true
	}
	var b strings.Builder
	for _, p := range []string{"Credential", "Signature", "SignedHeaders"} {
		if !found[p] {
			b.WriteString("Authorization header requires '" + p + "' parameter. ")
		}
	}
	_, date := h.getFold("X-Amz-Date")
	_, date2 := h.getFold("Date")
	if !date && !date2 {
		b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString("Authorization=" + auth)
	return b.String()
}

// forbidden is the answer for an unknown stage (§2.2): not a gateway
// response of the API, since no stage of it was reached.
func forbidden() *response {
	return &response{status: http.StatusForbidden, body: []byte(`{"message":"Forbidden"}`), errorType: "ForbiddenException"}
}

// limitResponse answers a request over a limit whose answer AWS does not
// record (§15.1, uncertain): the status that names the limit and a JSON
// message (docs/decisions.md).
func limitResponse(status int, message string) *response {
	return &response{status: status, body: []byte(`{"message":"` + message + `"}`)}
}

// readHeader copies the request's header into rq with the names as the
// client wrote them, when the connection recorded them (CaseListener), and
// in canonical form otherwise.
func readHeader(rq *request, r *http.Request) {
	raw := rawHeaderNames(r.Context())
	if raw != nil && recordMatches(raw, r) {
		for i, name := range raw {
			canon := textproto.CanonicalMIMEHeaderKey(name)
			if canon == "Host" {
				rq.header.add(name, r.Host)
				continue
			}
			vs := r.Header[canon]
			// The k-th occurrence of a name takes the k-th value.
			k := 0
			for _, prev := range raw[:i] {
				if strings.EqualFold(prev, name) {
					k++
				}
			}
			if k < len(vs) {
				rq.header.add(name, vs[k])
			}
		}
		return
	}
	if r.Host != "" {
		rq.header.add("Host", r.Host)
	}
	for _, name := range sortedKeys(r.Header) {
		for _, v := range r.Header[name] {
			rq.header.add(name, v)
		}
	}
}

// recordMatches checks that the recorded names are those of r, so that a
// recording that lost track of the connection is never used. net/http
// adds Cache-Control: no-cache to a request with Pragma: no-cache; that
// one may be missing from the recording.
func recordMatches(raw []string, r *http.Request) bool {
	for name, vs := range r.Header {
		seen := false
		for _, n := range raw {
			if strings.EqualFold(n, name) {
				seen = true
				break
			}
		}
		if !seen && !(name == "Cache-Control" && len(vs) == 1 && vs[0] == "no-cache" && r.Header.Get("Pragma") == "no-cache") {
			return false
		}
	}
	return true
}

func headerValuesSize(rq *request) int {
	n := 0
	for _, v := range rq.header.values {
		n += len(v)
	}
	return n
}

// readBody reads a request body of at most MaxBody bytes into buf.
func readBody(body io.Reader, length int64, buf []byte) (data []byte, tooLarge bool, err error) {
	if body == nil || body == http.NoBody {
		return buf[:0], false, nil
	}
	if length > 0 && int64(cap(buf)) < length {
		// Not more than a first chunk: the rest is allocated as it
		// arrives, not on the client's word.
		buf = make([]byte, 0, min(length, minBodyCap))
	}
	data = buf[:0]
	for {
		if len(data) == cap(data) {
			if len(data) > MaxBody {
				return data, true, nil
			}
			data = append(data, 0)[:len(data)]
		}
		n, err := body.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			if len(data) > MaxBody {
				return data, true, nil
			}
			return data, false, nil
		}
		if err != nil {
			return data, false, err
		}
	}
}

// httpExchange is a request served through net/http (ServeHTTP).
type httpExchange struct {
	w http.ResponseWriter
	r *http.Request
}

func (x *httpExchange) readBody(buf []byte) ([]byte, bool, error) {
	return readBody(x.r.Body, x.r.ContentLength, buf)
}

// writeResponse hands the response to net/http, which adds Date and
// writes it once the handler returns (or as the body fills its buffer).
func (x *httpExchange) writeResponse(rq *request, resp *response) {
	h := x.w.Header()
	hasType := false
	// One backing array for the values of every header.
	vals := make([]string, len(resp.header.values))
	copy(vals, resp.header.values)
	for i, name := range resp.header.names {
		// Setting the map directly keeps the name's case on the wire.
		if h[name] == nil {
			h[name] = vals[i : i+1 : i+1]
		} else {
			h[name] = append(h[name], vals[i])
		}
		if strings.EqualFold(name, "Content-Type") {
			hasType = true
		}
	}
	if !hasType || h["Content-Type"] == nil {
		// No sniffing: API Gateway sends no type it was not given.
		if _, ok := h["Content-Type"]; !ok {
			h["Content-Type"] = nil
		}
	}
	h["Content-Length"] = []string{strconv.Itoa(len(resp.body))}
	x.w.WriteHeader(resp.status)
	if x.r.Method != http.MethodHead {
		_, _ = x.w.Write(resp.body)
	}
}

// finalize adds the headers of §13 to a response: the request ids, the
// default Content-Type, the error type of gateway responses and the trace
// id of integrations that have one.
func (api *API) finalize(rq *request, resp *response) {
	h := &resp.header
	if !resp.plain {
		if _, ok := h.getFold("Content-Type"); !ok {
			h.add("Content-Type", "application/json")
		}
	}
	h.add("x-amzn-RequestId", rq.requestID)
	if resp.errorType != "" {
		h.add("x-amzn-ErrorType", resp.errorType)
	}
	h.add("x-amz-apigw-id", rq.extID)
	if resp.traced && resp.err == nil {
		h.add("X-Amzn-Trace-Id", rq.traceID())
	}
}

// finish writes the access log line and tells the observer.
func (s *Server) finish(rq *request, resp *response) {
	if s.AccessLog == nil && s.Observer == nil {
		return
	}
	latency := rq.api.opts.Now().Sub(rq.start)
	rq.latency = latency
	if s.AccessLog != nil {
		s.AccessLog.write(rq, resp)
	}
	if s.Observer != nil {
		rec := Record{API: rq.api.Name, Method: rq.verb, Status: resp.status, Latency: latency,
			IntegrationLatency: resp.integrationLatency, Integrated: resp.integrated}
		if rq.stage != nil {
			rec.Stage = rq.stage.Name
		}
		if rq.method != nil {
			rec.ResourcePath = rq.method.Resource.Path
		}
		if resp.err != nil {
			rec.ErrorType = errInfo[resp.err.typ].name
		}
		s.Observer.Observe(&rec)
	}
}

// HTTPServer returns an http.Server for s with s's timeouts and the
// connection hook that keeps header names as clients write them. Serve it
// on CaseListener(l). Serve is the faster way to serve s; this one is for
// embedders that need net/http.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.readHeaderTimeout(),
		ReadTimeout:       s.readTimeout(),
		WriteTimeout:      s.writeTimeout(),
		IdleTimeout:       s.idleTimeout(),
		// net/http allows 4 KiB more than this.
		MaxHeaderBytes: s.maxHeaderBytes(),
		ConnContext:    ConnContext,
	}
}

// HeaderFields returns a request's header with the names as the client
// wrote them, in order, when the server's listener is a CaseListener; in
// canonical form, sorted, otherwise. The Host header is included.
func HeaderFields(r *http.Request) []Field {
	rq := &request{}
	readHeader(rq, r)
	out := make([]Field, len(rq.header.names))
	for i, n := range rq.header.names {
		out[i] = Field{n, rq.header.values[i]}
	}
	return out
}
