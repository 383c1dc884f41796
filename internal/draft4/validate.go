package draft4

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Schema is a compiled validator. It is immutable and safe for concurrent
// use.
type Schema struct {
	root    *schema
	strict  bool
	formats bool
}

// state is what one validation needs besides the schema: the parsed body
// and scratch space. It is pooled, so a validation that succeeds
// allocates nothing once the pool is warm.
type state struct {
	t        tree
	strict   bool
	formats  bool
	quick    bool // stop at the first failure and record nothing
	errs     []verr
	active   []activeEval
	memo     map[memoKey]memoEntry
	memoErrs []verr
	hashes   []hashedElem
}

// verr is a failure as found: what failed, where, against which schema.
// Messages are written from it only when the caller wants them.
type verr struct {
	kind Kind
	s    *schema
	inst uint32
	n    int // oneOf: how many subschemas matched
}

type memoKey struct {
	s    *schema
	inst uint32
}

// memoEntry is what is known of a schema on a value: its verdict and, once
// evaluated in full, the failures it recorded (memoErrs[start:end]).
type memoEntry struct {
	valid      bool
	full       bool
	start, end uint32
}

type activeEval struct {
	s    *schema
	inst uint32
}

type hashedElem struct {
	h uint64
	i uint32
}

var statePool = sync.Pool{New: func() any { return new(state) }}

// emptyBody is what an empty body is validated as (API Gateway, §6.3).
var emptyBody = []byte("{}")

// Valid reports whether body is JSON that the schema accepts. An empty
// body (nothing but white space) is validated as {}.
func (sc *Schema) Valid(body []byte) bool {
	st := sc.get()
	defer put(st)
	if err := st.t.parse(bodyOrEmpty(body)); err != nil {
		return false
	}
	st.quick = true
	return st.eval(sc.root, 0)
}

// Validate checks body against the schema. An empty body (nothing but
// white space) is validated as {}; a body that is not JSON fails with
// Result.InvalidJSON. When the body is valid the Result is the zero
// Result with Valid set and nothing is allocated.
func (sc *Schema) Validate(body []byte) Result {
	st := sc.get()
	defer put(st)
	if err := st.t.parse(bodyOrEmpty(body)); err != nil {
		return Result{InvalidJSON: true}
	}
	// A first pass that stops at the first failure keeps the common,
	// successful case free of bookkeeping; a failed body is then walked
	// again to find every failure.
	st.quick = true
	if st.eval(sc.root, 0) {
		return Result{Valid: true}
	}
	st.quick = false
	st.errs = st.errs[:0]
	st.eval(sc.root, 0)
	res := Result{Errors: st.render()}
	clear(st.errs) // drop the schema pointers
	clear(st.memoErrs)
	return res
}

// put returns st to the pool without the body, so the pool does not keep
// the caller's memory alive, and without the space of an outsized body.
func put(st *state) {
	st.t.src = nil
	if cap(st.t.nodes) > 1<<16 || cap(st.t.buf) > 1<<20 || cap(st.hashes) > 1<<16 || len(st.memo) > 1<<16 {
		return
	}
	statePool.Put(st)
}

func (sc *Schema) get() *state {
	st := statePool.Get().(*state)
	st.strict, st.formats = sc.strict, sc.formats
	st.errs = st.errs[:0]
	st.active = st.active[:0]
	if len(st.memo) > 0 {
		clear(st.memo)
	}
	st.memoErrs = st.memoErrs[:0]
	return st
}

func bodyOrEmpty(body []byte) []byte {
	if len(bytes.TrimSpace(body)) == 0 {
		return emptyBody
	}
	return body
}

// maxErrors bounds the failures a Result reports. A hostile body can fail
// once per level of nesting; its report need not grow with it.
const maxErrors = 100

func (st *state) fail(k Kind, s *schema, i uint32, n int) {
	if !st.quick && len(st.errs) < maxErrors {
		st.errs = append(st.errs, verr{k, s, i, n})
	}
}

// eval validates node i against s. In quick mode it returns at the first
// failure; otherwise it records every failure, as the runtime's reports
// have listed them: the failures of the subschemas an anyOf, allOf or
// oneOf rejected, not a failure of the applicator itself.
func (st *state) eval(s *schema, i uint32) bool {
	if !s.loop {
		return st.evalSchema(s, i)
	}
	for _, a := range st.active {
		if a.s == s && a.inst == i {
			st.fail(KindLoop, s, i, 0)
			return false
		}
	}
	st.active = append(st.active, activeEval{s, i})
	ok := st.evalSchema(s, i)
	st.active = st.active[:len(st.active)-1]
	return ok
}

// memoRef evaluates a recursive reference's target once per value and
// mode. A second evaluation in full mode records again the failures the
// first recorded, as evaluating again would.
func (st *state) memoRef(s *schema, i uint32) bool {
	if st.memo == nil {
		st.memo = make(map[memoKey]memoEntry)
	}
	k := memoKey{s, i}
	if e, ok := st.memo[k]; ok && (e.valid || st.quick) {
		return e.valid
	} else if ok && e.full {
		for _, v := range st.memoErrs[e.start:e.end] {
			st.fail(v.kind, v.s, v.inst, v.n)
		}
		return false
	}
	mark := len(st.errs)
	valid := st.eval(s, i)
	e := memoEntry{valid: valid, full: !st.quick}
	if e.full && !valid {
		e.start = uint32(len(st.memoErrs))
		st.memoErrs = append(st.memoErrs, st.errs[mark:]...)
		e.end = uint32(len(st.memoErrs))
	}
	st.memo[k] = e
	return valid
}

func (st *state) evalSchema(s *schema, i uint32) bool {
	if s.ref != nil {
		if s.memo {
			return st.memoRef(s.ref, i)
		}
		return st.eval(s.ref, i)
	}
	t := &st.t
	nd := &t.nodes[i]
	// A type, enum or format failure ends the schema's checks: the other
	// keywords would only repeat that the value is not what it should be.
	if s.types != 0 && !st.typeOK(s.types, i) {
		st.fail(KindType, s, i, 0)
		return false
	}
	if s.enum != nil && !inEnum(t, i, s.enum) {
		st.fail(KindEnum, s, i, 0)
		return false
	}
	if s.format != fmtNone && st.formats && nd.kind == kString && !checkFormat(s.format, t.str(i)) {
		st.fail(KindFormat, s, i, 0)
		return false
	}
	ok := true
	switch nd.kind {
	case kObject:
		ok = st.object(s, i)
	case kArray:
		ok = st.array(s, i)
	case kString:
		ok = st.string(s, i)
	case kNumber:
		if s.hasNumericKeywords {
			ok = st.number(s, i)
		}
	}
	if !ok && st.quick {
		return false
	}
	if s.not != nil {
		q := st.quick
		st.quick = true
		matched := st.eval(s.not, i)
		st.quick = q
		if matched {
			st.fail(KindNot, s, i, 0)
			ok = false
			if st.quick {
				return false
			}
		}
	}
	for _, sub := range s.allOf {
		if !st.eval(sub, i) {
			ok = false
			if st.quick {
				return false
			}
		}
	}
	if s.anyOf != nil && !st.anyOf(s, i) {
		ok = false
		if st.quick {
			return false
		}
	}
	if s.one != nil && !st.oneOf(s, i) {
		ok = false
	}
	return ok
}

// anyOf and oneOf evaluate each subschema once. In full mode the failures
// of the subschemas are recorded as they go and dropped again when the
// applicator is satisfied: evaluating quickly first and again in full
// would, under recursion, cost the square of the body's depth.
func (st *state) anyOf(s *schema, i uint32) bool {
	mark := len(st.errs)
	for _, sub := range s.anyOf {
		if st.eval(sub, i) {
			st.errs = st.errs[:mark]
			return true
		}
	}
	return false
}

func (st *state) oneOf(s *schema, i uint32) bool {
	mark := len(st.errs)
	matched := 0
	for _, sub := range s.one {
		if st.eval(sub, i) {
			matched++
			if matched > 1 && st.quick {
				return false
			}
		}
	}
	switch {
	case matched == 1:
		st.errs = st.errs[:mark]
		return true
	case matched > 1:
		st.errs = st.errs[:mark]
		st.fail(KindOneOf, s, i, matched)
	}
	return false
}

func (st *state) typeOK(types uint8, i uint32) bool {
	nd := &st.t.nodes[i]
	var bit uint8
	switch nd.kind {
	case kNull:
		bit = tNull
	case kTrue, kFalse:
		bit = tBoolean
	case kString:
		bit = tString
	case kArray:
		bit = tArray
	case kObject:
		bit = tObject
	case kNumber:
		if types&tNumber != 0 {
			return true
		}
		if types&tInteger == 0 {
			return false
		}
		if nd.flags&fInt != 0 {
			return true
		}
		if st.strict {
			return false
		}
		d := parseDecimal(st.t.numText(i))
		return d.isInt()
	}
	return types&bit != 0
}

func (s *schema) lookup(name string) int {
	if s.nameIdx != nil {
		if i, ok := s.nameIdx[name]; ok {
			return i
		}
		return -1
	}
	for i := range s.names {
		if s.names[i].name == name {
			return i
		}
	}
	return -1
}

func (st *state) object(s *schema, o uint32) bool {
	t := &st.t
	ok := true
	if s.minProps >= 0 || s.maxProps >= 0 {
		size := t.size(o)
		if s.minProps >= 0 && size < s.minProps {
			st.fail(KindMinProperties, s, o, 0)
			if st.quick {
				return false
			}
			ok = false
		}
		if s.maxProps >= 0 && size > s.maxProps {
			st.fail(KindMaxProperties, s, o, 0)
			if st.quick {
				return false
			}
			ok = false
		}
	}
	if s.names == nil && s.patternProps == nil && !s.addlFalse && s.addl == nil && s.deps == nil {
		return ok
	}
	reqFound := 0
	additional := false
	n := t.nodes[o].n
	k := o + 1
	for m := uint32(0); m < n; m++ {
		v := k + 1
		next := t.nodes[v].next
		if t.nodes[k].flags&fShadow == 0 {
			name := t.str(k)
			evaluated := false
			if j := s.lookup(name); j >= 0 {
				e := &s.names[j]
				if e.req {
					reqFound++
				}
				if e.s != nil {
					evaluated = true
					if !st.eval(e.s, v) {
						if st.quick {
							return false
						}
						ok = false
					}
				}
			}
			for _, pp := range s.patternProps {
				if pp.re.Find(name) {
					evaluated = true
					if !st.eval(pp.s, v) {
						if st.quick {
							return false
						}
						ok = false
					}
				}
			}
			if !evaluated {
				if s.addlFalse {
					if st.quick {
						return false
					}
					additional = true
				} else if s.addl != nil && !st.eval(s.addl, v) {
					if st.quick {
						return false
					}
					ok = false
				}
			}
		}
		k = next
	}
	if reqFound < len(s.required) {
		st.fail(KindRequired, s, o, 0)
		if st.quick {
			return false
		}
		ok = false
	}
	if additional {
		st.fail(KindAdditionalProperties, s, o, 0)
		ok = false
	}
	for di := range s.deps {
		d := &s.deps[di]
		if _, present := t.lookup(o, d.name); !present {
			continue
		}
		if d.s != nil {
			if !st.eval(d.s, o) {
				if st.quick {
					return false
				}
				ok = false
			}
			continue
		}
		for _, p := range d.props {
			if _, present := t.lookup(o, p); !present {
				st.fail(KindDependencies, s, o, di)
				if st.quick {
					return false
				}
				ok = false
				break
			}
		}
	}
	return ok
}

func (st *state) array(s *schema, a uint32) bool {
	t := &st.t
	ok := true
	n := int(t.nodes[a].n)
	if s.minItems >= 0 && n < s.minItems {
		st.fail(KindMinItems, s, a, 0)
		if st.quick {
			return false
		}
		ok = false
	}
	if s.maxItems >= 0 && n > s.maxItems {
		st.fail(KindMaxItems, s, a, 0)
		if st.quick {
			return false
		}
		ok = false
	}
	if s.unique && n > 1 && !st.uniqueElems(a) {
		st.fail(KindUniqueItems, s, a, 0)
		if st.quick {
			return false
		}
		ok = false
	}
	if s.items == nil && !s.itemsIsList {
		return ok
	}
	v := a + 1
	for i := 0; i < n; i++ {
		var sub *schema
		switch {
		case !s.itemsIsList:
			sub = s.items
		case i < len(s.itemList):
			sub = s.itemList[i]
		case s.addlItemsFalse:
			st.fail(KindAdditionalItems, s, a, 0)
			return false
		default:
			sub = s.addlItems
		}
		if sub == nil {
			break
		}
		if !st.eval(sub, v) {
			if st.quick {
				return false
			}
			ok = false
		}
		v = t.nodes[v].next
	}
	return ok
}

func (st *state) string(s *schema, i uint32) bool {
	if s.minLen < 0 && s.maxLen < 0 && s.pattern == nil {
		return true
	}
	str := st.t.str(i)
	ok := true
	if s.minLen >= 0 || s.maxLen >= 0 {
		// Lengths count code points, as the Java validator does
		// (String.codePointCount), not bytes or UTF-16 units.
		n := utf8.RuneCountInString(str)
		if s.minLen >= 0 && n < s.minLen {
			st.fail(KindMinLength, s, i, 0)
			if st.quick {
				return false
			}
			ok = false
		}
		if s.maxLen >= 0 && n > s.maxLen {
			st.fail(KindMaxLength, s, i, 0)
			if st.quick {
				return false
			}
			ok = false
		}
	}
	if s.pattern != nil && !s.pattern.Find(str) {
		st.fail(KindPattern, s, i, 0)
		ok = false
	}
	return ok
}

func (st *state) number(s *schema, i uint32) bool {
	t := &st.t
	text := t.numText(i)
	// Small integers, the usual case, compare as machine integers.
	var iv int64
	small := false
	if t.nodes[i].flags&fInt != 0 && len(text) <= 18 {
		iv, small = smallInt(text)
	}
	var d decimal
	parsed := false
	cmp := func(b *number) int {
		if small && b.isSmall {
			switch {
			case iv < b.i64:
				return -1
			case iv > b.i64:
				return 1
			}
			return 0
		}
		if !parsed {
			d, parsed = parseDecimal(text), true
		}
		return cmpDecimal(&d, &b.d)
	}
	ok := true
	if s.minimum != nil {
		if c := cmp(s.minimum); c < 0 || c == 0 && s.exclMin {
			k := KindMinimum
			if s.exclMin {
				k = KindExclusiveMinimum
			}
			st.fail(k, s, i, 0)
			if st.quick {
				return false
			}
			ok = false
		}
	}
	if s.maximum != nil {
		if c := cmp(s.maximum); c > 0 || c == 0 && s.exclMax {
			k := KindMaximum
			if s.exclMax {
				k = KindExclusiveMaximum
			}
			st.fail(k, s, i, 0)
			if st.quick {
				return false
			}
			ok = false
		}
	}
	if s.multiple != nil {
		if !parsed {
			d = parseDecimal(text)
		}
		if !multipleOf(&d, &s.multiple.d) {
			st.fail(KindMultipleOf, s, i, 0)
			ok = false
		}
	}
	return ok
}

func smallInt(s string) (int64, bool) {
	neg := false
	if s != "" && s[0] == '-' {
		neg, s = true, s[1:]
	}
	var v int64
	for i := 0; i < len(s); i++ {
		v = v*10 + int64(s[i]-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

func inEnum(t *tree, i uint32, enum []value) bool {
	for _, e := range enum {
		if equalNodes(t, i, e.t, e.i) {
			return true
		}
	}
	return false
}

// equalNodes is JSON equality: numbers by value (1 == 1.0), objects
// whatever the order of their members.
func equalNodes(t1 *tree, i1 uint32, t2 *tree, i2 uint32) bool {
	a, b := &t1.nodes[i1], &t2.nodes[i2]
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case kNull, kTrue, kFalse:
		return true
	case kString:
		return t1.str(i1) == t2.str(i2)
	case kNumber:
		x, y := t1.numText(i1), t2.numText(i2)
		if x == y {
			return true
		}
		if a.flags&b.flags&fInt != 0 {
			// Integer tokens have no leading zeros: different texts
			// are different values, but for zero's sign.
			return strings.TrimPrefix(x, "-") == "0" && strings.TrimPrefix(y, "-") == "0"
		}
		dx, dy := parseDecimal(x), parseDecimal(y)
		return equalDecimal(&dx, &dy)
	case kArray:
		if a.n != b.n {
			return false
		}
		v1, v2 := i1+1, i2+1
		for j := uint32(0); j < a.n; j++ {
			if !equalNodes(t1, v1, t2, v2) {
				return false
			}
			v1, v2 = t1.nodes[v1].next, t2.nodes[v2].next
		}
		return true
	}
	if t1.size(i1) != t2.size(i2) {
		return false
	}
	for k, v := range t1.members(i1) {
		w, ok := t2.lookup(i2, t1.str(k))
		if !ok || !equalNodes(t1, v, t2, w) {
			return false
		}
	}
	return true
}

// uniqueElems reports whether the elements of array a are pairwise
// unequal. Short arrays compare every pair; long ones compare only the
// pairs whose hashes agree.
func (st *state) uniqueElems(a uint32) bool {
	t := &st.t
	n := t.nodes[a].n
	if n <= 16 {
		for i, v := uint32(0), a+1; i < n; i++ {
			for j, w := i+1, t.nodes[v].next; j < n; j++ {
				if equalNodes(t, v, t, w) {
					return false
				}
				w = t.nodes[w].next
			}
			v = t.nodes[v].next
		}
		return true
	}
	hs := st.hashes[:0]
	for i, v := uint32(0), a+1; i < n; i++ {
		hs = append(hs, hashedElem{hashNode(t, v), v})
		v = t.nodes[v].next
	}
	slices.SortFunc(hs, func(x, y hashedElem) int {
		switch {
		case x.h < y.h:
			return -1
		case x.h > y.h:
			return 1
		}
		return 0
	})
	st.hashes = hs
	for i := 0; i < len(hs); i++ {
		for j := i + 1; j < len(hs) && hs[j].h == hs[i].h; j++ {
			if equalNodes(t, hs[i].i, t, hs[j].i) {
				return false
			}
		}
	}
	return true
}

// hashNode hashes a value consistently with equalNodes: numbers by their
// exact value, objects independently of member order.
func hashNode(t *tree, i uint32) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	mix := func(b byte) { h = (h ^ uint64(b)) * prime }
	mixStr := func(s string) {
		for j := 0; j < len(s); j++ {
			mix(s[j])
		}
	}
	nd := &t.nodes[i]
	mix(nd.kind)
	switch nd.kind {
	case kString:
		mixStr(t.str(i))
	case kNumber:
		d := parseDecimal(t.numText(i))
		if d.neg {
			mix('-')
		}
		mixStr(d.a)
		mixStr(d.b)
		for e, j := uint64(d.exp), 0; j < 8; j++ {
			mix(byte(e >> (8 * j)))
		}
	case kArray:
		for _, v := range t.elems(i) {
			x := hashNode(t, v)
			for j := 0; j < 8; j++ {
				mix(byte(x >> (8 * j)))
			}
		}
	case kObject:
		var sum uint64
		for k, v := range t.members(i) {
			kh := uint64(14695981039346656037)
			s := t.str(k)
			for j := 0; j < len(s); j++ {
				kh = (kh ^ uint64(s[j])) * prime
			}
			sum += kh*31 + hashNode(t, v)*prime
		}
		for j := 0; j < 8; j++ {
			mix(byte(sum >> (8 * j)))
		}
	}
	return h
}
