package sigv4

import (
	"sort"
	"strings"

	"github.com/aws/smithy-go/encoding/httpbinding"

	"gwc.dev/gwc/runtime"
)

// authorization is what an Authorization header says.
type authorization struct {
	algorithm, credential, signedHeaders, signature string
	// hasSignedHeaders tells an empty SignedHeaders= from none.
	hasSignedHeaders bool
}

// parseAuthorization reads "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
// Signature=…". A part without an equal sign is AWS's error (returned as
// the message); a missing part is left empty, for the caller to report
// with the others. Parts may be separated by commas and spaces in any
// number; unknown parts are ignored; a repeated part keeps its first
// value.
func parseAuthorization(h string) (authorization, string) {
	var a authorization
	s := strings.TrimSpace(h)
	alg, rest, _ := strings.Cut(s, " ")
	a.algorithm = alg
	seen := map[string]bool{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return a, "'" + part + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" + h + "'."
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if seen[k] {
			continue
		}
		seen[k] = true
		switch k {
		case "Credential":
			a.credential = v
		case "SignedHeaders":
			a.signedHeaders, a.hasSignedHeaders = v, true
		case "Signature":
			a.signature = v
		}
	}
	return a, ""
}

// headers are a request's header fields, names as the client wrote them.
type headers []runtime.Field

// values returns every value of a header, matching the name
// case-insensitively, in order.
func (h headers) values(name string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f.Value)
		}
	}
	return out
}

func (h headers) last(name string) (string, bool) {
	vs := h.values(name)
	if len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

// queryParams are a query string's parameters, decoded, in order.
type queryParams []queryParam

type queryParam struct{ name, value string }

// parseQuery splits a raw query string into decoded parameters: "+" is a
// space, as in the SDK's signer (which reads the query with url.Query); a
// "%" that starts no valid escape stands for itself, and ";" is an
// ordinary character, where the SDK would drop the parameter (a Go
// limitation, not SigV4's rule).
func parseQuery(raw string) queryParams {
	var ps queryParams
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		ps = append(ps, queryParam{unescape(k), unescape(v)})
	}
	return ps
}

func (ps queryParams) first(name string) (string, bool) {
	for _, p := range ps {
		if p.name == name {
			return p.value, true
		}
	}
	return "", false
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if i+2 < len(s) {
				hi, ok1 := unhex(s[i+1])
				lo, ok2 := unhex(s[i+2])
				if ok1 && ok2 {
					b = append(b, hi<<4|lo)
					i += 2
					continue
				}
			}
			b = append(b, c)
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// escape encodes all but SigV4's unreserved characters (A-Z a-z 0-9 - _
// . ~), with upper-case hexadecimal digits.
func escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// canonicalQuery encodes every parameter's name and value and sorts the
// pairs after encoding, as the specification says (the SDK's EncodeQuery
// explains why the order matters); a presigned request's signature is
// left out.
func canonicalQuery(ps queryParams, presigned bool) string {
	pairs := make([]queryParam, 0, len(ps))
	for _, p := range ps {
		if presigned && p.name == "X-Amz-Signature" {
			continue
		}
		pairs = append(pairs, queryParam{escape(p.name), escape(p.value)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].name != pairs[j].name {
			return pairs[i].name < pairs[j].name
		}
		return pairs[i].value < pairs[j].value
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name + "=" + p.value)
	}
	return b.String()
}

// canonicalValue trims a header value and collapses runs of spaces, as
// the SDK's signer does.
func canonicalValue(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "  ") {
		return v
	}
	var b strings.Builder
	space := false
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// canonicalRequest builds SigV4's canonical request from exactly what the
// client signed: its signed headers, in its order and spelling, their
// values found case-insensitively (several fields of one name joined by
// commas), and the path encoded once more, as for every service but S3
// (the SDK's signer does the same with httpbinding.EscapePath).
func canonicalRequest(method, path string, query queryParams, presigned bool, signed []string, signedHeaders string, h headers, payloadHash string) string {
	if path == "" {
		path = "/"
	}
	var b strings.Builder
	b.WriteString(method + "\n")
	b.WriteString(httpbinding.EscapePath(path, false) + "\n")
	b.WriteString(canonicalQuery(query, presigned) + "\n")
	for _, name := range signed {
		lookup := name
		if name == ":authority" {
			// HTTP/2's pseudo-header is the request's host.
			lookup = "host"
		}
		vs := h.values(lookup)
		for i := range vs {
			vs[i] = canonicalValue(vs[i])
		}
		b.WriteString(name + ":" + strings.Join(vs, ",") + "\n")
	}
	b.WriteString("\n" + signedHeaders + "\n" + payloadHash)
	return b.String()
}
