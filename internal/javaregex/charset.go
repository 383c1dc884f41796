package javaregex

import (
	"sort"
	"sync"
	"unicode"
)

// maxRune is the largest code point, as in Java's Character.MAX_CODE_POINT.
const maxRune = unicode.MaxRune

// rng is an inclusive range of code points.
type rng struct{ lo, hi rune }

// charSet is a set of code points kept as sorted, non-overlapping,
// non-adjacent inclusive ranges. Java's character predicates are turned into
// charSets once, at compile time, so that the translation can print them as
// RE2 classes; nothing on the matching path looks at them.
type charSet []rng

// single returns the set holding only r.
func single(r rune) charSet { return charSet{{r, r}} }

// span returns the set of code points from lo to hi inclusive.
func span(lo, hi rune) charSet {
	if lo > hi {
		return nil
	}
	return charSet{{lo, hi}}
}

// anyRune is the set of every code point.
var anyRune = charSet{{0, maxRune}}

// ofRunes returns the set holding exactly the given code points.
func ofRunes(rs ...rune) charSet {
	var s charSet
	for _, r := range rs {
		s = s.union(single(r))
	}
	return s
}

// fromTable converts a unicode.RangeTable into a charSet.
func fromTable(t *unicode.RangeTable) charSet {
	var rs []rng
	for _, r := range t.R16 {
		if r.Stride == 1 {
			rs = append(rs, rng{rune(r.Lo), rune(r.Hi)})
			continue
		}
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			rs = append(rs, rng{c, c})
		}
	}
	for _, r := range t.R32 {
		if r.Stride == 1 {
			rs = append(rs, rng{rune(r.Lo), rune(r.Hi)})
			continue
		}
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			rs = append(rs, rng{c, c})
		}
	}
	return normalize(rs)
}

// normalize sorts rs and merges overlapping and adjacent ranges.
func normalize(rs []rng) charSet {
	if len(rs) == 0 {
		return nil
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].lo < rs[j].lo })
	out := charSet{rs[0]}
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r.lo <= last.hi+1 {
			if r.hi > last.hi {
				last.hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// union returns s ∪ t.
func (s charSet) union(t charSet) charSet {
	rs := make([]rng, 0, len(s)+len(t))
	rs = append(rs, s...)
	rs = append(rs, t...)
	return normalize(rs)
}

// negate returns the complement of s among all code points.
func (s charSet) negate() charSet {
	var out charSet
	next := rune(0)
	for _, r := range s {
		if r.lo > next {
			out = append(out, rng{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= maxRune {
		out = append(out, rng{next, maxRune})
	}
	return out
}

// intersect returns s ∩ t.
func (s charSet) intersect(t charSet) charSet {
	var out charSet
	i, j := 0, 0
	for i < len(s) && j < len(t) {
		lo, hi := max(s[i].lo, t[j].lo), min(s[i].hi, t[j].hi)
		if lo <= hi {
			out = append(out, rng{lo, hi})
		}
		if s[i].hi < t[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

// minus returns s ∖ t.
func (s charSet) minus(t charSet) charSet { return s.intersect(t.negate()) }

// has reports whether r is in s.
func (s charSet) has(r rune) bool {
	i := sort.Search(len(s), func(i int) bool { return s[i].hi >= r })
	return i < len(s) && s[i].lo <= r
}

// equal reports whether s and t hold the same code points.
func (s charSet) equal(t charSet) bool {
	if len(s) != len(t) {
		return false
	}
	for i := range s {
		if s[i] != t[i] {
			return false
		}
	}
	return true
}

// isSingle reports whether s holds exactly one code point, and which.
func (s charSet) isSingle() (rune, bool) {
	if len(s) == 1 && s[0].lo == s[0].hi {
		return s[0].lo, true
	}
	return 0, false
}

// filter returns the code points of s for which keep is true. It walks every
// code point of s, so callers use it only on small sets or the cased runes.
func (s charSet) filter(keep func(rune) bool) charSet {
	var rs []rng
	for _, r := range s {
		for c := r.lo; c <= r.hi; c++ {
			if keep(c) {
				rs = append(rs, rng{c, c})
			}
		}
	}
	return normalize(rs)
}

// Java's case mappings. Character.toUpperCase and toLowerCase are the simple
// mappings of UnicodeData.txt, which unicode.ToUpper and unicode.ToLower
// implement too.
func toUpper(r rune) rune { return unicode.ToUpper(r) }
func toLower(r rune) rune { return unicode.ToLower(r) }

// foldKey is the value Java's UNICODE_CASE matching compares:
// Character.toLowerCase(Character.toUpperCase(c)).
func foldKey(r rune) rune { return toLower(toUpper(r)) }

var (
	casedOnce sync.Once
	// cased lists every code point that some simple case mapping changes.
	// Any other code point c has toUpper(c) == toLower(c) == c, which lets
	// the case-insensitive set computations below look only at these.
	cased []rune
	// byFoldKey maps a fold key to the cased code points that have it.
	byFoldKey map[rune][]rune
)

func initCased() {
	casedOnce.Do(func() {
		byFoldKey = make(map[rune][]rune)
		for c := rune(0); c <= maxRune; c++ {
			if c >= 0xD800 && c <= 0xDFFF {
				continue
			}
			if toUpper(c) != c || toLower(c) != c {
				cased = append(cased, c)
				k := foldKey(c)
				byFoldKey[k] = append(byFoldKey[k], c)
			}
		}
	})
}

// singleU is Java's SingleU(lower): the code points c with c == lower or
// toLowerCase(toUpperCase(c)) == lower.
func singleU(lower rune) charSet {
	initCased()
	s := single(lower)
	for _, c := range byFoldKey[lower] {
		s = s.union(single(c))
	}
	return s
}

// ciRangeU is Java's CIRangeU(lo, hi): c is in the range, or its upper case
// is, or the lower case of its upper case is.
func ciRangeU(lo, hi rune) charSet {
	initCased()
	in := func(c rune) bool { return lo <= c && c <= hi }
	rs := []rng{{lo, hi}}
	for _, c := range cased {
		u := toUpper(c)
		if in(u) || in(toLower(u)) {
			rs = append(rs, rng{c, c})
		}
	}
	return normalize(rs)
}

// ciRangeASCII is Java's CIRange(lo, hi): c is in the range, or c is ASCII
// and its ASCII upper or lower case is.
func ciRangeASCII(lo, hi rune) charSet {
	in := func(c rune) bool { return lo <= c && c <= hi }
	rs := []rng{{lo, hi}}
	for c := rune(0); c < 128; c++ {
		if in(asciiUpper(c)) || in(asciiLower(c)) {
			rs = append(rs, rng{c, c})
		}
	}
	return normalize(rs)
}

func asciiUpper(c rune) rune {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func asciiLower(c rune) rune {
	if 'A' <= c && c <= 'Z' {
		return c - 'A' + 'a'
	}
	return c
}

// lineTerminators are the characters Java treats as ending a line when
// UNIX_LINES is off: "." does not match them and "$" matches before them.
var lineTerminators = ofRunes('\n', '\r', 0x85, 0x2028, 0x2029)
