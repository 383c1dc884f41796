package javaregex

import (
	"fmt"
	"strings"
	"unicode"
)

// dollarMode says how a $ at the end of the pattern is printed.
type dollarMode uint8

const (
	// dollarFull: under a full match the match ends at the end of the
	// input, where $ always holds, so $ prints as nothing.
	dollarFull dollarMode = iota
	// dollarFind: $ consumes a final line terminator, if any, and the end.
	dollarFind
	// dollarFindCRLF: the same for an input that ends in "\r\n", where
	// Java's $ holds before the "\r\n" but not between its two characters.
	dollarFindCRLF
)

// checkDollars reports a $ or \Z that is not at the end of the pattern.
// Java's $ looks ahead for a final line terminator, which RE2 cannot do; at
// the very end of the pattern the look-ahead can be replaced by consuming
// the terminator, and nowhere else.
func checkDollars(n *node, final bool, report func(*node)) {
	switch n.kind {
	case kDollar, kUnixDollar:
		if !final {
			report(n)
		}
	case kConcat:
		for i, s := range n.subs {
			f := final
			for _, t := range n.subs[i+1:] {
				if !pureEmpty(t) {
					f = false
				}
			}
			checkDollars(s, f, report)
		}
	case kRepeat:
		checkDollars(n.subs[0], final && n.max >= 0 && n.max <= 1, report)
	default:
		for _, s := range n.subs {
			checkDollars(s, final, report)
		}
	}
}

// checkRepeatedBreaks reports a \R under a quantifier. Java matches such a
// \R atomically: it takes "\r\n" whole and never gives the "\n" back,
// which RE2 cannot express.
func checkRepeatedBreaks(n *node, repeated bool, report func(*node)) {
	if n.kind == kLineEnding && repeated {
		report(n)
	}
	for _, s := range n.subs {
		checkRepeatedBreaks(s, repeated || n.kind == kRepeat, report)
	}
}

// checkAnchoredEmpty reports a repetition with a minimum of 2 or more whose
// body can match the empty string, but only through an anchor. Java ends a
// group loop at its first empty iteration, minimum or not, so it never
// matches an anchored empty iteration before a consuming one, which RE2
// does. With a body that can also match empty without an anchor, or with a
// minimum below 2, the two agree on whether there is a match.
func checkAnchoredEmpty(n *node, report func(*node)) {
	if n.kind == kRepeat && n.min >= 2 {
		if can, pure := emptyMatch(n.subs[0]); can && !pure {
			report(n)
		}
	}
	for _, s := range n.subs {
		checkAnchoredEmpty(s, report)
	}
}

// emptyMatch reports whether n can match the empty string at all, and
// whether it can without any anchor holding.
func emptyMatch(n *node) (can, pure bool) {
	switch n.kind {
	case kEmpty:
		return true, true
	case kChar, kLineEnding:
		return false, false
	case kBegin, kEnd, kDollar, kUnixDollar:
		return true, false
	case kRepeat:
		if n.min == 0 {
			return true, true
		}
		return emptyMatch(n.subs[0])
	case kAlt:
		for _, s := range n.subs {
			c, p := emptyMatch(s)
			can, pure = can || c, pure || p
		}
		return can, pure
	}
	can, pure = true, true
	for _, s := range n.subs {
		c, p := emptyMatch(s)
		can, pure = can && c, pure && p
	}
	return can, pure
}

// pureEmpty reports whether n matches only the empty string and asserts
// nothing.
func pureEmpty(n *node) bool {
	switch n.kind {
	case kEmpty:
		return true
	case kConcat, kAlt, kGroup, kRepeat:
		for _, s := range n.subs {
			if !pureEmpty(s) {
				return false
			}
		}
		return true
	}
	return false
}

// hasDollar reports whether n contains a $ or \Z.
func hasDollar(n *node) bool {
	if n.kind == kDollar || n.kind == kUnixDollar {
		return true
	}
	for _, s := range n.subs {
		if hasDollar(s) {
			return true
		}
	}
	return false
}

// Precedence levels, loosest first, for deciding where to add (?:...).
const (
	precAlt = iota
	precConcat
	precAtom
)

// printer writes a node tree in RE2 syntax.
type printer struct {
	b     strings.Builder
	mode  dollarMode
	depth int
}

// toRE2 prints n in Go regexp syntax.
func toRE2(n *node, mode dollarMode) string {
	pr := &printer{mode: mode}
	pr.node(n, precAlt)
	return pr.b.String()
}

func (pr *printer) node(n *node, prec int) {
	switch n.kind {
	case kEmpty:
		pr.b.WriteString("(?:)")
	case kChar:
		pr.set(n.set)
	case kConcat:
		pr.open(prec > precConcat)
		for _, s := range n.subs {
			pr.node(s, precConcat)
		}
		pr.close(prec > precConcat)
	case kAlt:
		pr.open(prec > precAlt)
		for i, s := range n.subs {
			if i > 0 {
				pr.b.WriteByte('|')
			}
			pr.node(s, precConcat)
		}
		pr.close(prec > precAlt)
	case kGroup:
		if !n.capture {
			pr.node(n.subs[0], prec)
			return
		}
		if n.name != "" {
			fmt.Fprintf(&pr.b, "(?P<%s>", n.name)
		} else {
			pr.b.WriteByte('(')
		}
		pr.node(n.subs[0], precAlt)
		pr.b.WriteByte(')')
	case kRepeat:
		sub := n.subs[0]
		// A repetition's operand must be a single atom, and RE2 rejects
		// a repetition applied directly to another one.
		wrap := sub.kind == kRepeat || !atomic(sub)
		pr.open(wrap)
		pr.node(sub, precAtom)
		pr.close(wrap)
		switch {
		case n.min == 0 && n.max == -1:
			pr.b.WriteByte('*')
		case n.min == 1 && n.max == -1:
			pr.b.WriteByte('+')
		case n.min == 0 && n.max == 1:
			pr.b.WriteByte('?')
		case n.max == -1:
			fmt.Fprintf(&pr.b, "{%d,}", n.min)
		case n.min == n.max:
			fmt.Fprintf(&pr.b, "{%d}", n.min)
		default:
			fmt.Fprintf(&pr.b, "{%d,%d}", n.min, n.max)
		}
		if n.lazy {
			pr.b.WriteByte('?')
		}
	case kBegin:
		pr.b.WriteString(`\A`)
	case kEnd:
		pr.b.WriteString(`\z`)
	case kLineEnding:
		// Java 9 and later try "\r\n" first and fall back to "\r" alone.
		pr.open(prec > precAlt)
		pr.b.WriteString(`\r\n|[\n-\r\x{85}\x{2028}\x{2029}]`)
		pr.close(prec > precAlt)
	case kDollar, kUnixDollar:
		switch {
		case pr.mode == dollarFull:
			pr.b.WriteString("(?:)")
		case n.kind == kUnixDollar:
			pr.b.WriteString(`(?:\n?\z)`)
		case pr.mode == dollarFindCRLF:
			pr.b.WriteString(`(?:(?:\r\n)?\z)`)
		default:
			pr.b.WriteString(`(?:[\n\r\x{85}\x{2028}\x{2029}]?\z)`)
		}
	}
}

// atomic reports whether n prints as a single RE2 atom that a quantifier
// can follow directly.
func atomic(n *node) bool {
	switch n.kind {
	case kChar, kBegin, kEnd:
		return true
	case kGroup:
		return n.capture || atomic(n.subs[0])
	}
	return false
}

func (pr *printer) open(wrap bool) {
	if wrap {
		pr.b.WriteString("(?:")
	}
}

func (pr *printer) close(wrap bool) {
	if wrap {
		pr.b.WriteByte(')')
	}
}

// surrogates cannot occur in a Go string decoded as UTF-8; they are left
// out of printed sets.
var surrogates = span(0xD800, 0xDFFF)

// set prints a one-code-point matcher: a literal, a class or a negated
// class, whichever is shortest.
func (pr *printer) set(s charSet) {
	s = s.minus(surrogates)
	if r, ok := s.isSingle(); ok {
		pr.literal(r)
		return
	}
	if len(s) == 0 {
		pr.b.WriteString(`[^\x00-\x{10FFFF}]`)
		return
	}
	neg := s.negate().minus(surrogates)
	if len(neg) == 0 {
		pr.b.WriteString(`[\x00-\x{10FFFF}]`)
		return
	}
	pr.b.WriteByte('[')
	if len(neg) < len(s) {
		pr.b.WriteByte('^')
		s = neg
	}
	for _, r := range s {
		pr.classRune(r.lo)
		if r.hi > r.lo {
			if r.hi > r.lo+1 {
				pr.b.WriteByte('-')
			}
			pr.classRune(r.hi)
		}
	}
	pr.b.WriteByte(']')
}

func (pr *printer) literal(r rune) {
	if r < 128 && strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
		pr.b.WriteByte('\\')
		pr.b.WriteRune(r)
		return
	}
	pr.plainRune(r)
}

func (pr *printer) classRune(r rune) {
	if r < 128 && strings.ContainsRune(`\[]^-`, r) {
		pr.b.WriteByte('\\')
		pr.b.WriteRune(r)
		return
	}
	pr.plainRune(r)
}

func (pr *printer) plainRune(r rune) {
	switch {
	case r == '\n':
		pr.b.WriteString(`\n`)
	case r == '\r':
		pr.b.WriteString(`\r`)
	case r == '\t':
		pr.b.WriteString(`\t`)
	case r == '#' || r == ' ':
		pr.b.WriteRune(r)
	case unicode.IsPrint(r) && !unicode.IsSpace(r):
		pr.b.WriteRune(r)
	default:
		fmt.Fprintf(&pr.b, `\x{%X}`, r)
	}
}
