package runtime

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Headers API Gateway never forwards, even when a mapping sets them
// (§9.3), and the ones whose mapping makes every call fail (§7.2).
var (
	droppedHTTP = map[string]bool{"expect": true, "proxy-authenticate": true, "te": true, "via": true, "connection": true}
	fatalHTTP   = map[string]bool{"content-length": true, "transfer-encoding": true, "x-amzn-trace-id": true, "x-amzn-apigateway-api-id": true}
	// notProxied are the client headers an HTTP_PROXY integration does
	// not pass on (§9.4); Host and Content-Length are set anew.
	notProxied = map[string]bool{"connection": true, "content-md5": true, "expect": true, "max-forwards": true,
		"proxy-authenticate": true, "server": true, "te": true, "transfer-encoding": true, "trailer": true,
		"upgrade": true, "www-authenticate": true, "via": true, "host": true, "content-length": true, "content-encoding": true,
		"keep-alive": true, "proxy-connection": true}
)

// httpCall completes an HTTP or HTTP_PROXY call (§9.3, §9.4): the URL from
// the integration URI, stage variables and path mappings, the query
// string, and the headers API Gateway sends.
func (api *API) httpCall(rq *request, c *Call, t *mapped, proxy bool) *gatewayError {
	in := &rq.method.integ
	for _, f := range t.header.names {
		if inFold(fatalHTTP, f) {
			// API Gateway fails such a request itself: "header already
			// present".
			return newError(errAPIConfiguration, "a mapping sets the "+f+" header, which API Gateway sets itself")
		}
	}
	// Query: the URI's own, then (for proxies) the client's, then mapped.
	var b strings.Builder
	b.Grow(len(in.uri) + len(rq.rawQuery) + 64)
	api.renderURI(&b, rq, in.uri, &t.path)
	sep := byte('?')
	if strings.IndexByte(b.String(), '?') >= 0 {
		sep = '&'
		if s := b.String(); s[len(s)-1] == '?' {
			sep = 0
		}
	}
	addQuery := func(part string) {
		if sep != 0 {
			b.WriteByte(sep)
		}
		sep = '&'
		b.WriteString(part)
	}
	if proxy && rq.rawQuery != "" {
		addQuery(rq.rawQuery)
	}
	for i, n := range t.query.names {
		addQuery(url.QueryEscape(n) + "=" + url.QueryEscape(t.query.values[i]))
	}
	c.URL = b.String()

	h := make([]Field, 0, len(rq.header.names)+len(t.header.names)+4)
	if proxy {
		for i, n := range rq.header.names {
			if !inFold(notProxied, n) {
				h = append(h, Field{n, rq.header.values[i]})
			}
		}
	} else {
		h = append(h, Field{"Accept", "application/json"}, Field{"User-Agent", api.userAgent})
		if ct, ok := rq.header.getFold("Content-Type"); ok && rq.verb != "GET" && rq.verb != "HEAD" && rq.verb != "OPTIONS" {
			h = append(h, Field{"Content-Type", ct})
		}
	}
	h = setField(h, "X-Amzn-Apigateway-Api-Id", api.ID)
	h = setField(h, "X-Amzn-Trace-Id", rq.traceID())
	for i, n := range t.header.names {
		if inFold(droppedHTTP, n) {
			continue
		}
		h = setField(h, n, t.header.values[i])
	}
	c.Header = h
	return nil
}

// setField sets a header, replacing any of the same name.
func setField(h []Field, name, value string) []Field {
	out := h[:0]
	for _, f := range h {
		if !strings.EqualFold(f.Name, name) {
			out = append(out, f)
		}
	}
	return append(out, Field{name, value})
}

// renderURI writes an integration URI with its ${stageVariables.x}
// placeholders filled (an undefined one is empty, §7.5) and its {name}
// placeholders from the integration request's path parameters.
func (api *API) renderURI(b *strings.Builder, rq *request, uri string, path *params) {
	for i := 0; i < len(uri); i++ {
		switch {
		case uri[i] == '$' && strings.HasPrefix(uri[i:], "${stageVariables."):
			end := strings.IndexByte(uri[i:], '}')
			if end < 0 {
				b.WriteString(uri[i:])
				return
			}
			b.WriteString(rq.stage.Variables[uri[i+len("${stageVariables."):i+end]])
			i += end
		case uri[i] == '{':
			end := strings.IndexByte(uri[i:], '}')
			if end < 0 {
				b.WriteByte('{')
				continue
			}
			name := uri[i+1 : i+end]
			if v, ok := path.get(name); ok {
				b.WriteString(v)
			} else {
				b.WriteString(uri[i : i+end+1])
			}
			i += end
		default:
			b.WriteByte(uri[i])
		}
	}
}

// inFold reports whether name, in lower case, is in set; it lowers into a
// stack buffer, so that the lookup allocates nothing.
func inFold(set map[string]bool, name string) bool {
	var buf [64]byte
	if len(name) > len(buf) {
		return set[strings.ToLower(name)]
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return set[string(buf[:len(name)])]
}

// traceID returns the X-Amzn-Trace-Id sent to the backend: the client's
// when it has a Root, completed with a Parent; a new one otherwise (§9.1).
func (rq *request) traceID() string {
	if rq.trace != "" {
		return rq.trace
	}
	if v, ok := rq.header.getFold("X-Amzn-Trace-Id"); ok && strings.Contains(v, "Root=") {
		if !strings.Contains(v, "Parent=") {
			v += ";Parent=" + randomHex(16)
		}
		rq.trace = v
		return v
	}
	rq.trace = "Root=1-" + hex8(rq.start) + "-" + randomHex(24)
	return rq.trace
}

func hex8(t time.Time) string {
	const digits = "0123456789abcdef"
	s := uint32(t.Unix())
	b := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		b[i] = digits[s&15]
		s >>= 4
	}
	return string(b)
}

// proxy serves an HTTP_PROXY integration (§9.4): the client's request goes
// to the backend nearly as it came, and the backend's answer comes back
// as it is, except for the headers API Gateway remaps.
func (api *API) proxy(ctx context.Context, rq *request) *response {
	in := &rq.method.integ
	c := &Call{Type: in.typ, Method: in.httpMethod, Body: rq.body, Timeout: in.timeout,
		TLSInsecure: in.tlsInsecure, ServerName: in.serverName}
	if c.Method == "ANY" {
		c.Method = rq.verb
	}
	var t mapped
	if gerr := api.mapRequest(rq, &t); gerr != nil {
		return api.gatewayResponse(rq, gerr)
	}
	if gerr := api.httpCall(rq, c, &t, true); gerr != nil {
		return api.gatewayResponse(rq, gerr)
	}
	logEndpointRequest(rq, c)
	start := time.Now()
	reply, gerr := api.call(ctx, rq, c)
	latency := time.Since(start)
	if gerr != nil {
		resp := api.gatewayResponse(rq, gerr)
		resp.integrationLatency, resp.integrated = latency, true
		return resp
	}
	rq.integrationStatus = reply.Status
	resp := &response{status: reply.Status, body: reply.Body, integrationLatency: latency, integrated: true}
	resp.header.names = make([]string, 0, len(reply.Header)+4)
	resp.header.values = make([]string, 0, len(reply.Header)+4)
	rq.log.step(phaseMethodResponse, "Successfully completed execution")
	for _, f := range reply.Header {
		switch strings.ToLower(f.Name) {
		case "connection", "content-length", "date", "server", "x-amzn-requestid":
			resp.header.add("x-amzn-Remapped-"+f.Name, f.Value)
		case "transfer-encoding", "keep-alive":
		default:
			resp.header.add(f.Name, f.Value)
		}
	}
	return resp
}
