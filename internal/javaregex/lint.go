package javaregex

import (
	"fmt"
	"sort"
	"strings"
)

// Kind classifies a Lint finding.
type Kind string

// The kinds of finding Lint reports.
const (
	// KindRedundantAnchor: ^, \A, $, \z or \Z at the ends of a pattern that
	// API Gateway matches against the whole value anyway.
	KindRedundantAnchor Kind = "redundant-anchor"
	// KindPrefixGlob: a pattern such as "Invalid*" or "*Error*" that reads
	// like a shell glob; in a regex the * repeats only the character
	// before it.
	KindPrefixGlob Kind = "glob-star"
	// KindDotNewline: .* or .+ without DOTALL, which stops at a line
	// terminator; Lambda error messages and stack traces often have them.
	KindDotNewline Kind = "dot-newline"
	// KindForeignSyntax: syntax from Python, Go or PCRE that Java rejects
	// or reads differently.
	KindForeignSyntax Kind = "foreign-syntax"
	// KindDollar: Java's $ and \Z also match before a final line
	// terminator.
	KindDollar Kind = "dollar-terminator"
)

// Finding is one likely mistake in a valid or invalid pattern.
type Finding struct {
	Offset  int    // byte offset in the pattern
	Kind    Kind   // what sort of mistake
	Message string // a sentence for the user, saying what to write instead
}

// posixNames are the POSIX bracket expression names other engines accept
// inside a class, mapped to Java's equivalent.
var posixNames = map[string]string{
	"alpha": `\p{Alpha}`, "digit": `\p{Digit}`, "alnum": `\p{Alnum}`, "upper": `\p{Upper}`,
	"lower": `\p{Lower}`, "space": `\p{Space}`, "punct": `\p{Punct}`, "xdigit": `\p{XDigit}`,
	"blank": `\p{Blank}`, "cntrl": `\p{Cntrl}`, "graph": `\p{Graph}`, "print": `\p{Print}`,
	"word": `\w`, "ascii": `\p{ASCII}`,
}

// Lint reports constructs in a selection pattern or identity validation
// expression that are valid Java, or are invalid only because they come
// from another dialect, but that are probably not what the author meant
// under API Gateway's whole-value matching. It works on invalid patterns
// too, so that a hint can go with the syntax error. Findings are sorted by
// offset.
func Lint(pattern string) []Finding {
	var fs []Finding
	add := func(off int, k Kind, format string, args ...any) {
		fs = append(fs, Finding{Offset: off, Kind: k, Message: fmt.Sprintf(format, args...)})
	}
	lintText(pattern, add)
	// A pattern nested too deeply parses to no tree (see parse).
	if tree, _, err := parse(pattern); err == nil && tree != nil {
		lintTree(pattern, tree, add)
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Offset < fs[j].Offset })
	return fs
}

// lintText looks for other dialects' syntax in the pattern's text; much of
// it does not parse as Java at all.
func lintText(pattern string, add func(int, Kind, string, ...any)) {
	if strings.HasPrefix(pattern, "*") {
		add(0, KindPrefixGlob, "a regex cannot start with *; to match values containing a text write .*text.* (API Gateway matches the whole value)")
	}
	inClass := 0
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		rest := pattern[i:]
		switch {
		case c == '\\' && strings.HasPrefix(rest, `\Q`):
			end := strings.Index(rest, `\E`)
			if end < 0 {
				return
			}
			i += end + 1
		case c == '\\':
			i++
			if i < len(pattern) && pattern[i] == 'p' && strings.HasPrefix(pattern[i:], "p{") {
				if end := strings.IndexByte(pattern[i:], '}'); end > 0 {
					name := pattern[i+2 : i+end]
					if _, ok := script(name); ok && !isJavaProperty(name) {
						add(i-1, KindForeignSyntax, `Java writes the script %s as \p{Is%s}`, name, name)
					}
				}
			}
		case c == '[':
			if inClass > 0 && strings.HasPrefix(rest, "[:") {
				if end := strings.Index(rest, ":]"); end > 2 {
					name := strings.TrimPrefix(rest[2:end], "^")
					if java, ok := posixNames[name]; ok {
						add(i, KindForeignSyntax, "Java has no POSIX bracket expressions: it reads [:%s:] as a class of the characters ':%s'; write %s", name, name, java)
					}
				}
			}
			inClass++
		case c == ']' && inClass > 0:
			inClass--
		case c == '(' && inClass == 0:
			switch {
			case strings.HasPrefix(rest, "(?P<"), strings.HasPrefix(rest, "(?P="), strings.HasPrefix(rest, "(?P>"):
				add(i, KindForeignSyntax, `(?P...) is Python and Go syntax, not Java: write a named group as (?<name>...) and refer to it as \k<name>`)
			case strings.HasPrefix(rest, "(?#"):
				add(i, KindForeignSyntax, "Java has no (?#...) comments; use (?x) and a # comment to the end of the line")
			case strings.HasPrefix(rest, "(?U"):
				add(i, KindForeignSyntax, "(?U) is not Go's ungreedy flag in Java: it turns on UNICODE_CHARACTER_CLASS; make a quantifier lazy with a trailing ? instead")
			case strings.HasPrefix(rest, "(?|"):
				add(i, KindForeignSyntax, "Java has no branch reset groups (?|...)")
			}
		}
	}
}

// isJavaProperty reports whether \p{name} is valid Java.
func isJavaProperty(name string) bool {
	_, ok, _ := property(name, false)
	return ok
}

// lintTree checks the parsed pattern.
func lintTree(pattern string, tree *node, add func(int, Kind, string, ...any)) {
	alts := []*node{tree}
	if tree.kind == kAlt {
		alts = tree.subs
	}
	for _, alt := range alts {
		items := []*node{alt}
		if alt.kind == kConcat {
			items = alt.subs
		}
		first, last := items[0], items[len(items)-1]
		if first.kind == kBegin {
			add(first.off, KindRedundantAnchor, "%s is redundant: API Gateway matches the pattern against the whole value", anchorText(pattern, first.off))
		}
		if len(items) > 1 || last != first {
			switch last.kind {
			case kEnd:
				add(last.off, KindRedundantAnchor, `\z is redundant: API Gateway matches the pattern against the whole value`)
			case kDollar, kUnixDollar:
				add(last.off, KindRedundantAnchor, "%s is redundant: API Gateway matches the pattern against the whole value (and in Java it also matches before a final line terminator, unlike Go's and Python's \\z)", anchorText(pattern, last.off))
			}
		}
		// "Invalid*": literal characters, the last one starred.
		if n := len(items); n >= 2 && isGlobStar(items[n-1]) && isLiteral(items[n-2]) {
			star := items[n-1]
			lit := literalRun(items[:n-1])
			c := string(star.subs[0].set[0].lo)
			suggest := pattern[:star.off] + ".*" + pattern[star.off+1:]
			add(star.off, KindPrefixGlob, "%s* matches %s followed by any number of %q, not every value that starts with %s%s (API Gateway matches the whole value); write %s",
				lit+c, lit, c, lit, c, suggest)
		}
	}
	// Status codes never span lines; only patterns with letters in them
	// are likely to meet a multi-line value such as an error message.
	if !hasLetterLiteral(tree) {
		return
	}
	if dot := findDotStar(tree); dot != nil {
		add(dot.off, KindDotNewline, `. does not match line terminators (\n, \r, \u0085, \u2028, \u2029), so this stops at the first line break of a multi-line value such as an error message with a stack trace; write (\n|.)* instead of .*, or (?s) at the start of the pattern`)
	}
}

func anchorText(pattern string, off int) string {
	if off < len(pattern) && pattern[off] == '\\' && off+1 < len(pattern) {
		return pattern[off : off+2]
	}
	if off < len(pattern) {
		return pattern[off : off+1]
	}
	return "anchor"
}

func isGlobStar(n *node) bool {
	return n.kind == kRepeat && n.min == 0 && n.max < 0 && !n.lazy && isLiteral(n.subs[0])
}

// isLiteral reports whether n matches one letter or digit, in either case.
func isLiteral(n *node) bool {
	if n.kind != kChar || len(n.set) == 0 {
		return false
	}
	lo := n.set[0].lo
	if !isASCIIAlnum(lo) {
		return false
	}
	return n.set.equal(single(lo)) || n.set.equal(ofRunes(asciiLower(lo), asciiUpper(lo)))
}

// literalRun returns the text of the trailing literal characters of items.
func literalRun(items []*node) string {
	var rs []rune
	for i := len(items) - 1; i >= 0 && isLiteral(items[i]); i-- {
		rs = append([]rune{items[i].set[0].lo}, rs...)
	}
	return string(rs)
}

// hasLetterLiteral reports whether n matches some ASCII letter literally.
func hasLetterLiteral(n *node) bool {
	if isLiteral(n) && isASCIIAlpha(n.set[0].lo) {
		return true
	}
	for _, s := range n.subs {
		if hasLetterLiteral(s) {
			return true
		}
	}
	return false
}

// findDotStar returns the first .* or .+ whose dot excludes line
// terminators.
func findDotStar(n *node) *node {
	if n.kind == kRepeat && n.max < 0 && n.subs[0].kind == kChar && n.subs[0].set.equal(lineTerminators.negate()) {
		return n.subs[0]
	}
	for _, s := range n.subs {
		if d := findDotStar(s); d != nil {
			return d
		}
	}
	return nil
}
