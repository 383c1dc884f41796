package javaregex

import (
	"math/rand/v2"
	"testing"
)

// TestNFAAgreesWithMatches checks the automaton against the matcher the
// runtime uses, on patterns of every construct the automaton handles and
// on random strings over the characters those patterns care about.
func TestNFAAgreesWithMatches(t *testing.T) {
	patterns := []string{
		``, `a`, `abc`, `a|b|`, `a*`, `a+b?`, `(ab){2,3}`, `a{0,2}b{3}`, `[a-c]+x`, `.*`, `.+`,
		`(\n|.)+`, `(?s).*`, `^a$`, `\Aab\z`, `a$`, `[^ab]*`, `\d{3}`, `4\d{2}`, `[45]\d\d`, `2..`,
		`(?i)abc`, `.*error.*`, `.*"statusCode":400.*`, `\R`, `x\Ry`, `a(b|c)*d`, `(a|ab)(c|bcd)(d*)`,
		`[\w&&[^\d]]+`, `\Qa.b\E`, `a??b*?`, `(?:x|y){1,3}z`, `\s*`, `^`, `$`, `a^b`, `a\zb`,
	}
	alphabet := []rune{'a', 'b', 'c', 'd', 'x', 'y', 'z', '0', '2', '4', '9', '\n', '\r', ' ', '"', ':', 'A', 'é'}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range patterns {
		re, err := Compile(p)
		if err != nil {
			t.Errorf("%q: %v", p, err)
			continue
		}
		n, err := NewNFA(p, 10000)
		if err != nil {
			t.Errorf("%q: %v", p, err)
			continue
		}
		inputs := []string{"", "a", "ab", "abc", "404", "200", "error", "x\r\ny", "\n", "abcd", "abbcd"}
		for range 400 {
			rs := make([]rune, rng.IntN(7))
			for i := range rs {
				rs[i] = alphabet[rng.IntN(len(alphabet))]
			}
			inputs = append(inputs, string(rs))
		}
		for _, in := range inputs {
			if got, want := n.Accepts(in), re.Matches(in); got != want {
				t.Errorf("pattern %q on %q: automaton %v, Matches %v", p, in, got, want)
			}
		}
	}
}

func mustNFA(t *testing.T, p string) *NFA {
	t.Helper()
	n, err := NewNFA(p, 10000)
	if err != nil {
		t.Fatalf("%q: %v", p, err)
	}
	return n
}

func TestSubsetAndOverlap(t *testing.T) {
	cases := []struct {
		a       string
		bs      []string
		subset  bool
		example string
	}{
		{`404`, []string{`4\d{2}`}, true, ""},
		{`4\d{2}`, []string{`404`}, false, "400"},
		{`4\d{2}`, []string{`40\d`, `4[1-9]\d`}, true, ""},
		{`.*Invalid.*`, []string{`.*`}, true, ""},
		{`.*`, []string{`.+`}, false, ""},
		{`(?i)error`, []string{`error`, `ERROR`}, false, ""},
		{`a|b`, []string{`[ab]`}, true, ""},
	}
	for _, c := range cases {
		var bs []*NFA
		for _, b := range c.bs {
			bs = append(bs, mustNFA(t, b))
		}
		r := Subset(mustNFA(t, c.a), bs, 10000)
		if !r.Decided || r.Holds != c.subset {
			t.Errorf("Subset(%q, %q) = %+v, want %v", c.a, c.bs, r, c.subset)
			continue
		}
		if !c.subset {
			if !mustNFA(t, c.a).Accepts(r.Example) {
				t.Errorf("Subset(%q, %q): example %q is not matched by the first", c.a, c.bs, r.Example)
			}
			for _, b := range bs {
				if b.Accepts(r.Example) {
					t.Errorf("Subset(%q, %q): example %q is matched by the others", c.a, c.bs, r.Example)
				}
			}
			if c.example != "" && r.Example != c.example {
				t.Errorf("Subset(%q, %q): example %q, want %q", c.a, c.bs, r.Example, c.example)
			}
		}
	}
	ov := Overlap(mustNFA(t, `.*timeout.*`), mustNFA(t, `.*error.*`), 10000)
	if !ov.Decided || !ov.Holds || !mustNFA(t, `.*timeout.*`).Accepts(ov.Example) || !mustNFA(t, `.*error.*`).Accepts(ov.Example) {
		t.Errorf("Overlap of .*timeout.* and .*error.* = %+v", ov)
	}
	if ov := Overlap(mustNFA(t, `Bad.*`), mustNFA(t, `Not found.*`), 10000); !ov.Decided || ov.Holds {
		t.Errorf("Overlap of Bad.* and Not found.* = %+v", ov)
	}
}

func TestBudgets(t *testing.T) {
	if _, err := NewNFA(`(a{1,1000}){1,1000}`, 5000); err != ErrTooComplex {
		t.Errorf("a huge repetition: err %v, want ErrTooComplex", err)
	}
	if _, err := NewNFA(`(?=a)a`, 5000); err == nil {
		t.Error("lookahead has no automaton here")
	}
	// Deciding that [ab]*a[ab]{12} includes itself walks thousands of
	// subset states: with a small budget the search gives up.
	r := Subset(mustNFA(t, `[ab]*a[ab]{12}`), []*NFA{mustNFA(t, `[ab]*a[ab]{12}`)}, 200)
	if r.Decided {
		t.Errorf("a search past its budget decided: %+v", r)
	}
}
