package javaregex

// kind is the sort of a node of the parsed pattern.
type kind uint8

const (
	kEmpty      kind = iota // matches the empty string
	kChar                   // one code point from set
	kConcat                 // subs in sequence
	kAlt                    // one of subs, in order of preference
	kRepeat                 // subs[0] from min to max times (max < 0: unbounded)
	kGroup                  // subs[0], capturing when capture is set
	kBegin                  // \A, or ^ without MULTILINE
	kEnd                    // \z
	kDollar                 // $ or \Z without MULTILINE or UNIX_LINES
	kUnixDollar             // $ or \Z with UNIX_LINES and without MULTILINE
	kLineEnding             // \R
)

// node is one construct of a parsed Java pattern. The parser resolves
// Java's flags while it reads, so a node means the same thing wherever it
// stands: case-insensitivity is already folded into the code point sets, the
// dot is already a set, and ^ and $ are already the anchor Java would use.
type node struct {
	kind    kind
	set     charSet // kChar
	subs    []*node // kConcat, kAlt, kRepeat, kGroup
	min     int     // kRepeat
	max     int     // kRepeat; -1 means no upper bound
	lazy    bool    // kRepeat
	capture bool    // kGroup
	name    string  // kGroup: the name of a named capturing group
	off     int     // byte offset of the construct in the pattern

	// unbounded marks a placeholder for a backreference, whose length Java
	// cannot bound inside a lookbehind.
	unbounded bool
}

// concat returns the sequence of subs, flattening nested sequences and
// dropping empty nodes.
func concat(off int, subs ...*node) *node {
	var out []*node
	for _, s := range subs {
		switch s.kind {
		case kEmpty:
		case kConcat:
			out = append(out, s.subs...)
		default:
			out = append(out, s)
		}
	}
	switch len(out) {
	case 0:
		return &node{kind: kEmpty, off: off}
	case 1:
		return out[0]
	}
	return &node{kind: kConcat, subs: out, off: off}
}

// zeroWidth reports whether n can only ever match the empty string.
func (n *node) zeroWidth() bool {
	switch n.kind {
	case kEmpty, kBegin, kEnd, kDollar, kUnixDollar:
		return true
	case kChar, kLineEnding:
		return false
	case kRepeat:
		return n.max == 0 || n.subs[0].zeroWidth()
	}
	for _, s := range n.subs {
		if !s.zeroWidth() {
			return false
		}
	}
	return true
}
