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
		if fatalHTTP[strings.ToLower(f)] {
			// API Gateway fails such a request itself: "header already
			// present".
			return newError(errAPIConfiguration, "a mapping sets the "+f+" header, which API Gateway sets itself")
		}
	}
	u, err := api.renderURI(rq, in.uri, &t.path)
	if err != nil {
		return newError(errAPIConfiguration, "invalid endpoint: "+err.Error())
	}
	// Query: the URI's own, then (for proxies) the client's, then mapped.
	q := u.RawQuery
	addQuery := func(name, value string) {
		if q != "" {
			q += "&"
		}
		q += url.QueryEscape(name) + "=" + url.QueryEscape(value)
	}
	if proxy && rq.rawQuery != "" {
		if q != "" {
			q += "&"
		}
		q += rq.rawQuery
	}
	for i, n := range t.query.names {
		addQuery(n, t.query.values[i])
	}
	u.RawQuery = q
	c.URL = u.String()

	var h []Field
	if proxy {
		for i, n := range rq.header.names {
			if !notProxied[strings.ToLower(n)] {
				h = append(h, Field{n, rq.header.values[i]})
			}
		}
	} else {
		h = append(h, Field{"Accept", "application/json"}, Field{"User-Agent", "AmazonAPIGateway_" + api.ID})
		if ct, ok := rq.header.getFold("Content-Type"); ok && rq.verb != "GET" && rq.verb != "HEAD" && rq.verb != "OPTIONS" {
			h = append(h, Field{"Content-Type", ct})
		}
	}
	h = setField(h, "X-Amzn-Apigateway-Api-Id", api.ID)
	h = setField(h, "X-Amzn-Trace-Id", rq.traceID())
	for i, n := range t.header.names {
		if droppedHTTP[strings.ToLower(n)] {
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

// renderURI fills an integration URI's ${stageVariables.x} placeholders
// (an undefined one is empty, §7.5) and its {name} placeholders from the
// integration request's path parameters.
func (api *API) renderURI(rq *request, uri string, path *params) (*url.URL, error) {
	var b strings.Builder
	for i := 0; i < len(uri); i++ {
		switch {
		case strings.HasPrefix(uri[i:], "${stageVariables."):
			end := strings.IndexByte(uri[i:], '}')
			if end < 0 {
				b.WriteString(uri[i:])
				i = len(uri)
				continue
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
	return url.Parse(b.String())
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
