package apigw

import (
	"fmt"
	"hash/maphash"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ohler55/ojg/jp"

	"gwc.dev/gwc/vtl"
)

// JSONPath evaluation uses ojg's jp to parse paths; results follow Jayway
// JsonPath, the library API Gateway uses: a definite path (only names and
// single indexes) yields one value or null when missing; any other path
// yields a list of the matches.

// compiledPath is a parsed JSONPath and whether it is definite.
type compiledPath struct {
	src      string
	expr     jp.Expr
	definite bool
	steps    []*pathStep // the steps of a definite path
}

// pathStep is one step of a definite path: a name, or an index.
type pathStep struct {
	name    string
	index   int
	isIndex bool
	// hint is where name was found last time, tried first (see
	// vtl.Map.IndexOf). Renders share compiled paths, hence the atomic.
	hint atomic.Int32
}

// Compiled paths are cached, because templates evaluate the same paths
// request after request. A direct-mapped table, by a hash of the text,
// answers most lookups with a hash and a comparison; behind it a map holds
// every path compiled (up to pathsMax), so that two paths sharing a slot
// of the table cost a map lookup, not a compilation, each time they
// displace each other.
var (
	pathSeed  = maphash.MakeSeed()
	pathTable [1024]atomic.Pointer[compiledPath]
	paths     sync.Map // text -> *compiledPath
	pathsLen  atomic.Int32
)

const pathsMax = 4096

func compilePath(p string) (*compiledPath, error) {
	slot := &pathTable[maphash.String(pathSeed, p)%uint64(len(pathTable))]
	if c := slot.Load(); c != nil && c.src == p {
		return c, nil
	}
	if c, ok := paths.Load(p); ok {
		slot.Store(c.(*compiledPath))
		return c.(*compiledPath), nil
	}
	// The text may live in memory a later render reuses (the body, or a
	// string the template built); the compiled path outlives the render.
	src := strings.Clone(p)
	if p = src; p == "" {
		p = "$"
	}
	x, err := jp.ParseString(p)
	if err != nil {
		return nil, fmt.Errorf("invalid JSONPath %s: %v", strconv.Quote(p), err)
	}
	c := &compiledPath{src: src, expr: x, definite: isDefinite(x)}
	if c.definite {
		c.steps = definiteSteps(x)
	}
	if pathsLen.Load() < pathsMax {
		if _, loaded := paths.LoadOrStore(src, c); !loaded {
			pathsLen.Add(1)
		}
	}
	slot.Store(c)
	return c, nil
}

// definiteSteps lists the names and indexes of a definite path.
func definiteSteps(x jp.Expr) []*pathStep {
	var steps []*pathStep
	for _, f := range x {
		switch f := f.(type) {
		case jp.Child:
			steps = append(steps, &pathStep{name: string(f)})
		case jp.Nth:
			steps = append(steps, &pathStep{index: int(f), isIndex: true})
		case jp.Union:
			switch k := f[0].(type) {
			case string:
				steps = append(steps, &pathStep{name: k})
			case int64:
				steps = append(steps, &pathStep{index: int(k), isIndex: true})
			}
		}
	}
	return steps
}

// isDefinite is Jayway's notion: only the root, names and single indexes.
func isDefinite(x jp.Expr) bool {
	for _, f := range x {
		switch f := f.(type) {
		case jp.Root, jp.At, jp.Child, jp.Nth:
		case jp.Bracket:
		case jp.Union:
			if len(f) != 1 {
				return false
			}
			switch f[0].(type) {
			case string, int64:
			default:
				return false
			}
		default:
			return false
		}
	}
	return true
}

// evalPath evaluates path on the document with Jayway's semantics. ojg
// parses the path and evaluates filters, slices and unions (over vtl's maps
// and lists, which implement jp.Keyed and jp.Indexed); the walk itself is
// done here, because Jayway fails the whole path (null) when a name is
// applied to something that is not an object, and lists deep-scan results
// parent before child. Results share the document: nothing is copied.
func evalPath(doc vtl.Value, path string) (vtl.Value, error) {
	c, err := compilePath(path)
	if err != nil {
		return vtl.Null, err
	}
	if c.definite {
		v, ok := walkDefinite(c.steps, doc)
		if !ok {
			return vtl.Null, nil
		}
		return v, nil
	}
	nodes, failed := walk(c.expr, []vtl.Value{doc})
	if failed {
		return vtl.Null, nil
	}
	l := vtl.NewList(nodes...)
	l.JSON = true
	return vtl.ListValue(l), nil
}

// walkDefinite follows a path of names and indexes without allocating.
func walkDefinite(steps []*pathStep, v vtl.Value) (vtl.Value, bool) {
	for _, st := range steps {
		if st.isIndex {
			l := v.List()
			if l == nil {
				return vtl.Null, false
			}
			i := st.index
			if i < 0 {
				i += l.Len()
			}
			if i < 0 || i >= l.Len() {
				return vtl.Null, false
			}
			v = l.At(i)
			continue
		}
		m := v.Map()
		if m == nil {
			return vtl.Null, false
		}
		h := int(st.hint.Load())
		i := m.IndexOf(st.name, h)
		if i < 0 {
			return vtl.Null, false
		}
		if i != h {
			// Stores are costly atomics: only when the hint was wrong.
			st.hint.Store(int32(i))
		}
		v = m.ValueAt(i)
	}
	return v, true
}

// walk applies frags to nodes; failed reports a Jayway PathNotFound.
func walk(frags jp.Expr, nodes []vtl.Value) (out []vtl.Value, failed bool) {
	for i := 0; i < len(frags); i++ {
		f := frags[i]
		switch f.(type) {
		case jp.Root, jp.At, jp.Bracket:
			continue
		case jp.Descent:
			if i+1 >= len(frags) {
				return nodes, false
			}
			next := frags[i+1]
			var res []vtl.Value
			for _, n := range nodes {
				res = scan(next, n, res)
			}
			nodes = res
			i++
			continue
		}
		var res []vtl.Value
		for _, n := range nodes {
			var bad bool
			if res, bad = step(f, n, res, false); bad {
				return nil, true
			}
		}
		nodes = res
	}
	return nodes, false
}

// scan applies f to n and to every descendant of n, parent first.
func scan(f jp.Frag, n vtl.Value, res []vtl.Value) []vtl.Value {
	res, _ = step(f, n, res, true)
	if m := n.Map(); m != nil {
		for i := 0; i < m.Len(); i++ {
			_, v := m.Entry(i)
			res = scan(f, v, res)
		}
	} else if l := n.List(); l != nil {
		for i := 0; i < l.Len(); i++ {
			res = scan(f, l.At(i), res)
		}
	}
	return res
}

// step applies one fragment to one node. Outside a deep scan, a name on a
// non-object or an index on a non-array fails the path.
func step(f jp.Frag, n vtl.Value, res []vtl.Value, lenient bool) ([]vtl.Value, bool) {
	m, l := n.Map(), n.List()
	switch f := f.(type) {
	case jp.Child:
		if m == nil {
			return res, !lenient
		}
		if v, ok := m.GetString(string(f)); ok {
			res = append(res, v)
		}
		return res, false
	case jp.Nth:
		if l == nil {
			return res, !lenient
		}
		i := int(f)
		if i < 0 {
			i += l.Len()
		}
		if i >= 0 && i < l.Len() {
			res = append(res, l.At(i))
		}
		return res, false
	case jp.Wildcard:
		if m != nil {
			for i := 0; i < m.Len(); i++ {
				_, v := m.Entry(i)
				res = append(res, v)
			}
		} else if l != nil {
			for i := 0; i < l.Len(); i++ {
				res = append(res, l.At(i))
			}
		}
		return res, false
	}
	if m == nil && l == nil {
		return res, false
	}
	for _, x := range (jp.Expr{jp.Root('$'), f}).Get(n.Native()) {
		res = append(res, vtl.FromNative(x))
	}
	return res, false
}
