package apigw

import (
	"encoding/base64"
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"gwc.dev/gwc/vtl"
)

// util is $util.
type util struct{}

func (util) Property(string) (vtl.Value, bool) { return vtl.Null, false }

func (util) String() string { return "$util" }

func (util) Call(name string, args []vtl.Value) (vtl.Value, bool, error) {
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
		return vtl.String(EscapeJavaScript(s)), true, nil
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
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '\'' && s[i] != '"' && s[i] != '\\' && s[i] != '/' {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8 + 8)
	b.WriteString(s[:i])
	const hex = "0123456789ABCDEF"
	unit := func(u uint16) {
		b.WriteString(`\u`)
		b.WriteByte(hex[u>>12&0xf])
		b.WriteByte(hex[u>>8&0xf])
		b.WriteByte(hex[u>>4&0xf])
		b.WriteByte(hex[u&0xf])
	}
	for _, r := range s[i:] {
		switch {
		case r >= 0x10000:
			r1, r2 := utf16.EncodeRune(r)
			unit(uint16(r1))
			unit(uint16(r2))
		case r > 0x7f:
			unit(uint16(r))
		case r < 32:
			switch r {
			case '\b':
				b.WriteString(`\b`)
			case '\n':
				b.WriteString(`\n`)
			case '\t':
				b.WriteString(`\t`)
			case '\f':
				b.WriteString(`\f`)
			case '\r':
				b.WriteString(`\r`)
			default:
				unit(uint16(r))
			}
		case r == '\'' || r == '"' || r == '\\' || r == '/':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		default:
			b.WriteByte(byte(r))
		}
	}
	return b.String()
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
