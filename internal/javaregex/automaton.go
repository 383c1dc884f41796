package javaregex

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// An NFA is the language of a pattern under whole-value matching
// (Pattern.matches), as a nondeterministic automaton over code points.
// Lint uses it to compare selection patterns: whether one can ever be
// chosen after others, whether two overlap. The questions are decidable,
// but determinizing can blow up, so every operation takes a budget and
// says when it ran out rather than guess.
type NFA struct {
	states []nfaState
	start  int
	accept int
}

type nfaState struct {
	eps   []int // free moves
	begin []int // moves allowed only before the first character
	end   []int // moves allowed only after the last character
	edges []nfaEdge
}

type nfaEdge struct {
	set charSet
	to  int
}

// ErrTooComplex is returned when an automaton would exceed its budget.
var ErrTooComplex = errors.New("pattern too complex to analyse")

// NewNFA builds the automaton of a pattern. It fails with the pattern's
// *SyntaxError or *UnsupportedError (lookaround, backreferences and the
// like have no finite automaton gwc builds), or with ErrTooComplex when
// the automaton would have more than maxStates states.
func NewNFA(pattern string, maxStates int) (*NFA, error) {
	tree, unsup, err := parse(pattern)
	if err != nil {
		return nil, err
	}
	if unsup != nil {
		return nil, unsup
	}
	b := &nfaBuilder{max: maxStates}
	start, accept, ok := b.build(tree)
	if !ok {
		return nil, ErrTooComplex
	}
	return &NFA{states: b.states, start: start, accept: accept}, nil
}

// MustNFA is NewNFA for patterns written in Go source, with a generous
// budget; it panics on error.
func MustNFA(pattern string) *NFA {
	n, err := NewNFA(pattern, 100000)
	if err != nil {
		panic("javaregex: MustNFA(" + quote(pattern) + "): " + err.Error())
	}
	return n
}

type nfaBuilder struct {
	states []nfaState
	max    int
	over   bool
}

func (b *nfaBuilder) state() int {
	if len(b.states) >= b.max {
		b.over = true
		return 0
	}
	b.states = append(b.states, nfaState{})
	return len(b.states) - 1
}

// build returns the start and accepting state of a fragment for n.
func (b *nfaBuilder) build(n *node) (int, int, bool) {
	s, e := b.frag(n)
	return s, e, !b.over
}

func (b *nfaBuilder) frag(n *node) (int, int) {
	if b.over {
		return 0, 0
	}
	switch n.kind {
	case kEmpty:
		s := b.state()
		return s, s
	case kChar:
		s, e := b.state(), b.state()
		if !b.over {
			b.states[s].edges = append(b.states[s].edges, nfaEdge{n.set, e})
		}
		return s, e
	case kBegin:
		s, e := b.state(), b.state()
		if !b.over {
			b.states[s].begin = append(b.states[s].begin, e)
		}
		return s, e
	case kEnd, kDollar, kUnixDollar:
		// Compile refuses $ anywhere but at the end of the pattern, where
		// under whole-value matching it is the end of the input.
		s, e := b.state(), b.state()
		if !b.over {
			b.states[s].end = append(b.states[s].end, e)
		}
		return s, e
	case kLineEnding:
		// \R: "\r\n", or one line-breaking character.
		crlf := &node{kind: kConcat, subs: []*node{{kind: kChar, set: single('\r')}, {kind: kChar, set: single('\n')}}}
		one := &node{kind: kChar, set: ofRunes('\n', 0x0B, 0x0C, '\r', 0x85, 0x2028, 0x2029)}
		return b.frag(&node{kind: kAlt, subs: []*node{crlf, one}})
	case kGroup:
		return b.frag(n.subs[0])
	case kConcat:
		s, e := b.frag(n.subs[0])
		for _, sub := range n.subs[1:] {
			s2, e2 := b.frag(sub)
			if b.over {
				return 0, 0
			}
			b.states[e].eps = append(b.states[e].eps, s2)
			e = e2
		}
		return s, e
	case kAlt:
		s, e := b.state(), b.state()
		for _, sub := range n.subs {
			s2, e2 := b.frag(sub)
			if b.over {
				return 0, 0
			}
			b.states[s].eps = append(b.states[s].eps, s2)
			b.states[e2].eps = append(b.states[e2].eps, e)
		}
		return s, e
	case kRepeat:
		s := b.state()
		e := s
		for i := 0; i < n.min; i++ {
			s2, e2 := b.frag(n.subs[0])
			if b.over {
				return 0, 0
			}
			b.states[e].eps = append(b.states[e].eps, s2)
			e = e2
		}
		if n.max < 0 {
			s2, e2 := b.frag(n.subs[0])
			if b.over {
				return 0, 0
			}
			b.states[e].eps = append(b.states[e].eps, s2)
			b.states[e2].eps = append(b.states[e2].eps, e)
			return s, e
		}
		end := b.state()
		for i := n.min; i < n.max; i++ {
			s2, e2 := b.frag(n.subs[0])
			if b.over {
				return 0, 0
			}
			b.states[e].eps = append(b.states[e].eps, s2, end)
			e = e2
		}
		if b.over {
			return 0, 0
		}
		b.states[e].eps = append(b.states[e].eps, end)
		return s, end
	}
	b.over = true
	return 0, 0
}

// machine is one or more automata side by side, so that a union of
// patterns is one set of start states.
type machine struct {
	states  []nfaState
	starts  []int
	accepts []bool
}

func combine(ns ...*NFA) *machine {
	m := &machine{}
	for _, n := range ns {
		off := len(m.states)
		for _, s := range n.states {
			c := nfaState{eps: shift(s.eps, off), begin: shift(s.begin, off), end: shift(s.end, off)}
			for _, e := range s.edges {
				c.edges = append(c.edges, nfaEdge{e.set, e.to + off})
			}
			m.states = append(m.states, c)
		}
		m.starts = append(m.starts, n.start+off)
		acc := make([]bool, len(n.states))
		acc[n.accept] = true
		m.accepts = append(m.accepts, acc...)
	}
	return m
}

func shift(xs []int, off int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = x + off
	}
	return out
}

// closure adds to set everything reachable by free moves from states;
// at the start, moves that need the start of input are free too.
func (m *machine) closure(states []int, atStart bool) []int {
	seen := make(map[int]bool, len(states))
	var out []int
	stack := append([]int(nil), states...)
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
		stack = append(stack, m.states[s].eps...)
		if atStart {
			stack = append(stack, m.states[s].begin...)
		}
	}
	slices.Sort(out)
	return out
}

// accepting reports whether the input may end in one of states.
func (m *machine) accepting(states []int, atStart bool) bool {
	seen := map[int]bool{}
	stack := append([]int(nil), states...)
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[s] {
			continue
		}
		seen[s] = true
		if m.accepts[s] {
			return true
		}
		stack = append(stack, m.states[s].eps...)
		stack = append(stack, m.states[s].end...)
		if atStart {
			stack = append(stack, m.states[s].begin...)
		}
	}
	return false
}

// step returns the states reached from states on a character.
func (m *machine) step(states []int, r rune) []int {
	var next []int
	for _, s := range states {
		for _, e := range m.states[s].edges {
			if e.set.has(r) {
				next = append(next, e.to)
			}
		}
	}
	return m.closure(next, false)
}

// Result is the answer of a bounded decision.
type Result struct {
	// Decided is false when the budget ran out before an answer.
	Decided bool
	// Holds is the answer when Decided.
	Holds bool
	// Example is a witness string when one exists: a value matched by the
	// first automaton and not the others (Subset false), or by both
	// (Overlap true).
	Example string
}

// Subset decides whether every value a matches is matched by one of bs,
// exploring at most budget pairs of states.
func Subset(a *NFA, bs []*NFA, budget int) Result {
	ma, mb := combine(a), combine(bs...)
	return search(ma, mb, budget, func(accA, accB bool) bool { return accA && !accB }, true)
}

// Overlap decides whether some value is matched by both a and b,
// exploring at most budget pairs of states.
func Overlap(a, b *NFA, budget int) Result {
	ma, mb := combine(a), combine(b)
	return search(ma, mb, budget, func(accA, accB bool) bool { return accA && accB }, false)
}

// search explores the product of ma and the subset automaton of mb
// breadth first, looking for a pair where found holds. For Subset the
// answer is "holds" when no such pair exists; for Overlap when one does.
func search(ma, mb *machine, budget int, found func(accA, accB bool) bool, subset bool) Result {
	type item struct {
		a, b   []int
		parent int
		r      rune
	}
	key := func(a, b []int) string { return intsKey(a) + "|" + intsKey(b) }
	start := item{a: ma.closure(ma.starts, true), b: mb.closure(mb.starts, true), parent: -1}
	queue := []item{start}
	seen := map[string]bool{key(start.a, start.b): true}
	example := func(i int) string {
		var rs []rune
		for ; queue[i].parent >= 0; i = queue[i].parent {
			rs = append(rs, queue[i].r)
		}
		for l, r := 0, len(rs)-1; l < r; l, r = l+1, r-1 {
			rs[l], rs[r] = rs[r], rs[l]
		}
		return string(rs)
	}
	for i := 0; i < len(queue); i++ {
		it := queue[i]
		atStart := it.parent < 0
		if found(ma.accepting(it.a, atStart), mb.accepting(it.b, atStart)) {
			return Result{Decided: true, Holds: !subset, Example: example(i)}
		}
		for _, part := range partition(ma, mb, it.a, it.b) {
			r := representative(part)
			na := ma.step(it.a, r)
			if len(na) == 0 {
				continue
			}
			nb := mb.step(it.b, r)
			k := key(na, nb)
			if seen[k] {
				continue
			}
			if len(seen) >= budget {
				return Result{}
			}
			seen[k] = true
			queue = append(queue, item{a: na, b: nb, parent: i, r: r})
		}
	}
	return Result{Decided: true, Holds: subset}
}

// partition splits the characters a's states can move on into classes on
// which every move of both automata agrees, so that one representative of
// each class stands for all of it.
func partition(ma, mb *machine, as, bs []int) []charSet {
	var from charSet
	var sets []charSet
	for _, s := range as {
		for _, e := range ma.states[s].edges {
			from = from.union(e.set)
			sets = append(sets, e.set)
		}
	}
	for _, s := range bs {
		for _, e := range mb.states[s].edges {
			sets = append(sets, e.set)
		}
	}
	if len(from) == 0 {
		return nil
	}
	parts := []charSet{from}
	for _, t := range sets {
		var next []charSet
		for _, p := range parts {
			in, out := p.intersect(t), p.minus(t)
			if len(in) > 0 {
				next = append(next, in)
			}
			if len(out) > 0 {
				next = append(next, out)
			}
		}
		parts = next
	}
	return parts
}

// representative picks the character of a class that reads best in an
// example: a letter or digit, then printable ASCII, then anything.
func representative(s charSet) rune {
	for _, want := range []func(rune) bool{
		func(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) },
		func(r rune) bool { return r >= ' ' && r < 127 },
	} {
		for _, rg := range s {
			for r := rg.lo; r <= rg.hi && r < 128; r++ {
				if want(r) {
					return r
				}
			}
		}
	}
	return s[0].lo
}

func intsKey(xs []int) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(strconv.Itoa(x))
		b.WriteByte(',')
	}
	return b.String()
}

// Accepts reports whether the automaton matches s; tests compare it with
// Matches.
func (n *NFA) Accepts(s string) bool {
	m := combine(n)
	cur := m.closure(m.starts, true)
	first := true
	for _, r := range s {
		cur = m.step(cur, r)
		first = false
		if len(cur) == 0 {
			return false
		}
	}
	return m.accepting(cur, first)
}
