package javaregex

import "strings"

// The parser below follows java.util.regex.Pattern's recursive descent
// closely, cursor movement included: Java's quirks (which "{" is literal,
// when "^" negates a class, how "&&" binds, where the error index points)
// live in that movement, and following it is the surest way to accept,
// reject and report exactly what Java does. It builds a small node tree
// instead of Java's matcher objects.

// Java's flag bits, as in java.util.regex.Pattern.
const (
	flagUnixLines       = 0x01
	flagCaseInsensitive = 0x02
	flagComments        = 0x04
	flagMultiline       = 0x08
	flagDotAll          = 0x20
	flagUnicodeCase     = 0x40
	flagCanonEq         = 0x80
	flagUnicodeClass    = 0x100
)

// maxReps stands for an unbounded repetition, as Java's MAX_REPS does.
const maxReps = 0x7FFFFFFF

// qtype is the kind of a quantifier.
type qtype uint8

const (
	greedy qtype = iota
	lazy
	possessive
)

// parser holds the state of one parse.
type parser struct {
	pattern string
	temp    []rune // the pattern's code points after \Q...\E removal, then two zeros
	off     []int  // off[i] is the byte offset in pattern that temp[i] came from
	n       int    // number of code points before the zeros (Java's patternLength)
	cursor  int
	flags   int
	groups  int // the number the next capturing group gets
	names   map[string]int

	root      *node   // escape's node result, as Java's "root" double return
	predicate charSet // escape's class result, as Java's "predicate"

	unsupported *UnsupportedError // the first unsupported construct seen
	depth       int               // nesting of groups and classes
}

// maxDepth bounds the nesting of groups and classes. RE2 refuses deeper
// nesting anyway, and the bound keeps the recursion of a hostile pattern
// small.
const maxDepth = 1000

// bailout carries a syntax error, or with a nil err the decision to stop
// at p.unsupported, out of the recursive descent.
type bailout struct{ err *SyntaxError }

// parse parses a Java pattern. It returns a *SyntaxError for a pattern Java
// rejects, else the tree and, separately, the first unsupported construct.
// When that construct stopped the parse (nesting past maxDepth) there is
// no tree: unsup is set and tree is nil.
func parse(pattern string) (tree *node, unsup *UnsupportedError, err error) {
	p := &parser{pattern: pattern, groups: 1}
	for i, r := range pattern {
		p.temp = append(p.temp, r)
		p.off = append(p.off, i)
	}
	p.n = len(p.temp)
	p.temp = append(p.temp, 0, 0)
	p.off = append(p.off, len(pattern), len(pattern))

	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			if b.err == nil {
				tree, unsup, err = nil, p.unsupported, nil
				return
			}
			tree, unsup, err = nil, nil, b.err
		}
	}()
	p.removeQEQuoting()
	tree = p.expr()
	if p.cursor != p.n {
		switch {
		case p.peek() == ')':
			p.fail("Unmatched closing ')'")
		default:
			p.fail("Unexpected internal error")
		}
	}
	return tree, p.unsupported, nil
}

// removeQEQuoting rewrites \Q...\E into escaped characters, as Java does
// before parsing; error indexes refer to the rewritten pattern, like Java's.
func (p *parser) removeQEQuoting() {
	n := p.n
	i := 0
	for i < n-1 {
		if p.temp[i] != '\\' {
			i++
		} else if p.temp[i+1] != 'Q' {
			i += 2
		} else {
			break
		}
	}
	if i >= n-1 {
		return
	}
	j := i
	i += 2
	nt := append([]rune(nil), p.temp[:j]...)
	no := append([]int(nil), p.off[:j]...)
	add := func(c rune, off int) {
		nt = append(nt, c)
		no = append(no, off)
	}
	inQuote, beginQuote := true, true
	for i < n {
		c, o := p.temp[i], p.off[i]
		i++
		switch {
		case c >= 128 || isASCIIAlpha(c):
			add(c, o)
		case isASCIIDigit(c):
			if beginQuote {
				// Java writes \x3d for a digit right after \Q, so that
				// it cannot extend an escape that precedes the quote.
				add('\\', o)
				add('x', o)
				add('3', o)
			}
			add(c, o)
		case c != '\\':
			if inQuote {
				add('\\', o)
			}
			add(c, o)
		case inQuote:
			if p.temp[i] == 'E' {
				i++
				inQuote = false
			} else {
				add('\\', o)
				add('\\', o)
			}
		default:
			if p.temp[i] == 'Q' {
				i++
				inQuote, beginQuote = true, true
				continue
			}
			add(c, o)
			if i != n {
				add(p.temp[i], p.off[i])
				i++
			}
		}
		beginQuote = false
	}
	p.n = len(nt)
	p.temp = append(nt, 0, 0)
	p.off = append(no, len(p.pattern), len(p.pattern))
}

func isASCIIAlpha(c rune) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isASCIIDigit(c rune) bool { return '0' <= c && c <= '9' }
func isASCIIAlnum(c rune) bool { return isASCIIAlpha(c) || isASCIIDigit(c) }
func isASCIISpace(c rune) bool { return c == ' ' || '\t' <= c && c <= '\r' }
func isHexDigit(c rune) bool {
	return isASCIIDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hexValue(c rune) rune {
	switch {
	case isASCIIDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// at returns temp[i], or zero past its end where Java would have thrown.
func (p *parser) at(i int) rune {
	if i < 0 || i >= len(p.temp) {
		return 0
	}
	return p.temp[i]
}

// offset returns the byte offset in the pattern of temp index i.
func (p *parser) offset(i int) int {
	switch {
	case i < 0:
		return 0
	case i >= len(p.off):
		return len(p.pattern)
	}
	return p.off[i]
}

func (p *parser) has(f int) bool { return p.flags&f != 0 }

// fail reports a syntax error at the character before the cursor, as
// Java's error() does.
func (p *parser) fail(desc string) {
	panic(bailout{&SyntaxError{Pattern: p.pattern, Desc: desc, Index: p.cursor - 1, Offset: p.offset(p.cursor - 1)}})
}

// unsupported records a construct RE2 cannot evaluate; parsing goes on so
// that a later syntax error still wins, as it would in Java.
func (p *parser) unsupport(f Feature, i int) {
	if p.unsupported == nil {
		p.unsupported = &UnsupportedError{Pattern: p.pattern, Feature: f, Offset: p.offset(i)}
	}
}

// enter and leave track nesting; past maxDepth the parse stops with an
// unsupported error.
func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.unsupported = nil
		p.unsupport(FeatureTooLarge, p.cursor)
		panic(bailout{})
	}
}

func (p *parser) leave() { p.depth-- }

func (p *parser) accept(ch rune, desc string) {
	test := p.at(p.cursor)
	p.cursor++
	if p.has(flagComments) {
		test = p.parsePastWhitespace(test)
	}
	if ch != test {
		p.fail(desc)
	}
}

func (p *parser) mark(c rune) { p.temp[p.n] = c }

func (p *parser) peek() rune {
	ch := p.at(p.cursor)
	if p.has(flagComments) {
		ch = p.peekPastWhitespace(ch)
	}
	return ch
}

func (p *parser) read() rune {
	ch := p.at(p.cursor)
	p.cursor++
	if p.has(flagComments) {
		ch = p.parsePastWhitespace(ch)
	}
	return ch
}

func (p *parser) next() rune {
	p.cursor++
	ch := p.at(p.cursor)
	if p.has(flagComments) {
		ch = p.peekPastWhitespace(ch)
	}
	return ch
}

func (p *parser) nextEscaped() rune {
	p.cursor++
	return p.at(p.cursor)
}

func (p *parser) peekPastWhitespace(ch rune) rune {
	for isASCIISpace(ch) || ch == '#' {
		for isASCIISpace(ch) {
			p.cursor++
			ch = p.at(p.cursor)
		}
		if ch == '#' {
			ch = p.peekPastLine()
		}
	}
	return ch
}

func (p *parser) parsePastWhitespace(ch rune) rune {
	for isASCIISpace(ch) || ch == '#' {
		for isASCIISpace(ch) {
			ch = p.at(p.cursor)
			p.cursor++
		}
		if ch == '#' {
			ch = p.parsePastLine()
		}
	}
	return ch
}

func (p *parser) parsePastLine() rune {
	ch := p.at(p.cursor)
	p.cursor++
	for ch != 0 && !p.isLineSeparator(ch) {
		ch = p.at(p.cursor)
		p.cursor++
	}
	if ch == 0 && p.cursor > p.n {
		p.cursor = p.n
		ch = p.at(p.cursor)
		p.cursor++
	}
	return ch
}

func (p *parser) peekPastLine() rune {
	p.cursor++
	ch := p.at(p.cursor)
	for ch != 0 && !p.isLineSeparator(ch) {
		p.cursor++
		ch = p.at(p.cursor)
	}
	if ch == 0 && p.cursor > p.n {
		p.cursor = p.n
		ch = p.at(p.cursor)
	}
	return ch
}

func (p *parser) isLineSeparator(ch rune) bool {
	if p.has(flagUnixLines) {
		return ch == '\n'
	}
	return ch == '\n' || ch == '\r' || ch|1 == 0x2029 || ch == 0x85
}

func (p *parser) skip() rune {
	i := p.cursor
	ch := p.at(i + 1)
	p.cursor = i + 2
	return ch
}

func (p *parser) unread() { p.cursor-- }

// expr parses alternatives separated by "|".
func (p *parser) expr() *node {
	start := p.offset(p.cursor)
	var alts []*node
	for {
		alts = append(alts, p.sequence())
		if p.peek() != '|' {
			break
		}
		p.next()
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return &node{kind: kAlt, subs: alts, off: start}
}

// sequence parses the concatenation between alternation bars.
func (p *parser) sequence() *node {
	start := p.offset(p.cursor)
	var items []*node
loop:
	for {
		ch := p.peek()
		at := p.cursor
		var nd *node
		switch ch {
		case '(':
			if g := p.group0(); g != nil {
				items = append(items, g)
			}
			continue
		case '[':
			if p.has(flagCanonEq) {
				p.unsupport(FeatureCanonEq, at)
			}
			nd = p.charNode(p.clazz(true).eval(), at)
		case '\\':
			ch = p.nextEscaped()
			if ch == 'p' || ch == 'P' {
				oneLetter, comp := true, ch == 'P'
				if p.next() != '{' {
					p.unread()
				} else {
					oneLetter = false
				}
				nd = p.charNode(p.family(oneLetter, comp), at)
			} else {
				p.unread()
				nd = p.atom()
			}
		case '^':
			p.next()
			if p.has(flagMultiline) {
				p.unsupport(FeatureMultilineAnchor, at)
			}
			nd = &node{kind: kBegin, off: p.offset(at)}
		case '$':
			p.next()
			nd = p.dollar(p.has(flagMultiline), at)
		case '.':
			p.next()
			var s charSet
			switch {
			case p.has(flagDotAll):
				s = anyRune
			case p.has(flagUnixLines):
				s = single('\n').negate()
			default:
				s = lineTerminators.negate()
			}
			nd = &node{kind: kChar, set: s, off: p.offset(at)}
		case '|', ')':
			break loop
		case ']', '}':
			nd = p.atom()
		case '?', '*', '+':
			p.next()
			p.fail("Dangling meta character '" + string(ch) + "'")
		case 0:
			if p.cursor >= p.n {
				break loop
			}
			nd = p.atom()
		default:
			nd = p.atom()
		}
		items = append(items, p.closure(nd))
	}
	return concat(start, items...)
}

// dollar returns the node for $ (or \Z, which is $ without MULTILINE).
func (p *parser) dollar(multiline bool, at int) *node {
	if multiline {
		p.unsupport(FeatureMultilineAnchor, at)
	}
	if p.has(flagUnixLines) {
		return &node{kind: kUnixDollar, off: p.offset(at)}
	}
	return &node{kind: kDollar, off: p.offset(at)}
}

// charNode returns a node matching one code point of s.
func (p *parser) charNode(s charSet, at int) *node {
	return &node{kind: kChar, set: s, off: p.offset(at)}
}

// atom parses a run of literal characters, or one escape that is not a
// literal character.
func (p *parser) atom() *node {
	start := p.cursor
	var buf []rune
	var offs []int
	prev := -1
	ch := p.peek()
loop:
	for {
		switch ch {
		case '*', '+', '?', '{':
			if len(buf) > 1 {
				p.cursor = prev // leave the last character to the quantifier
				buf, offs = buf[:len(buf)-1], offs[:len(offs)-1]
			}
			break loop
		case '$', '.', '^', '(', '[', '|', ')':
			break loop
		case '\\':
			ch = p.nextEscaped()
			if ch == 'p' || ch == 'P' {
				if len(buf) > 0 {
					p.unread()
					break loop
				}
				oneLetter, comp := true, ch == 'P'
				if p.next() != '{' {
					p.unread()
				} else {
					oneLetter = false
				}
				return p.charNode(p.family(oneLetter, comp), start)
			}
			p.unread()
			prev = p.cursor
			c := p.escape(false, len(buf) == 0, false)
			if c >= 0 {
				buf = append(buf, c)
				offs = append(offs, prev)
				ch = p.peek()
				continue
			}
			if len(buf) == 0 {
				return p.root
			}
			p.cursor = prev // a class escape ends the run; parse it next
			break loop
		case 0:
			if p.cursor >= p.n {
				break loop
			}
			fallthrough
		default:
			prev = p.cursor
			buf = append(buf, ch)
			offs = append(offs, prev)
			ch = p.next()
			continue
		}
	}
	if len(buf) == 1 {
		return p.charNode(p.single(buf[0]), offs[0])
	}
	items := make([]*node, len(buf))
	for i, c := range buf {
		items[i] = p.charNode(p.sliceChar(c), offs[i])
	}
	return concat(p.offset(start), items...)
}

// single is Java's single(): one character outside a slice, with the case
// folding the flags ask for.
func (p *parser) single(c rune) charSet {
	if p.has(flagCaseInsensitive) {
		if p.has(flagUnicodeCase) {
			upper := toUpper(c)
			lower := toLower(upper)
			if upper != lower {
				return singleU(lower)
			}
		} else if c < 128 {
			lower, upper := asciiLower(c), asciiUpper(c)
			if lower != upper {
				return ofRunes(lower, upper)
			}
		}
	}
	return single(c)
}

// sliceChar is what one character of a multi-character literal matches:
// Java's SliceI and SliceU compare folded forms, which is not always what
// single() accepts for the same character.
func (p *parser) sliceChar(c rune) charSet {
	if !p.has(flagCaseInsensitive) {
		return single(c)
	}
	if p.has(flagUnicodeCase) {
		return singleU(foldKey(c))
	}
	l := asciiLower(c)
	s := single(l)
	if 'a' <= l && l <= 'z' {
		s = s.union(single(asciiUpper(l)))
	}
	return s
}

// ref parses the digits of a numbered backreference, as Java does: more
// digits are taken only while they name an existing group.
func (p *parser) ref(refNum int) {
	for {
		ch := p.peek()
		if !isASCIIDigit(ch) {
			return
		}
		n := refNum*10 + int(ch-'0')
		if p.groups-1 < n {
			return
		}
		refNum = n
		p.read()
	}
}

// escape parses an escape sequence after its backslash. It returns the code
// point for a literal escape; otherwise it returns -1 and, when create is
// set, leaves the node in p.root (outside a class) or the set in
// p.predicate.
func (p *parser) escape(inclass, create, isrange bool) rune {
	at := p.cursor
	ch := p.skip()
	cls := func(s charSet) rune {
		if create {
			p.predicate = s
			if !inclass {
				p.root = p.charNode(s, at)
			}
		}
		return -1
	}
	anchor := func(k kind) rune {
		if create {
			p.root = &node{kind: k, off: p.offset(at)}
		}
		return -1
	}
	unsupported := func(f Feature) rune {
		if create {
			p.unsupport(f, at)
			p.root = &node{kind: kEmpty, off: p.offset(at)}
		}
		return -1
	}
	switch ch {
	case '0':
		return p.octal()
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if inclass {
			break
		}
		if !create {
			return -1
		}
		p.ref(int(ch - '0'))
		unsupported(FeatureBackreference)
		p.root.unbounded = true
		return -1
	case 'A':
		if inclass {
			break
		}
		return anchor(kBegin)
	case 'B':
		if inclass {
			break
		}
		return unsupported(FeatureWordBoundary)
	case 'D':
		return cls(asciiDigit.negate())
	case 'G':
		if inclass {
			break
		}
		return unsupported(FeatureLastMatch)
	case 'H':
		return cls(horizWS.negate())
	case 'N':
		return p.charName(at)
	case 'R':
		if inclass {
			break
		}
		return anchor(kLineEnding)
	case 'S':
		return cls(asciiSpace.negate())
	case 'V':
		return cls(vertWS.negate())
	case 'W':
		return cls(asciiWord.negate())
	case 'X':
		if inclass {
			break
		}
		return unsupported(FeatureGrapheme)
	case 'Z':
		if inclass {
			break
		}
		if create {
			p.root = p.dollar(false, at)
		}
		return -1
	case 'a':
		return 7
	case 'b':
		if inclass {
			break
		}
		if create {
			if p.peek() == '{' {
				if p.skip() == 'g' {
					if p.read() == '}' {
						return unsupported(FeatureGrapheme)
					}
					break
				}
				p.unread()
				p.unread()
			}
			return unsupported(FeatureWordBoundary)
		}
		return -1
	case 'c':
		if p.cursor < p.n {
			return p.read() ^ 64
		}
		p.fail("Illegal control escape sequence")
	case 'd':
		return cls(asciiDigit)
	case 'e':
		return 0x1B
	case 'f':
		return '\f'
	case 'h':
		return cls(horizWS)
	case 'k':
		if inclass {
			break
		}
		if p.read() != '<' {
			p.fail(`\k is not followed by '<' for named capturing group`)
		}
		name := p.groupName(p.read())
		if _, ok := p.names[name]; !ok {
			p.fail("named capturing group <" + name + "> does not exist")
		}
		if create {
			unsupported(FeatureBackreference)
			p.root.unbounded = true
		}
		return -1
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 's':
		return cls(asciiSpace)
	case 't':
		return '\t'
	case 'u':
		return p.unicodeEscape()
	case 'v':
		// Java 8 made \v vertical whitespace, but still reads it as
		// U+000B at the ends of a range.
		if isrange {
			return 0x0B
		}
		return cls(vertWS)
	case 'w':
		return cls(asciiWord)
	case 'x':
		return p.hexEscape()
	case 'z':
		if inclass {
			break
		}
		return anchor(kEnd)
	case 'C', 'E', 'F', 'I', 'J', 'K', 'L', 'M', 'O', 'P', 'Q', 'T', 'U', 'Y',
		'g', 'i', 'j', 'l', 'm', 'o', 'p', 'q', 'y':
	default:
		return ch
	}
	p.fail("Illegal/unsupported escape sequence")
	return -1
}

func (p *parser) octal() rune {
	isOct := func(c rune) bool { return '0' <= c && c <= '7' }
	n := p.read()
	if isOct(n) {
		m := p.read()
		if isOct(m) {
			o := p.read()
			if isOct(o) && n <= '3' {
				return (n-'0')*64 + (m-'0')*8 + (o - '0')
			}
			p.unread()
			return (n-'0')*8 + (m - '0')
		}
		p.unread()
		return n - '0'
	}
	p.fail("Illegal octal escape sequence")
	return -1
}

func (p *parser) hexEscape() rune {
	n := p.read()
	if isHexDigit(n) {
		m := p.read()
		if isHexDigit(m) {
			return hexValue(n)*16 + hexValue(m)
		}
	} else if n == '{' && isHexDigit(p.peek()) {
		ch := rune(0)
		for {
			n = p.read()
			if !isHexDigit(n) {
				break
			}
			ch = ch<<4 + hexValue(n)
			if ch > maxRune {
				p.fail("Hexadecimal codepoint is too big")
			}
		}
		if n != '}' {
			p.fail("Unclosed hexadecimal escape sequence")
		}
		return ch
	}
	p.fail("Illegal hexadecimal escape sequence")
	return -1
}

func (p *parser) uxxxx() rune {
	n := rune(0)
	for range 4 {
		ch := p.read()
		if !isHexDigit(ch) {
			p.fail("Illegal Unicode escape sequence")
		}
		n = n*16 + hexValue(ch)
	}
	return n
}

func (p *parser) unicodeEscape() rune {
	n := p.uxxxx()
	if 0xD800 <= n && n <= 0xDBFF {
		cur := p.cursor
		if p.read() == '\\' && p.read() == 'u' {
			n2 := p.uxxxx()
			if 0xDC00 <= n2 && n2 <= 0xDFFF {
				return 0x10000 + (n-0xD800)<<10 + (n2 - 0xDC00)
			}
		}
		p.cursor = cur
	}
	return n
}

// charName parses \N{name}. Go has no table of Unicode character names, so
// a well-formed one is reported as unsupported and stands for U+FFFD.
func (p *parser) charName(at int) rune {
	if p.read() == '{' {
		for p.read() != '}' {
			if p.cursor >= p.n {
				p.fail("Unclosed character name escape sequence")
			}
		}
		p.unsupport(FeatureCharacterName, at)
		return 0xFFFD
	}
	p.fail("Illegal character name escape sequence")
	return -1
}

// cpred is a Java character class predicate whose set is computed only
// when the outermost class is complete. It has to wait: Java's classes add
// single characters to a shared, mutable bit set, and an intersection built
// earlier in the class sees characters added to that bit set later.
type cpred struct {
	op   byte // 's' set, 'b' bit class, '|' union, '&' intersection, '!' negation
	set  charSet
	bits *bitClass
	x, y *cpred
}

// bitClass is Java's BitClass: a mutable set of code points below 256.
type bitClass [256]bool

func (b *bitClass) add(c rune, flags int) {
	if flags&flagCaseInsensitive != 0 {
		if c < 128 {
			b[asciiUpper(c)] = true
			b[asciiLower(c)] = true
		} else if flags&flagUnicodeCase != 0 {
			b[toLower(c)] = true
			b[toUpper(c)] = true
		}
	}
	b[c] = true
}

func (c *cpred) eval() charSet {
	switch c.op {
	case 's':
		return c.set
	case 'b':
		var rs []rng
		for i, in := range c.bits {
			if in {
				rs = append(rs, rng{rune(i), rune(i)})
			}
		}
		return normalize(rs)
	case '|':
		return c.x.eval().union(c.y.eval())
	case '&':
		return c.x.eval().intersect(c.y.eval())
	}
	return c.x.eval().negate()
}

func setPred(s charSet) *cpred         { return &cpred{op: 's', set: s} }
func (c *cpred) union(d *cpred) *cpred { return &cpred{op: '|', x: c, y: d} }
func (c *cpred) and(d *cpred) *cpred   { return &cpred{op: '&', x: c, y: d} }
func (c *cpred) negate() *cpred        { return &cpred{op: '!', x: c} }

// clazz parses a character class. It consumes the closing "]" when consume
// is set; Java leaves it for the right operand of "&&" written without
// brackets.
func (p *parser) clazz(consume bool) *cpred {
	p.enter()
	defer p.leave()
	var prev, curr *cpred
	bits := new(bitClass)
	bitsPred := &cpred{op: 'b', bits: bits}
	isNeg, hasBits := false, false
	ch := p.next()
	if ch == '^' && p.at(p.cursor-1) == '[' {
		ch = p.next()
		isNeg = true
	}
	for {
		switch ch {
		case '[':
			curr = p.clazz(true)
			if prev == nil {
				prev = curr
			} else {
				prev = prev.union(curr)
			}
			ch = p.peek()
			continue
		case '&':
			ch = p.next()
			if ch != '&' {
				p.unread() // a literal "&"
				break
			}
			ch = p.next()
			var right *cpred
			for ch != ']' && ch != '&' {
				var r *cpred
				if ch == '[' {
					r = p.clazz(true)
				} else {
					p.unread()
					r = p.clazz(false)
				}
				if right == nil {
					right = r
				} else {
					right = right.union(r)
				}
				ch = p.peek()
			}
			if hasBits {
				if prev == nil {
					prev, curr = bitsPred, bitsPred
				} else {
					prev = prev.union(bitsPred)
				}
				hasBits = false
			}
			if right != nil {
				curr = right
			}
			if prev == nil {
				if right == nil {
					p.fail("Bad class syntax")
				}
				prev = right
			} else {
				if curr == nil {
					// Java 17 builds an intersection with a null
					// operand here and throws NullPointerException
					// when it is evaluated; later Java rejects it.
					p.unsupport(FeatureEmptyIntersection, p.cursor)
					continue
				}
				prev = prev.and(curr)
			}
			continue
		case 0:
			if p.cursor >= p.n {
				p.fail("Unclosed character class")
			}
		case ']':
			if prev != nil || hasBits {
				if consume {
					p.next()
				}
				if prev == nil {
					prev = bitsPred
				} else if hasBits {
					prev = prev.union(bitsPred)
				}
				if isNeg {
					return prev.negate()
				}
				return prev
			}
		}
		curr = p.rangeItem(bits)
		if curr == nil {
			hasBits = true
		} else if prev == nil {
			prev = curr
		} else if prev != curr {
			prev = prev.union(curr)
		}
		ch = p.peek()
	}
}

// bitsOrSingle adds c to the class's bit set when Java does, or returns the
// predicate Java uses instead.
func (p *parser) bitsOrSingle(bits *bitClass, c rune) *cpred {
	special := c == 0xff || c == 0xb5 || c == 0x49 || c == 0x69 || c == 0x53 ||
		c == 0x73 || c == 0x4b || c == 0x6b || c == 0xc5 || c == 0xe5
	if c < 256 && !(p.has(flagCaseInsensitive) && p.has(flagUnicodeCase) && special) {
		bits.add(c, p.flags)
		return nil
	}
	return setPred(p.single(c))
}

// rangeItem is Java's range(): one character, range, escape or property of
// a class.
func (p *parser) rangeItem(bits *bitClass) *cpred {
	ch := p.peek()
	if ch == '\\' {
		ch = p.nextEscaped()
		if ch == 'p' || ch == 'P' {
			oneLetter, comp := true, ch == 'P'
			if p.next() != '{' {
				p.unread()
			} else {
				oneLetter = false
			}
			return setPred(p.family(oneLetter, comp))
		}
		isrange := p.at(p.cursor+1) == '-'
		p.unread()
		ch = p.escape(true, true, isrange)
		if ch == -1 {
			return setPred(p.predicate)
		}
	} else {
		p.next()
	}
	if ch >= 0 {
		if p.peek() == '-' {
			endRange := p.at(p.cursor + 1)
			if endRange == '[' {
				return p.bitsOrSingle(bits, ch)
			}
			if endRange != ']' {
				p.next()
				m := p.peek()
				if m == '\\' {
					m = p.escape(true, false, true)
				} else {
					p.next()
				}
				if m < ch {
					p.fail("Illegal character range")
				}
				if p.has(flagCaseInsensitive) {
					if p.has(flagUnicodeCase) {
						return setPred(ciRangeU(ch, m))
					}
					return setPred(ciRangeASCII(ch, m))
				}
				return setPred(span(ch, m))
			}
		}
		return p.bitsOrSingle(bits, ch)
	}
	p.fail("Unexpected character '" + string(ch) + "'")
	return nil
}

// family parses the name of \p{...} or \pX and returns its set.
func (p *parser) family(singleLetter, complement bool) charSet {
	at := p.cursor
	p.next()
	var name string
	if singleLetter {
		name = string(p.at(p.cursor))
		p.read()
	} else {
		i := p.cursor
		p.mark('}')
		for p.read() != '}' {
		}
		p.mark(0)
		j := p.cursor
		if j > p.n {
			p.fail("Unclosed character family")
		}
		if i+1 >= j {
			p.fail("Empty character family")
		}
		name = string(p.temp[i : j-1])
	}
	caseIns := p.has(flagCaseInsensitive)
	var s charSet
	ok := false
	if i := strings.IndexByte(name, '='); i >= 0 {
		value := name[i+1:]
		key := strings.ToLower(name[:i])
		switch key {
		case "sc", "script":
			s, ok = script(value)
		case "blk", "block":
			s, ok = block(value)
		case "gc", "general_category":
			var unsup bool
			s, ok, unsup = property(value, caseIns)
			if unsup {
				p.unsupport(FeatureMirrored, at)
			}
		}
		if !ok {
			p.fail("Unknown Unicode property {name=<" + key + ">, value=<" + value + ">}")
		}
	} else {
		switch {
		case strings.HasPrefix(name, "In"):
			s, ok = block(name[2:])
		case strings.HasPrefix(name, "Is"):
			short := name[2:]
			s, ok = unicodeProperty(short, caseIns)
			if !ok {
				var unsup bool
				s, ok, unsup = property(short, caseIns)
				if unsup {
					p.unsupport(FeatureMirrored, at)
				}
			}
			if !ok {
				s, ok = script(short)
			}
		default:
			var unsup bool
			s, ok, unsup = property(name, caseIns)
			if unsup {
				p.unsupport(FeatureMirrored, at)
			}
		}
		if !ok {
			p.fail("Unknown character property name {" + name + "}")
		}
	}
	if complement {
		s = s.negate()
	}
	return s
}

// groupName parses the name of a named group or \k<name> and its ">".
func (p *parser) groupName(ch rune) string {
	var sb strings.Builder
	if !isASCIIAlpha(ch) {
		p.fail("capturing group name does not start with a Latin letter")
	}
	for {
		sb.WriteRune(ch)
		ch = p.read()
		if !isASCIIAlnum(ch) {
			break
		}
	}
	if ch != '>' {
		p.fail("named capturing group is missing trailing '>'")
	}
	return sb.String()
}

// group0 parses a group. It returns nil for a flag-only group such as
// (?i), whose flags then hold until the enclosing group ends.
func (p *parser) group0() *node {
	p.enter()
	defer p.leave()
	save := p.flags
	at := p.cursor
	off := p.offset(at)
	g := &node{kind: kGroup, off: off}
	ch := p.next()
	if ch == '?' {
		ch = p.skip()
		switch ch {
		case ':':
			g.subs = []*node{p.expr()}
		case '=', '!':
			p.unsupport(FeatureLookahead, at)
			p.expr()
			g.subs = []*node{{kind: kEmpty, off: off}}
		case '>':
			p.unsupport(FeatureAtomicGroup, at)
			g.subs = []*node{p.expr()}
		case '<':
			ch = p.read()
			if ch != '=' && ch != '!' {
				name := p.groupName(ch)
				if _, dup := p.names[name]; dup {
					p.fail("Named capturing group <" + name + "> is already defined")
				}
				g.capture, g.name = true, name
				if p.names == nil {
					p.names = make(map[string]int)
				}
				p.names[name] = p.groups
				p.groups++
				g.subs = []*node{p.expr()}
				break
			}
			p.unsupport(FeatureLookbehind, at)
			body := p.expr()
			if !boundedLength(body) {
				p.fail("Look-behind group does not have an obvious maximum length")
			}
			g.subs = []*node{{kind: kEmpty, off: off}}
		case '$', '@':
			p.fail("Unknown group type")
		default:
			p.unread()
			p.addFlags()
			ch = p.read()
			if ch == ')' {
				return nil
			}
			if ch != ':' {
				p.fail("Unknown inline modifier")
			}
			g.subs = []*node{p.expr()}
		}
	} else {
		g.capture = true
		p.groups++
		g.subs = []*node{p.expr()}
	}
	p.accept(')', "Unclosed group")
	p.flags = save
	return p.closure(g)
}

// boundedLength reports whether Java 17 can find a maximum length for n,
// as it requires of a lookbehind body. Java 17 accepts an unbounded
// repetition of something at most one character long, because its length
// arithmetic does not overflow then, and nothing else unbounded.
func boundedLength(n *node) bool {
	return maxLength(n) >= 0
}

// maxLength returns the most characters n can match, or -1 when that is
// unbounded as Java's lookbehind check sees it.
func maxLength(n *node) int {
	switch n.kind {
	case kChar:
		return 1
	case kLineEnding:
		return 2
	case kConcat, kGroup:
		total := 0
		for _, s := range n.subs {
			m := maxLength(s)
			if m < 0 {
				return -1
			}
			total += m
		}
		return total
	case kAlt:
		most := 0
		for _, s := range n.subs {
			m := maxLength(s)
			if m < 0 {
				return -1
			}
			most = max(most, m)
		}
		return most
	case kRepeat:
		m := maxLength(n.subs[0])
		switch {
		case m < 0:
			return -1
		case n.max < 0 && m > 1:
			return -1
		case n.max < 0:
			return maxReps
		}
		return min(m*n.max, maxReps)
	}
	if n.unbounded {
		return -1
	}
	return 0
}

func (p *parser) addFlags() {
	ch := p.peek()
	for {
		switch ch {
		case 'i':
			p.flags |= flagCaseInsensitive
		case 'm':
			p.flags |= flagMultiline
		case 's':
			p.flags |= flagDotAll
		case 'd':
			p.flags |= flagUnixLines
		case 'u':
			p.flags |= flagUnicodeCase
		case 'c':
			p.flags |= flagCanonEq
			p.unsupport(FeatureCanonEq, p.cursor)
		case 'x':
			p.flags |= flagComments
		case 'U':
			p.flags |= flagUnicodeClass | flagUnicodeCase
			p.unsupport(FeatureUnicodeClass, p.cursor)
		case '-':
			p.next()
			p.subFlags()
			return
		default:
			return
		}
		ch = p.next()
	}
}

func (p *parser) subFlags() {
	ch := p.peek()
	for {
		switch ch {
		case 'i':
			p.flags &^= flagCaseInsensitive
		case 'm':
			p.flags &^= flagMultiline
		case 's':
			p.flags &^= flagDotAll
		case 'd':
			p.flags &^= flagUnixLines
		case 'u':
			p.flags &^= flagUnicodeCase
		case 'c':
			p.flags &^= flagCanonEq
		case 'x':
			p.flags &^= flagComments
		case 'U':
			p.flags &^= flagUnicodeClass | flagUnicodeCase
		default:
			return
		}
		ch = p.next()
	}
}

// qtype reads the quantifier suffix: "?" for lazy, "+" for possessive.
func (p *parser) qtype() qtype {
	switch p.next() {
	case '?':
		p.next()
		return lazy
	case '+':
		p.next()
		return possessive
	}
	return greedy
}

// closure parses a quantifier after prev, if there is one.
func (p *parser) closure(prev *node) *node {
	at := p.cursor
	switch p.peek() {
	case '?':
		return p.repeat(prev, 0, 1, p.qtype(), at)
	case '*':
		return p.repeat(prev, 0, maxReps, p.qtype(), at)
	case '+':
		return p.repeat(prev, 1, maxReps, p.qtype(), at)
	case '{':
		ch := p.skip()
		if !isASCIIDigit(ch) {
			p.fail("Illegal repetition")
		}
		cmin, cmax := 0, 0
		overflow := false
		digit := func(v int, c rune) int {
			v = v*10 + int(c-'0')
			if v > maxReps {
				overflow = true
			}
			return v
		}
		for {
			cmin = digit(cmin, ch)
			if overflow {
				p.fail("Illegal repetition range")
			}
			if ch = p.read(); !isASCIIDigit(ch) {
				break
			}
		}
		if ch == ',' {
			ch = p.read()
			if ch == '}' {
				p.unread()
				return p.repeat(prev, cmin, maxReps, p.qtype(), at)
			}
			for isASCIIDigit(ch) {
				cmax = digit(cmax, ch)
				if overflow {
					p.fail("Illegal repetition range")
				}
				ch = p.read()
			}
		} else {
			cmax = cmin
		}
		if ch != '}' {
			p.fail("Unclosed counted closure")
		}
		if cmax < cmin {
			p.fail("Illegal repetition range")
		}
		p.unread()
		return p.repeat(prev, cmin, cmax, p.qtype(), at)
	}
	return prev
}

func (p *parser) repeat(prev *node, lo, hi int, q qtype, at int) *node {
	if q == possessive {
		p.unsupport(FeaturePossessive, at)
	}
	if lo > 1000 || hi != maxReps && hi > 1000 {
		p.unsupport(FeatureLargeRepeat, at)
		lo, hi = min(lo, 1000), min(hi, 1000)
	}
	if hi == maxReps {
		hi = -1
	}
	return &node{kind: kRepeat, subs: []*node{prev}, min: lo, max: hi, lazy: q == lazy, off: p.offset(at)}
}
