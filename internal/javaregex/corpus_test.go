package javaregex

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// patternGen writes random patterns from Java's grammar. The same seed
// always gives the same corpus, so a disagreement found once can be found
// again.
type patternGen struct {
	r     *rand.Rand
	depth int
	names int
}

func (g *patternGen) pick(options ...string) string { return options[g.r.IntN(len(options))] }
func (g *patternGen) chance(percent int) bool       { return g.r.IntN(100) < percent }

var genLiterals = []string{
	"a", "b", "c", "A", "B", "k", "K", "s", "S", "i", "I", "ß", "é", "ı", "İ", "σ", "Σ", "ς", "µ", "ÿ", "å",
	"😀", "0", "1", "_", " ", "-", "&", "\n", "\r", ",", ":", "=", "<", ">", "#", "'", "\"", "/", "@", "x",
}

var genEscapes = []string{
	`\.`, `\*`, `\\`, `\[`, `\]`, `\{`, `\(`, `\)`, `\|`, `\$`, `\^`, `\-`, `\&`, `\x41`, `\x{1F600}`,
	`\x61`, `\u00e9`, `\u212A`, `\0101`, `\0141`, `\cA`, `\t`, `\n`, `\r`, `\e`, `\a`, `\f`, `\Qa.b\E`,
	`\Q*\E`, `\Q1\E`, `\Q`, `\uD83D\uDE00`, `\ `, `\#`,
}

var genClassEscapes = []string{`\d`, `\D`, `\s`, `\S`, `\w`, `\W`, `\h`, `\H`, `\v`, `\V`}

var genProps = []string{
	`\p{L}`, `\p{Lu}`, `\p{Ll}`, `\p{Alpha}`, `\p{Punct}`, `\p{IsLatin}`, `\p{InGreek}`, `\P{L}`, `\pL`,
	`\pN`, `\p{javaLowerCase}`, `\p{javaUpperCase}`, `\p{IsAlphabetic}`, `\p{Lower}`, `\p{Upper}`,
	`\p{IsLowercase}`, `\p{ASCII}`, `\p{Space}`, `\p{IsWhite_Space}`, `\p{Sc}`, `\P{Lu}`, `\p{LC}`,
	`\p{IsGreek}`, `\p{InBasic_Latin}`, `\p{javaWhitespace}`, `\p{IsWord}`, `\p{IsPunct}`,
}

func (g *patternGen) pattern() string {
	g.depth, g.names = 0, 0
	return g.alt()
}

func (g *patternGen) alt() string {
	s := g.seq()
	for g.chance(20) {
		s += "|" + g.seq()
	}
	return s
}

func (g *patternGen) seq() string {
	var b strings.Builder
	for n := 1 + g.r.IntN(4); n > 0; n-- {
		b.WriteString(g.item())
	}
	return b.String()
}

func (g *patternGen) item() string {
	a := g.atom()
	if g.chance(35) {
		a += g.pick("*", "+", "?", "{2}", "{1,3}", "{0,}", "{0,1}", "{2,}", "*", "+", "?")
		if g.chance(3) {
			a += g.pick("{,2}", "{", "{1", "{2,1}")
		}
		if g.chance(20) {
			a += g.pick("?", "+")
		}
	}
	return a
}

func (g *patternGen) atom() string {
	switch n := g.r.IntN(100); {
	case n < 30:
		return g.pick(genLiterals...)
	case n < 40:
		return g.pick(genEscapes...)
	case n < 47:
		return g.pick(genClassEscapes...)
	case n < 52:
		return g.pick(genProps...)
	case n < 58:
		return "."
	case n < 70:
		return g.class()
	case n < 82:
		if g.depth > 3 {
			return "a"
		}
		g.depth++
		defer func() { g.depth-- }()
		open := g.pick("(", "(", "(?:", "(?i:", "(?iu:", "(?s:", "(?d:", "(?x:", "(?-i:", "(?<n>", "(?=", "(?>")
		if open == "(?<n>" {
			g.names++
			open = "(?<n" + string(rune('0'+g.names)) + ">"
		}
		closer := ")"
		if g.chance(3) {
			closer = ""
		}
		return open + g.alt() + closer
	case n < 88:
		return g.pick("(?i)", "(?iu)", "(?s)", "(?d)", "(?-i)", "(?x)", "(?u)", "(?i-u)", "(?m)")
	case n < 97:
		return g.pick("^", "$", `\A`, `\z`, `\Z`, "$", `\R`, `\b`)
	case n < 98:
		return g.pick("(", ")", "[", "]", "}", "{", `\`, "*", "?", "+", `\k<n1>`, `\1`, "{2,1}", "|", "(?")
	}
	return g.pick(genLiterals...)
}

func (g *patternGen) class() string {
	var b strings.Builder
	b.WriteByte('[')
	if g.chance(30) {
		b.WriteByte('^')
	}
	if g.chance(5) {
		b.WriteByte(']')
	}
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		switch k := g.r.IntN(100); {
		case k < 35:
			b.WriteString(g.pick("a", "b", "k", "s", "K", "ß", "é", "µ", "ÿ", "å", "i", "σ", "-", "^", "&", "😀", " ", "."))
		case k < 55:
			b.WriteString(g.pick("a-c", "A-Z", "a-z", "à-ÿ", "0-9", "a-\\d", "\\x41-\\x5A", "z-a", "\\v-\\r", "\\u0000-\\u007F", "a-"))
		case k < 70:
			b.WriteString(g.pick(genClassEscapes...))
		case k < 78:
			b.WriteString(g.pick(genProps...))
		case k < 88:
			if g.depth > 3 {
				b.WriteString("x")
				continue
			}
			g.depth++
			b.WriteString(g.class())
			g.depth--
		default:
			b.WriteString("&&")
			if g.chance(50) && g.depth <= 3 {
				g.depth++
				b.WriteString(g.class())
				g.depth--
			} else {
				b.WriteString(g.pick("b", "a-m", "[^aeiou]", "\\w", "\\p{Lu}", ""))
			}
		}
	}
	if !g.chance(1) {
		b.WriteByte(']')
	}
	return b.String()
}

// genInputs makes inputs for a pattern: random strings over characters
// that exercise case folding, line terminators and surrogate pairs, mixed
// with the pattern's own characters.
func (g *patternGen) inputs(pattern string, n int) []string {
	alphabet := []string{
		"a", "b", "c", "A", "B", "C", "k", "K", "\u212A", "s", "S", "\u017F", "ß", "\u1E9E", "é", "É",
		"i", "I", "ı", "İ", "σ", "Σ", "ς", "µ", "Μ", "ÿ", "Ÿ", "å", "Å", "\u212B", "0", "1", "9", "٣",
		"_", " ", "\t", "\n", "\r", "\r\n", "\u0085", "\u2028", "\x0B", "\f", "\u00A0", "-", "&", ".",
		"😀", "\u0301", "x", "#", "\x01", "\x1B",
	}
	for _, r := range pattern {
		alphabet = append(alphabet, string(r))
	}
	out := []string{"", "a", "\n"}
	for len(out) < n {
		var b strings.Builder
		for k := g.r.IntN(7); k > 0; k-- {
			b.WriteString(alphabet[g.r.IntN(len(alphabet))])
		}
		out = append(out, b.String())
	}
	return out
}

// TestJavaCorpus compares gwc with Java on a generated corpus.
func TestJavaCorpus(t *testing.T) {
	n := 6000
	if testing.Short() {
		n = 1500
	}
	g := &patternGen{r: rand.New(rand.NewPCG(20240601, 7))}
	cases := make([]diffCase, n)
	for i := range cases {
		p := g.pattern()
		cases[i] = diffCase{p, g.inputs(p, 10)}
	}
	st := compareWithJava(t, cases)
	t.Log(st)
}
