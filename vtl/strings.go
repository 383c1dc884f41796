package vtl

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Java strings are sequences of UTF-16 code units: length() and indexes
// count units, not bytes. ASCII strings (the common case) take a fast path
// where bytes and units coincide.

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func utf16Of(s string) []uint16 { return utf16.Encode([]rune(s)) }

func fromUTF16(u []uint16) string { return string(utf16.Decode(u)) }

// jlen is String.length().
func jlen(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return len(utf16Of(s))
}

// jsub is String.substring(b, e) for valid unit indexes.
func jsub(s string, b, e int) string {
	if isASCII(s) {
		return s[b:e]
	}
	return fromUTF16(utf16Of(s)[b:e])
}

// jindex is String.indexOf(sub, from) in units.
func jindex(s, sub string, from int) int {
	if from < 0 {
		from = 0
	}
	if isASCII(s) {
		if from > len(s) {
			return -1
		}
		i := strings.Index(s[from:], sub)
		if i < 0 {
			return -1
		}
		return i + from
	}
	u, v := utf16Of(s), utf16Of(sub)
	for i := from; i+len(v) <= len(u); i++ {
		if unitsEqual(u[i:i+len(v)], v) {
			return i
		}
	}
	return -1
}

// jlastIndex is String.lastIndexOf(sub, from) in units.
func jlastIndex(s, sub string, from int) int {
	u, v := utf16Of(s), utf16Of(sub)
	if from > len(u)-len(v) {
		from = len(u) - len(v)
	}
	for i := from; i >= 0; i-- {
		if unitsEqual(u[i:i+len(v)], v) {
			return i
		}
	}
	return -1
}

func unitsEqual(a, b []uint16) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// jtrim is String.trim(): it strips characters up to U+0020, nothing else.
func jtrim(s string) string {
	b, e := 0, len(s)
	for b < e && s[b] <= ' ' {
		b++
	}
	for e > b && s[e-1] <= ' ' {
		e--
	}
	return s[b:e]
}

func jcompare(a, b string) int {
	ua, ub := utf16Of(a), utf16Of(b)
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return int(ua[i]) - int(ub[i])
		}
	}
	return len(ua) - len(ub)
}

func (r *renderer) stringMethod(s, name string, args []Value) (Value, bool, error) {
	switch len(args) {
	case 0:
		switch name {
		case "length":
			return Int(int32(jlen(s))), true, nil
		case "isEmpty":
			return Bool(len(s) == 0), true, nil
		case "toLowerCase":
			return String(strings.ToLower(s)), true, nil
		case "toUpperCase":
			return String(strings.ToUpper(s)), true, nil
		case "trim":
			return String(jtrim(s)), true, nil
		case "toString", "intern":
			return String(s), true, nil
		}
		return Null, false, nil
	case 1:
		a := args[0]
		if name == "compareTo" {
			return compareTo(String(s), a)
		}
		if a.kind == KindNull {
			switch name {
			case "equals", "equalsIgnoreCase":
				return Bool(false), true, nil
			case "contains", "startsWith", "endsWith", "indexOf", "lastIndexOf", "concat", "split",
				"matches", "compareTo", "compareToIgnoreCase":
				return throw("NullPointerException")
			}
			return Null, false, nil
		}
		if a.kind == KindInt {
			return r.stringIntMethod(s, name, int(a.n))
		}
		if a.kind != KindString {
			if name == "equals" {
				return Bool(false), true, nil
			}
			return Null, false, nil
		}
		t := a.str()
		switch name {
		case "equals":
			return Bool(s == t), true, nil
		case "equalsIgnoreCase":
			return Bool(strings.EqualFold(s, t) && jlen(s) == jlen(t)), true, nil
		case "contains":
			return Bool(strings.Contains(s, t)), true, nil
		case "startsWith":
			return Bool(strings.HasPrefix(s, t)), true, nil
		case "endsWith":
			return Bool(strings.HasSuffix(s, t)), true, nil
		case "indexOf":
			return Int(int32(jindex(s, t, 0))), true, nil
		case "lastIndexOf":
			return Int(int32(jlastIndex(s, t, jlen(s)))), true, nil
		case "concat":
			return String(s + t), true, nil
		case "compareTo":
			return Int(int32(jcompare(s, t))), true, nil
		case "compareToIgnoreCase":
			return Int(int32(jcompare(strings.ToLower(strings.ToUpper(s)), strings.ToLower(strings.ToUpper(t))))), true, nil
		case "matches":
			re, err := compileJavaRegex(t, true)
			if err != nil {
				return Null, true, err
			}
			return Bool(re.MatchString(s)), true, nil
		case "split":
			parts, err := javaSplit(s, t, 0)
			if err != nil {
				return Null, true, err
			}
			return ListValue(parts), true, nil
		}
		return Null, false, nil
	case 2:
		a, b := args[0], args[1]
		switch name {
		case "substring":
			if a.kind != KindInt || b.kind != KindInt {
				return Null, false, nil
			}
			n := jlen(s)
			if a.n < 0 || b.n > int64(n) || a.n > b.n {
				return throw("StringIndexOutOfBoundsException: begin %d, end %d, length %d", a.n, b.n, n)
			}
			return String(jsub(s, int(a.n), int(b.n))), true, nil
		case "indexOf", "lastIndexOf":
			if a.kind != KindString || b.kind != KindInt {
				return Null, false, nil
			}
			if name == "indexOf" {
				return Int(int32(jindex(s, a.str(), int(b.n)))), true, nil
			}
			return Int(int32(jlastIndex(s, a.str(), int(b.n)))), true, nil
		case "startsWith":
			if a.kind != KindString || b.kind != KindInt {
				return Null, false, nil
			}
			n := jlen(s)
			off := int(b.n)
			if off < 0 || off > n {
				return Bool(false), true, nil
			}
			return Bool(strings.HasPrefix(jsub(s, off, n), a.str())), true, nil
		case "split":
			if a.kind != KindString || b.kind != KindInt {
				return Null, false, nil
			}
			parts, err := javaSplit(s, a.str(), int(b.n))
			if err != nil {
				return Null, true, err
			}
			return ListValue(parts), true, nil
		}
		if a.kind != KindString || b.kind != KindString {
			if (a.kind == KindNull || b.kind == KindNull) && (name == "replace" || name == "replaceAll" || name == "replaceFirst") {
				return throw("NullPointerException")
			}
			return Null, false, nil
		}
		switch name {
		case "replace":
			out := strings.ReplaceAll(s, a.str(), b.str())
			if len(out) > r.lim.MaxOutputBytes {
				return throw("OutOfMemoryError")
			}
			return String(out), true, nil
		case "replaceAll", "replaceFirst":
			re, err := compileJavaRegex(a.str(), false)
			if err != nil {
				return Null, true, err
			}
			out, err := javaReplace(re, s, b.str(), name == "replaceAll", r.lim.MaxOutputBytes)
			if err != nil {
				return Null, true, err
			}
			return String(out), true, nil
		}
	}
	return Null, false, nil
}

// stringIntMethod covers the String methods that take one int.
func (r *renderer) stringIntMethod(s, name string, i int) (Value, bool, error) {
	n := jlen(s)
	switch name {
	case "substring":
		if i < 0 || i > n {
			return throw("StringIndexOutOfBoundsException: begin %d, end %d, length %d", i, n, n)
		}
		return String(jsub(s, i, n)), true, nil
	case "charAt":
		if i < 0 || i >= n {
			return throw("StringIndexOutOfBoundsException: index %d, length %d", i, n)
		}
		return String(jsub(s, i, i+1)), true, nil
	case "indexOf", "lastIndexOf":
		if i < 0 || i > 0x10FFFF {
			return Int(-1), true, nil
		}
		ch := string(rune(i))
		if name == "indexOf" {
			return Int(int32(jindex(s, ch, 0))), true, nil
		}
		return Int(int32(jlastIndex(s, ch, n))), true, nil
	case "equals":
		return Bool(false), true, nil
	}
	return Null, false, nil
}
