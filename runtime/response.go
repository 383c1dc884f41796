package runtime

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"

	"gwc.dev/gwc/internal/mapexpr"
	"gwc.dev/gwc/vtl/apigw"
)

// remapped are the method response headers API Gateway renames to
// x-amzn-Remapped-<name> for non-proxy integrations (§10.3).
var remapped = map[string]bool{"authorization": true, "connection": true, "content-length": true, "content-md5": true,
	"date": true, "expect": true, "host": true, "max-forwards": true, "proxy-authenticate": true, "server": true,
	"trailer": true, "upgrade": true, "user-agent": true, "www-authenticate": true}

// integrationResponse turns a non-proxy integration's answer into the
// method response (§10, §11): it selects the integration response by
// matching the status code against the selection patterns, maps headers,
// renders the response template and applies overrides.
// The selection value is the status code for HTTP and MOCK integrations
// and the function's errorMessage for Lambda ("" when it succeeded, which
// only a pattern matching the empty string, such as .*, selects).
func (api *API) integrationResponse(rq *request, reply *Reply, selector string, reqOv apigw.Overrides) (*response, *gatewayError) {
	in := &rq.method.integ
	ir := in.def
	for _, r := range in.responses {
		if r.pattern.Matches(selector) {
			ir = r
			break
		}
	}
	if ir == nil {
		if rq.log.on() {
			rq.log.step(phaseIntegrationResponse, "Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: %d", reply.Status)
		}
		return nil, newError(errAPIConfiguration, "no integration response matches status "+selector)
	}
	if ir.pattern != nil {
		if rq.log.on() {
			rq.log.step(phaseIntegrationResponse, "Selection pattern %s matches %s: integration response %d", ir.pattern, selector, ir.status)
		}
	} else {
		if rq.log.on() {
			rq.log.step(phaseIntegrationResponse, "No selection pattern matches %s: the default integration response, %d", selector, ir.status)
		}
	}
	resp := &response{status: ir.status}
	for _, mp := range ir.params {
		v, ok, gerr := api.responseSource(rq, reply, mp.source)
		if gerr != nil {
			return nil, gerr
		}
		if ok {
			resp.header.set(mp.header, v, true)
		}
	}
	body, gerr := api.responseBody(rq, reply, ir, resp, reqOv)
	if gerr != nil {
		return nil, gerr
	}
	resp.body = body
	if mr := rq.method.responses[resp.status]; mr == nil && !resp.overridden {
		if rq.log.on() {
			rq.log.step(phaseMethodResponse, "Execution failed due to configuration error: Output mapping refers to an invalid method response: %d", resp.status)
		}
		return nil, newError(errAPIConfiguration, "no method response for status "+strconv.Itoa(resp.status))
	}
	// Protected header names are renamed, Transfer-Encoding dropped.
	for i, n := range resp.header.names {
		if inFold(remapped, n) {
			resp.header.names[i] = "x-amzn-Remapped-" + n
		}
	}
	resp.header.del("Transfer-Encoding", true)
	if rq.log.on() {
		rq.log.step(phaseMethodResponse, "Method response body after transformations: %s", logBody(resp.body))
		rq.log.step(phaseMethodResponse, "Method response headers: %s", javaMap(&resp.header))
		rq.log.step(phaseMethodResponse, "Successfully completed execution")
	}
	return resp, nil
}

// responseBody renders the response template selected by the request's
// Accept (§10.4) and applies the response content handling (§10.5).
func (api *API) responseBody(rq *request, reply *Reply, ir *integrationResponse, resp *response, reqOv apigw.Overrides) ([]byte, *gatewayError) {
	ctype, _ := reply.header("Content-Type")
	payloadBinary := api.isBinary(mediaType(ctype))
	acceptBinary := api.isBinary(rq.accept())
	body := reply.Body
	tmpl := selectTemplate(ir.templates, rq.accept())
	if tmpl == nil {
		tmpl = selectTemplate(ir.templates, "application/json")
	}
	if tmpl == nil && len(ir.templates) > 0 {
		tmpl = &ir.templates[0]
	}
	ov := reqOv
	if tmpl != nil && strings.TrimSpace(tmpl.text) != "" {
		if payloadBinary && ir.contentHandling != "CONVERT_TO_TEXT" {
			return nil, newError(errAPIConfiguration, "a mapping template cannot be applied to a binary payload")
		}
		if payloadBinary {
			body = []byte(base64.StdEncoding.EncodeToString(body))
			payloadBinary = false
		}
		var out bytes.Buffer
		var err error
		ov, err = apigw.Render(tmpl.t, api.templateRequest(rq, tmpl, body, true), &out)
		if err != nil {
			if rq.log.on() {
				rq.log.step(phaseIntegrationResponse, "Execution failed due to configuration error: the response template for %s failed: %v", tmpl.contentType, err)
			}
			return nil, newError(errAPIConfiguration, "response template: "+err.Error())
		}
		body = out.Bytes()
		if rq.log.on() {
			rq.log.step(phaseIntegrationResponse, "Response template for content type %s applied", tmpl.contentType)
		}
	}
	for i := 0; i < ov.ResponseHeader.Len(); i++ {
		n, v := ov.ResponseHeader.At(i)
		resp.header.set(n, v, true)
	}
	if ov.ResponseStatus != 0 {
		resp.status = ov.ResponseStatus
		resp.overridden = true
	}
	return convertResponse(body, payloadBinary, acceptBinary, ir.contentHandling)
}

// convertResponse applies the response content handling table (§10.5).
func convertResponse(body []byte, payloadBinary, acceptBinary bool, handling string) ([]byte, *gatewayError) {
	decode := func() ([]byte, *gatewayError) {
		d, err := base64.StdEncoding.DecodeString(string(body))
		if err != nil {
			return nil, newError(errAPIConfiguration, "the payload cannot be decoded as base64")
		}
		return d, nil
	}
	encode := func() ([]byte, *gatewayError) {
		return []byte(base64.StdEncoding.EncodeToString(body)), nil
	}
	switch {
	case !payloadBinary && handling == "CONVERT_TO_BINARY":
		return decode()
	case !payloadBinary && acceptBinary && handling == "":
		return decode()
	case payloadBinary && handling == "CONVERT_TO_TEXT":
		return encode()
	case payloadBinary && !acceptBinary && handling == "":
		return encode()
	}
	return body, nil
}

// responseSource evaluates an integration response mapping source
// (§10.3).
func (api *API) responseSource(rq *request, reply *Reply, e mapexpr.Expr) (string, bool, *gatewayError) {
	switch e.Kind {
	case mapexpr.Literal:
		return e.Value, true, nil
	case mapexpr.StageVariable:
		v, ok := rq.stage.Variables[e.Name]
		return v, ok, nil
	case mapexpr.ContextVariable:
		v, ok := rq.contextValue(e.Name)
		return v, ok, nil
	case mapexpr.IntegrationResponseHeader:
		if e.Location == "multivalueheader" {
			vs := reply.headers(e.Name)
			return strings.Join(vs, ","), len(vs) > 0, nil
		}
		v, ok := reply.header(e.Name)
		return v, ok, nil
	case mapexpr.IntegrationResponseBody:
		vs, gerr := bodySource(reply.Body, e.JSONPath, "")
		if gerr != nil {
			return "", false, newError(errAPIConfiguration, "the integration response body is not valid JSON")
		}
		if len(vs) == 0 {
			return "", false, nil
		}
		return vs[0], true, nil
	}
	return "", false, nil
}

// gatewayResponse answers a gateway error with the configured response of
// its type (§12): status, headers and the template chosen by the request's
// Accept, with its $context and $stageVariables references substituted.
func (api *API) gatewayResponse(rq *request, e *gatewayError) (resp *response) {
	info := errInfo[e.typ]
	defer func() {
		if rq.log.on() {
			rq.log.step(phaseGatewayResponse, "Gateway response type: %s with status code: %d (%s)", info.name, resp.status, e.reason)
			rq.log.step(phaseGatewayResponse, "Gateway response body: %s", logBody(resp.body))
		}
	}()
	resp = &response{status: e.status, errorType: info.errorType, err: e}
	if e.errorType != "" {
		resp.errorType = e.errorType
	}
	if e.typ == errRequestTooLarge {
		resp.body = []byte(info.message)
		resp.plain = true
		return resp
	}
	gr := &api.gateway[e.typ]
	if gr.status != 0 {
		resp.status = gr.status
	}
	if !gr.custom && info.literal != "" && e.message == info.message {
		resp.body = []byte(info.literal)
		return resp
	}
	if !gr.custom && e.typ == errAccessDenied {
		// Observed with a capital M (§4.6).
		resp.body = []byte(`{"Message":` + jsonString(e.message) + `}`)
		return resp
	}
	for _, p := range gr.params {
		if v, ok := rq.sourceValue(p.source); ok {
			resp.header.set(p.header, v, true)
		}
	}
	var tmpl *gatewayTemplate
	accept := rq.accept()
	for i := range gr.templates {
		if gr.templates[i].contentType == accept {
			tmpl = &gr.templates[i]
		}
	}
	if tmpl == nil {
		for i := range gr.templates {
			if gr.templates[i].contentType == "application/json" {
				tmpl = &gr.templates[i]
			}
		}
	}
	if tmpl == nil && len(gr.templates) > 0 {
		tmpl = &gr.templates[0]
	}
	if tmpl != nil {
		var b strings.Builder
		for _, part := range tmpl.parts {
			if part.ref == nil {
				b.WriteString(part.text)
				continue
			}
			b.WriteString(api.gatewayRef(rq, e, part.ref))
		}
		resp.body = []byte(b.String())
		if tmpl.contentType != "application/json" {
			resp.header.set("Content-Type", tmpl.contentType, true)
		}
	}
	return resp
}

// gatewayRef resolves a reference in a gateway response template.
func (api *API) gatewayRef(rq *request, e *gatewayError, ref []string) string {
	switch {
	case len(ref) == 3 && ref[0] == "context" && ref[1] == "error":
		switch ref[2] {
		case "message":
			return e.message
		case "messageString":
			if e.null {
				return "null"
			}
			return jsonString(e.message)
		case "responseType":
			return errInfo[e.typ].name
		case "validationErrorString":
			return e.validation
		}
		return ""
	case len(ref) >= 2 && ref[0] == "context":
		v, _ := rq.contextValue(strings.Join(ref[1:], "."))
		return v
	case len(ref) == 2 && ref[0] == "stageVariables":
		return rq.stage.Variables[ref[1]]
	}
	return ""
}
