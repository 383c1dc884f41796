package apigw

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/ohler55/ojg/jp"

	"gwc.dev/gwc/vtl"
)

// JSONPath evaluation uses ojg's jp over a tree of ordered nodes that
// implement jp.Keyed and jp.Indexed, so that results keep document order.
// Results follow Jayway JsonPath, the library API Gateway uses: a definite
// path (only names and single indexes) yields one value or null when
// missing; any other path yields a list of the matches.

// jsonObject is an ordered JSON object for jp.
type jsonObject struct {
	keys []string
	vals []any
}

func (o *jsonObject) ValueForKey(key string) (any, bool) {
	for i, k := range o.keys {
		if k == key {
			return o.vals[i], true
		}
	}
	return nil, false
}

func (o *jsonObject) SetValueForKey(key string, value any) {
	for i, k := range o.keys {
		if k == key {
			o.vals[i] = value
			return
		}
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, value)
}

func (o *jsonObject) RemoveValueForKey(key string) {
	for i, k := range o.keys {
		if k == key {
			o.keys = append(o.keys[:i], o.keys[i+1:]...)
			o.vals = append(o.vals[:i], o.vals[i+1:]...)
			return
		}
	}
}

func (o *jsonObject) Keys() []string { return o.keys }

// jsonArray is a JSON array for jp.
type jsonArray struct{ items []any }

func (a *jsonArray) ValueAtIndex(i int) any {
	if i < 0 {
		i += len(a.items)
	}
	if i < 0 || i >= len(a.items) {
		return nil
	}
	return a.items[i]
}

func (a *jsonArray) SetValueAtIndex(i int, v any) {
	if i >= 0 && i < len(a.items) {
		a.items[i] = v
	}
}

func (a *jsonArray) Size() int { return len(a.items) }

// bigNumber is a number too large for int64 or float64 precision, kept as
// its text so that it prints as json-smart prints BigInteger/BigDecimal.
type bigNumber string

// toTree converts a parsed vtl value into the jp tree. Leaves become Go
// values jp can compare in filters: int64, float64, string, bool, nil.
func toTree(v vtl.Value) any {
	switch v.Kind() {
	case vtl.KindMap:
		m := v.Map()
		o := &jsonObject{keys: make([]string, m.Len()), vals: make([]any, m.Len())}
		for i := 0; i < m.Len(); i++ {
			k, x := m.Entry(i)
			o.keys[i] = k.Str()
			o.vals[i] = toTree(x)
		}
		return o
	case vtl.KindList:
		l := v.List()
		a := &jsonArray{items: make([]any, l.Len())}
		for i := 0; i < l.Len(); i++ {
			a.items[i] = toTree(l.At(i))
		}
		return a
	case vtl.KindString:
		return v.Str()
	case vtl.KindInt, vtl.KindLong:
		return v.Int64()
	case vtl.KindDouble:
		return v.Float()
	case vtl.KindBigInt, vtl.KindBigDec:
		return bigNumber(v.String())
	case vtl.KindBool:
		return v.Truth()
	}
	return nil
}

// fromTree converts a jp result back into a template value: objects print
// as Java maps, arrays as JSON (json-smart's JSONArray), numbers typed as
// json-smart types them.
func fromTree(x any) vtl.Value {
	switch x := x.(type) {
	case *jsonObject:
		m := vtl.NewMap(len(x.keys))
		for i, k := range x.keys {
			m.PutString(k, fromTree(x.vals[i]))
		}
		return vtl.MapValue(m)
	case *jsonArray:
		l := vtl.NewList(make([]vtl.Value, 0, len(x.items))...)
		l.JSON = true
		for _, it := range x.items {
			l.Append(fromTree(it))
		}
		return vtl.ListValue(l)
	case string:
		return vtl.String(x)
	case int64:
		if x >= -1<<31 && x < 1<<31 {
			return vtl.Int(int32(x))
		}
		return vtl.Long(x)
	case float64:
		return vtl.Double(x)
	case bool:
		return vtl.Bool(x)
	case bigNumber:
		return vtl.BigNumber(string(x))
	}
	return vtl.Null
}

// compiledPath is a parsed JSONPath and whether it is definite.
type compiledPath struct {
	expr     jp.Expr
	definite bool
}

var (
	pathCache    sync.Map // string -> *compiledPath
	pathCacheMu  sync.Mutex
	pathCacheLen int
)

const pathCacheMax = 1024

func compilePath(p string) (*compiledPath, error) {
	if c, ok := pathCache.Load(p); ok {
		return c.(*compiledPath), nil
	}
	if p == "" {
		p = "$"
	}
	x, err := jp.ParseString(p)
	if err != nil {
		return nil, fmt.Errorf("invalid JSONPath %s: %v", strconv.Quote(p), err)
	}
	c := &compiledPath{expr: x, definite: isDefinite(x)}

	pathCacheMu.Lock()
	if pathCacheLen < pathCacheMax {
		pathCache.Store(p, c)
		pathCacheLen++
	}
	pathCacheMu.Unlock()
	return c, nil
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

// evalPath evaluates path on the document tree with Jayway's semantics.
// ojg parses the path and evaluates filters, slices and unions; the walk
// itself is done here, because Jayway fails the whole path (null) when a
// name is applied to something that is not an object, and lists deep-scan
// results parent before child.
func evalPath(doc any, path string) (vtl.Value, error) {
	c, err := compilePath(path)
	if err != nil {
		return vtl.Null, err
	}
	nodes, failed := walk(c.expr, []any{doc})
	if c.definite {
		if failed || len(nodes) == 0 {
			return vtl.Null, nil
		}
		return fromTree(nodes[0]), nil
	}
	if failed {
		return vtl.Null, nil
	}
	l := vtl.NewList(make([]vtl.Value, 0, len(nodes))...)
	l.JSON = true
	for _, n := range nodes {
		l.Append(fromTree(n))
	}
	return vtl.ListValue(l), nil
}

// walk applies frags to nodes; failed reports a Jayway PathNotFound.
func walk(frags jp.Expr, nodes []any) (out []any, failed bool) {
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
			var res []any
			for _, n := range nodes {
				res = scan(next, n, res)
			}
			nodes = res
			i++
			continue
		}
		var res []any
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
func scan(f jp.Frag, n any, res []any) []any {
	res, _ = step(f, n, res, true)
	switch n := n.(type) {
	case *jsonObject:
		for _, v := range n.vals {
			res = scan(f, v, res)
		}
	case *jsonArray:
		for _, v := range n.items {
			res = scan(f, v, res)
		}
	}
	return res
}

// step applies one fragment to one node. Outside a deep scan, a name on a
// non-object or an index on a non-array fails the path.
func step(f jp.Frag, n any, res []any, lenient bool) ([]any, bool) {
	switch f := f.(type) {
	case jp.Child:
		o, ok := n.(*jsonObject)
		if !ok {
			return res, !lenient
		}
		if v, ok := o.ValueForKey(string(f)); ok {
			res = append(res, v)
		}
		return res, false
	case jp.Nth:
		a, ok := n.(*jsonArray)
		if !ok {
			return res, !lenient
		}
		i := int(f)
		if i < 0 {
			i += len(a.items)
		}
		if i >= 0 && i < len(a.items) {
			res = append(res, a.items[i])
		}
		return res, false
	case jp.Wildcard:
		switch n := n.(type) {
		case *jsonObject:
			res = append(res, n.vals...)
		case *jsonArray:
			res = append(res, n.items...)
		}
		return res, false
	}
	switch n.(type) {
	case *jsonObject, *jsonArray:
		return append(res, jp.Expr{jp.Root('$'), f}.Get(n)...), false
	}
	return res, false
}
