package runtime

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/apigw"
)

// params is an ordered list of name/value pairs that may repeat, such as
// headers (with the client's name case) or query string parameters.
type params struct {
	names  []string
	values []string
}

func (p *params) add(name, value string) {
	p.names = append(p.names, name)
	p.values = append(p.values, value)
}

func (p *params) reset() {
	p.names = p.names[:0]
	p.values = p.values[:0]
}

func (p *params) len() int { return len(p.names) }

// get returns the last value of name, as API Gateway's single-value
// sources do (§7.2).
func (p *params) get(name string) (string, bool) {
	for i := len(p.names) - 1; i >= 0; i-- {
		if p.names[i] == name {
			return p.values[i], true
		}
	}
	return "", false
}

// getFold is get with the name compared case-insensitively, for headers.
func (p *params) getFold(name string) (string, bool) {
	for i := len(p.names) - 1; i >= 0; i-- {
		if strings.EqualFold(p.names[i], name) {
			return p.values[i], true
		}
	}
	return "", false
}

// all returns every value of name, in order.
func (p *params) all(name string, fold bool) []string {
	var out []string
	for i, n := range p.names {
		if n == name || fold && strings.EqualFold(n, name) {
			out = append(out, p.values[i])
		}
	}
	return out
}

// set replaces every value of name (compared case-insensitively when fold)
// with one value, keeping the position of the first.
func (p *params) set(name, value string, fold bool) {
	at := -1
	for i := 0; i < len(p.names); i++ {
		if p.names[i] == name || fold && strings.EqualFold(p.names[i], name) {
			if at < 0 {
				at = i
				p.names[i], p.values[i] = name, value
				continue
			}
			p.names = append(p.names[:i], p.names[i+1:]...)
			p.values = append(p.values[:i], p.values[i+1:]...)
			i--
		}
	}
	if at < 0 {
		p.add(name, value)
	}
}

// fields returns the pairs as Fields.
func (p *params) fields() []Field {
	out := make([]Field, len(p.names))
	for i, n := range p.names {
		out[i] = Field{n, p.values[i]}
	}
	return out
}

// del removes every value of name.
func (p *params) del(name string, fold bool) {
	for i := 0; i < len(p.names); i++ {
		if p.names[i] == name || fold && strings.EqualFold(p.names[i], name) {
			p.names = append(p.names[:i], p.names[i+1:]...)
			p.values = append(p.values[:i], p.values[i+1:]...)
			i--
		}
	}
}

// request is the state of one request through the lifecycle.
type request struct {
	api    *API
	stage  *Stage
	method *Method
	verb   string
	// signedVerb is the verb as sent, before X-HTTP-Method-Override.
	signedVerb string
	// path is the raw request path after the stage; fullPath is the raw
	// path as received (with the stage), $context.path.
	path     string
	fullPath string
	// eventPath is the path Lambda proxy events and method ARNs show: the
	// path after the stage, or the whole path on a custom domain.
	eventPath string
	route     routeMatch
	query     params // decoded, in order
	rawQuery  string
	header    params // the client's names, in order
	body      []byte

	host      string
	sourceIP  string
	protocol  string
	requestID string
	extID     string
	start     time.Time
	// ctx is the $context tree, built when first needed and shared by the
	// request and response templates.
	ctx *vtl.Map
	// trace is the X-Amzn-Trace-Id sent to the backend.
	trace string
	// auth is what authorization established; caller is the AWS_IAM
	// signer. Both are nil for methods without authorization.
	auth   *authResult
	caller *Caller
	// apiKey and apiKeyID are the API key of a method that requires one.
	apiKey, apiKeyID string
	// integrationStatus is the status the integration answered with.
	integrationStatus int
	// latency is the whole request's, for the access log.
	latency time.Duration
	// buf holds the body; it is kept with the pooled request.
	buf []byte
	// tmpl is what templates see of the request, built for the first
	// template and shared by the second.
	tmpl      apigw.Request
	tmplReady bool

	log *ExecutionLog
}

func (rq *request) pathParam(name string) (string, bool) {
	for i := 0; i < rq.route.n; i++ {
		if p := rq.route.param(i); p.name == name {
			return p.value, true
		}
	}
	return "", false
}

// parseQuery decodes a raw query string as API Gateway does (§2.3): "+" is
// a space and %XX is decoded; a value that does not decode is kept raw.
func (rq *request) parseQuery(raw string) {
	rq.rawQuery = raw
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		rq.query.add(queryUnescape(k), queryUnescape(v))
	}
}

func queryUnescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// mediaType returns the media type of a Content-Type or Accept value,
// lower case, without parameters; "" when absent.
func mediaType(v string) string {
	if i := strings.IndexByte(v, ';'); i >= 0 {
		v = v[:i]
	}
	return strings.ToLower(strings.TrimSpace(v))
}

// contentType is the request's media type, application/json when it sends
// none (§7.3).
func (rq *request) contentType() string {
	if v, ok := rq.header.getFold("Content-Type"); ok && mediaType(v) != "" {
		return mediaType(v)
	}
	return "application/json"
}

// accept is the first media type of the request's Accept header,
// application/json when it sends none (§10.4).
func (rq *request) accept() string {
	v, ok := rq.header.getFold("Accept")
	if !ok {
		return "application/json"
	}
	first, _, _ := strings.Cut(v, ",")
	if mt := mediaType(first); mt != "" {
		return mt
	}
	return "application/json"
}

// jsonString encodes s as a JSON string without HTML escaping.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
