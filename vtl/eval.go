package vtl

import (
	"strconv"
	"unsafe"
)

// renderer is the state of one render. It lives only for the duration of
// Template.Render, so the values it creates may be mutated freely.
type renderer struct {
	t     *Template
	ctx   *Context
	lim   Limits
	out   []byte
	steps int

	frame      *frame // innermost macro call
	macroDepth int
	evalDepth  int
	blockDepth int
	macros     []map[string]*macroDef // macros of #evaluate'd text, innermost last
	args       []Value                // method argument stack
	cache      []int32                // per slot, 1 + where the variable sits in ctx.vars; 0 unknown
	strings    stringArena            // interpolated strings, kept across renders
	scopes     []*foreachScope        // loop scopes no value refers to, for reuse
	sites      []int32                // per property access site, where its name was last found
}

// frame binds the parameters of one macro call. Velocity passes macro
// arguments by name: a reference argument is evaluated, in the caller's
// scope, each time the parameter is read.
type frame struct {
	parent *frame
	names  []string
	binds  []binding
	// lits are, for the parameters Velocity binds by name (references,
	// string literals, lists, maps and ranges), the caller's source text
	// of the argument: what the parameter prints as when it is escaped
	// or null (Velocity's ".literal.$name", which a #set of the parameter
	// leaves in place).
	lits []string
}

type binding struct {
	name   string // for Context variables
	lazy   expr
	caller *frame
	val    Value
}

// Control flow travels up the render as these sentinel errors.
type breakSignal struct{ target *foreachScope }

func (breakSignal) Error() string { return "#break outside of a loop" }

type stopSignal struct{}

func (stopSignal) Error() string { return "#stop" }

func (r *renderer) errorf(pos int, format string, args ...any) *Error {
	return newError(r.t.name, r.t.src, pos, format, args...)
}

// step charges n units of work against the budget.
func (r *renderer) step(pos, n int) error {
	r.steps += n
	if r.steps > r.lim.MaxSteps {
		return r.errorf(pos, "template exceeded its budget of %d steps", r.lim.MaxSteps)
	}
	return nil
}

// write appends s to the output. It is small enough to inline.
func (r *renderer) write(pos int, s string) error {
	if len(r.out)+len(s) > r.lim.MaxOutputBytes {
		return r.outputFull(pos)
	}
	r.out = append(r.out, s...)
	return nil
}

func (r *renderer) outputFull(pos int) error {
	return r.errorf(pos, "output exceeds the limit of %d bytes", r.lim.MaxOutputBytes)
}

func (r *renderer) render(nodes []node) error {
	for _, n := range nodes {
		// Text and references, the most common nodes, are dispatched
		// here, saving a call.
		if r.steps < r.lim.MaxSteps {
			switch n := n.(type) {
			case *textNode:
				if len(r.out)+len(n.text) <= r.lim.MaxOutputBytes {
					r.steps++
					r.out = append(r.out, n.text...)
					continue
				}
			case *refNode:
				r.steps++
				if err := r.renderRef(n); err != nil {
					return err
				}
				continue
			}
		}
		if err := r.renderNode(n); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) renderNode(n node) error {
	r.steps++
	if r.steps > r.lim.MaxSteps {
		return r.step(nodePos(n), 0)
	}
	switch n := n.(type) {
	case *textNode:
		return r.write(0, n.text)
	case *refNode:
		return r.renderRef(n)
	case *setNode:
		return r.renderSet(n)
	case *ifNode:
		for i, c := range n.conds {
			ok, err := r.truth(c)
			if err != nil {
				return err
			}
			if ok {
				return r.render(n.blocks[i])
			}
		}
		return r.render(n.els)
	case *foreachNode:
		return r.renderForeach(n)
	case *macroCallNode:
		return r.renderMacroCall(n)
	case *defineNode:
		r.setVar(n.name, ObjectValue(&blockValue{r: r, body: n.body, pos: n.pos}))
		return nil
	case *evaluateNode:
		return r.renderEvaluate(n)
	case *breakNode:
		if n.arg == nil {
			return breakSignal{}
		}
		v, err := r.eval(n.arg)
		if err != nil {
			return err
		}
		if s, ok := v.Object().(*foreachScope); ok {
			return breakSignal{target: s}
		}
		return r.errorf(n.pos, "the argument of #break must be a scope such as $foreach")
	case *stopNode:
		return stopSignal{}
	case *errorNode:
		return r.errorf(n.pos, "%s", n.msg)
	}
	return nil
}

func nodePos(n node) int {
	switch n := n.(type) {
	case *refNode:
		return n.pos
	case *setNode:
		return n.pos
	case *foreachNode:
		return n.pos
	case *macroCallNode:
		return n.pos
	}
	return 0
}

// renderRef prints a reference the way ASTReference.render does.
func (r *renderer) renderRef(n *refNode) error {
	if n.runt {
		return r.write(n.pos, n.root)
	}
	v, err := r.evalRef(n)
	if err != nil {
		return err
	}
	if n.bare && len(r.out) < r.lim.MaxOutputBytes-24 {
		// The common case: a plain reference to a string or a number.
		switch v.kind {
		case KindString:
			return r.write(n.pos, v.str())
		case KindInt, KindLong:
			r.out = strconv.AppendInt(r.out, v.n, 10)
			return nil
		case KindDouble:
			r.out = v.appendDouble(r.out)
			return nil
		}
	}
	if n.escaped {
		lit := n.literal
		if r.frame != nil && len(n.parts) == 0 && lit == "$"+n.root {
			lit = r.argLiteral(n.root, lit)
		}
		if v.kind == KindNull {
			return r.write(n.pos, n.escPrefix+`\`+lit)
		}
		return r.write(n.pos, n.escPrefix+lit)
	}
	if b, ok := v.Object().(*blockValue); ok && b.depth >= maxDefineDepth {
		// Velocity stops a #define block that references itself at this
		// depth and prints the reference as if it were null.
		v = Null
	}
	if v.kind == KindNull {
		if r.ctx.APIGateway {
			return r.write(n.pos, n.escPrefix+n.morePrefix)
		}
		lit := n.literal
		if n.quiet {
			lit = ""
		} else if len(n.parts) == 0 && lit == "$"+n.root {
			lit = r.argLiteral(n.root, lit)
		}
		return r.write(n.pos, n.escPrefix+n.escPrefix+n.morePrefix+lit)
	}
	if n.escPrefix != "" || n.morePrefix != "" {
		if err := r.write(n.pos, n.escPrefix+n.morePrefix); err != nil {
			return err
		}
	}
	if b, ok := v.Object().(*blockValue); ok {
		return b.render(n.pos)
	}
	switch v.kind {
	case KindString:
		return r.write(n.pos, v.str())
	case KindInt, KindLong:
		r.out = strconv.AppendInt(r.out, v.n, 10)
		return r.write(n.pos, "")
	case KindDouble:
		r.out = v.appendDouble(r.out)
		return r.write(n.pos, "")
	}
	return r.write(n.pos, v.String())
}

// argLiteral is what an unresolved $name prints inside a macro: the source
// of the reference the caller passed for that parameter.
func (r *renderer) argLiteral(name, lit string) string {
	for f := r.frame; f != nil; f = f.parent {
		for i := range f.names {
			if f.names[i] == name {
				if i < len(f.lits) && f.lits[i] != "" {
					return f.lits[i]
				}
				return lit
			}
		}
	}
	return lit
}

// slotIndex returns where the variable vs sits in the Context's
// variables, from the slot cache; ok is false when the cache cannot tell:
// inside a macro, whose parameters shadow variables, and for names of text
// parsed while rendering.
func (r *renderer) slotIndex(vs *varSlot) (idx int, ok bool) {
	// Text parsed while rendering has no slots (nil), never the
	// template's.
	if r.frame != nil || vs.slots != r.t.slots {
		return 0, false
	}
	e := &r.cache[vs.slot]
	if *e == 0 {
		*e = int32(r.ctx.index(vs.name)) + 1
	}
	return int(*e) - 1, true
}

// cachedVar is the value of vs when the slot cache knows it. It is small
// enough to inline.
func (r *renderer) cachedVar(vs *varSlot) (Value, bool) {
	if r.frame == nil && vs.slots == r.t.slots {
		if e := r.cache[vs.slot]; e != 0 {
			return r.ctx.vars[e-1].val, true
		}
	}
	return Null, false
}

// getVar is lookup through the slot cache.
func (r *renderer) getVar(vs *varSlot) (Value, error) {
	if v, ok := r.cachedVar(vs); ok {
		return v, nil
	}
	if i, ok := r.slotIndex(vs); ok {
		return r.ctx.vars[i].val, nil
	}
	return r.lookup(vs.name)
}

// putVar is setVar through the slot cache. Its fast path is small enough
// to inline.
func (r *renderer) putVar(vs *varSlot, v Value) {
	if r.frame == nil && vs.slots == r.t.slots {
		if e := r.cache[vs.slot]; e != 0 {
			r.ctx.vars[e-1].val = v
			return
		}
	}
	r.putVarSlow(vs, v)
}

func (r *renderer) putVarSlow(vs *varSlot, v Value) {
	if i, ok := r.slotIndex(vs); ok {
		r.ctx.vars[i].val = v
		return
	}
	r.setVar(vs.name, v)
}

func (r *renderer) lookup(name string) (Value, error) {
	for f := r.frame; f != nil; f = f.parent {
		for i := range f.names {
			if f.names[i] == name {
				b := &f.binds[i]
				if b.lazy == nil {
					return b.val, nil
				}
				saved := r.frame
				r.frame = b.caller
				v, err := r.eval(b.lazy)
				r.frame = saved
				return v, err
			}
		}
	}
	return r.ctx.Get(name), nil
}

// setVar assigns a variable. Inside macros Velocity 1.7 stores the value
// in every enclosing call's local scope (where it shadows a parameter of
// that name) and in the global context.
func (r *renderer) setVar(name string, v Value) {
	for f := r.frame; f != nil; f = f.parent {
		f.set(name, v)
	}
	r.ctx.Set(name, v)
}

func (f *frame) set(name string, v Value) {
	for i := range f.names {
		if f.names[i] == name {
			f.binds[i] = binding{val: v}
			return
		}
	}
	f.names = append(f.names, name)
	f.binds = append(f.binds, binding{val: v})
}

func (r *renderer) evalRef(n *refNode) (Value, error) {
	if n.runt {
		return Null, nil
	}
	var err error
	v, ok := r.cachedVar(&n.vs)
	if !ok {
		if v, err = r.getVar(&n.vs); err != nil {
			return Null, err
		}
	}
	for i := range n.parts {
		p := &n.parts[i]
		switch {
		case v.kind == KindNull:
			return Null, nil
		case p.kind == partProperty && v.kind == KindMap:
			v = r.mapProperty(v.mapp(), p)
		case p.kind == partProperty && v.kind == KindObject && p.scopeProp != scopeNone:
			// $foreach.index and its kin, read in every turn of a loop.
			if s, ok := v.obj().(*foreachScope); ok {
				v = s.property(p.scopeProp)
			} else {
				v = r.property(v, p.name)
			}
		default:
			if v, err = r.evalPart(v, p); err != nil {
				return Null, err
			}
		}
	}
	if v.kind == KindObject {
		if s, ok := v.obj().(*foreachScope); ok {
			// The scope may now be stored anywhere: never reuse it.
			s.escaped = true
		}
	}
	return v, nil
}

// mapProperty is $m.name on a map. Maps of the same shape (the records of
// a JSON array) keep their keys in the same order, so the index where the
// name was found last time at this site is tried first.
func (r *renderer) mapProperty(m *Map, p *refPart) Value {
	// The hit, inlined: the name sits where it sat last time.
	if uint(p.site) < uint(len(r.sites)) && m.index == nil {
		if i := int(r.sites[p.site]); i < len(m.keys) && m.keys[i].n == int64(len(p.name)) && m.keys[i].kind == KindString && m.keys[i].str() == p.name {
			return m.vals[i]
		}
	}
	return r.findProperty(m, p)
}

// findProperty is mapProperty when the name is not where it was.
func (r *renderer) findProperty(m *Map, p *refPart) Value {
	if p.site < 0 || p.site >= len(r.sites) || m.index != nil {
		v, _ := m.Get(String(p.name))
		return v
	}
	hint := &r.sites[p.site]
	if i := int(*hint); i < len(m.keys) {
		if k := m.keys[i]; k.kind == KindString && int(k.n) == len(p.name) && k.str() == p.name {
			return m.vals[i]
		}
	}
	i := m.findString(p.name)
	if i < 0 {
		return Null
	}
	*hint = int32(i)
	return m.vals[i]
}

func (r *renderer) evalPart(v Value, p *refPart) (Value, error) {
	switch p.kind {
	case partProperty:
		return r.property(v, p.name), nil
	case partIndex:
		a, err := r.eval(p.args[0])
		if err != nil {
			return Null, err
		}
		return r.index(v, a, p.pos)
	}
	// Arguments live on a stack reused across calls; callees must not keep
	// the slice.
	base := len(r.args)
	for _, a := range p.args {
		av, err := r.eval(a)
		if err != nil {
			r.args = r.args[:base]
			return Null, err
		}
		r.args = append(r.args, av)
	}
	res, err := r.call(v, p.name, r.args[base:len(r.args):len(r.args)], p.pos)
	for i := base; i < len(r.args); i++ {
		r.args[i] = Value{} // a loop: clear costs a call for one or two
	}
	r.args = r.args[:base]
	return res, err
}

func (r *renderer) renderSet(n *setNode) error {
	v, err := r.eval(n.rhs)
	if err != nil {
		return err
	}
	if v.kind == KindNull && !r.ctx.APIGateway {
		// Velocity 1.7 (directive.set.null.allowed=false) leaves the
		// variable unchanged.
		return nil
	}
	lhs := n.lhs
	if len(lhs.parts) == 0 {
		r.putVar(&lhs.vs, v)
		return nil
	}
	target, err := r.getVar(&lhs.vs)
	if err != nil {
		return err
	}
	last := len(lhs.parts) - 1
	for i := 0; i < last; i++ {
		if target.kind == KindNull {
			return nil
		}
		if target, err = r.evalPart(target, &lhs.parts[i]); err != nil {
			return err
		}
	}
	if target.kind == KindNull {
		return nil
	}
	p := &lhs.parts[last]
	switch p.kind {
	case partProperty:
		return r.setProperty(target, p.name, v, p.pos)
	case partIndex:
		k, err := r.eval(p.args[0])
		if err != nil {
			return err
		}
		return r.setIndex(target, k, v, p.pos)
	}
	return nil
}

func (r *renderer) setProperty(target Value, name string, v Value, pos int) error {
	r.ctx.stored = true
	switch target.kind {
	case KindMap:
		target.mapp().Put(String(name), v)
	case KindObject:
		if s, ok := target.Object().(PropertySetter); ok {
			return s.SetProperty(name, v)
		}
	}
	return nil
}

// PropertySetter is implemented by host objects that accept
// #set($o.name = value).
type PropertySetter interface {
	SetProperty(name string, v Value) error
}

func (r *renderer) setIndex(target, k, v Value, pos int) error {
	r.ctx.stored = true
	switch target.kind {
	case KindObject:
		if s, ok := target.obj().(*foreachScope); ok {
			s.store().Put(k, v)
		}
	case KindMap:
		target.mapp().Put(k, v)
	case KindList:
		l := target.list()
		if k.kind != KindInt || l.set {
			return nil
		}
		i := int(k.n)
		if i < 0 {
			i += len(l.items)
		}
		if i < 0 || i >= len(l.items) {
			return r.errorf(pos, "index %d out of bounds for length %d", k.n, len(l.items))
		}
		l.items[i] = v
	}
	return nil
}

// truth is Velocity's evaluate(): the boolean an #if sees.
func (r *renderer) truth(e expr) (bool, error) {
	switch e := e.(type) {
	case *refNode:
		v, err := r.evalRef(e)
		if err != nil {
			return false, err
		}
		if v.kind == KindBool {
			return v.n != 0, nil
		}
		return v.kind != KindNull, nil
	case *litExpr:
		return e.v.kind == KindBool && e.v.n != 0, nil
	case *notExpr:
		b, err := r.truth(e.x)
		return !b, err
	case *binExpr:
		switch e.op {
		case opOr:
			b, err := r.truth(e.l)
			if err != nil || b {
				return b, err
			}
			return r.truth(e.r)
		case opAnd:
			b, err := r.truth(e.l)
			if err != nil || !b {
				return b, err
			}
			return r.truth(e.r)
		case opEQ, opNE, opLT, opGT, opLE, opGE:
			return r.compare(e)
		}
		// Arithmetic, like literals, is never true (SimpleNode.evaluate).
		_, err := r.eval(e)
		return false, err
	}
	// String, list, map and range literals are false, as in Velocity.
	return false, nil
}

func (r *renderer) compare(e *binExpr) (bool, error) {
	a, err := r.eval(e.l)
	if err != nil {
		return false, err
	}
	b, err := r.eval(e.r)
	if err != nil {
		return false, err
	}
	switch e.op {
	case opEQ:
		return r.equals(a, b), nil
	case opNE:
		return !r.equals(a, b), nil
	}
	if !a.isNumber() || !b.isNumber() {
		return false, nil
	}
	c := compareNumbers(a, b)
	switch e.op {
	case opLT:
		return c < 0, nil
	case opGT:
		return c > 0, nil
	case opLE:
		return c <= 0, nil
	}
	return c >= 0, nil
}

// equals is Velocity's == : numbers by value, values of related classes by
// equals(), anything else by comparing their strings.
func (r *renderer) equals(a, b Value) bool {
	if a.kind == KindNull || b.kind == KindNull {
		if a.kind == b.kind {
			return true
		}
		if r.ctx.APIGateway {
			// Recorded on API Gateway: a null equals "".
			o := a
			if a.kind == KindNull {
				o = b
			}
			return o.kind == KindString && o.str() == ""
		}
		return false
	}
	if a.isNumber() && b.isNumber() {
		return compareNumbers(a, b) == 0
	}
	if a.kind == b.kind && a.kind != KindObject {
		return javaEquals(a, b)
	}
	return r.stringOf(a) == r.stringOf(b)
}

// stringOf is toString() of a value, rendering #define blocks.
func (r *renderer) stringOf(v Value) string {
	if v.kind == KindString {
		return v.str()
	}
	return v.String()
}

// eval is Velocity's value(): the value of an expression.
func (r *renderer) eval(e expr) (Value, error) {
	r.steps++
	switch e := e.(type) {
	case *litExpr:
		return e.v, nil
	case *refNode:
		return r.evalRef(e)
	case *strExpr:
		s, err := r.renderToString(e.body)
		if err != nil {
			return Null, err
		}
		if e.trimLast {
			s = dropLastRune(s)
		}
		return String(s), nil
	case *listExpr:
		l := &List{items: make([]Value, 0, len(e.items))}
		for _, it := range e.items {
			v, err := r.eval(it)
			if err != nil {
				return Null, err
			}
			l.items = append(l.items, v)
		}
		return ListValue(l), nil
	case *mapExpr:
		m := NewMap(len(e.keys))
		for i := range e.keys {
			k, err := r.eval(e.keys[i])
			if err != nil {
				return Null, err
			}
			v, err := r.eval(e.vals[i])
			if err != nil {
				return Null, err
			}
			m.Put(k, v)
		}
		return MapValue(m), nil
	case *rangeExpr:
		from, to, ok, err := r.rangeBounds(e)
		if err != nil || !ok {
			return Null, err
		}
		n := to - from
		if n < 0 {
			n = -n
		}
		n++
		if err := r.step(e.pos, n); err != nil {
			return Null, err
		}
		l := &List{items: make([]Value, 0, n)}
		d := 1
		if from > to {
			d = -1
		}
		for i, v := 0, from; i < n; i, v = i+1, v+d {
			l.items = append(l.items, Int(int32(v)))
		}
		return ListValue(l), nil
	case *wordExpr:
		return Null, nil
	case *notExpr:
		b, err := r.truth(e.x)
		return Bool(!b), err
	case *binExpr:
		switch e.op {
		case opOr, opAnd, opEQ, opNE, opLT, opGT, opLE, opGE:
			b, err := r.truth(e)
			return Bool(b), err
		}
		a, err := r.eval(e.l)
		if err != nil {
			return Null, err
		}
		b, err := r.eval(e.r)
		if err != nil {
			return Null, err
		}
		if e.op == opAdd && (a.kind == KindString || b.kind == KindString) {
			// Velocity concatenates, printing a null operand as its source.
			as, bs := r.stringOf(a), r.stringOf(b)
			if a.kind == KindNull {
				as = literalOf(e.l)
			}
			if b.kind == KindNull {
				bs = literalOf(e.r)
			}
			if len(as)+len(bs) > r.lim.MaxOutputBytes {
				return Null, r.errorf(e.pos, "string exceeds the limit of %d bytes", r.lim.MaxOutputBytes)
			}
			return String(as + bs), nil
		}
		if !a.isNumber() || !b.isNumber() {
			return Null, nil
		}
		v, _ := arith(e.op, a, b)
		return v, nil
	}
	return Null, nil
}

// literalOf is the source text Velocity prints for a null operand.
func literalOf(e expr) string {
	if r, ok := e.(*refNode); ok {
		return r.literal
	}
	return "null"
}

// rangeBounds evaluates the ends of [a..b]; ok is false (the range is null)
// unless both are Integers.
func (r *renderer) rangeBounds(e *rangeExpr) (from, to int, ok bool, err error) {
	a, err := r.eval(e.from)
	if err != nil {
		return 0, 0, false, err
	}
	b, err := r.eval(e.to)
	if err != nil {
		return 0, 0, false, err
	}
	if a.kind != KindInt || b.kind != KindInt {
		return 0, 0, false, nil
	}
	return int(a.n), int(b.n), true, nil
}

// renderToString renders nodes into a string, sharing the output budget.
func (r *renderer) renderToString(nodes []node) (string, error) {
	start := len(r.out)
	err := r.render(nodes)
	s := r.strings.add(r.out[start:])
	r.out = r.out[:start]
	return s, err
}

// stringArena makes strings by appending their bytes to a buffer that is
// only ever appended to, so that many small strings share few allocations.
// Bytes are never overwritten, so the strings stay valid for as long as
// anything refers to them, unless the host declares, through
// Context.Recycle, that nothing refers to the last render's.
type stringArena struct {
	buf   []byte
	start int // where the strings of the current render begin in buf
}

// recycle makes the buffer's memory reusable from where the last render
// began: only when nothing refers to the strings it made.
func (a *stringArena) recycle() { a.buf = a.buf[:a.start] }

func (a *stringArena) add(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(a.buf)-len(a.buf) < len(b) {
		// Earlier renders' strings stay in the old buffer; the new one
		// holds only this render's.
		a.buf, a.start = make([]byte, 0, max(1024, min(2*cap(a.buf), 64<<10), len(b))), 0
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[start], len(b))
}

func (r *renderer) renderMacroCall(n *macroCallNode) error {
	m := r.findMacro(n.name)
	if m == nil {
		return r.write(n.pos, n.literal)
	}
	if r.macroDepth >= r.lim.MaxMacroDepth {
		return r.errorf(n.pos, "macro calls nest deeper than %d (recursion?)", r.lim.MaxMacroDepth)
	}
	f := &frame{parent: r.frame}
	for i, name := range m.params {
		if i >= len(n.args) {
			break
		}
		a := n.args[i]
		f.names = append(f.names, name)
		lit := ""
		switch a := a.(type) {
		case *refNode:
			lit = a.literal
		case *listExpr, *mapExpr, *rangeExpr, *strExpr:
			lit = n.argSrc[i]
		case *litExpr:
			if a.v.kind == KindString {
				// A string literal without references, which gwc
				// evaluates once; Velocity binds it by name too.
				lit = n.argSrc[i]
			}
		}
		f.lits = append(f.lits, lit)
		switch a.(type) {
		case *refNode, *listExpr, *mapExpr, *rangeExpr, *strExpr:
			f.binds = append(f.binds, binding{lazy: a, caller: r.frame})
		default:
			v, err := r.eval(a)
			if err != nil {
				return err
			}
			f.binds = append(f.binds, binding{val: v})
		}
	}
	if n.isBlock {
		f.names = append(f.names, "bodyContent")
		f.binds = append(f.binds, binding{val: ObjectValue(&blockValue{r: r, body: n.body, frame: r.frame, pos: n.pos})})
	}
	saved := r.frame
	r.frame = f
	r.macroDepth++
	err := r.render(m.body)
	r.macroDepth--
	r.frame = saved
	if b, ok := err.(breakSignal); ok && b.target == nil {
		return nil
	}
	return err
}

func (r *renderer) findMacro(name string) *macroDef {
	for i := len(r.macros) - 1; i >= 0; i-- {
		if m := r.macros[i][name]; m != nil {
			return m
		}
	}
	return r.t.macros[name]
}

func (r *renderer) renderEvaluate(n *evaluateNode) error {
	v, err := r.eval(n.arg)
	if err != nil || v.kind == KindNull {
		return err
	}
	if r.evalDepth >= r.lim.MaxEvaluateDepth {
		return r.errorf(n.pos, "#evaluate nests deeper than %d", r.lim.MaxEvaluateDepth)
	}
	src := r.stringOf(v)
	if err := r.step(n.pos, len(src)/16); err != nil {
		return err
	}
	parsed, perr := r.t.parseEvaluated(src)
	if perr != nil {
		return r.errorf(n.pos, "#evaluate: %d:%d: %s", perr.Line, perr.Col, perr.Msg)
	}
	r.evalDepth++
	r.macros = append(r.macros, parsed.macros)
	err = r.render(parsed.nodes)
	r.macros = r.macros[:len(r.macros)-1]
	r.evalDepth--
	if b, ok := err.(breakSignal); ok && b.target == nil {
		return nil
	}
	return err
}

// blockValue is the value #define binds: a block rendered where it is
// referenced.
type blockValue struct {
	r     *renderer
	body  []node
	frame *frame
	pos   int
	depth int
}

// maxDefineDepth is Velocity's directive.define.max.depth.
const maxDefineDepth = 2

func (b *blockValue) render(pos int) error {
	r := b.r
	if r.blockDepth >= r.lim.MaxMacroDepth {
		return r.errorf(pos, "#define blocks nest deeper than %d (recursion?)", r.lim.MaxMacroDepth)
	}
	b.depth++
	defer func() { b.depth-- }()
	r.blockDepth++
	saved := r.frame
	if b.frame != nil {
		r.frame = b.frame
	}
	err := r.render(b.body)
	r.frame = saved
	r.blockDepth--
	if br, ok := err.(breakSignal); ok && br.target == nil {
		return nil
	}
	return err
}

func (b *blockValue) Property(string) (Value, bool) { return Null, false }

func (b *blockValue) Call(name string, args []Value) (Value, bool, error) {
	if name == "toString" && len(args) == 0 {
		return String(b.String()), true, nil
	}
	return Null, false, nil
}

func (b *blockValue) String() string {
	if b.depth >= maxDefineDepth {
		return ""
	}
	start := len(b.r.out)
	err := b.render(b.pos)
	s := string(b.r.out[start:])
	b.r.out = b.r.out[:start]
	if err != nil {
		return ""
	}
	return s
}

// renderForeach runs #foreach as Velocity 1.7's Foreach directive does,
// including $velocityCount, $velocityHasNext and the $foreach scope.
func (r *renderer) renderForeach(n *foreachNode) error {
	var (
		items    []Value
		list     *List
		mp       *Map
		view     mapView // what of mp the loop yields; values by default
		from, to int
		isRange  bool
	)
	if re, ok := n.iter.(*rangeExpr); ok {
		f, t, ok, err := r.rangeBounds(re)
		if err != nil || !ok {
			return err
		}
		from, to, isRange = f, t, true
	} else {
		v, err := r.eval(n.iter)
		if err != nil {
			return err
		}
		switch v.kind {
		case KindList:
			list = v.list()
			items = list.items
			if list.of != nil {
				// A view: iterate the map, as Java's iterator does.
				mp, view, list = list.of, list.view, nil
				items = mp.vals
			}
		case KindMap:
			mp = v.mapp()
			items = mp.vals
		default:
			return nil // null, strings, numbers: nothing to iterate
		}
	}
	oldElem, err := r.getVar(&n.elem)
	if err != nil {
		return err
	}
	oldCount, _ := r.getVar(&n.count)
	oldHasNext, _ := r.getVar(&n.hasNext)
	oldScope, _ := r.getVar(&n.scope)
	scope := r.newScope(oldScope)
	r.putVar(&n.scope, scope.value())

	var mods int
	if list != nil {
		mods = list.mods
	} else if mp != nil {
		mods = mp.mods
	}
	// Outside macros the loop's variables are set where the slot cache
	// says they are, without a lookup each turn; variables never move
	// during a render.
	ic, okc := r.slotIndex(&n.count)
	ih, okh := r.slotIndex(&n.hasNext)
	ie, oke := r.slotIndex(&n.elem)
	direct := okc && okh && oke
	prevHasNext := false
	step := 1
	if from > to {
		step = -1
	}
	for i, cur := 0, from; ; i++ {
		var elem Value
		var hasNext bool
		if isRange {
			if (step > 0 && cur > to) || (step < 0 && cur < to) {
				break
			}
			elem = Int(int32(cur))
			cur += step
			hasNext = (step > 0 && cur <= to) || (step < 0 && cur >= to)
		} else {
			if list != nil {
				items = list.items
			} else if mp != nil {
				// A LinkedHashMap iterator decides whether there is a next
				// entry when it returns the previous one.
				if i > 0 && !prevHasNext {
					break
				}
				items = mp.vals
			}
			changed := list != nil && list.mods != mods || mp != nil && mp.mods != mods
			// Java's iterators check for a change before anything else
			// once they have a next element. ArrayList's has one while
			// its cursor differs from the size, so a list that shrank
			// below the cursor ($l.clear() in the loop) throws; a map's
			// was decided when it returned the previous entry (above).
			if i >= len(items) && (!changed || list != nil && i == len(items)) {
				break
			}
			if changed {
				err = r.errorf(n.pos, "the list was modified while #foreach iterated over it (ConcurrentModificationException)")
				break
			}
			elem = items[i]
			switch view {
			case viewKeys:
				elem = mp.keys[i]
			case viewEntries:
				elem = ObjectValue(&mapEntry{m: mp, k: mp.keys[i]})
			}
			hasNext = i+1 < len(items)
		}
		prevHasNext = hasNext
		if direct {
			vars := r.ctx.vars
			vars[ic].val, vars[ih].val, vars[ie].val = Int(int32(i+1)), Bool(hasNext), elem
		} else {
			r.putVar(&n.count, Int(int32(i+1)))
			r.putVar(&n.hasNext, Bool(hasNext))
			r.putVar(&n.elem, elem)
		}
		scope.index++
		scope.hasNext = hasNext
		if err = r.render(n.body); err != nil {
			if b, ok := err.(breakSignal); ok && (b.target == nil || b.target == scope) {
				err = nil
				break
			}
			break
		}
		if i+1 >= r.lim.MaxLoopIterations {
			break
		}
	}
	r.putVar(&n.elem, oldElem)
	r.putVar(&n.count, oldCount)
	r.putVar(&n.hasNext, oldHasNext)
	// As Velocity's Directive.postRender: $foreach goes back to what the
	// scope in it now replaced, unless the template set it to something
	// that is not a scope.
	if cur, _ := r.getVar(&n.scope); cur.kind == KindObject {
		if cs, ok := cur.obj().(*foreachScope); ok {
			switch {
			case cs.parent != nil:
				r.putVar(&n.scope, cs.parent.value())
			default:
				r.putVar(&n.scope, cs.getReplaced())
			}
		}
	}
	if !scope.escaped {
		r.scopes = append(r.scopes, scope)
	}
	return err
}
