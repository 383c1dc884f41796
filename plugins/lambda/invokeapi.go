package lambda

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// InvokeAPI returns a handler that serves the Lambda Invoke API,
//
//	POST /2015-03-31/functions/{FunctionName}/invocations
//
// for the local functions, so that anything that speaks the Invoke API
// (an AWS SDK, the AWS CLI with --endpoint-url, another gwc with
// --lambda-endpoint) can run them. Answers follow the Invoke API
// reference: 200 with X-Amz-Function-Error for a function error, 202 for
// an Event invocation, 204 for DryRun, and errors in the shape the AWS
// SDKs parse (X-Amzn-ErrorType, {"Type": …, "Message": …}).
func (r *Router) InvokeAPI() http.Handler { return invokeAPI{r} }

type invokeAPI struct{ r *Router }

const invokePrefix = "/2015-03-31/functions/"

func (h invokeAPI) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rest, ok := strings.CutPrefix(req.URL.Path, invokePrefix)
	name, ok2 := strings.CutSuffix(rest, "/invocations")
	if !ok || !ok2 || name == "" || strings.Contains(name, "/") || req.Method != http.MethodPost {
		serviceError(w, http.StatusNotFound, "UnknownOperationException", "Unknown operation "+req.Method+" "+req.URL.Path)
		return
	}
	ref := name
	if q := req.URL.Query().Get("Qualifier"); q != "" {
		if _, q0 := splitRef(name); q0 == "" {
			ref = name + ":" + q
		}
	}
	f := h.r.local(ref)
	if f == nil {
		serviceError(w, http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+h.r.fullARN(ref))
		return
	}
	typ := req.Header.Get("X-Amz-Invocation-Type")
	limit := maxSyncRequest
	switch typ {
	case "", "RequestResponse", "DryRun":
	case "Event":
		limit = maxAsyncRequest
	default:
		serviceError(w, http.StatusBadRequest, "ValidationException", fmt.Sprintf(
			"1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]", typ))
		return
	}
	if typ == "" {
		typ = "RequestResponse"
	}
	body, tooLarge, err := readHTTPBody(req, limit)
	if err != nil {
		return
	}
	if tooLarge {
		n := req.ContentLength
		serviceError(w, http.StatusRequestEntityTooLarge, "RequestTooLargeException", fmt.Sprintf(
			"%s byte payload is too large for the %s invocation type (limit %d bytes)", sizeOf(n), typ, limit))
		return
	}
	if len(body) == 0 {
		body = []byte("{}")
	} else if !json.Valid(body) {
		serviceError(w, http.StatusBadRequest, "InvalidRequestContentException", "Could not parse request body into json: the payload is not valid JSON")
		return
	}
	var clientContext string
	if cc := req.Header.Get("X-Amz-Client-Context"); cc != "" {
		b, err := base64.StdEncoding.DecodeString(cc)
		if err != nil || !json.Valid(b) {
			serviceError(w, http.StatusBadRequest, "InvalidRequestContentException", "Client context must be a valid Base64-encoded JSON object.")
			return
		}
		clientContext = string(b)
	}
	hd := w.Header()
	hd["X-Amz-Executed-Version"] = []string{"$LATEST"}
	switch typ {
	case "DryRun":
		w.WriteHeader(http.StatusNoContent)
		return
	case "Event":
		inv := f.newInvocation(ref, body)
		hd["X-Amzn-Requestid"] = []string{string(inv.id[:])}
		f.run(req.Context(), inv, true, 0)
		w.WriteHeader(http.StatusAccepted)
		return
	}
	inv := f.newInvocation(ref, body)
	inv.clientContext = clientContext
	id := string(inv.id[:])
	res, err := f.run(req.Context(), inv, false, 0)
	if err != nil {
		if errors.Is(err, errClosed) {
			serviceError(w, http.StatusServiceUnavailable, "ServiceException", "the function is shutting down")
		}
		return // otherwise the caller hung up
	}
	hd["X-Amzn-Requestid"] = []string{id}
	hd["Content-Type"] = jsonContentType
	hd["Content-Length"] = []string{strconv.Itoa(len(res.Payload))}
	if res.FunctionError != "" {
		hd["X-Amz-Function-Error"] = []string{res.FunctionError}
	}
	w.WriteHeader(http.StatusOK)
	w.Write(res.Payload)
}

var jsonContentType = []string{"application/json"}

// readHTTPBody reads a request body of at most limit bytes; tooLarge
// reports a longer one, which is not read.
func readHTTPBody(r *http.Request, limit int) (body []byte, tooLarge bool, err error) {
	if r.ContentLength > int64(limit) {
		return nil, true, nil
	}
	body, err = io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		return nil, false, err
	}
	return body, len(body) > limit, nil
}

func sizeOf(n int64) string {
	if n < 0 {
		return "the"
	}
	return strconv.FormatInt(n, 10)
}

// fullARN completes a function reference into an ARN, as Lambda names
// functions in its messages.
func (r *Router) fullARN(ref string) string {
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	if strings.Contains(ref, ":function:") { // account:function:name
		return "arn:aws:lambda:" + r.region + ":" + ref
	}
	return "arn:aws:lambda:" + r.region + ":" + r.account + ":function:" + ref
}

// serviceError answers with an Invoke API error: the error code in
// X-Amzn-ErrorType, the message in the body, as Lambda does.
func serviceError(w http.ResponseWriter, status int, code, message string) {
	b, _ := json.Marshal(struct {
		Type    string `json:"Type"`
		Message string `json:"Message"`
	}{"User", message})
	if status >= 500 {
		b, _ = json.Marshal(struct {
			Type    string `json:"Type"`
			Message string `json:"Message"`
		}{"Service", message})
	}
	h := w.Header()
	h["X-Amzn-Errortype"] = []string{code}
	h["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	w.Write(b)
}
