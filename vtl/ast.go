package vtl

// The syntax tree. Statement nodes render; expression nodes evaluate to a
// Value. Everything the evaluator can compute once is computed by the
// parser: literal values, reference roots, the text an unresolved reference
// prints. Nodes are never modified after parsing, so a Template can be
// rendered by many goroutines at once.

type node interface{}

type expr interface{}

// textNode is template text, including what escapes and comments print.
type textNode struct{ text string }

// refNode is a reference: $a, $!a, ${a.b(1)[0]}, \$a.
type refNode struct {
	pos        int
	root       string
	parts      []refPart
	quiet      bool   // $!a: an unresolved reference prints nothing
	escaped    bool   // an odd number of backslashes precedes the $
	escPrefix  string // half of those backslashes
	morePrefix string // text glued in front by the lexer, such as "#" in "#$a"
	literal    string // what an unresolved reference prints (Velocity's nullString)
	runt       bool   // not a reference after all: prints literal
	bare       bool   // none of runt, escaped, escPrefix and morePrefix
	vs         varSlot
}

// slotTable numbers the variable names of a template, so that rendering can
// cache where each name sits in the Context instead of searching for it.
type slotTable struct {
	index map[string]int
	sites int // property access sites numbered so far
}

// site numbers a new property access site.
func (t *slotTable) site() int {
	if t == nil {
		return -1
	}
	t.sites++
	return t.sites - 1
}

// varSlot is a variable name with its number in the template's slotTable,
// by which the renderer caches where the variable sits in the Context.
type varSlot struct {
	name  string
	slots *slotTable // nil for text parsed while rendering (#evaluate)
	slot  int
}

func (t *slotTable) varSlot(name string) varSlot {
	return varSlot{name: name, slots: t, slot: t.slot(name)}
}

func (t *slotTable) slot(name string) int {
	if t == nil {
		return -1
	}
	if i, ok := t.index[name]; ok {
		return i
	}
	i := len(t.index)
	t.index[name] = i
	return i
}

type partKind uint8

const (
	partProperty partKind = iota
	partMethod
	partIndex
)

// refPart is one step of a reference chain: .name, .name(args) or [arg].
type refPart struct {
	kind partKind
	name string
	args []expr
	pos  int
	// site numbers a property access in its template (-1 outside one),
	// for the renderer's cache of where the name was found in the last
	// map it was looked up in.
	site int
	// scopeProp is the property of $foreach that name names, if any.
	scopeProp scopeProp
}

type setNode struct {
	pos int
	lhs *refNode
	rhs expr
}

type ifNode struct {
	conds  []expr
	blocks [][]node
	els    []node
	hasEls bool
}

type foreachNode struct {
	pos     int
	varName string
	iter    expr
	body    []node
	// The variables the loop sets.
	elem, count, hasNext, scope varSlot
}

// macroCallNode is a #name(...) whose name is not a built-in directive. It
// calls the macro of that name, or prints its source text when there is none.
type macroCallNode struct {
	pos     int
	name    string
	args    []expr
	argSrc  []string // the source text of each argument
	literal string
	body    []node // #@name(...) body ... #end
	isBlock bool
}

type macroDef struct {
	name   string
	params []string
	body   []node
}

type defineNode struct {
	pos  int
	name string
	body []node
}

type evaluateNode struct {
	pos int
	arg expr
}

type breakNode struct {
	pos int
	arg expr
}

type stopNode struct{ pos int }

// errorNode fails rendering when reached; it stands for directives gwc
// cannot run (#include and #parse need files).
type errorNode struct {
	pos int
	msg string
}

// Expressions.

type litExpr struct{ v Value }

// strExpr is a double-quoted string with references or directives in it.
// Velocity parses such a string with a space appended (the "<MORE>
// kludge": its lexer would otherwise lose a trailing "$" or "#") and drops
// the last character of the result; trimLast says to, which Velocity does
// unless the string holds a line comment "##".
type strExpr struct {
	pos      int
	body     []node
	trimLast bool
}

type listExpr struct{ items []expr }

type mapExpr struct{ keys, vals []expr }

type rangeExpr struct {
	pos      int
	from, to expr
}

type wordExpr struct{ word string }

type binOp uint8

const (
	opOr binOp = iota
	opAnd
	opEQ
	opNE
	opLT
	opGT
	opLE
	opGE
	opAdd
	opSub
	opMul
	opDiv
	opMod
)

type binExpr struct {
	pos  int
	op   binOp
	l, r expr
}

type notExpr struct {
	pos int
	x   expr
}
