package runtime

import (
	"io"
	"strconv"
	"strings"
	"sync"
)

// DefaultAccessLogFormat is the format of stages that configure none: the
// CLF preset of gwc build.
const DefaultAccessLogFormat = `$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId`

// AccessLog writes access log lines to a writer, one per request, in the
// format of the request's stage. A value API Gateway would leave empty is
// written as "-", as in CloudWatch access logs.
type AccessLog struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

// NewAccessLog returns an access log writing to w.
func NewAccessLog(w io.Writer) *AccessLog { return &AccessLog{w: w} }

var defaultAccessFormat = parseSubstitution(DefaultAccessLogFormat)

func (l *AccessLog) write(rq *request, resp *response) {
	format := defaultAccessFormat
	if rq.stage != nil && rq.stage.accessLog != nil {
		format = rq.stage.accessLog
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buf[:0]
	for _, part := range format {
		if part.ref == nil {
			b = append(b, part.text...)
			continue
		}
		v, ok := accessValue(rq, resp, part.ref)
		if !ok || v == "" {
			v = "-"
		}
		b = append(b, v...)
	}
	b = append(b, '\n')
	l.buf = b
	_, _ = l.w.Write(b)
}

// accessValue resolves a $context reference of an access log format,
// including the variables that describe the response.
func accessValue(rq *request, resp *response, ref []string) (string, bool) {
	if len(ref) < 2 || ref[0] != "context" {
		return "", false
	}
	name := strings.Join(ref[1:], ".")
	switch name {
	case "status":
		return strconv.Itoa(resp.status), true
	case "responseLength":
		return strconv.Itoa(len(resp.body)), true
	case "responseLatency":
		return strconv.FormatInt(rq.latency.Milliseconds(), 10), true
	case "integrationLatency", "integration.latency":
		if !resp.integrated {
			return "", false
		}
		return strconv.FormatInt(resp.integrationLatency.Milliseconds(), 10), true
	case "integrationStatus", "integration.status", "integration.integrationStatus":
		if rq.integrationStatus == 0 {
			return "", false
		}
		return strconv.Itoa(rq.integrationStatus), true
	case "error.message":
		if resp.err == nil {
			return "", false
		}
		return resp.err.message, true
	case "error.messageString":
		if resp.err == nil {
			return "", false
		}
		return jsonString(resp.err.message), true
	case "error.responseType":
		if resp.err == nil {
			return "", false
		}
		return errInfo[resp.err.typ].name, true
	case "error.validationErrorString":
		if resp.err == nil {
			return "", false
		}
		return resp.err.validation, true
	}
	if rq.stage == nil {
		// No stage: only what the server knew before resolving one.
		switch name {
		case "requestId":
			return rq.requestID, true
		case "extendedRequestId":
			return rq.extID, true
		case "httpMethod":
			return rq.verb, true
		case "identity.sourceIp":
			return rq.sourceIP, true
		case "requestTime":
			return requestTime(rq.start), true
		case "protocol":
			return rq.protocol, true
		}
		return "", false
	}
	return rq.contextValue(name)
}
