package javaregex

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// SyntaxError reports a pattern that java.util.regex.Pattern rejects. Desc
// and Index are what Java's PatternSyntaxException would carry, so a message
// built from them reads like the one API Gateway users see from AWS; Offset
// locates the same place as a byte offset into Pattern, for callers that
// point into a source file.
type SyntaxError struct {
	Pattern string // the pattern as written
	Desc    string // Java's description, such as "Unclosed group"
	Index   int    // Java's error index: a code point index, or -1
	Offset  int    // byte offset of Index in Pattern
}

// Error returns Java's description, lower-cased, and its index, as in
// "unclosed group near index 6".
func (e *SyntaxError) Error() string {
	d := lowerFirst(e.Desc)
	if e.Index < 0 {
		return d
	}
	return fmt.Sprintf("%s near index %d", d, e.Index)
}

// Feature names a construct that Java accepts but that gwc cannot evaluate
// exactly with Go's RE2 engine. Each is listed in docs/javaregex.md.
type Feature string

// The features Compile refuses.
const (
	FeatureLookahead         Feature = "lookahead (?=...) or (?!...)"
	FeatureLookbehind        Feature = "lookbehind (?<=...) or (?<!...)"
	FeatureBackreference     Feature = `backreference \n or \k<name>`
	FeatureAtomicGroup       Feature = "atomic group (?>...)"
	FeaturePossessive        Feature = "possessive quantifier (*+, ++, ?+, {n,m}+)"
	FeatureLastMatch         Feature = `\G (end of previous match)`
	FeatureWordBoundary      Feature = `word boundary \b or \B`
	FeatureGrapheme          Feature = `grapheme cluster \X or \b{g}`
	FeatureCharacterName     Feature = `character name \N{...}`
	FeatureMultilineAnchor   Feature = "^ or $ in MULTILINE mode (?m)"
	FeatureDollarNotAtEnd    Feature = `$ or \Z before the end of the pattern`
	FeatureRepeatedBreak     Feature = `\R under a quantifier`
	FeatureAnchoredEmpty     Feature = `a repetition of at least 2 whose body can match empty only at an anchor, such as (\A|a){2}`
	FeatureEmptyIntersection Feature = `class intersection with an empty right operand after a character, such as [\w.&&]`
	FeatureUnicodeClass      Feature = "UNICODE_CHARACTER_CLASS flag (?U)"
	FeatureCanonEq           Feature = "CANON_EQ flag (?c)"
	FeatureMirrored          Feature = `\p{javaMirrored}`
	FeatureLargeRepeat       Feature = "repetition count above 1000"
	FeatureTooLarge          Feature = "pattern too large or too deeply nested for RE2"
)

// UnsupportedError reports a valid Java pattern that uses a construct gwc
// cannot evaluate exactly. gwc refuses such a pattern rather than match it
// differently from AWS.
type UnsupportedError struct {
	Pattern string  // the pattern as written
	Feature Feature // the construct
	Offset  int     // byte offset of the construct in Pattern
}

// Error says which construct is unsupported and where.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s is valid Java but not supported by gwc (at offset %d)", e.Feature, e.Offset)
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
