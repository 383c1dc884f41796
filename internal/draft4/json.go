package draft4

import (
	"errors"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// The JSON kinds a node can have.
const (
	kNull uint8 = iota
	kFalse
	kTrue
	kNumber
	kString
	kArray
	kObject
)

// Node flags.
const (
	fEscaped uint8 = 1 << iota // string: the text is unescaped in tree.buf, not in tree.src
	fShadow                    // object key: a later member has the same name, so this one does not count
	fInt                       // number: written without fraction or exponent (a JSON "integer" token)
)

// node is one JSON value in a tree. Trees are flat and in document order:
// an array's elements follow it, an object's members follow it as key
// node then value subtree; next is the index just past the subtree, so
// siblings are reached without recursion.
type node struct {
	kind  uint8
	flags uint8
	start uint32 // string and number: the text is src[start:end] (or buf[start:end] when fEscaped)
	end   uint32
	next  uint32 // index of the node after this subtree
	n     uint32 // array: elements; object: members (shadowed duplicates included)
}

// tree is a parsed JSON document. It owns nothing but its slices, so a
// pooled tree parses the next document without allocating.
type tree struct {
	src   []byte
	buf   []byte // unescaped strings
	nodes []node
	dups  map[string]uint32 // scratch for duplicate detection in large objects
}

// maxDepth bounds nesting as encoding/json does, so that a hostile body
// cannot exhaust the stack of the parser or of the validator.
const maxDepth = 10000

var errSyntax = errors.New("invalid JSON")

// parse reads one JSON text, strictly as RFC 8259 says and as Jackson
// reads it by default: no comments, no trailing commas, no leading zeros,
// no NaN, no control characters in strings, no invalid UTF-8, nothing but
// whitespace after the value. Duplicate member names are allowed and the
// last one wins, as with Jackson's and Go's decoders.
func (t *tree) parse(src []byte) error {
	if uint64(len(src)) >= 1<<32-1 {
		return errSyntax
	}
	t.src = src
	t.buf = t.buf[:0]
	t.nodes = t.nodes[:0]
	p := parser{t: t, src: src}
	p.skipSpace()
	if err := p.value(0); err != nil {
		return err
	}
	p.skipSpace()
	if p.pos != len(src) {
		return errSyntax
	}
	return nil
}

type parser struct {
	t   *tree
	src []byte
	pos int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func (p *parser) add(k uint8) int {
	p.t.nodes = append(p.t.nodes, node{kind: k})
	return len(p.t.nodes) - 1
}

func (p *parser) value(depth int) error {
	if p.pos >= len(p.src) {
		return errSyntax
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.str()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return p.literal("true", kTrue)
	case c == 'f':
		return p.literal("false", kFalse)
	case c == 'n':
		return p.literal("null", kNull)
	}
	return errSyntax
}

func (p *parser) literal(word string, k uint8) error {
	if len(p.src)-p.pos < len(word) || string(p.src[p.pos:p.pos+len(word)]) != word {
		return errSyntax
	}
	p.pos += len(word)
	i := p.add(k)
	p.t.nodes[i].next = uint32(i + 1)
	return nil
}

func (p *parser) number() error {
	s, i := p.src, p.pos
	start := i
	flags := fInt
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return errSyntax
	}
	if i < len(s) && s[i] == '.' {
		flags = 0
		i++
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return errSyntax
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		flags = 0
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return errSyntax
		}
	}
	p.pos = i
	n := p.add(kNumber)
	p.t.nodes[n] = node{kind: kNumber, flags: flags, start: uint32(start), end: uint32(i), next: uint32(n + 1)}
	return nil
}

// str reads a string. Text without escapes stays in src; text with
// escapes is decoded into buf.
func (p *parser) str() error {
	s := p.src
	i := p.pos + 1
	start := i
	for {
		// Plain ASCII is the common case; check it a byte at a time
		// without decoding.
		for i < len(s) && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\' {
			i++
		}
		if i >= len(s) {
			return errSyntax
		}
		c := s[i]
		if c == '"' {
			n := p.add(kString)
			p.t.nodes[n] = node{kind: kString, start: uint32(start), end: uint32(i), next: uint32(n + 1)}
			p.pos = i + 1
			return nil
		}
		if c == '\\' {
			return p.escaped(start, i)
		}
		if c < 0x20 {
			return errSyntax
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size <= 1 {
			return errSyntax
		}
		i += size
	}
}

// escaped finishes a string whose first escape is at i, decoding it into
// buf.
func (p *parser) escaped(start, i int) error {
	s := p.src
	t := p.t
	bstart := len(t.buf)
	t.buf = append(t.buf, s[start:i]...)
	for {
		if i >= len(s) {
			return errSyntax
		}
		c := s[i]
		switch {
		case c == '"':
			n := p.add(kString)
			t.nodes[n] = node{kind: kString, flags: fEscaped, start: uint32(bstart), end: uint32(len(t.buf)), next: uint32(n + 1)}
			p.pos = i + 1
			return nil
		case c == '\\':
			if i+1 >= len(s) {
				return errSyntax
			}
			switch s[i+1] {
			case '"', '\\', '/':
				t.buf = append(t.buf, s[i+1])
			case 'b':
				t.buf = append(t.buf, '\b')
			case 'f':
				t.buf = append(t.buf, '\f')
			case 'n':
				t.buf = append(t.buf, '\n')
			case 'r':
				t.buf = append(t.buf, '\r')
			case 't':
				t.buf = append(t.buf, '\t')
			case 'u':
				r, ok := hex4(s, i+2)
				if !ok {
					return errSyntax
				}
				i += 6
				if utf16.IsSurrogate(r) {
					// A pair makes one code point; a lone surrogate
					// cannot be UTF-8 and becomes U+FFFD, as Go's
					// decoder (and so the runtime until now) does.
					if r2, ok := hex4(s, i+2); ok && i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							t.buf = utf8.AppendRune(t.buf, d)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				t.buf = utf8.AppendRune(t.buf, r)
				continue
			default:
				return errSyntax
			}
			i += 2
		case c < 0x20:
			return errSyntax
		case c < 0x80:
			t.buf = append(t.buf, c)
			i++
		default:
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size <= 1 {
				return errSyntax
			}
			t.buf = append(t.buf, s[i:i+size]...)
			i += size
		}
	}
}

func hex4(s []byte, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range s[i : i+4] {
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

func (p *parser) array(depth int) error {
	if depth > maxDepth {
		return errSyntax
	}
	a := p.add(kArray)
	p.pos++
	p.skipSpace()
	var n uint32
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
	} else {
		for {
			if err := p.value(depth); err != nil {
				return err
			}
			n++
			p.skipSpace()
			if p.pos >= len(p.src) {
				return errSyntax
			}
			if p.src[p.pos] == ']' {
				p.pos++
				break
			}
			if p.src[p.pos] != ',' {
				return errSyntax
			}
			p.pos++
			p.skipSpace()
		}
	}
	p.t.nodes[a] = node{kind: kArray, n: n, next: uint32(len(p.t.nodes))}
	return nil
}

func (p *parser) object(depth int) error {
	if depth > maxDepth {
		return errSyntax
	}
	o := p.add(kObject)
	p.pos++
	p.skipSpace()
	var n uint32
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
	} else {
		for {
			if p.pos >= len(p.src) || p.src[p.pos] != '"' {
				return errSyntax
			}
			if err := p.str(); err != nil {
				return err
			}
			p.skipSpace()
			if p.pos >= len(p.src) || p.src[p.pos] != ':' {
				return errSyntax
			}
			p.pos++
			p.skipSpace()
			if err := p.value(depth); err != nil {
				return err
			}
			n++
			p.skipSpace()
			if p.pos >= len(p.src) {
				return errSyntax
			}
			if p.src[p.pos] == '}' {
				p.pos++
				break
			}
			if p.src[p.pos] != ',' {
				return errSyntax
			}
			p.pos++
			p.skipSpace()
		}
	}
	p.t.nodes[o] = node{kind: kObject, n: n, next: uint32(len(p.t.nodes))}
	if n > 1 {
		p.t.markShadowed(o)
	}
	return nil
}

// markShadowed flags every member of object o whose name a later member
// repeats, so that validation sees each name once, with its last value.
func (t *tree) markShadowed(o int) {
	n := t.nodes[o].n
	if n <= 16 {
		for i, k := 0, uint32(o+1); i < int(n); i++ {
			ki := t.str(k)
			for j, l := i+1, t.nodes[k+1].next; j < int(n); j++ {
				if t.str(l) == ki {
					t.nodes[k].flags |= fShadow
					break
				}
				l = t.nodes[l+1].next
			}
			k = t.nodes[k+1].next
		}
		return
	}
	if t.dups == nil {
		t.dups = make(map[string]uint32)
	}
	clear(t.dups)
	for i, k := 0, uint32(o+1); i < int(n); i++ {
		name := t.str(k)
		if prev, ok := t.dups[name]; ok {
			t.nodes[prev].flags |= fShadow
		}
		t.dups[name] = k
		k = t.nodes[k+1].next
	}
	clear(t.dups)
}

// str returns the text of string node i. It aliases the tree's memory:
// callers that keep it past the tree's use must copy it.
func (t *tree) str(i uint32) string {
	nd := &t.nodes[i]
	b := t.src
	if nd.flags&fEscaped != 0 {
		b = t.buf
	}
	if nd.end == nd.start {
		return ""
	}
	return unsafe.String(&b[nd.start], int(nd.end-nd.start))
}

// numText returns the text of number node i, as written.
func (t *tree) numText(i uint32) string {
	nd := &t.nodes[i]
	return unsafe.String(&t.src[nd.start], int(nd.end-nd.start))
}

// member calls f for each member of object o that counts (the last of
// duplicates), with the index of its key node and of its value.
func (t *tree) members(o uint32) func(yield func(k, v uint32) bool) {
	return func(yield func(k, v uint32) bool) {
		n := t.nodes[o].n
		k := o + 1
		for i := uint32(0); i < n; i++ {
			v := k + 1
			next := t.nodes[v].next
			if t.nodes[k].flags&fShadow == 0 && !yield(k, v) {
				return
			}
			k = next
		}
	}
}

// size returns the number of distinct member names of object o.
func (t *tree) size(o uint32) int {
	c := 0
	for range t.members(o) {
		c++
	}
	return c
}

// lookup returns the value of member name of object o.
func (t *tree) lookup(o uint32, name string) (uint32, bool) {
	for k, v := range t.members(o) {
		if t.str(k) == name {
			return v, true
		}
	}
	return 0, false
}

// elems calls f with the index of each element of array a.
func (t *tree) elems(a uint32) func(yield func(i int, v uint32) bool) {
	return func(yield func(i int, v uint32) bool) {
		n := t.nodes[a].n
		v := a + 1
		for i := uint32(0); i < n; i++ {
			if !yield(int(i), v) {
				return
			}
			v = t.nodes[v].next
		}
	}
}

// typeName returns the JSON type of node i as the validator words it.
func (t *tree) typeName(i uint32) string {
	switch t.nodes[i].kind {
	case kNull:
		return "null"
	case kTrue, kFalse:
		return "boolean"
	case kNumber:
		return "number"
	case kString:
		return "string"
	case kArray:
		return "array"
	}
	return "object"
}
