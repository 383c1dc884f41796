package runtime

import (
	"strconv"
	"unicode/utf8"
)

// jsonWriter builds JSON documents by appending, in the key order the
// caller writes them: the events API Gateway sends to Lambda list their
// fields in a fixed order, and building them this way costs one buffer.
type jsonWriter struct {
	b []byte
	// empty tracks, per open object or array, whether nothing was
	// written in it yet; afterKey is set between a key and its value.
	empty    []bool
	afterKey bool
}

// elem starts a value: after a key nothing, otherwise a comma unless the
// value is the first of its object or array.
func (w *jsonWriter) elem() {
	if w.afterKey {
		w.afterKey = false
		return
	}
	if n := len(w.empty); n > 0 {
		if !w.empty[n-1] {
			w.b = append(w.b, ',')
		}
		w.empty[n-1] = false
	}
}

// key writes an object key; the value follows.
func (w *jsonWriter) key(k string) {
	w.elem()
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':')
	w.afterKey = true
}

func (w *jsonWriter) beginObject() { w.elem(); w.b = append(w.b, '{'); w.empty = append(w.empty, true) }
func (w *jsonWriter) endObject()   { w.b = append(w.b, '}'); w.empty = w.empty[:len(w.empty)-1] }
func (w *jsonWriter) beginArray()  { w.elem(); w.b = append(w.b, '['); w.empty = append(w.empty, true) }
func (w *jsonWriter) endArray()    { w.b = append(w.b, ']'); w.empty = w.empty[:len(w.empty)-1] }

func (w *jsonWriter) str(s string) {
	w.elem()
	w.b = appendJSONString(w.b, s)
}

func (w *jsonWriter) null() {
	w.elem()
	w.b = append(w.b, "null"...)
}

func (w *jsonWriter) boolean(v bool) {
	w.elem()
	w.b = strconv.AppendBool(w.b, v)
}

func (w *jsonWriter) integer(v int64) {
	w.elem()
	w.b = strconv.AppendInt(w.b, v, 10)
}

// raw writes a value that is already JSON.
func (w *jsonWriter) raw(v []byte) {
	w.elem()
	w.b = append(w.b, v...)
}

// strOrNull writes s, or null when ok is false.
func (w *jsonWriter) strOrNull(s string, ok bool) {
	if ok {
		w.str(s)
	} else {
		w.null()
	}
}

// appendJSONString appends s as a JSON string, escaping as Jackson does:
// quotes, backslashes and control characters; invalid UTF-8 becomes
// U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
