package runtime

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Lambda integrations (§9.5, §9.6) and the event API Gateway sends.

// lambdaFunction returns the function ARN of a Lambda invocation URI
// (arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations),
// or "" when the URI invokes something else.
func lambdaFunction(uri string) string {
	const marker = ":lambda:path/2015-03-31/functions/"
	i := strings.Index(uri, marker)
	if i < 0 || !strings.HasPrefix(uri, "arn:") {
		return ""
	}
	rest := uri[i+len(marker):]
	j := strings.LastIndex(rest, "/invocations")
	if j <= 0 {
		return ""
	}
	return rest[:j]
}

// resolveValue fills stage variables and CloudFormation's pseudo
// parameters in a value such as a user pool ARN; other references are
// left as written.
func (api *API) resolveValue(v string, stage *Stage) string {
	if !strings.Contains(v, "${") {
		return v
	}
	r := strings.NewReplacer("${AWS::Region}", api.opts.Region, "${AWS::AccountId}", api.opts.AccountID, "${AWS::Partition}", "aws")
	v = r.Replace(v)
	for k, val := range stage.Variables {
		v = strings.ReplaceAll(v, "${stageVariables."+k+"}", val)
	}
	return v
}

// resolveARN fills the placeholders a function ARN may hold: stage
// variables, and the CloudFormation values a template deploy would fill
// (${AWS::Region}, ${AWS::AccountId}); a reference to a template resource
// (${MyFunction.Arn} or ${MyFunction}) names the function MyFunction, so
// that it can be mapped to a local command by that name.
func (api *API) resolveARN(arn string, stage *Stage) string {
	if !strings.Contains(arn, "${") {
		return arn
	}
	var b strings.Builder
	for i := 0; i < len(arn); i++ {
		if arn[i] != '$' || i+1 >= len(arn) || arn[i+1] != '{' {
			b.WriteByte(arn[i])
			continue
		}
		end := strings.IndexByte(arn[i:], '}')
		if end < 0 {
			b.WriteString(arn[i:])
			break
		}
		name := arn[i+2 : i+end]
		switch {
		case strings.HasPrefix(name, "stageVariables."):
			b.WriteString(stage.Variables[strings.TrimPrefix(name, "stageVariables.")])
		case name == "AWS::Region":
			b.WriteString(api.opts.Region)
		case name == "AWS::AccountId":
			b.WriteString(api.opts.AccountID)
		case name == "AWS::Partition":
			b.WriteString("aws")
		default:
			logical, _, _ := strings.Cut(name, ".")
			if i == 0 && end == len(arn)-1 {
				// The whole ARN is the reference.
				b.WriteString("arn:aws:lambda:" + api.opts.Region + ":" + api.opts.AccountID + ":function:" + logical)
			} else {
				b.WriteString(logical)
			}
		}
		i += end
	}
	return b.String()
}

// executeARN is arn:aws:execute-api:{region}:{account}:{api}/{rest}.
func (api *API) executeARN(rest string) string {
	return "arn:aws:execute-api:" + api.opts.Region + ":" + api.opts.AccountID + ":" + api.ID + "/" + rest
}

// invoke calls a function for an integration and maps failures to gateway
// errors.
func (api *API) invoke(ctx context.Context, rq *request, call *FunctionCall) (*FunctionResult, *gatewayError) {
	if api.opts.Functions == nil {
		return nil, newError(errAPIConfiguration, "no Lambda functions are configured (gwc serve --function NAME=COMMAND or --lambda-endpoint URL)")
	}
	if rq.log.on() {
		rq.log.step(phaseIntegration, "Sending request to %s (source %s)", call.ARN, call.SourceARN)
	}
	start := time.Now()
	res, err := api.opts.Functions.Invoke(ctx, call)
	switch {
	case errors.Is(err, ErrTimeout):
		if rq.log.on() {
			rq.log.step(phaseIntegration, "Execution failed due to a timeout error (timeout %d ms)", call.Timeout.Milliseconds())
		}
		return nil, newError(errIntegrationTimeout, err.Error())
	case errors.Is(err, ErrPayloadTooLarge) && rq.method.integ.typ == "AWS_PROXY":
		if rq.log.on() {
			rq.log.step(phaseIntegration, "Lambda invocation failed: %v", err)
		}
		return nil, proxyError(err.Error())
	case err != nil:
		if rq.log.on() {
			rq.log.step(phaseIntegration, "Execution failed due to configuration error: Invalid function or permissions: %v", err)
		}
		return nil, newError(errAPIConfiguration, err.Error())
	}
	if rq.log.on() {
		rq.log.step(phaseIntegration, "Received response. Integration latency: %d ms", time.Since(start).Milliseconds())
		rq.log.step(phaseIntegration, "Endpoint response body before transformations: %s", logBody(res.Payload))
	}
	return res, nil
}

// lambdaProxy serves an AWS_PROXY integration (§9.5).
func (api *API) lambdaProxy(ctx context.Context, rq *request) *response {
	in := &rq.method.integ
	if in.httpMethod != "POST" {
		// Recorded: any other integration verb fails every call with 500.
		return api.gatewayResponse(rq, newError(errAPIConfiguration, "Lambda is invoked with POST, the integration uses "+in.httpMethod))
	}
	event := api.proxyEvent(rq, false)
	if rq.log.on() {
		rq.log.step(phaseIntegrationRequest, "Endpoint request body after transformations: %s", logBody(event))
	}
	call := &FunctionCall{
		ARN:       api.resolveARN(in.function, rq.stage),
		Payload:   event,
		SourceARN: api.executeARN(rq.stage.Name + "/" + rq.method.Verb + rq.method.Resource.Path),
		Timeout:   in.timeout,
	}
	start := time.Now()
	res, gerr := api.invoke(ctx, rq, call)
	latency := time.Since(start)
	if gerr != nil {
		resp := api.gatewayResponse(rq, gerr)
		resp.integrationLatency, resp.integrated = latency, true
		return resp
	}
	rq.integrationStatus = 200
	if res.FunctionError != "" {
		if rq.log.on() {
			rq.log.step(phaseIntegration, "Lambda execution failed with status 200 due to customer function error: %s", errorMessage(res.Payload))
		}
		resp := api.gatewayResponse(rq, proxyError("customer function error"))
		resp.integrationLatency, resp.integrated = latency, true
		return resp
	}
	resp, reason := api.proxyResult(rq, res.Payload)
	if resp == nil {
		if rq.log.on() {
			rq.log.step(phaseIntegration, "Execution failed due to configuration error: Malformed Lambda proxy response (%s)", reason)
		}
		resp = api.gatewayResponse(rq, proxyError("malformed Lambda proxy response: "+reason))
	} else {
		rq.log.step(phaseMethodResponse, "Successfully completed execution")
	}
	resp.integrationLatency, resp.integrated, resp.traced = latency, true, resp.err == nil
	return resp
}

// proxyError is the 502 a failed or malformed Lambda proxy answer gets: a
// DEFAULT_5XX error whose own status is 502 (§9.5.3, §12.2).
func proxyError(reason string) *gatewayError {
	e := newError(errDefault5XX, reason)
	e.status = 502
	return e
}

// errorMessage is a function error document's errorMessage.
func errorMessage(payload []byte) string {
	var doc struct {
		ErrorMessage *string `json:"errorMessage"`
	}
	if json.Unmarshal(payload, &doc) != nil || doc.ErrorMessage == nil {
		return ""
	}
	return *doc.ErrorMessage
}

// proxyEvent writes the version 1.0 event of §9.5.2; authorizer events
// (REQUEST type) are the same without body.
func (api *API) proxyEvent(rq *request, authorizer bool) []byte {
	w := &jsonWriter{b: make([]byte, 0, 1024+2*len(rq.body))}
	w.beginObject()
	if authorizer {
		w.key("type")
		w.str("REQUEST")
		w.key("methodArn")
		w.str(api.methodARN(rq))
	}
	w.key("resource")
	w.str(rq.method.Resource.Path)
	w.key("path")
	w.str(rq.eventPath)
	w.key("httpMethod")
	w.str(rq.verb)
	headers := api.eventHeaders(rq)
	w.key("headers")
	writeSingle(w, headers, true)
	w.key("multiValueHeaders")
	writeMulti(w, headers, true)
	w.key("queryStringParameters")
	writeSingle(w, &rq.query, false)
	w.key("multiValueQueryStringParameters")
	writeMulti(w, &rq.query, false)
	w.key("pathParameters")
	if rq.route.n == 0 {
		w.null()
	} else {
		w.beginObject()
		for i := 0; i < rq.route.n; i++ {
			p := rq.route.param(i)
			w.key(p.name)
			w.str(p.value)
		}
		w.endObject()
	}
	w.key("stageVariables")
	if len(rq.stage.variables) == 0 {
		w.null()
	} else {
		w.beginObject()
		for _, v := range rq.stage.variables {
			w.key(v.name)
			w.str(v.value)
		}
		w.endObject()
	}
	w.key("requestContext")
	api.writeRequestContext(w, rq)
	if !authorizer {
		binary := api.isBinary(rq.contentType()) && len(rq.body) > 0
		w.key("body")
		switch {
		case len(rq.body) == 0:
			w.null()
		case binary:
			w.str(base64.StdEncoding.EncodeToString(rq.body))
		default:
			w.str(string(rq.body))
		}
		w.key("isBase64Encoded")
		w.boolean(binary)
	}
	w.endObject()
	return w.b
}

// eventPath is the event's path: the raw request path after the stage,
// with leading duplicate slashes collapsed (§9.5.2).
func eventPath(p string) string {
	if strings.HasPrefix(p, "//") {
		return "/" + strings.TrimLeft(p, "/")
	}
	return p
}

// eventHeaders are the headers a proxy event carries: the client's,
// without Content-Length and Connection, with the X-Forwarded-* headers
// and the trace id API Gateway adds (§9.5.2).
func (api *API) eventHeaders(rq *request) *params {
	h := &params{names: make([]string, 0, len(rq.header.names)+4), values: make([]string, 0, len(rq.header.names)+4)}
	forwardedFor := ""
	for i, n := range rq.header.names {
		switch {
		case asciiFold(n, "Content-Length"), asciiFold(n, "Connection"):
			continue
		case asciiFold(n, "X-Forwarded-For"):
			forwardedFor = rq.header.values[i] + ", "
			continue
		case asciiFold(n, "X-Amzn-Trace-Id"), asciiFold(n, "X-Forwarded-Port"), asciiFold(n, "X-Forwarded-Proto"):
			continue
		}
		h.add(n, rq.header.values[i])
	}
	h.add("X-Amzn-Trace-Id", rq.traceID())
	h.add("X-Forwarded-For", forwardedFor+rq.sourceIP)
	port := "80"
	if _, p, ok := strings.Cut(rq.host, ":"); ok && p != "" && !strings.Contains(p, ":") {
		port = p
	}
	h.add("X-Forwarded-Port", port)
	h.add("X-Forwarded-Proto", "http")
	return h
}

func asciiFold(a, b string) bool {
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

// writeSingle writes the last value of each name, in the order names first
// appear; null when there are none (query strings) or {} (headers).
func writeSingle(w *jsonWriter, p *params, emptyObject bool) {
	if p.len() == 0 {
		writeNone(w, emptyObject)
		return
	}
	w.beginObject()
	for i, n := range p.names {
		if firstIndex(p, n) != i {
			continue
		}
		v, _ := p.get(n)
		w.key(n)
		w.str(v)
	}
	w.endObject()
}

// writeNone writes what an event holds for no parameters: {} for headers,
// null for query strings.
func writeNone(w *jsonWriter, emptyObject bool) {
	if emptyObject {
		w.beginObject()
		w.endObject()
	} else {
		w.null()
	}
}

// writeMulti writes every value of each name.
func writeMulti(w *jsonWriter, p *params, emptyObject bool) {
	if p.len() == 0 {
		writeNone(w, emptyObject)
		return
	}
	w.beginObject()
	for i, n := range p.names {
		if firstIndex(p, n) != i {
			continue
		}
		w.key(n)
		w.beginArray()
		for j := i; j < len(p.names); j++ {
			if p.names[j] == n {
				w.str(p.values[j])
			}
		}
		w.endArray()
	}
	w.endObject()
}

func firstIndex(p *params, name string) int {
	for i, n := range p.names {
		if n == name {
			return i
		}
	}
	return -1
}

// writeRequestContext writes the event's requestContext, $context as
// Lambda sees it, keys in the recorded (alphabetical) order.
func (api *API) writeRequestContext(w *jsonWriter, rq *request) {
	w.beginObject()
	kv := func(k, v string) {
		w.key(k)
		w.str(v)
	}
	kv("accountId", api.opts.AccountID)
	kv("apiId", api.ID)
	if rq.auth != nil && rq.auth.inEvent() {
		w.key("authorizer")
		rq.auth.writeEvent(w)
	}
	kv("deploymentId", api.DeploymentID)
	kv("domainName", rq.host)
	kv("domainPrefix", domainPrefix(rq.host))
	kv("extendedRequestId", rq.extID)
	kv("httpMethod", rq.verb)
	w.key("identity")
	w.beginObject()
	for _, f := range rq.identity() {
		if f.Value == nullValue && (f.Name == "apiKey" || f.Name == "apiKeyId") {
			// Present in events only for methods that take a key.
			continue
		}
		w.key(f.Name)
		w.strOrNull(f.Value, f.Value != nullValue)
	}
	w.endObject()
	kv("path", rq.fullPath)
	kv("protocol", "HTTP/1.1")
	kv("requestId", rq.requestID)
	kv("requestTime", requestTime(rq.start))
	w.key("requestTimeEpoch")
	w.integer(rq.start.UnixMilli())
	kv("resourceId", rq.method.Resource.ID)
	kv("resourcePath", rq.method.Resource.Path)
	kv("stage", rq.stage.Name)
	w.endObject()
}

func domainPrefix(host string) string {
	prefix, _, _ := strings.Cut(host, ".")
	return prefix
}

// proxyResult checks a Lambda proxy answer against the format of §9.5.3 and
// turns it into the response; nil and the reason when it is malformed.
func (api *API) proxyResult(rq *request, payload []byte) (*response, string) {
	f, reason := readProxyAnswer(payload)
	if reason != "" {
		return nil, reason
	}
	resp := &response{status: f.status, body: []byte(f.body)}
	if f.base64 && api.acceptsBinary(rq.accept()) {
		d, err := base64.StdEncoding.DecodeString(f.body)
		if err != nil {
			e := newError(errAPIConfiguration, "the body is not base64")
			r := api.gatewayResponse(rq, e)
			return r, ""
		}
		resp.body = d
	}
	mergeProxyHeaders(&resp.header, f.multi, f.single)
	for i, n := range resp.header.names {
		switch {
		case asciiFold(n, "Connection"), asciiFold(n, "Content-Length"), asciiFold(n, "Date"), asciiFold(n, "Server"):
			resp.header.names[i] = "x-amzn-Remapped-" + n
		}
	}
	return resp, ""
}

func proxyStatus(raw json.RawMessage) (int, bool) {
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, false
	}
	s, err := strconv.Atoi(n.String())
	if err != nil || s < 100 || s > 599 {
		return 0, false
	}
	return s, true
}

func scalarToken(dec *json.Decoder) (string, bool) {
	t, err := dec.Token()
	if err != nil {
		return "", false
	}
	switch v := t.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// mergeProxyHeaders merges multiValueHeaders and headers as API Gateway
// does (§9.5.3): the multi-value ones first, then the single values that
// are not already there, one header per name with its values joined by
// ", ", named as multiValueHeaders names it.
func mergeProxyHeaders(out *params, multi, single []Field) {
	type entry struct {
		name   string
		values []string
	}
	var entries []*entry
	find := func(name string) *entry {
		for _, e := range entries {
			if strings.EqualFold(e.name, name) {
				return e
			}
		}
		return nil
	}
	for _, f := range multi {
		e := find(f.Name)
		if e == nil {
			e = &entry{name: f.Name}
			entries = append(entries, e)
		}
		e.values = append(e.values, f.Value)
	}
	for _, f := range single {
		e := find(f.Name)
		if e == nil {
			entries = append(entries, &entry{name: f.Name, values: []string{f.Value}})
			continue
		}
		dup := false
		for _, v := range e.values {
			if v == f.Value {
				dup = true
			}
		}
		if !dup {
			e.values = append(e.values, f.Value)
		}
	}
	for _, e := range entries {
		out.add(e.name, strings.Join(e.values, ", "))
	}
}

// acceptsBinary reports whether a Lambda proxy's base64 body is decoded
// for this Accept type (§9.5.3): literal matching against the binary media
// types, where a configured type/* or */* matches and wildcards in the
// request do not.
func (api *API) acceptsBinary(accept string) bool {
	if accept == "" {
		return false
	}
	typ, sub, _ := strings.Cut(accept, "/")
	for _, r := range api.binary {
		switch {
		case r.typ == "*" && r.sub == "*":
			return true
		case r.typ == typ && (r.sub == "*" || r.sub == sub):
			return true
		}
	}
	return false
}

// lambdaCall carries out an AWS (non-proxy) Lambda integration (§9.6): the
// integration request body is the event; the answer becomes an endpoint
// response whose selection value is the function's errorMessage.
func (api *API) lambdaCall(ctx context.Context, rq *request, c *Call, async bool) (*Reply, string, *gatewayError) {
	payload := c.Body
	if len(bytes.TrimSpace(payload)) == 0 {
		payload = []byte("{}")
	}
	call := &FunctionCall{
		ARN:       api.resolveARN(rq.method.integ.function, rq.stage),
		Payload:   payload,
		SourceARN: api.executeARN(rq.stage.Name + "/" + rq.method.Verb + rq.method.Resource.Path),
		Async:     async,
		Timeout:   rq.method.integ.timeout,
	}
	res, gerr := api.invoke(ctx, rq, call)
	if gerr != nil {
		return nil, "", gerr
	}
	reply := &Reply{Status: 200, Body: res.Payload, Header: []Field{{"Content-Type", "application/json"}}}
	if async {
		reply.Status = 202
	}
	selector := ""
	if res.FunctionError != "" {
		reply.Header = append(reply.Header, Field{"X-Amz-Function-Error", res.FunctionError})
		selector = errorMessage(res.Payload)
	}
	return reply, selector, nil
}
