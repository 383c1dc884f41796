package runtime

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gwc.dev/gwc/internal/mapexpr"
	"gwc.dev/gwc/vtl/apigw"
)

// response is what the client gets.
type response struct {
	status int
	header params
	body   []byte
	// errorType is x-amzn-ErrorType, for gateway responses.
	errorType string
	// plain marks API Gateway's plain-text 413, which gets no JSON
	// content type.
	plain bool
	// traced adds X-Amzn-Trace-Id (HTTP and AWS integrations, §13).
	traced bool
	// integrationLatency is the time the integration call took;
	// integrated says whether there was a call.
	integrationLatency time.Duration
	integrated         bool
	// err is the gateway error that produced the response, if any.
	err *gatewayError
	// overridden marks a status set by $context.responseOverride.status,
	// which needs no method response (§11).
	overridden bool
}

// handle runs a routed request through the lifecycle (§1): method request
// checks, integration request, the integration, integration response and
// method response. Routing, stage resolution and limits happened before.
func (api *API) handle(ctx context.Context, rq *request) *response {
	m := rq.method
	if rq.log.on() {
		var path params
		for i := 0; i < rq.route.n; i++ {
			p := rq.route.param(i)
			path.add(p.name, p.value)
		}
		rq.log.step(phaseMethodRequest, "Method request path: %s", javaMap(&path))
		rq.log.step(phaseMethodRequest, "Method request query string: %s", javaMap(&rq.query))
		rq.log.step(phaseMethodRequest, "Method request headers: %s", javaMap(&rq.header))
		rq.log.step(phaseMethodRequest, "Method request body before transformations: %s", logBody(rq.body))
	}
	if m.Unsupported != "" {
		return api.gatewayResponse(rq, newError(errAPIConfiguration, m.Unsupported))
	}
	if m.authorization != "" && m.authorization != "NONE" && len(api.methodARN(rq)) > maxMethodARN {
		// §4.3: the method ARN of an authorized method is limited.
		return limitResponse(414, "Request-URI Too Long")
	}
	if err := api.authorize(ctx, rq); err != nil {
		return api.gatewayResponse(rq, err)
	}
	if err := api.checkUsage(ctx, rq); err != nil {
		return api.gatewayResponse(rq, err)
	}
	if err := api.validate(rq); err != nil {
		return api.gatewayResponse(rq, err)
	}
	switch m.integ.typ {
	case "HTTP_PROXY":
		return api.proxy(ctx, rq)
	case "AWS_PROXY":
		return api.lambdaProxy(ctx, rq)
	}
	call, ov, gerr := api.integrationRequest(rq)
	if gerr != nil {
		return api.gatewayResponse(rq, gerr)
	}
	var reply *Reply
	var latency time.Duration
	selector := ""
	switch m.integ.typ {
	case "MOCK":
		reply = &Reply{Status: mockStatus(call.Body, rq.log)}
		selector = strconv.Itoa(reply.Status)
	default:
		start := time.Now()
		if m.integ.typ == "AWS" {
			// A Lambda answer is selected by its errorMessage.
			reply, selector, gerr = api.lambdaCall(ctx, rq, call, call.async)
		} else {
			reply, gerr = api.call(ctx, rq, call)
		}
		latency = time.Since(start)
		if gerr != nil {
			resp := api.gatewayResponse(rq, gerr)
			resp.integrationLatency, resp.integrated = latency, true
			return resp
		}
		rq.integrationStatus = reply.Status
		if m.integ.typ != "AWS" {
			selector = strconv.Itoa(reply.Status)
		}
	}
	resp, gerr := api.integrationResponse(rq, reply, selector, ov)
	if gerr != nil {
		resp = api.gatewayResponse(rq, gerr)
	}
	resp.integrationLatency, resp.integrated = latency, m.integ.typ != "MOCK"
	resp.traced = m.integ.typ != "MOCK"
	return resp
}

// validate runs request validation (§6): required parameters first, then
// the body.
func (api *API) validate(rq *request) *gatewayError {
	m := rq.method
	if m.validateParams {
		if missing := m.missingParams(rq); len(missing) > 0 {
			e := newError(errBadRequestParameters, "missing required parameters")
			e.message = "Missing required request parameters: [" + strings.Join(missing, ", ") + "]"
			if rq.log.on() {
				rq.log.step(phaseValidation, "Request validation failed: %s", e.message)
			}
			return e
		}
	}
	if m.validateBody {
		if name := m.bodyModel(rq.contentType()); name != "" {
			if ok, details := validateBody(api.models.schema(name), rq.body); !ok {
				e := newError(errBadRequestBody, "the body does not match model "+name)
				e.validation = details
				if rq.log.on() {
					rq.log.step(phaseValidation, "Request body does not match model schema for content type %s: %s", rq.contentType(), details)
				}
				return e
			}
		}
	}
	if m.validateParams || m.validateBody {
		if rq.log.on() {
			rq.log.step(phaseValidation, "Request validation succeeded for content type %s", rq.contentType())
		}
	}
	return nil
}

// selectTemplate picks the template for a media type: an exact match,
// compared case-insensitively.
func selectTemplate(ts []template, mt string) *template {
	for i := range ts {
		if ts[i].contentType == mt {
			return &ts[i]
		}
	}
	return nil
}

// integrationRequest builds the integration request of a non-proxy
// integration (§7): template selection and passthrough, content handling,
// the template, parameter mappings and the template's overrides.
func (api *API) integrationRequest(rq *request) (*Call, apigw.Overrides, *gatewayError) {
	in := &rq.method.integ
	var ov apigw.Overrides
	ct := rq.contentType()
	body := rq.body
	binary := api.isBinary(ct)
	tmpl := selectTemplate(in.templates, ct)
	if tmpl == nil {
		switch {
		case len(in.templates) > 0 && in.passthrough != "WHEN_NO_MATCH",
			len(in.templates) == 0 && in.passthrough == "NEVER":
			if rq.log.on() {
				rq.log.step(phaseIntegrationRequest, "Execution failed: no mapping template matches content type %s and the passthrough behavior is %s: Unsupported Media Type", ct, in.passthrough)
			}
			return nil, ov, newError(errUnsupportedMediaType, "no template matches "+ct)
		}
		if in.typ != "MOCK" || len(rq.body) > 0 {
			if rq.log.on() {
				rq.log.step(phaseIntegrationRequest, "No mapping template matches content type %s: the body passes through (%s)", ct, in.passthrough)
			}
		}
	}
	// Content handling of the payload (§7.4).
	switch in.contentHandling {
	case "CONVERT_TO_TEXT":
		if binary {
			body = []byte(base64.StdEncoding.EncodeToString(body))
		}
	case "CONVERT_TO_BINARY":
		if !binary && tmpl == nil {
			decoded, err := base64.StdEncoding.DecodeString(string(body))
			if err != nil {
				return nil, ov, newError(errAPIConfiguration, "CONVERT_TO_BINARY: the body is not base64")
			}
			body = decoded
		}
	}
	if tmpl != nil {
		var out bytes.Buffer
		req := api.templateRequest(rq, tmpl, body, false)
		var err error
		ov, err = apigw.Render(tmpl.t, req, &out)
		if err != nil {
			if rq.log.on() {
				rq.log.step(phaseIntegrationRequest, "Execution failed due to configuration error: the mapping template for %s failed: %v", tmpl.contentType, err)
			}
			return nil, ov, newError(errAPIConfiguration, "request template: "+err.Error())
		}
		body = out.Bytes()
		if in.contentHandling == "CONVERT_TO_BINARY" {
			decoded, err := base64.StdEncoding.DecodeString(string(body))
			if err != nil {
				return nil, ov, newError(errAPIConfiguration, "CONVERT_TO_BINARY: the template output is not base64")
			}
			body = decoded
		}
		if rq.log.on() {
			rq.log.step(phaseIntegrationRequest, "Mapping template for content type %s applied", tmpl.contentType)
		}
	}
	call := &Call{Type: in.typ, Method: in.httpMethod, Body: body, Timeout: in.timeout,
		TLSInsecure: in.tlsInsecure, ServerName: in.serverName}
	if call.Method == "ANY" {
		call.Method = rq.verb
	}
	if in.typ == "MOCK" {
		if rq.log.on() {
			rq.log.step(phaseIntegrationRequest, "Endpoint request body after transformations: %s", logBody(body))
		}
		return call, ov, nil
	}
	var target mapped
	if gerr := api.mapRequest(rq, &target); gerr != nil {
		return nil, ov, gerr
	}
	target.apply(&ov)
	if in.typ == "AWS" {
		// A Lambda call: the body is the event; a mapped
		// X-Amz-Invocation-Type: Event makes it asynchronous (§9.6).
		if v, ok := target.header.getFold("X-Amz-Invocation-Type"); ok && strings.EqualFold(v, "Event") {
			call.async = true
		}
		if rq.log.on() {
			rq.log.step(phaseIntegrationRequest, "Endpoint request body after transformations: %s", logBody(body))
		}
		return call, ov, nil
	}
	if gerr := api.httpCall(rq, call, &target, false); gerr != nil {
		return nil, ov, gerr
	}
	logEndpointRequest(rq, call)
	return call, ov, nil
}

// templateRequest is what a template sees of the request.
func (api *API) templateRequest(rq *request, tmpl *template, body []byte, response bool) *apigw.Request {
	req := &rq.tmpl
	req.Body, req.IsResponse = body, response
	if tmpl.usesContext || rq.ctx != nil {
		req.Context = rq.context()
	}
	if rq.tmplReady {
		// The parameters are the method request's, for both templates.
		return req
	}
	rq.tmplReady = true
	for i := 0; i < rq.route.n; i++ {
		p := rq.route.param(i)
		req.Path.Add(p.name, p.value)
	}
	for i, n := range rq.query.names {
		req.QueryString.Add(n, rq.query.values[i])
	}
	for i, n := range rq.header.names {
		req.Header.Add(n, rq.header.values[i])
	}
	// Shared, read-only: templates cannot change $stageVariables.
	req.StageVariables = rq.stage.templateVars
	return req
}

// mockStatus reads the status a MOCK integration answers with from its
// request template's output (§9.2): a statusCode integer, in JSON or in
// the non-JSON form CDK writes ({statusCode: 200}). Without one the
// status is 200.
func mockStatus(body []byte, log *ExecutionLog) int {
	i := bytes.Index(body, []byte("statusCode"))
	if i < 0 {
		log.step(phaseIntegration, "Received response. Status: 200 (MOCK: the request has no statusCode)")
		return 200
	}
	rest := bytes.TrimLeft(body[i+len("statusCode"):], "\"' \t\r\n")
	if len(rest) == 0 || rest[0] != ':' {
		return 200
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n\"'")
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(string(rest[:j]))
	if err != nil {
		return 200
	}
	if log.on() {
		log.step(phaseIntegration, "Received response. Status: %d (MOCK)", n)
	}
	return n
}

// call performs a backend call and maps its failures to gateway errors
// (§9.1).
func (api *API) call(ctx context.Context, rq *request, c *Call) (*Reply, *gatewayError) {
	b := api.opts.Backends[c.Type]
	if b == nil {
		return nil, newError(errAPIConfiguration, c.Type+" integrations are not available in this server")
	}
	if rq.log.on() {
		rq.log.step(phaseIntegration, "Sending request to %s", c.URL)
	}
	start := time.Now()
	reply, err := b.Call(ctx, c)
	switch {
	case errors.Is(err, ErrTimeout):
		if rq.log.on() {
			rq.log.step(phaseIntegration, "Execution failed due to a timeout error (timeout %d ms)", c.Timeout.Milliseconds())
		}
		return nil, newError(errIntegrationTimeout, err.Error())
	case err != nil:
		if rq.log.on() {
			rq.log.step(phaseIntegration, "Execution failed due to an internal error: %v", err)
		}
		return nil, newError(errIntegrationFailure, err.Error())
	}
	if rq.log.on() {
		rq.log.step(phaseIntegration, "Received response. Status: %d, Integration latency: %d ms", reply.Status, time.Since(start).Milliseconds())
		var h params
		for _, f := range reply.Header {
			h.add(f.Name, f.Value)
		}
		rq.log.step(phaseIntegration, "Endpoint response headers: %s", javaMap(&h))
		rq.log.step(phaseIntegration, "Endpoint response body before transformations: %s", logBody(reply.Body))
	}
	return reply, nil
}

// mapped holds the values of an integration request's parameter mappings.
type mapped struct {
	path, query, header params
}

// apply overwrites mapped values with the template's request overrides,
// which are final (§7.2).
func (t *mapped) apply(ov *apigw.Overrides) {
	for i := 0; i < ov.RequestPath.Len(); i++ {
		n, v := ov.RequestPath.At(i)
		t.path.set(n, v, false)
	}
	for i := 0; i < ov.RequestQueryString.Len(); i++ {
		n, v := ov.RequestQueryString.At(i)
		t.query.set(n, v, false)
	}
	for i := 0; i < ov.RequestHeader.Len(); i++ {
		n, v := ov.RequestHeader.At(i)
		t.header.set(n, v, true)
	}
}

// mapRequest evaluates the integration request parameter mappings (§7.2).
// A source that resolves to nothing sets nothing.
func (api *API) mapRequest(rq *request, t *mapped) *gatewayError {
	for _, mp := range rq.method.integ.params {
		values, gerr := api.requestSource(rq, mp.source)
		if gerr != nil {
			return gerr
		}
		for _, v := range values {
			switch mp.target.Location {
			case "path":
				t.path.set(mp.target.Name, v, false)
			case "querystring":
				if len(values) > 1 {
					t.query.add(mp.target.Name, v)
				} else {
					t.query.set(mp.target.Name, v, false)
				}
			case "header":
				t.header.set(mp.target.Name, v, true)
			}
		}
	}
	return nil
}

// requestSource evaluates a request mapping source. Multi-value query
// strings give several values; everything else gives at most one.
func (api *API) requestSource(rq *request, e mapexpr.Expr) ([]string, *gatewayError) {
	switch {
	case e.Kind == mapexpr.MethodRequestBody:
		return bodySource(rq.body, e.JSONPath, "{}")
	case e.Kind == mapexpr.MethodRequestParam && e.Location == "multivaluequerystring":
		return rq.query.all(e.Name, false), nil
	case e.Kind == mapexpr.MethodRequestParam && e.Location == "multivalueheader":
		vs := rq.header.all(e.Name, true)
		if len(vs) == 0 {
			return nil, nil
		}
		return []string{strings.Join(vs, ",")}, nil
	}
	if v, ok := rq.sourceValue(e); ok {
		return []string{v}, nil
	}
	return nil, nil
}

// sourceValue is the one value a mapping expression names in the request:
// a literal, a stage or context variable, or a method request path, query
// string or header parameter (headers by any case). Request parameter
// mappings, authorizer identity sources and gateway response parameters
// all read values this way.
func (rq *request) sourceValue(e mapexpr.Expr) (string, bool) {
	switch e.Kind {
	case mapexpr.Literal:
		return e.Value, true
	case mapexpr.StageVariable:
		v, ok := rq.stage.Variables[e.Name]
		return v, ok
	case mapexpr.ContextVariable:
		return rq.contextValue(e.Name)
	case mapexpr.MethodRequestParam:
		switch e.Location {
		case "path":
			return rq.pathParam(e.Name)
		case "querystring":
			return rq.query.get(e.Name)
		case "header":
			return rq.header.getFold(e.Name)
		}
	}
	return "", false
}

// bodySource evaluates method.request.body[.path] or
// integration.response.body[.path]. The body is read as JSON only when it
// starts like JSON; malformed JSON there is a 400 (§7.2).
func bodySource(body []byte, path, empty string) ([]string, *gatewayError) {
	if path == "" {
		if len(bytes.TrimSpace(body)) == 0 {
			return []string{empty}, nil
		}
		return []string{string(body)}, nil
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || !strings.ContainsRune(`{["'`, rune(trimmed[0])) {
		return nil, nil
	}
	v, ok, err := jsonPathString(trimmed, path)
	if err != nil {
		e := newError(errBadRequestBody, "invalid JSON in the body")
		e.message = "Invalid JSON in request body"
		return nil, e
	}
	if !ok {
		return nil, nil
	}
	return []string{v}, nil
}

// logBody shows a body in the log, cut at 1,000 bytes as API Gateway
// cuts its log events.
func logBody(b []byte) string {
	const max = 1000
	if len(b) > max {
		return fmt.Sprintf("%s [TRUNCATED]", b[:max])
	}
	return string(b)
}

// javaMap shows name/value pairs as API Gateway's logs do: {a=1, b=2}.
func javaMap(p *params) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range p.names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n + "=" + p.values[i])
	}
	b.WriteByte('}')
	return b.String()
}

// logEndpointRequest logs the request about to be sent.
func logEndpointRequest(rq *request, c *Call) {
	if !rq.log.on() {
		return
	}
	var h params
	for _, f := range c.Header {
		h.add(f.Name, f.Value)
	}
	if rq.log.on() {
		rq.log.step(phaseIntegrationRequest, "Endpoint request URI: %s", c.URL)
	}
	if rq.log.on() {
		rq.log.step(phaseIntegrationRequest, "Endpoint request headers: %s", javaMap(&h))
	}
	if rq.log.on() {
		rq.log.step(phaseIntegrationRequest, "Endpoint request body after transformations: %s", logBody(c.Body))
	}
}
