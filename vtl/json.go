package vtl

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
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

// Parse is ParseJSON with the document allocated from the arena, whose
// memory Reset makes reusable. Parsing into a reused arena is only valid
// for one document at a time: Parse overwrites the previous document's
// text.
//
// The parser reads the bytes once, without encoding/json or reflection:
// strings without escapes are substrings of the arena's copy of the
// document, strings with escapes are unescaped into the same buffer, and
// maps and lists are carved out of the arena's blocks, so that a parse
// usually allocates nothing at all.
func (a *JSONArena) Parse(data []byte, jsonLists bool) (Value, error) {
	// An unescaped string is never longer than its JSON text, so the
	// document and all its unescaped strings fit in twice its size.
	if need := 2 * len(data); cap(a.text) < need {
		a.text = make([]byte, len(data), max(need, 512))
	}
	a.text = a.text[:len(data)]
	copy(a.text, data)
	p := jsonParser{
		data:      unsafe.String(unsafe.SliceData(a.text), len(data)),
		jsonLists: jsonLists,
		arena:     a,
		keys:      a.keys[:0],
		vals:      a.vals[:0],
	}
	i := skipWS(p.data, 0)
	v, i := p.value(i, 0)
	if p.err == nil {
		if i = skipWS(p.data, i); i != len(p.data) {
			p.fail(i, "unexpected %q after the document", p.data[i])
		}
	}
	a.keys, a.vals = p.keys[:0], p.vals[:0]
	if p.err != nil {
		return Null, p.err
	}
	return v, nil
}

// maxJSONDepth bounds nesting so that a hostile document cannot exhaust
// the stack.
const maxJSONDepth = 1000

// jsonParser parses one document. Positions travel as arguments and
// results rather than as a field, so that the hot loops keep them in
// registers; the first error is recorded in err and ends the parse.
type jsonParser struct {
	data      string
	keys      []Value // keys of the objects being parsed
	vals      []Value // values of the objects and elements of the arrays being parsed
	arena     *JSONArena
	jsonLists bool
	err       error
}

func (p *jsonParser) fail(i int, format string, args ...any) {
	if p.err == nil {
		p.err = &JSONError{Offset: i, Msg: fmt.Sprintf(format, args...)}
	}
}

// JSONError is a syntax error in a JSON document. Offset is the byte
// offset of the problem, so that callers can turn it into a line and
// column of the file the document came from.
type JSONError struct {
	Offset int
	Msg    string // lower case, no trailing period
}

func (e *JSONError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.Offset, e.Msg)
}

// jsonSpace marks JSON's four whitespace bytes.
var jsonSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// skipWS returns the offset of the first byte at or after d[i] that is not
// whitespace. It is small enough to inline for the common case of no
// whitespace at all.
func skipWS(d string, i int) int {
	if i < len(d) && d[i] > ' ' {
		return i
	}
	return skipSpace(d, i)
}

// skipSpace is skipWS for whitespace. Pretty-printed documents indent
// every line, so after each whitespace byte a run of spaces is skipped up
// to eight at a time.
func skipSpace(d string, i int) int {
	// The common case, a line break and the next line's indentation.
	if j := afterIndent(d, i); j >= 0 {
		return j
	}
	for i < len(d) && jsonSpace[d[i]] {
		i++
		if len(d)-i >= 8 {
			i += bits.TrailingZeros64(loadWord(d, i)^(' '*ones)) >> 3
		}
	}
	return i
}

// afterIndent returns the offset of the first byte after a line break at
// d[i] and the up to eight spaces that follow it, when that byte is not
// whitespace: the common case in pretty-printed documents, done without a
// loop. Otherwise, -1 (the input may also end right after the spaces).
func afterIndent(d string, i int) int {
	if len(d)-i >= 9 && d[i] == '\n' {
		if j := i + 1 + bits.TrailingZeros64(loadWord(d, i+1)^(' '*ones))>>3; j < len(d) && d[j] > ' ' {
			return j
		}
	}
	return -1
}

// value parses the value starting at d[i] (after whitespace) and returns
// it with the offset just past it.
func (p *jsonParser) value(i, depth int) (Value, int) {
	d := p.data
	if i >= len(d) {
		p.fail(i, "unexpected end of input")
		return Null, i
	}
	switch c := d[i]; c {
	case '{':
		return p.object(i+1, depth)
	case '[':
		return p.array(i+1, depth)
	case '"':
		// As for keys, short plain strings (up to 15 bytes here) are cut
		// out here.
		if len(d)-i >= 17 {
			j := i + 1
			m := specialBytes(loadWord(d, j))
			if m == 0 {
				j += 8
				m = specialBytes(loadWord(d, j))
			}
			if m != 0 {
				if j += bits.TrailingZeros64(m) >> 3; d[j] == '"' {
					return String(d[i+1 : j]), j + 1
				}
			}
		}
		s, j := p.str(i + 1)
		return String(s), j
	case 't':
		if len(d)-i >= 4 && d[i:i+4] == "true" {
			return Bool(true), i + 4
		}
	case 'f':
		if len(d)-i >= 5 && d[i:i+5] == "false" {
			return Bool(false), i + 5
		}
	case 'n':
		if len(d)-i >= 4 && d[i:i+4] == "null" {
			return Null, i + 4
		}
	default:
		if c == '-' || c >= '0' && c <= '9' {
			return p.number(i)
		}
	}
	p.fail(i, "unexpected %q", d[i])
	return Null, i
}

func (p *jsonParser) object(i, depth int) (Value, int) {
	if depth >= maxJSONDepth {
		p.fail(i, "nested deeper than %d", maxJSONDepth)
		return Null, i
	}
	d := p.data
	base := len(p.keys)
	i = skipWS(d, i)
	if i < len(d) && d[i] == '}' {
		return MapValue(p.newMap()), i + 1
	}
	// filter has a bit for each key seen, chosen by its length and end
	// bytes: two keys only need comparing when they share a bit, and when
	// no two do, the object has no repeated key.
	var filter uint64
	maybeDup := false
	for {
		if i >= len(d) || d[i] != '"' {
			p.fail(i, "expected a string key")
			return Null, i
		}
		// Most keys are short and plain: when the closing quote is in
		// the next sixteen bytes and nothing before it needs attention,
		// the key is cut out here, without the call to str.
		var k string
		if len(d)-i >= 17 {
			j := i + 1
			m := specialBytes(loadWord(d, j))
			if m == 0 {
				j += 8
				m = specialBytes(loadWord(d, j))
			}
			if m != 0 {
				if j += bits.TrailingZeros64(m) >> 3; d[j] == '"' {
					k, i = d[i+1:j], j+1
					goto colon
				}
			}
		}
		if k, i = p.str(i + 1); p.err != nil {
			return Null, i
		}
	colon:
		// The key is pushed, and filtered, before the value is parsed, so
		// that it need not be kept across the call.
		p.keys = append(p.keys, String(k))
		h := uint(len(k))
		if len(k) > 0 {
			h = h*31 + uint(k[0])*7 + uint(k[len(k)-1])
		}
		bit := uint64(1) << (h & 63)
		maybeDup = maybeDup || filter&bit != 0
		filter |= bit
		// The colon usually follows the key, and one space the colon.
		if i >= len(d) || d[i] != ':' {
			if i = skipWS(d, i); i >= len(d) || d[i] != ':' {
				p.fail(i, "expected ':'")
				return Null, i
			}
		}
		i++
		if i < len(d) && d[i] == ' ' {
			i++
		}
		var v Value
		if v, i = p.value(skipWS(d, i), depth+1); p.err != nil {
			return Null, i
		}
		p.vals = append(p.vals, v)
		if i < len(d) && d[i] == ',' {
			// Pretty-printed documents put a line break and indentation
			// after the comma: skipped here, without the call.
			if j := afterIndent(d, i+1); j >= 0 {
				i = j
			} else {
				i = skipWS(d, i+1)
			}
			continue
		}
		if i = skipWS(d, i); i < len(d) {
			switch d[i] {
			case ',':
				i = skipWS(d, i+1)
				continue
			case '}':
				return MapValue(p.popMap(base, maybeDup)), i + 1
			}
		}
		p.fail(i, "expected ',' or '}'")
		return Null, i
	}
}

func (p *jsonParser) array(i, depth int) (Value, int) {
	if depth >= maxJSONDepth {
		p.fail(i, "nested deeper than %d", maxJSONDepth)
		return Null, i
	}
	d := p.data
	base := len(p.vals)
	i = skipWS(d, i)
	if i < len(d) && d[i] == ']' {
		return ListValue(p.newList(nil)), i + 1
	}
	for {
		var v Value
		if v, i = p.value(i, depth+1); p.err != nil {
			return Null, i
		}
		p.vals = append(p.vals, v)
		if i < len(d) && d[i] == ',' {
			// Pretty-printed documents put a line break and indentation
			// after the comma: skipped here, without the call.
			if j := afterIndent(d, i+1); j >= 0 {
				i = j
			} else {
				i = skipWS(d, i+1)
			}
			continue
		}
		if i = skipWS(d, i); i < len(d) {
			switch d[i] {
			case ',':
				i = skipWS(d, i+1)
				continue
			case ']':
				items := p.alloc(len(p.vals) - base)
				copy(items, p.vals[base:])
				p.vals = p.vals[:base]
				return ListValue(p.newList(items)), i + 1
			}
		}
		p.fail(i, "expected ',' or ']'")
		return Null, i
	}
}

func (p *jsonParser) alloc(n int) []Value { return p.arena.values.take(n, len(p.data)/8) }

func (p *jsonParser) newMap() *Map {
	m := &p.arena.maps.take(1, len(p.data)/64)[0]
	*m = Map{}
	return m
}

func (p *jsonParser) newList(items []Value) *List {
	l := &p.arena.lists.take(1, len(p.data)/128)[0]
	*l = List{items: items, JSON: p.jsonLists}
	return l
}

// popMap builds a map, sized exactly, from the keys and values pushed
// since base. A repeated key keeps its first position and its last value,
// as json-smart's LinkedHashMap does; maybeDup is false when the keys are
// known to be distinct.
func (p *jsonParser) popMap(base int, maybeDup bool) *Map {
	ks, vs := p.keys[base:], p.vals[len(p.vals)-(len(p.keys)-base):]
	n := len(ks)
	m := p.newMap()
	buf := p.alloc(2 * n)
	keys, vals := buf[:n:n], buf[n:2*n:2*n]
	copy(keys, ks)
	copy(vals, vs)
	if maybeDup && hasDuplicateKey(keys) {
		keys, vals = keys[:0], vals[:0]
		for i, k := range ks {
			dup := false
			for j := range keys {
				if keys[j].n == k.n && keys[j].str() == k.str() {
					vals[j] = vs[i]
					dup = true
					break
				}
			}
			if !dup {
				keys = append(keys, k)
				vals = append(vals, vs[i])
			}
		}
	}
	m.keys, m.vals = keys, vals
	if len(keys) > mapIndexThreshold {
		m.reindex()
	}
	p.keys = p.keys[:base]
	p.vals = p.vals[:len(p.vals)-n]
	return m
}

// hasDuplicateKey reports whether two of the String keys are equal.
func hasDuplicateKey(keys []Value) bool {
	if len(keys) > 32 {
		seen := make(map[string]struct{}, len(keys))
		for _, k := range keys {
			if _, ok := seen[k.str()]; ok {
				return true
			}
			seen[k.str()] = struct{}{}
		}
		return false
	}
	for i, k := range keys {
		for _, o := range keys[:i] {
			if o.n == k.n && o.str() == k.str() {
				return true
			}
		}
	}
	return false
}

// number parses a JSON number at d[i].
func (p *jsonParser) number(i int) (Value, int) {
	d := p.data
	start := i
	neg := d[i] == '-'
	if neg {
		i++
	}
	digits := i
	var mant uint64
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		mant = mant*10 + uint64(d[i]-'0')
		i++
	}
	intDigits := i - digits
	if intDigits == 0 || d[digits] == '0' && intDigits > 1 {
		p.fail(start, "invalid number")
		return Null, i
	}
	if i == len(d) || d[i] != '.' && d[i] != 'e' && d[i] != 'E' {
		// An integer: Integer, Long or BigInteger by size.
		if intDigits <= 18 {
			n := int64(mant)
			if neg {
				n = -n
			}
			if n >= math.MinInt32 && n <= math.MaxInt32 {
				return Int(int32(n)), i
			}
			return Long(n), i
		}
		return jsonNumber(d[start:i], false), i
	}
	fracDigits := 0
	if d[i] == '.' {
		i++
		f := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			mant = mant*10 + uint64(d[i]-'0')
			i++
		}
		fracDigits = i - f
		if fracDigits == 0 {
			p.fail(start, "invalid number")
			return Null, i
		}
	}
	exp, expOK := 0, true
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		eneg := false
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			eneg = d[i] == '-'
			i++
		}
		e := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			if exp < 10000 {
				exp = exp*10 + int(d[i]-'0')
			} else {
				expOK = false
			}
			i++
		}
		if i == e {
			p.fail(start, "invalid number")
			return Null, i
		}
		if eneg {
			exp = -exp
		}
	}
	text := d[start:i]
	if len(text) > 18 {
		return BigNumber(text), i
	}
	// Clinger's fast path: a mantissa of at most 15 digits and a power of
	// ten up to 22 are both exact doubles, so one multiplication or
	// division rounds correctly, as strconv.ParseFloat would.
	if e := exp - fracDigits; expOK && intDigits+fracDigits <= 15 && e >= -22 && e <= 22 {
		f := float64(mant)
		if e < 0 {
			f /= float64pow10[-e]
		} else {
			f *= float64pow10[e]
		}
		if neg {
			f = -f
		}
		v := Double(f)
		if exp == 0 && fracDigits > 0 && isJavaText(d[digits:i], intDigits) {
			v.p, v.textLen = unsafe.Pointer(unsafe.StringData(text)), uint8(len(text))
		}
		return v, i
	}
	return jsonNumber(text, true), i
}

// isJavaText reports whether a JSON number without exponent, of at most
// 15 significant digits (so that its double converts back to exactly
// these digits), is written as Java's Double.toString writes its value:
// plainly, since the value is at least 10^-3 and below 10^7, with no
// trailing zero after the point but the one of a whole number.
func isJavaText(num string, intDigits int) bool {
	frac := num[intDigits+1:]
	if intDigits > 7 || frac[len(frac)-1] == '0' && frac != "0" {
		return false
	}
	if num[0] == '0' && frac != "0" {
		// Below 1: at most two zeros before the first digit.
		return len(frac) < 3 || frac[:3] != "000"
	}
	return true
}

var float64pow10 = [...]float64{
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

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

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// loadWord reads the eight bytes at d[i] as a little-endian word; the
// caller has checked that they exist.
func loadWord(d string, i int) uint64 {
	b := (*[8]byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(d)), i))
	return binary.LittleEndian.Uint64(b[:])
}

// specialBytes marks, with the high bit of its byte, each byte of a word
// of string text that is not plain: a quote, a backslash, a control
// character or a non-ASCII byte. Marks can be wrong only above (after) a
// true one, so the lowest mark is the first special byte.
func specialBytes(w uint64) uint64 {
	quote := w ^ ('"' * ones)
	bslash := w ^ ('\\' * ones)
	return ((quote-ones)&^quote | (bslash-ones)&^bslash | (w - 0x20*ones) | w) & highs
}

// strClass sorts the bytes of a string's text: plain bytes (0), the
// closing quote, a backslash, control characters (invalid unescaped) and
// the bytes of non-ASCII characters (which need a UTF-8 check).
var strClass = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = strControl
	}
	t['"'] = strQuote
	t['\\'] = strEscape
	for c := 0x80; c < 0x100; c++ {
		t[c] = strNonASCII
	}
	return t
}()

const (
	strPlain = iota
	strQuote
	strEscape
	strControl
	strNonASCII
)

// str parses the string whose text starts at d[i], just after the opening
// quote, and returns it with the offset past the closing quote.
func (p *jsonParser) str(i int) (string, int) {
	d := p.data
	start := i
	ascii := true
	for {
		// Find the next byte that is not plain, eight bytes at a time
		// while they last.
		for {
			if len(d)-i < 8 {
				for i < len(d) && strClass[d[i]] == strPlain {
					i++
				}
				break
			}
			if m := specialBytes(loadWord(d, i)); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(d) {
			break
		}
		switch strClass[d[i]] {
		case strQuote:
			s := d[start:i]
			if !ascii && !utf8.ValidString(s) {
				s = strings.ToValidUTF8(s, "\uFFFD")
			}
			return s, i + 1
		case strNonASCII:
			ascii = false
			i++
			continue
		case strEscape:
			return p.unescape(start, i)
		}
		p.fail(i, "control character in string")
		return "", i
	}
	p.fail(i, "unterminated string")
	return "", i
}

// unescape decodes a string with escapes whose text starts at d[start]
// and whose first backslash is at d[i]. The result goes into the arena's
// text after the document, where it always fits because unescaping only
// shortens.
func (p *jsonParser) unescape(start, i int) (string, int) {
	d := p.data
	a := p.arena
	out := len(a.text)
	buf := append(a.text, d[start:i]...)
	ascii := true
	for i < len(d) {
		c := d[i]
		switch strClass[c] {
		case strPlain:
			buf = append(buf, c)
			i++
			continue
		case strNonASCII:
			ascii = false
			buf = append(buf, c)
			i++
			continue
		case strQuote:
			b := buf[out:]
			a.text = buf
			var s string
			if len(b) > 0 {
				s = unsafe.String(&b[0], len(b))
			}
			if !ascii && !utf8.ValidString(s) {
				s = strings.ToValidUTF8(s, "\uFFFD")
			}
			return s, i + 1
		case strControl:
			a.text = buf[:out]
			p.fail(i, "control character in string")
			return "", i
		}
		// A backslash.
		i++
		if i >= len(d) {
			break
		}
		e := d[i]
		i++
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
			r, ok := hex4(d, i)
			if !ok {
				a.text = buf[:out]
				p.fail(i-2, "invalid \\u escape") // at the backslash
				return "", i
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if len(d)-i >= 6 && d[i] == '\\' && d[i+1] == 'u' {
					r2, ok = hex4(d, i+2)
				}
				if dr := utf16.DecodeRune(r, r2); ok && dr != utf8.RuneError {
					r = dr
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			a.text = buf[:out]
			p.fail(i-2, "invalid escape \\%c", e)
			return "", i
		}
	}
	a.text = buf[:out]
	p.fail(i, "unterminated string")
	return "", i
}

// hex4 decodes the four hex digits at d[i].
func hex4(d string, i int) (rune, bool) {
	if len(d)-i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(d[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
