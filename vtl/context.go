package vtl

// Limits bound the work of one render. Zero fields take the defaults.
type Limits struct {
	// MaxLoopIterations caps each #foreach; the loop stops silently at the
	// cap, as Velocity's directive.foreach.maxloops does. API Gateway's cap
	// is 1,000.
	MaxLoopIterations int
	// MaxMacroDepth caps nested macro calls (Velocity's
	// velocimacro.max.depth).
	MaxMacroDepth int
	// MaxEvaluateDepth caps #evaluate inside #evaluate.
	MaxEvaluateDepth int
	// MaxOutputBytes caps the rendered output and every string a template
	// builds.
	MaxOutputBytes int
	// MaxSteps caps the total work: every node rendered, expression
	// evaluated and element copied costs a step.
	MaxSteps int
}

// Default limits.
const (
	DefaultMaxLoopIterations = 1000
	DefaultMaxMacroDepth     = 20
	DefaultMaxEvaluateDepth  = 10
	DefaultMaxOutputBytes    = 4 << 20
	DefaultMaxSteps          = 2_000_000
)

func (l Limits) withDefaults() Limits {
	if l.MaxLoopIterations <= 0 {
		l.MaxLoopIterations = DefaultMaxLoopIterations
	}
	if l.MaxMacroDepth <= 0 {
		l.MaxMacroDepth = DefaultMaxMacroDepth
	}
	if l.MaxEvaluateDepth <= 0 {
		l.MaxEvaluateDepth = DefaultMaxEvaluateDepth
	}
	if l.MaxOutputBytes <= 0 {
		l.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if l.MaxSteps <= 0 {
		l.MaxSteps = DefaultMaxSteps
	}
	return l
}

// Context holds the variables of one render and how to render. A Context
// is used by one render at a time; reuse it with Reset to avoid allocating.
type Context struct {
	// vars is searched linearly: templates use a handful of variables, and
	// comparing a few short names beats hashing them.
	vars []binding

	// Limits bound the render.
	Limits Limits

	// APIGateway selects API Gateway's deviations from Velocity 1.7: a
	// reference whose value is null prints as nothing instead of its
	// source text, null compares equal to "", and #set with a null value
	// sets the variable to null instead of leaving it unchanged.
	APIGateway bool

	stored    bool     // see Stored
	r         renderer // the state of the render in progress, reused
	buf       []byte   // output buffer reused across renders
	slotCache []int32  // reused across renders
	siteCache []int32  // reused across renders
	// slotOwner is the template slotCache was filled for, and slotGen
	// the generation of vars it was filled in: entries stay valid while
	// both hold, since variables never move in between.
	slotOwner *Template
	slotGen   uint32
	gen       uint32 // changes when vars are truly emptied
}

// NewContext returns an empty context with default limits.
func NewContext() *Context {
	return &Context{vars: make([]binding, 0, 16)}
}

func (c *Context) find(name string) int {
	for i := range c.vars {
		if len(c.vars[i].name) == len(name) && c.vars[i].name == name {
			return i
		}
	}
	return -1
}

// Stored reports whether the last render with c may have stored a value
// into a map or a list: it set a property or an index (#set($m.k = …),
// #set($l[0] = …)) or called a method that stores (put, add, set, …).
// Values the template made can only reach maps and lists that existed
// before the render (the host's) through such a store, so a host that
// reuses memory between renders needs to look for it in the maps it keeps
// only when Stored is true. Host objects' own methods are not tracked.
func (c *Context) Stored() bool { return c.stored }

// Recycle lets the next render with c reuse the memory of the strings the
// last one built. Call it only when nothing refers to the values of that
// render any more: the host has dropped what it took from it, the
// variables were reset, and the render stored nothing (Stored is false)
// into maps or lists that outlive it.
func (c *Context) Recycle() { c.r.strings.recycle() }

// index returns where name sits in vars, adding it unbound (null) when
// missing. Entries never move until Reset, so renderers cache indexes.
func (c *Context) index(name string) int {
	if i := c.find(name); i >= 0 {
		return i
	}
	c.vars = append(c.vars, binding{name: name})
	return len(c.vars) - 1
}

// Set binds name to v; a null v removes the binding.
func (c *Context) Set(name string, v Value) {
	// An unbound variable is an entry holding null, so that removing one
	// moves no other.
	if i := c.find(name); i >= 0 {
		c.vars[i].val = v
	} else if v.kind != KindNull {
		c.vars = append(c.vars, binding{name: name, val: v})
	}
}

// Get returns the value bound to name, or null.
func (c *Context) Get(name string) Value {
	if i := c.find(name); i >= 0 {
		return c.vars[i].val
	}
	return Null
}

// Reset removes all variables, keeping the settings and buffers.
//
// The names stay, unbound, so that a template rendered again with c finds
// its variables where they were; past a few dozen names they go too.
func (c *Context) Reset() {
	if len(c.vars) > maxKeptNames {
		clear(c.vars)
		c.vars = c.vars[:0]
		c.gen++
		return
	}
	for i := range c.vars {
		c.vars[i].val = Null
	}
}

// maxKeptNames bounds the unbound names Reset keeps.
const maxKeptNames = 64
