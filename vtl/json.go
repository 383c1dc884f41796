package vtl

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// ParseJSON parses a JSON document into a Value the way json-smart (the
// parser under API Gateway's JSONPath) does: objects become ordered maps,
// arrays lists (printing as JSON when jsonLists is set, as JSONArray does),
// integers Integer, Long or BigInteger by size, and fractions Double (or
// BigDecimal when longer than 18 characters).
func ParseJSON(data []byte, jsonLists bool) (Value, error) {
	return new(JSONArena).Parse(data, jsonLists)
}

// Parsing into a reused arena is only valid for one document at a time:
// Parse overwrites the previous document's text.

// Parse is ParseJSON with the containers of the document allocated from
// the arena, whose memory Reset makes reusable.
func (a *JSONArena) Parse(data []byte, jsonLists bool) (Value, error) {
	// Strings of the document are substrings of one copy of it, kept in
	// the arena, so that parsing allocates nothing for unescaped strings.
	a.text = append(a.text[:0], data...)
	p := jsonParser{data: unsafe.String(unsafe.SliceData(a.text), len(a.text)), jsonLists: jsonLists, arena: a, stack: a.stack[:0]}
	defer func() { a.stack = p.stack[:0] }()
	p.ws()
	v, err := p.value(0)
	if err != nil {
		return Null, err
	}
	p.ws()
	if p.i != len(p.data) {
		return Null, p.errorf("unexpected %q after the document", p.data[p.i])
	}
	return v, nil
}

// maxJSONDepth bounds nesting so that a hostile document cannot exhaust
// the stack.
const maxJSONDepth = 1000

type jsonParser struct {
	stack     []Value // elements of the containers being parsed
	arena     *JSONArena
	data      string
	i         int
	jsonLists bool
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *jsonParser) ws() {
	if p.i < len(p.data) && p.data[p.i] > ' ' {
		return
	}
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (Value, error) {
	if depth > maxJSONDepth {
		return Null, p.errorf("nested deeper than %d", maxJSONDepth)
	}
	if p.i >= len(p.data) {
		return Null, p.errorf("unexpected end of input")
	}
	switch c := p.data[p.i]; {
	case c == '{':
		p.i++
		base := len(p.stack)
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			return MapValue(p.newMap()), nil
		}
		for {
			p.ws()
			if p.i >= len(p.data) || p.data[p.i] != '"' {
				return Null, p.errorf("expected a string key")
			}
			k, err := p.str()
			if err != nil {
				return Null, err
			}
			p.ws()
			if p.i >= len(p.data) || p.data[p.i] != ':' {
				return Null, p.errorf("expected ':'")
			}
			p.i++
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return Null, err
			}
			p.stack = append(p.stack, String(k), v)
			p.ws()
			if p.i < len(p.data) && p.data[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.data) && p.data[p.i] == '}' {
				p.i++
				return MapValue(p.popMap(base)), nil
			}
			return Null, p.errorf("expected ',' or '}'")
		}
	case c == '[':
		p.i++
		base := len(p.stack)
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			return ListValue(p.newList(nil)), nil
		}
		for {
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return Null, err
			}
			p.stack = append(p.stack, v)
			p.ws()
			if p.i < len(p.data) && p.data[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.data) && p.data[p.i] == ']' {
				p.i++
				items := p.alloc(len(p.stack) - base)
				copy(items, p.stack[base:])
				p.stack = p.stack[:base]
				return ListValue(p.newList(items)), nil
			}
			return Null, p.errorf("expected ',' or ']'")
		}
	case c == '"':
		s, err := p.str()
		return String(s), err
	case c == 't' && p.lit("true"):
		return Bool(true), nil
	case c == 'f' && p.lit("false"):
		return Bool(false), nil
	case c == 'n' && p.lit("null"):
		return Null, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return Null, p.errorf("unexpected %q", p.data[p.i])
}

func (p *jsonParser) alloc(n int) []Value { return p.arena.values.take(n, len(p.data)/8) }

func (p *jsonParser) newMap() *Map { return &p.arena.maps.take(1, len(p.data)/64)[0] }

func (p *jsonParser) newList(items []Value) *List {
	l := &p.arena.lists.take(1, len(p.data)/128)[0]
	l.items, l.JSON = items, p.jsonLists
	return l
}

// popMap builds a map, sized exactly, from the key/value pairs pushed
// since base. A repeated key keeps its first position and its last value,
// as json-smart's LinkedHashMap does.
func (p *jsonParser) popMap(base int) *Map {
	kv := p.stack[base:]
	n := len(kv) / 2
	m := p.newMap()
	buf := p.alloc(2 * n)
	m.keys, m.vals = buf[:0:n], buf[n:n:2*n]
	for i := 0; i < len(kv); i += 2 {
		k := kv[i]
		dup := false
		for j := range m.keys {
			if m.keys[j].n == k.n && m.keys[j].str() == k.str() {
				m.vals[j] = kv[i+1]
				dup = true
				break
			}
		}
		if !dup {
			m.keys = append(m.keys, k)
			m.vals = append(m.vals, kv[i+1])
		}
	}
	if n > mapIndexThreshold {
		m.reindex()
	}
	p.stack = p.stack[:base]
	return m
}

func (p *jsonParser) lit(s string) bool {
	if len(p.data)-p.i >= len(s) && p.data[p.i:p.i+len(s)] == s {
		p.i += len(s)
		return true
	}
	return false
}

func (p *jsonParser) number() (Value, error) {
	start := p.i
	if p.data[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
		p.i++
	}
	if p.i == digits || (p.data[digits] == '0' && p.i-digits > 1) {
		return Null, p.errorf("invalid number")
	}
	frac := false
	if p.i < len(p.data) && p.data[p.i] == '.' {
		frac = true
		p.i++
		d := p.i
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
		}
		if p.i == d {
			return Null, p.errorf("invalid number")
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		frac = true
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		d := p.i
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
		}
		if p.i == d {
			return Null, p.errorf("invalid number")
		}
	}
	text := p.data[start:p.i]
	if !frac && p.i-digits <= 9 {
		// Small integers, the common case, without strconv.
		n := int64(0)
		for _, c := range text[digits-start:] {
			n = n*10 + int64(c-'0')
		}
		if digits > start {
			n = -n
		}
		return Int(int32(n)), nil
	}
	return jsonNumber(text, frac), nil
}

// strFlags classifies string bytes: backslashes and control characters
// need the slow path, non-ASCII bytes a UTF-8 check.
var strFlags = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = flagSpecial
	}
	t['\\'] = flagSpecial
	for c := 0x80; c < 0x100; c++ {
		t[c] = flagNonASCII
	}
	return t
}()

const (
	flagSpecial  = 1
	flagNonASCII = 2
)

// jsonNumber types a JSON number as json-smart does.
func jsonNumber(text string, frac bool) Value {
	if !frac {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			if n >= math.MinInt32 && n <= math.MaxInt32 {
				return Int(int32(n))
			}
			return Long(n)
		}
		return BigNumber(text)
	}
	if len(text) > 18 {
		return BigNumber(text)
	}
	f, _ := strconv.ParseFloat(text, 64)
	return Double(f)
}

func (p *jsonParser) str() (string, error) {
	p.i++ // opening quote
	start := p.i
	if q := strings.IndexByte(p.data[start:], '"'); q >= 0 {
		s := p.data[start : start+q]
		plain, ascii := true, true
		for i := 0; i < len(s); i++ {
			if f := strFlags[s[i]]; f != 0 {
				if f == flagSpecial {
					plain = false
					break
				}
				ascii = false
			}
		}
		if plain {
			p.i = start + q + 1
			if !ascii && !utf8.ValidString(s) {
				s = strings.ToValidUTF8(s, "\uFFFD")
			}
			return s, nil
		}
	}
	buf := append([]byte(nil), p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("control character in string")
		case c == '\\':
			p.i++
			if p.i >= len(p.data) {
				return "", p.errorf("unterminated escape")
			}
			e := p.data[p.i]
			p.i++
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.errorf("invalid \\u escape")
				}
				if utf16.IsSurrogate(r) {
					if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
						save := p.i
						p.i += 2
						if r2, ok := p.hex4(); ok {
							if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
								buf = utf8.AppendRune(buf, d)
								continue
							}
						}
						p.i = save
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", p.errorf("invalid escape \\%c", e)
			}
		default:
			buf = append(buf, c)
			p.i++
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.data)-p.i < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(p.data[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}
