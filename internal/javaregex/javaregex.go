// Package javaregex evaluates Java regular expressions, as API Gateway
// writes them, with Go's regexp package.
//
// API Gateway matches integration-response selection patterns, TOKEN
// authorizer identity validation expressions and a few other fields with
// java.util.regex.Pattern. Compile parses a pattern with Java's own grammar
// and error messages and translates it into an RE2 program that gives
// Java's answers: Java's dialect (its line terminators, ASCII \s \w \d, its
// case folding, its class unions and intersections, \Q...\E, its escapes) is
// resolved at compile time into plain code point sets, so matching is plain
// RE2 with no per-match overhead.
//
// Java constructs that RE2 cannot evaluate exactly (lookaround,
// backreferences, possessive and atomic quantifiers, word boundaries,
// multi-line anchors, ...) are refused with an *UnsupportedError rather than
// matched differently. Lint reports constructs that are valid but are
// probably not what their author meant.
package javaregex

import (
	"regexp"
	"strings"
)

// Regexp is a compiled Java pattern. It is safe for concurrent use.
type Regexp struct {
	pattern  string
	full     *regexp.Regexp // anchored at both ends: Matcher.matches
	find     *regexp.Regexp // unanchored: Matcher.find
	findCRLF *regexp.Regexp // find for inputs that end in "\r\n", when $ needs it
}

// Compile parses a Java pattern and translates it for Go. It returns a
// *SyntaxError when Java would reject the pattern and an *UnsupportedError
// when Java accepts it but gwc cannot evaluate it exactly.
func Compile(pattern string) (*Regexp, error) {
	tree, unsup, err := parse(pattern)
	if err != nil {
		return nil, err
	}
	if unsup != nil {
		return nil, unsup
	}
	report := func(f Feature) func(*node) {
		return func(n *node) {
			if unsup == nil {
				unsup = &UnsupportedError{Pattern: pattern, Feature: f, Offset: n.off}
			}
		}
	}
	checkDollars(tree, true, report(FeatureDollarNotAtEnd))
	checkRepeatedBreaks(tree, false, report(FeatureRepeatedBreak))
	checkAnchoredEmpty(tree, report(FeatureAnchoredEmpty))
	if unsup != nil {
		return nil, unsup
	}
	re := &Regexp{pattern: pattern}
	// RE2 limits program size, nesting depth and repeat counts; the
	// parser already refused repeat counts, so what fails here is size.
	tooLarge := func(error) error {
		return &UnsupportedError{Pattern: pattern, Feature: FeatureTooLarge, Offset: 0}
	}
	if re.full, err = regexp.Compile(`\A(?:` + toRE2(tree, dollarFull) + `)\z`); err != nil {
		return nil, tooLarge(err)
	}
	if re.find, err = regexp.Compile(toRE2(tree, dollarFind)); err != nil {
		return nil, tooLarge(err)
	}
	if hasDollar(tree) {
		if re.findCRLF, err = regexp.Compile(toRE2(tree, dollarFindCRLF)); err != nil {
			return nil, tooLarge(err)
		}
	}
	return re, nil
}

// MustCompile is like Compile but panics on error. It is meant for
// patterns written in Go source.
func MustCompile(pattern string) *Regexp {
	re, err := Compile(pattern)
	if err != nil {
		panic("javaregex: Compile(" + quote(pattern) + "): " + err.Error())
	}
	return re
}

func quote(s string) string { return "`" + strings.ReplaceAll(s, "`", "\\`") + "`" }

// Matches reports whether the whole of s matches, as Java's
// Pattern.matches and Matcher.matches do. This is how API Gateway applies
// selection patterns and identity validation expressions.
func (re *Regexp) Matches(s string) bool { return re.full.MatchString(s) }

// Find reports whether some part of s matches, as Java's Matcher.find does
// on a fresh matcher.
func (re *Regexp) Find(s string) bool {
	if re.findCRLF != nil && strings.HasSuffix(s, "\r\n") {
		return re.findCRLF.MatchString(s)
	}
	return re.find.MatchString(s)
}

// String returns the Java pattern the Regexp was compiled from.
func (re *Regexp) String() string { return re.pattern }

// GoPattern returns the RE2 pattern that Matches runs, for debugging.
func (re *Regexp) GoPattern() string { return re.full.String() }
