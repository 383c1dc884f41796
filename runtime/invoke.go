package runtime

import (
	"context"
	"strings"
)

// InvokeRequest is one request for Invoke: what a client would send.
type InvokeRequest struct {
	Method string
	// Target is the request target: the path with the stage, and the
	// query string (/dev/pets/1?verbose=true), not decoded.
	Target string
	// Header is the request header, names as the client writes them.
	Header []Field
	Body   []byte
	// Host and SourceIP fill $context; they default to localhost and
	// 127.0.0.1.
	Host     string
	SourceIP string
}

// Response is what Invoke answers: the response as a client would receive
// it (except Date, Content-Length and Connection, which the HTTP server
// adds) and the execution log.
type Response struct {
	Status int
	Header []Field
	Body   []byte
	Log    *ExecutionLog
}

// Invoke runs one request through the lifecycle in-process, with an
// execution log, as the console's Test button does. Limits apply as they
// do when serving.
func (api *API) Invoke(ctx context.Context, in *InvokeRequest) *Response {
	rq := &request{api: api, log: NewExecutionLog()}
	rq.start = api.opts.Now()
	rq.requestID = newRequestID()
	rq.extID = newExtendedID()
	rq.verb = in.Method
	rq.host = in.Host
	if h, ok := headerFold(in.Header, "Host"); ok && rq.host == "" {
		rq.host = h
	}
	if rq.host == "" {
		rq.host = "localhost"
	}
	rq.sourceIP = in.SourceIP
	if rq.sourceIP == "" {
		rq.sourceIP = "127.0.0.1"
	}
	rq.protocol = "HTTP/1.1"
	if _, ok := headerFold(in.Header, "Host"); !ok {
		rq.header.add("Host", rq.host)
	}
	for _, f := range in.Header {
		rq.header.add(f.Name, f.Value)
	}
	rq.body = in.Body
	rawPath, rawQuery, _ := strings.Cut(in.Target, "?")
	var resp *response
	switch {
	case len(in.Target) > MaxURL:
		resp = limitResponse(414, "Request-URI Too Long")
	case headerValuesSize(rq) > MaxHeaderValues:
		resp = limitResponse(431, "Request Header Fields Too Large")
	case len(in.Body) > MaxBody:
		resp = api.gatewayResponse(rq, newError(errRequestTooLarge, "the body is larger than 10485760 bytes"))
	default:
		resp = api.serve(ctx, rq, rawPath, rawQuery)
	}
	api.finalize(rq, resp)
	out := &Response{Status: resp.status, Body: resp.body, Log: rq.log}
	for i, n := range resp.header.names {
		out.Header = append(out.Header, Field{n, resp.header.values[i]})
	}
	if rq.log.on() {
		rq.log.step(phaseMethodResponse, "Method completed with status: %d", resp.status)
	}
	return out
}

func headerFold(h []Field, name string) (string, bool) {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value, true
		}
	}
	return "", false
}
