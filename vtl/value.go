package vtl

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Kind is the Java type a Value stands for. Templates observe Java types
// (an Integer prints "1", a Double "1.0"; an Integer and a Long are
// different map keys), so values keep them.
type Kind uint8

// The kinds of Value.
const (
	KindNull   Kind = iota
	KindString      // java.lang.String
	KindInt         // java.lang.Integer
	KindLong        // java.lang.Long
	KindDouble      // java.lang.Double
	KindBigInt      // java.math.BigInteger, kept as its decimal text
	KindBigDec      // java.math.BigDecimal, kept as its decimal text
	KindBool        // java.lang.Boolean
	KindList        // java.util.List
	KindMap         // java.util.Map
	KindObject      // a host object such as $input or $util
)

// Value is a template value. It is a small struct rather than an interface
// so that strings and numbers move through the evaluator without
// allocating: p points at a string's bytes, a *List, a *Map or a boxed
// Object; n holds a string's length, an integer, a Double's bits or a
// boolean. The zero Value is null.
type Value struct {
	p    unsafe.Pointer
	n    int64
	kind Kind
	// textLen is set for a Double read from a JSON document whose text
	// is exactly what Java prints for it (as "9.99" is): p points at that
	// text, and printing copies it instead of searching for the shortest
	// digits again. It fits in the padding after kind.
	textLen uint8
}

// objectBox holds an Object so that a Value can point at it.
type objectBox struct{ o Object }

// Null is the null value.
var Null = Value{}

// String returns a java.lang.String value.
func String(s string) Value {
	return Value{kind: KindString, p: unsafe.Pointer(unsafe.StringData(s)), n: int64(len(s))}
}

// Int returns a java.lang.Integer value.
func Int(i int32) Value { return Value{kind: KindInt, n: int64(i)} }

// Long returns a java.lang.Long value.
func Long(i int64) Value { return Value{kind: KindLong, n: i} }

// Double returns a java.lang.Double value.
func Double(f float64) Value { return Value{kind: KindDouble, n: int64(math.Float64bits(f))} }

// Bool returns a java.lang.Boolean value.
func Bool(b bool) Value {
	if b {
		return Value{kind: KindBool, n: 1}
	}
	return Value{kind: KindBool}
}

// BigNumber returns a java.math.BigInteger (when text has no fraction or
// exponent) or java.math.BigDecimal value for numbers too large for Long
// and Double; text must be a JSON number.
func BigNumber(text string) Value {
	v := String(text)
	v.kind = KindBigInt
	if strings.ContainsAny(text, ".eE") {
		v.kind = KindBigDec
	}
	return v
}

func bigInt(text string, _ float64) Value {
	v := String(text)
	v.kind = KindBigInt
	return v
}

// ListValue wraps l.
func ListValue(l *List) Value { return Value{kind: KindList, p: unsafe.Pointer(l)} }

// MapValue wraps m.
func MapValue(m *Map) Value { return Value{kind: KindMap, p: unsafe.Pointer(m)} }

// ObjectValue wraps a host object.
func ObjectValue(o Object) Value {
	return Value{kind: KindObject, p: unsafe.Pointer(&objectBox{o})}
}

// Kind reports the Java type of v.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.kind == KindNull }

// str returns the text of a String, BigInt or BigDec value.
func (v Value) str() string {
	if v.p == nil {
		return ""
	}
	return unsafe.String((*byte)(v.p), int(v.n))
}

// Str returns the string of a String value, or "".
func (v Value) Str() string {
	if v.kind == KindString {
		return v.str()
	}
	return ""
}

// Int64 returns the integer of an Int or Long value.
func (v Value) Int64() int64 { return v.n }

// Float returns the number of a Double, BigInt or BigDec value.
func (v Value) Float() float64 {
	switch v.kind {
	case KindBigInt, KindBigDec:
		f, _ := strconv.ParseFloat(v.str(), 64)
		return f
	}
	return math.Float64frombits(uint64(v.n))
}

// Truth returns the boolean of a Bool value.
func (v Value) Truth() bool { return v.kind == KindBool && v.n != 0 }

func (v Value) list() *List { return (*List)(v.p) }
func (v Value) mapp() *Map  { return (*Map)(v.p) }
func (v Value) obj() Object { return (*objectBox)(v.p).o }

// List returns the list of a List value, or nil.
func (v Value) List() *List {
	if v.kind != KindList {
		return nil
	}
	return v.list()
}

// Map returns the map of a Map value, or nil.
func (v Value) Map() *Map {
	if v.kind != KindMap {
		return nil
	}
	return v.mapp()
}

// Object returns the host object of an Object value, or nil.
func (v Value) Object() Object {
	if v.kind != KindObject {
		return nil
	}
	return v.obj()
}

func (v Value) isNumber() bool {
	switch v.kind {
	case KindInt, KindLong, KindDouble, KindBigInt, KindBigDec:
		return true
	}
	return false
}

func (v Value) isIntegral() bool { return v.kind == KindInt || v.kind == KindLong }

// Object is a host object: a value with properties and methods implemented
// in Go, such as API Gateway's $input and $util.
type Object interface {
	// Property returns $o.name; ok is false when o has no such property,
	// and the reference then renders as Velocity renders a null.
	Property(name string) (v Value, ok bool)
	// Call runs $o.name(args); ok is false when o has no such method for
	// these arguments. args is only valid during the call. A non-nil error fails the render, as a Java
	// exception thrown by a method does.
	Call(name string, args []Value) (v Value, ok bool, err error)
	// String is what the object prints as.
	String() string
}

// String returns v as Java's String.valueOf would print it.
func (v Value) String() string {
	switch v.kind {
	case KindNull:
		return "null"
	case KindString, KindBigInt, KindBigDec:
		return v.str()
	case KindInt, KindLong:
		return strconv.FormatInt(v.n, 10)
	case KindDouble:
		if v.textLen > 0 {
			return unsafe.String((*byte)(v.p), v.textLen)
		}
		return formatDouble(v.Float())
	case KindBool:
		if v.n != 0 {
			return "true"
		}
		return "false"
	}
	var b appender
	writeJava(&b, v, 0)
	return b.String()
}

// appender builds text in a byte slice with strings.Builder's methods.
type appender struct{ buf []byte }

func (a *appender) WriteString(s string)   { a.buf = append(a.buf, s...) }
func (a *appender) WriteByte(c byte) error { a.buf = append(a.buf, c); return nil }
func (a *appender) WriteRune(r rune)       { a.buf = utf8.AppendRune(a.buf, r) }
func (a *appender) String() string         { return string(a.buf) }

// maxPrintDepth bounds printing of nested collections; a list that contains
// itself prints "(this Collection)" as in Java, deeper cycles stop here.
const maxPrintDepth = 100

// writeJava appends v as Java prints it: a List as "[a, b]" (or as JSON for
// lists that come from JSON documents, which are json-smart JSONArrays), a
// Map as "{k=v, k2=v2}".
func writeJava(b *appender, v Value, depth int) {
	if depth > maxPrintDepth {
		b.WriteString("...")
		return
	}
	switch v.kind {
	case KindList:
		l := v.list()
		if l.JSON {
			writeJSON(b, v, depth)
			return
		}
		l.sync()
		b.WriteByte('[')
		for i, e := range l.items {
			if i > 0 {
				b.WriteString(", ")
			}
			if e.p == unsafe.Pointer(l) {
				b.WriteString("(this Collection)")
				continue
			}
			writeJava(b, e, depth+1)
		}
		b.WriteByte(']')
	case KindMap:
		m := v.mapp()
		b.WriteByte('{')
		for i := range m.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJavaElem(b, m.keys[i], m, depth)
			b.WriteByte('=')
			writeJavaElem(b, m.vals[i], m, depth)
		}
		b.WriteByte('}')
	case KindObject:
		b.WriteString(v.obj().String())
	default:
		b.WriteString(v.String())
	}
}

func writeJavaElem(b *appender, e Value, self *Map, depth int) {
	if e.p == unsafe.Pointer(self) {
		b.WriteString("(this Map)")
		return
	}
	writeJava(b, e, depth+1)
}

// AppendJSON appends v serialized as JSON (see Value.JSON) to dst.
func AppendJSON(dst []byte, v Value) []byte { return appendJSON(dst, v, 0) }

// JSON returns v serialized as json-smart's JSONValue.toJSONString does,
// which is how API Gateway prints JSON values.
func (v Value) JSON() string {
	if v.kind == KindString && isPlainJSON(v.str()) {
		return `"` + v.str() + `"`
	}
	return string(appendJSON(make([]byte, 0, 64), v, 0))
}

func writeJSON(b *appender, v Value, depth int) { b.buf = appendJSON(b.buf, v, depth) }

func appendJSON(b []byte, v Value, depth int) []byte {
	if depth > maxPrintDepth {
		return append(b, "null"...)
	}
	switch v.kind {
	case KindNull:
		return append(b, "null"...)
	case KindString:
		return appendJSONString(b, v.str())
	case KindInt, KindLong:
		return strconv.AppendInt(b, v.n, 10)
	case KindDouble:
		return v.appendDouble(b)
	case KindList:
		b = append(b, '[')
		for i, e := range v.list().items {
			if i > 0 {
				b = append(b, ',')
			}
			if e.kind == KindString {
				// Lists of strings are common (tags, ids): no recursion.
				b = appendJSONString(b, e.str())
				continue
			}
			b = appendJSON(b, e, depth+1)
		}
		return append(b, ']')
	case KindMap:
		m := v.mapp()
		b = append(b, '{')
		for i := range m.keys {
			if i > 0 {
				b = append(b, ',')
			}
			k := m.keys[i]
			if k.kind == KindString {
				b = appendJSONString(b, k.str())
			} else {
				b = appendJSONString(b, k.String())
			}
			b = append(b, ':')
			if e := m.vals[i]; e.kind == KindString {
				b = appendJSONString(b, e.str())
				continue
			}
			b = appendJSON(b, m.vals[i], depth+1)
		}
		return append(b, '}')
	case KindObject:
		return appendJSONString(b, v.obj().String())
	}
	return append(b, v.String()...)
}

// appendJSONString appends s quoted and escaped as json-smart does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	if isPlainJSON(s) {
		b = append(b, s...)
	} else {
		a := appender{b}
		escapeJSONSmart(&a, s)
		b = a.buf
	}
	return append(b, '"')
}

// jsonEscapes marks the bytes that may need escaping in json-smart's
// style (non-ASCII bytes are checked rune by rune).
var jsonEscapes = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	for c := 0x7f; c < 0x100; c++ {
		t[c] = true
	}
	t['"'], t['\\'], t['/'] = true, true, true
	return t
}()

// isPlainJSON reports whether s needs no escaping in JSON.
func isPlainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if jsonEscapes[s[i]] {
			return false
		}
	}
	return true
}

// escapeJSONSmart escapes s as json-smart's default style does: quote,
// backslash, slash and the usual control escapes, and \uXXXX (upper-case
// hex) for other control characters, U+007F-U+009F and U+2000-U+20FF.
func escapeJSONSmart(b *appender, s string) {
	const hex = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if !jsonEscapes[c] {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if !(r >= 0x7f && r <= 0x9f) && !(r >= 0x2000 && r <= 0x20ff) {
				i += size
				continue
			}
		}
		b.WriteString(s[start:i])
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '/':
			b.WriteString(`\/`)
		default:
			b.WriteString(`\u`)
			b.WriteByte(hex[r>>12&0xf])
			b.WriteByte(hex[r>>8&0xf])
			b.WriteByte(hex[r>>4&0xf])
			b.WriteByte(hex[r&0xf])
		}
		i += size
		start = i
	}
	b.WriteString(s[start:])
}

// formatDouble prints f as Java's Double.toString: at least one digit after
// the point, and scientific notation ("1.0E10") outside [1e-3, 1e7).
func formatDouble(f float64) string {
	var buf [32]byte
	return string(appendDouble(buf[:0], f))
}

// appendNumber appends a Double value as Java prints it.
func (v Value) appendDouble(dst []byte) []byte {
	if v.textLen > 0 {
		return append(dst, unsafe.String((*byte)(v.p), v.textLen)...)
	}
	return appendDouble(dst, v.Float())
}

// appendDouble appends f formatted as Java's Double.toString.
func appendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	a := math.Abs(f)
	start := len(dst)
	if a >= 1e-3 && a < 1e7 {
		dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
		for _, c := range dst[start:] {
			if c == '.' {
				return dst
			}
		}
		return append(dst, ".0"...)
	}
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // like "1.2345e+10" or "1e-05"
	e := 0
	for e < len(s) && s[e] != 'e' {
		e++
	}
	mant, exp := s[:e], s[e+1:]
	dst = append(dst, mant...)
	hasDot := false
	for _, c := range mant {
		if c == '.' {
			hasDot = true
		}
	}
	if !hasDot {
		dst = append(dst, ".0"...)
	}
	dst = append(dst, 'E')
	if exp[0] == '-' {
		dst = append(dst, '-')
	}
	exp = exp[1:]
	for len(exp) > 1 && exp[0] == '0' {
		exp = exp[1:]
	}
	return append(dst, exp...)
}
