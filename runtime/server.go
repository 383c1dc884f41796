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
type Server struct {
	api atomic.Pointer[API]

	// Observer, when set, is told about every request (metrics).
	Observer Observer
	// AccessLog, when set, receives one line per request in the stage's
	// access log format, or the CLF preset when the stage has none.
	AccessLog *AccessLog
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
	s := &Server{}
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
	*rq = request{
		query:  params{names: rq.query.names[:0], values: rq.query.values[:0]},
		header: params{names: rq.header.names[:0], values: rq.header.values[:0]},
		buf:    rq.buf[:0],
	}
	requestPool.Put(rq)
}

// ServeHTTP serves one request with API Gateway's lifecycle.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	api := s.api.Load()
	rq := getRequest()
	defer putRequest(rq)
	rq.api = api
	rq.start = api.opts.Now()
	rq.requestID = newRequestID()
	rq.extID = newExtendedID()
	rq.verb = r.Method
	rq.host = r.Host
	rq.protocol = r.Proto
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		rq.sourceIP = host
	} else {
		rq.sourceIP = r.RemoteAddr
	}
	readHeader(rq, r)
	resp := s.serveHTTP(r, rq)
	s.write(w, r, rq, resp)
	s.finish(rq, resp)
}

// serveHTTP runs the steps before the lifecycle proper (limits, the body,
// the stage) and then the lifecycle.
func (s *Server) serveHTTP(r *http.Request, rq *request) *response {
	api := rq.api
	target := r.RequestURI
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
	if r.ContentLength > MaxBody {
		return api.gatewayResponse(rq, newError(errRequestTooLarge, "Content-Length "+strconv.FormatInt(r.ContentLength, 10)))
	}
	body, tooLarge, err := readBody(r.Body, r.ContentLength, rq.buf)
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
	return api.serve(r.Context(), rq, rawPath, rawQuery)
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
		buf = make([]byte, 0, length)
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

// write sends the response with the headers API Gateway adds (§13).
func (s *Server) write(w http.ResponseWriter, r *http.Request, rq *request, resp *response) {
	h := w.Header()
	rq.api.finalize(rq, resp)
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
	w.WriteHeader(resp.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(resp.body)
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

// Timeouts that keep slow clients from holding the server (§15.1): a
// client has 10 s to send its header and a minute for its body; the
// answer may take the longest integration timeout (29 s by default) plus
// the body's time.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 350 * time.Second // API Gateway's idle keep-alive
)

// HTTPServer returns an http.Server for s with the timeouts above and the
// connection hook that keeps header names as clients write them. Serve it
// on CaseListener(l).
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		// Larger than the limit the server enforces itself, so that a
		// request over it gets API Gateway's answer, not net/http's.
		MaxHeaderBytes: 64 << 10,
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
