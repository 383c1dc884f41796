package apigw

import (
	"encoding/base64"
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"gwc.dev/gwc/vtl"
)

// util is $util. Its results are appended to the text buffer of the
// render state it belongs to.
type util struct{ text *textBuf }

func (*util) Property(string) (vtl.Value, bool) { return vtl.Null, false }

func (*util) String() string { return "$util" }

func (u *util) Call(name string, args []vtl.Value) (vtl.Value, bool, error) {
	if len(args) != 1 {
		return vtl.Null, false, nil
	}
	a := args[0]
	if a.Kind() != vtl.KindString && a.Kind() != vtl.KindNull {
		return vtl.Null, false, nil
	}
	s := a.Str()
	switch name {
	case "escapeJavaScript":
		if a.IsNull() {
			return vtl.Null, true, nil
		}
		if !needsJSEscape(s) {
			return a, true, nil
		}
		start := u.text.begin(len(s) + 16)
		u.text.buf = appendEscapeJavaScript(u.text.buf, s)
		return vtl.String(u.text.end(start)), true, nil
	case "parseJson":
		if a.IsNull() {
			return vtl.Null, true, errors.New("parseJson of null")
		}
		v, err := vtl.ParseJSON([]byte(s), true)
		if err != nil {
			return vtl.Null, true, err
		}
		return v, true, nil
	case "urlEncode":
		return vtl.String(URLEncode(s)), true, nil
	case "urlDecode":
		d, err := URLDecode(s)
		if err != nil {
			return vtl.Null, true, err
		}
		return vtl.String(d), true, nil
	case "base64Encode":
		return vtl.String(base64.StdEncoding.EncodeToString([]byte(s))), true, nil
	case "base64Decode":
		b, err := base64Decode(s)
		if err != nil {
			return vtl.Null, true, err
		}
		return vtl.String(strings.ToValidUTF8(string(b), "\uFFFD")), true, nil
	}
	return vtl.Null, false, nil
}

// EscapeJavaScript escapes s as Apache commons-lang 2.6
// StringEscapeUtils.escapeJavaScript does: quotes (single and double),
// backslash and slash get a backslash, control characters their short
// escape or \u00XX, and every non-ASCII UTF-16 unit \uXXXX in upper-case hex.
func EscapeJavaScript(s string) string {
	if !needsJSEscape(s) {
		return s
	}
	return string(appendEscapeJavaScript(make([]byte, 0, len(s)+len(s)/8+8), s))
}

// jsEscape marks the bytes EscapeJavaScript changes: control characters,
// quotes, backslash, slash and every byte of a non-ASCII character.
var jsEscape = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	t['\''], t['"'], t['\\'], t['/'] = true, true, true, true
	return t
}()

func needsJSEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if jsEscape[s[i]] {
			return true
		}
	}
	return false
}

// appendEscapeJavaScript appends EscapeJavaScript(s) to b.
func appendEscapeJavaScript(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	unit := func(b []byte, u uint16) []byte {
		return append(b, '\\', 'u', hex[u>>12&0xf], hex[u>>8&0xf], hex[u>>4&0xf], hex[u&0xf])
	}
	for i := 0; i < len(s); {
		// Copy the run of bytes that need no escape in one go.
		j := i
		for j < len(s) && !jsEscape[s[j]] {
			j++
		}
		b = append(b, s[i:j]...)
		if j == len(s) {
			break
		}
		c := s[j]
		i = j + 1
		switch {
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[j:])
			i = j + size
			if r >= 0x10000 {
				r1, r2 := utf16.EncodeRune(r)
				b = unit(b, uint16(r1))
				b = unit(b, uint16(r2))
			} else {
				b = unit(b, uint16(r))
			}
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c < 0x20:
			b = unit(b, uint16(c))
		default: // ' " \ /
			b = append(b, '\\', c)
		}
	}
	return b
}

// URLEncode is Java's URLEncoder.encode(s, "UTF-8"): letters, digits and
// ".-*_" stay, a space becomes "+", every other byte %XX in upper case.
func URLEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
	}
	return b.String()
}

// URLDecode is Java's URLDecoder.decode(s, "UTF-8"): "+" is a space and
// %XX a byte; a malformed escape is an error.
func URLDecode(s string) (string, error) {
	if !strings.ContainsAny(s, "+%") {
		return s, nil
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
				return "", errors.New("urlDecode: incomplete or illegal % escape")
			}
			b = append(b, byte(unhex(s[i+1])<<4|unhex(s[i+2])))
			i += 2
		default:
			b = append(b, c)
		}
	}
	if !utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	return string(b), nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// base64Decode accepts standard base64 with or without padding.
func base64Decode(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("base64Decode: " + err.Error())
	}
	return b, nil
}
