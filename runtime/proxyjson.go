package runtime

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// A Lambda proxy answer (§9.5.3) is read on every proxied request, so it
// is read in one pass over the payload with no intermediate map or
// decoder: the scanner below validates JSON as encoding/json does
// (grammar, control characters, nesting depth) and hands over the
// fields' values as they come. Strings with escapes or non-ASCII bytes
// are decoded by encoding/json itself, so the text of every value is
// exactly what encoding/json would give.

// maxJSONDepth is encoding/json's nesting limit; deeper is invalid.
const maxJSONDepth = 10000

// proxyFields is what one pass over a proxy answer found. A field may
// appear more than once; as with a decoded map, the last one counts, so
// each field's problem is kept beside it and replaced with it.
type proxyFields struct {
	status              int
	statusErr           string
	single, multi       []Field
	singleErr, multiErr string
	body                string
	bodyErr             string
	base64              bool
	base64Err           string
	// unknown is the first field that is none of the above.
	unknown     bool
	unknownName string
}

// readProxyAnswer reads a proxy answer: its fields, or why it is
// malformed. With several problems, the reason is the first of: not an
// object, text after it, an unknown field, then the fields' own problems
// in the order of §9.5.3's format.
func readProxyAnswer(payload []byte) (proxyFields, string) {
	f := proxyFields{status: 200}
	ok, reason := scanProxyAnswer(payload, &f)
	switch {
	case !ok:
		return f, "the result is not a JSON object"
	case reason != "":
		return f, reason
	case f.unknown:
		return f, "unknown field " + strconv.Quote(f.unknownName)
	}
	for _, problem := range []string{f.statusErr, f.singleErr, f.multiErr, f.bodyErr, f.base64Err} {
		if problem != "" {
			return f, problem
		}
	}
	return f, ""
}

// scanProxyAnswer reads payload as a proxy answer. It returns false when
// the payload is not a JSON object (or not JSON at all), and the reason
// when there is text after the object.
func scanProxyAnswer(payload []byte, f *proxyFields) (ok bool, reason string) {
	s := jsonScanner{b: payload}
	s.space()
	if s.peek() != '{' {
		return false, ""
	}
	valid := s.object(func(name stringToken) bool {
		v, ok := name.value()
		return ok && s.field(v, f)
	})
	if !valid {
		return false, ""
	}
	s.space()
	if s.i < len(s.b) {
		return true, "text after the JSON object"
	}
	return true, ""
}

// field reads the value of one top-level field; false on invalid JSON.
func (s *jsonScanner) field(name string, f *proxyFields) bool {
	switch name {
	case "statusCode":
		start := s.i
		isNumber := s.peek() == '-' || isDigit(s.peek())
		if !s.skip(1) {
			return false
		}
		raw := s.b[start:s.i]
		f.statusErr = ""
		if isNumber {
			n, err := strconv.Atoi(string(raw))
			if err == nil && n >= 100 && n <= 599 {
				f.status = n
				return true
			}
		} else if n, ok := proxyStatus(raw); ok {
			f.status = n
			return true
		}
		f.statusErr = "statusCode is not an integer: " + string(raw)
		return true
	case "headers":
		f.single, f.singleErr = nil, ""
		return s.headers(&f.single, &f.singleErr, false)
	case "multiValueHeaders":
		f.multi, f.multiErr = nil, ""
		return s.headers(&f.multi, &f.multiErr, true)
	case "body":
		f.body, f.bodyErr = "", ""
		switch s.peek() {
		case '"':
			v, ok := s.str()
			f.body = v
			return ok
		case 'n':
			return s.literal("null")
		}
		f.bodyErr = "body is not a string"
		return s.skip(1)
	case "isBase64Encoded":
		f.base64, f.base64Err = false, ""
		switch s.peek() {
		case 't':
			f.base64 = true
			return s.literal("true")
		case 'f':
			return s.literal("false")
		case 'n':
			return s.literal("null")
		}
		f.base64Err = "isBase64Encoded is not a boolean"
		return s.skip(1)
	}
	if !f.unknown {
		f.unknown, f.unknownName = true, name
	}
	return s.skip(1)
}

// headers reads headers (an object of scalars) or multiValueHeaders (an
// object of lists of scalars); null is none. Strings, numbers (their
// text) and booleans are values; anything else is a problem, reported in
// *problem, while the scan goes on to validate the rest.
func (s *jsonScanner) headers(out *[]Field, problem *string, multi bool) bool {
	what := "headers is not an object of strings"
	if multi {
		what = "multiValueHeaders is not an object of lists"
	}
	switch s.peek() {
	case 'n':
		return s.literal("null")
	case '{':
	default:
		*problem = what
		return s.skip(1)
	}
	// value reads one value of the header called name, inside depth
	// objects and lists.
	var name string
	value := func(depth int) bool {
		v, ok, valid := s.scalar(depth)
		switch {
		case !valid:
			return false
		case !ok:
			*problem = what
		case *problem == "":
			*out = append(*out, Field{name, v})
		}
		return true
	}
	valid := s.object(func(n stringToken) bool {
		var ok bool
		if name, ok = n.value(); !ok {
			return false
		}
		if !multi {
			return value(2)
		}
		if s.peek() != '[' {
			*problem = what
			return s.skip(2)
		}
		return s.list(func() bool { return value(3) })
	})
	if *problem != "" {
		*out = nil
	}
	return valid
}

// scalar reads a header value, inside depth open objects and lists: a
// string, a number's text or a boolean (ok); null, an object or a list is
// valid JSON but no value (!ok); valid is false on invalid JSON.
func (s *jsonScanner) scalar(depth int) (v string, ok, valid bool) {
	switch c := s.peek(); {
	case c == '"':
		v, valid = s.str()
		return v, true, valid
	case c == 't':
		return "true", true, s.literal("true")
	case c == 'f':
		return "false", true, s.literal("false")
	case c == '-' || isDigit(c):
		start := s.i
		if !s.number() {
			return "", false, false
		}
		return string(s.b[start:s.i]), true, true
	}
	return "", false, s.skip(depth)
}

// jsonScanner walks a JSON text.
type jsonScanner struct {
	b []byte
	i int
}

func (s *jsonScanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jsonScanner) literal(word string) bool {
	if len(s.b)-s.i >= len(word) && string(s.b[s.i:s.i+len(word)]) == word {
		s.i += len(word)
		return true
	}
	return false
}

// skip passes over one value inside depth open objects and lists,
// checking it.
func (s *jsonScanner) skip(depth int) bool {
	switch c := s.peek(); {
	case c == '"':
		_, ok := s.strEnd()
		return ok
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || isDigit(c):
		return s.number()
	case c == '{':
		return depth < maxJSONDepth && s.object(func(stringToken) bool { return s.skip(depth + 1) })
	case c == '[':
		return depth < maxJSONDepth && s.list(func() bool { return s.skip(depth + 1) })
	}
	return false
}

// object passes over the object whose { is at the scanner, calling member
// with each member's name once the colon after it is read; member reads
// the value.
func (s *jsonScanner) object(member func(name stringToken) bool) bool {
	s.i++
	s.space()
	if s.peek() == '}' {
		s.i++
		return true
	}
	for {
		s.space()
		start := s.i
		plain, ok := s.strEnd()
		if !ok {
			return false
		}
		name := stringToken{s.b[start:s.i], plain}
		s.space()
		if s.peek() != ':' {
			return false
		}
		s.i++
		s.space()
		if !member(name) {
			return false
		}
		s.space()
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

// list passes over the list whose [ is at the scanner, calling elem to
// read each element.
func (s *jsonScanner) list(elem func() bool) bool {
	s.i++
	s.space()
	if s.peek() == ']' {
		s.i++
		return true
	}
	for {
		s.space()
		if !elem() {
			return false
		}
		s.space()
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return true
		default:
			return false
		}
	}
}

// number passes over a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *jsonScanner) number() bool {
	if s.peek() == '-' {
		s.i++
	}
	switch c := s.peek(); {
	case c == '0':
		s.i++
	case c >= '1' && c <= '9':
		for isDigit(s.peek()) {
			s.i++
		}
	default:
		return false
	}
	if s.peek() == '.' {
		s.i++
		if !isDigit(s.peek()) {
			return false
		}
		for isDigit(s.peek()) {
			s.i++
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.i++
		if c := s.peek(); c == '+' || c == '-' {
			s.i++
		}
		if !isDigit(s.peek()) {
			return false
		}
		for isDigit(s.peek()) {
			s.i++
		}
	}
	return true
}

// strEnd passes over a string, checking it; plain reports whether it has
// no escape and only ASCII, so that its bytes are its value.
func (s *jsonScanner) strEnd() (plain, ok bool) {
	if s.peek() != '"' {
		return false, false
	}
	s.i++
	plain = true
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return plain, true
		case c < 0x20:
			return false, false
		case c == '\\':
			plain = false
			s.i++
			switch s.peek() {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i++
			case 'u':
				if len(s.b)-s.i < 5 {
					return false, false
				}
				for _, h := range s.b[s.i+1 : s.i+5] {
					if !isHex(h) {
						return false, false
					}
				}
				s.i += 5
			default:
				return false, false
			}
		case c >= utf8.RuneSelf:
			plain = false
			s.i++
		default:
			s.i++
		}
	}
	return false, false
}

// stringToken is a string token, quotes included; plain when it has no
// escape and only ASCII, so that its bytes are its value.
type stringToken struct {
	tok   []byte
	plain bool
}

// value decodes the string as encoding/json does.
func (t stringToken) value() (string, bool) {
	if t.plain {
		return string(t.tok[1 : len(t.tok)-1]), true
	}
	var v string
	if json.Unmarshal(t.tok, &v) != nil {
		return "", false
	}
	return v, true
}

// str reads a string's value.
func (s *jsonScanner) str() (string, bool) {
	start := s.i
	plain, ok := s.strEnd()
	if !ok {
		return "", false
	}
	return stringToken{s.b[start:s.i], plain}.value()
}
