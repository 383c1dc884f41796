package javaregex

import (
	"strings"
	"sync"
	"unicode"
)

// This file turns Java's \p{...} names into code point sets. Membership
// comes from Go's unicode tables (see docs/javaregex.md for what that means
// for characters whose properties changed between Unicode versions); the
// names, and which name means which set, follow java.util.regex.CharPredicates.

// cat returns the union of the named general categories.
func cat(names ...string) charSet {
	var s charSet
	for _, n := range names {
		if n == "Cn" {
			s = s.union(unassigned())
			continue
		}
		s = s.union(fromTable(unicode.Categories[n]))
	}
	return s
}

var (
	unassignedOnce sync.Once
	unassignedSet  charSet
)

// unassigned is general category Cn: the code points no category claims.
func unassigned() charSet {
	unassignedOnce.Do(func() {
		var assigned charSet
		// Go's "C" table includes unassigned code points; its parts do not.
		for _, n := range []string{"L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Co", "Cs"} {
			assigned = assigned.union(fromTable(unicode.Categories[n]))
		}
		unassignedSet = assigned.negate()
	})
	return unassignedSet
}

func prop(t *unicode.RangeTable) charSet { return fromTable(t) }

// Character.isXxx predicates, as java.lang.Character documents them.
func javaLowerCase() charSet { return cat("Ll").union(prop(unicode.Other_Lowercase)) }
func javaUpperCase() charSet { return cat("Lu").union(prop(unicode.Other_Uppercase)) }
func javaTitleCase() charSet { return cat("Lt") }
func javaAlphabetic() charSet {
	return cat("Lu", "Ll", "Lt", "Lm", "Lo", "Nl").union(prop(unicode.Other_Alphabetic))
}
func javaIdentifierIgnorable() charSet {
	return span(0, 8).union(span(0x0E, 0x1B)).union(span(0x7F, 0x9F)).union(cat("Cf"))
}
func javaWhitespace() charSet {
	return cat("Zs", "Zl", "Zp").minus(ofRunes(0xA0, 0x2007, 0x202F)).
		union(span(0x09, 0x0D)).union(span(0x1C, 0x1F))
}

// Unicode properties of CharPredicates.
func uWhiteSpace() charSet { return cat("Zs", "Zl", "Zp").union(span(0x09, 0x0D)).union(single(0x85)) }
func uHexDigit() charSet {
	return cat("Nd").union(span('0', '9')).union(span('A', 'F')).union(span('a', 'f')).
		union(span(0xFF10, 0xFF19)).union(span(0xFF21, 0xFF26)).union(span(0xFF41, 0xFF46))
}
func uBlank() charSet { return cat("Zs").union(single('\t')) }
func uGraph() charSet { return cat("Zs", "Zl", "Zp", "Cc", "Cs", "Cn").negate() }
func uNonchar() charSet {
	s := span(0xFDD0, 0xFDEF)
	for p := rune(0); p <= 0x10; p++ {
		s = s.union(span(p<<16|0xFFFE, p<<16|0xFFFF))
	}
	return s
}
func uWord() charSet {
	return javaAlphabetic().union(cat("Mn", "Me", "Mc", "Nd", "Pc")).union(span(0x200C, 0x200D))
}

// ASCII ctype classes of java.util.regex.ASCII.
var (
	asciiAlpha  = span('A', 'Z').union(span('a', 'z'))
	asciiDigit  = span('0', '9')
	asciiAlnum  = asciiAlpha.union(asciiDigit)
	asciiSpace  = ofRunes(' ', '\t', '\n', 0x0B, '\f', '\r')
	asciiCntrl  = span(0, 0x1F).union(single(0x7F))
	asciiPunct  = span(0x21, 0x2F).union(span(0x3A, 0x40)).union(span(0x5B, 0x60)).union(span(0x7B, 0x7E))
	asciiGraph  = span(0x21, 0x7E)
	asciiXDigit = asciiDigit.union(span('A', 'F')).union(span('a', 'f'))
	asciiWord   = asciiAlnum.union(single('_'))
	horizWS     = ofRunes(0x09, 0x20, 0xA0, 0x1680, 0x180E, 0x202F, 0x205F, 0x3000).union(span(0x2000, 0x200A))
	vertWS      = span(0x0A, 0x0D).union(ofRunes(0x85, 0x2028, 0x2029))
)

// unicodeProperty is CharPredicates.forUnicodeProperty: the binary
// properties and the Unicode flavour of the POSIX names, upper-cased.
func unicodeProperty(name string, caseIns bool) (charSet, bool) {
	switch strings.ToUpper(name) {
	case "ALPHABETIC":
		return javaAlphabetic(), true
	case "ASSIGNED":
		return unassigned().negate(), true
	case "CONTROL", "CNTRL":
		return cat("Cc"), true
	case "HEXDIGIT", "HEX_DIGIT", "XDIGIT":
		return uHexDigit(), true
	case "IDEOGRAPHIC":
		return prop(unicode.Ideographic), true
	case "JOINCONTROL", "JOIN_CONTROL":
		return span(0x200C, 0x200D), true
	case "LETTER":
		return cat("L"), true
	case "LOWERCASE", "LOWER":
		if caseIns {
			return javaLowerCase().union(javaUpperCase()).union(javaTitleCase()), true
		}
		return javaLowerCase(), true
	case "UPPERCASE", "UPPER":
		if caseIns {
			return javaLowerCase().union(javaUpperCase()).union(javaTitleCase()), true
		}
		return javaUpperCase(), true
	case "TITLECASE":
		if caseIns {
			return javaLowerCase().union(javaUpperCase()).union(javaTitleCase()), true
		}
		return javaTitleCase(), true
	case "NONCHARACTERCODEPOINT", "NONCHARACTER_CODE_POINT":
		return uNonchar(), true
	case "PUNCTUATION", "PUNCT":
		return cat("P"), true
	case "WHITESPACE", "WHITE_SPACE", "SPACE":
		return uWhiteSpace(), true
	case "WORD":
		return uWord(), true
	case "ALPHA":
		return javaAlphabetic(), true
	case "ALNUM":
		return javaAlphabetic().union(cat("Nd")), true
	case "DIGIT":
		return cat("Nd"), true
	case "BLANK":
		return uBlank(), true
	case "GRAPH":
		return uGraph(), true
	case "PRINT":
		return uGraph().union(uBlank()).minus(cat("Cc")), true
	}
	return nil, false
}

// categoryNames are the general category names forProperty accepts.
var categoryNames = map[string][]string{
	"Cn": {"Cn"}, "Lu": {"Lu"}, "Ll": {"Ll"}, "Lt": {"Lt"}, "Lm": {"Lm"}, "Lo": {"Lo"},
	"Mn": {"Mn"}, "Me": {"Me"}, "Mc": {"Mc"}, "Nd": {"Nd"}, "Nl": {"Nl"}, "No": {"No"},
	"Zs": {"Zs"}, "Zl": {"Zl"}, "Zp": {"Zp"}, "Cc": {"Cc"}, "Cf": {"Cf"}, "Co": {"Co"},
	"Cs": {"Cs"}, "Pd": {"Pd"}, "Ps": {"Ps"}, "Pe": {"Pe"}, "Pc": {"Pc"}, "Po": {"Po"},
	"Sm": {"Sm"}, "Sc": {"Sc"}, "Sk": {"Sk"}, "So": {"So"}, "Pi": {"Pi"}, "Pf": {"Pf"},
	"L": {"L"}, "M": {"M"}, "N": {"N"}, "Z": {"Z"}, "C": {"Cc", "Cf", "Co", "Cs", "Cn"}, "P": {"P"}, "S": {"S"},
	"LC": {"Lu", "Ll", "Lt"}, "LD": {"L", "Nd"},
}

// property is CharPredicates.forProperty: general categories, POSIX classes
// (ASCII only) and the java.lang.Character predicates. A name Java knows but
// that has no Go table yields ok with unsupported set.
func property(name string, caseIns bool) (s charSet, ok, unsupported bool) {
	if cats, found := categoryNames[name]; found {
		if caseIns && (name == "Lu" || name == "Ll" || name == "Lt") {
			cats = []string{"Lu", "Ll", "Lt"}
		}
		return cat(cats...), true, false
	}
	switch name {
	case "L1":
		return span(0, 0xFF), true, false
	case "all":
		return anyRune, true, false
	case "ASCII":
		return span(0, 0x7F), true, false
	case "Alnum":
		return asciiAlnum, true, false
	case "Alpha":
		return asciiAlpha, true, false
	case "Blank":
		return ofRunes(' ', '\t'), true, false
	case "Cntrl":
		return asciiCntrl, true, false
	case "Digit":
		return asciiDigit, true, false
	case "Graph":
		return asciiGraph, true, false
	case "Lower":
		if caseIns {
			return asciiAlpha, true, false
		}
		return span('a', 'z'), true, false
	case "Print":
		return span(0x20, 0x7E), true, false
	case "Punct":
		return asciiPunct, true, false
	case "Space":
		return asciiSpace, true, false
	case "Upper":
		if caseIns {
			return asciiAlpha, true, false
		}
		return span('A', 'Z'), true, false
	case "XDigit":
		return asciiXDigit, true, false
	case "javaLowerCase":
		if caseIns {
			return javaLowerCase().union(javaUpperCase()).union(javaTitleCase()), true, false
		}
		return javaLowerCase(), true, false
	case "javaUpperCase":
		if caseIns {
			return javaLowerCase().union(javaUpperCase()).union(javaTitleCase()), true, false
		}
		return javaUpperCase(), true, false
	case "javaTitleCase":
		if caseIns {
			return javaLowerCase().union(javaUpperCase()).union(javaTitleCase()), true, false
		}
		return javaTitleCase(), true, false
	case "javaAlphabetic":
		return javaAlphabetic(), true, false
	case "javaIdeographic":
		return prop(unicode.Ideographic), true, false
	case "javaDigit":
		return cat("Nd"), true, false
	case "javaDefined":
		return unassigned().negate(), true, false
	case "javaLetter":
		return cat("L"), true, false
	case "javaLetterOrDigit":
		return cat("L", "Nd"), true, false
	case "javaJavaIdentifierStart":
		return cat("L", "Nl", "Sc", "Pc"), true, false
	case "javaJavaIdentifierPart":
		return cat("L", "Sc", "Pc", "Nd", "Nl", "Mc", "Mn").union(javaIdentifierIgnorable()), true, false
	case "javaUnicodeIdentifierStart":
		return cat("L", "Nl").union(prop(unicode.Other_ID_Start)), true, false
	case "javaUnicodeIdentifierPart":
		return cat("L", "Pc", "Nd", "Nl", "Mc", "Mn").union(javaIdentifierIgnorable()).
			union(prop(unicode.Other_ID_Start)).union(prop(unicode.Other_ID_Continue)), true, false
	case "javaIdentifierIgnorable":
		return javaIdentifierIgnorable(), true, false
	case "javaSpaceChar":
		return cat("Zs", "Zl", "Zp"), true, false
	case "javaWhitespace":
		return javaWhitespace(), true, false
	case "javaISOControl":
		return span(0, 0x1F).union(span(0x7F, 0x9F)), true, false
	case "javaMirrored":
		return nil, true, true
	}
	return nil, false, false
}

var (
	goScriptsOnce sync.Once
	goScripts     map[string]*unicode.RangeTable // keyed by upper-cased name
)

// script is CharPredicates.forUnicodeScript.
func script(name string) (charSet, bool) {
	id, ok := scriptNames[strings.ToUpper(name)]
	if !ok {
		return nil, false
	}
	goScriptsOnce.Do(func() {
		goScripts = make(map[string]*unicode.RangeTable)
		for n, t := range unicode.Scripts {
			goScripts[strings.ToUpper(n)] = t
		}
	})
	if id == "UNKNOWN" {
		var all charSet
		for _, t := range goScripts {
			all = all.union(fromTable(t))
		}
		return all.negate(), true
	}
	t, ok := goScripts[id]
	if !ok {
		return nil, false
	}
	return fromTable(t), true
}

// block is CharPredicates.forUnicodeBlock.
func block(name string) (charSet, bool) {
	id, ok := blockNames[strings.ToUpper(name)]
	if !ok {
		return nil, false
	}
	return normalize(append([]rng(nil), blockRanges[id]...)), true
}
