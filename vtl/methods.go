package vtl

import (
	"fmt"
	"math"
)

// Properties, indexes and method calls on values follow Velocity 1.7's
// introspection over the Java classes the values stand for. A method that
// does not exist for the argument types yields null (the reference then
// prints as written); a method that throws fails the render.

// javaException is an exception thrown by a Java method.
type javaException struct{ msg string }

func (e *javaException) Error() string { return e.msg }

func throw(format string, args ...any) (Value, bool, error) {
	return Null, true, &javaException{fmt.Sprintf(format, args...)}
}

// void is what Velocity returns for a method declared void: an empty
// string, so the call prints nothing.
var void = String("")

// property is $v.name: a getName()/isName() getter, or get("name") on a map.
func (r *renderer) property(v Value, name string) Value {
	switch v.kind {
	case KindMap:
		x, _ := v.mapp().Get(String(name))
		return x
	case KindObject:
		x, _ := v.obj().Property(name)
		return x
	case KindString, KindList:
		if name == "empty" || name == "Empty" {
			if v.kind == KindString {
				return Bool(len(v.str()) == 0)
			}
			return Bool(len(v.list().items) == 0)
		}
	}
	return Null
}

// index is $v[i]: get(i) on a list (negative counts from the end), get(k)
// on a map.
func (r *renderer) index(v, k Value, pos int) (Value, error) {
	if k.kind == KindInt && k.n < 0 {
		// Velocity adds size() to a negative index, and fails when the
		// object has no size().
		switch v.kind {
		case KindList:
		case KindMap:
			k = Int(int32(k.n) + int32(v.mapp().Len()))
		default:
			return Null, r.errorf(pos, "a negative index needs a size() method, which %s does not have", javaClass(v))
		}
	}
	switch v.kind {
	case KindMap:
		x, _ := v.mapp().Get(k)
		return x, nil
	case KindList:
		l := v.list()
		if k.kind != KindInt || l.set {
			return Null, nil
		}
		i := int(k.n)
		if i < 0 {
			i += len(l.items)
		}
		if i < 0 || i >= len(l.items) {
			return Null, r.errorf(pos, "index %d out of bounds for length %d", k.n, len(l.items))
		}
		return l.items[i], nil
	case KindObject:
		if ix, ok := v.Object().(Indexer); ok {
			x, _ := ix.Index(k)
			return x, nil
		}
	}
	return Null, nil
}

// Indexer is implemented by host objects that support $o[key].
type Indexer interface {
	Index(k Value) (Value, bool)
}

// call is $v.name(args).
func (r *renderer) call(v Value, name string, args []Value, pos int) (Value, error) {
	var (
		res Value
		ok  bool
		err error
	)
	if len(args) > 0 && isMutator(name) {
		r.ctx.stored = true
	}
	switch v.kind {
	case KindString:
		res, ok, err = r.stringMethod(v.str(), name, args)
	case KindList:
		res, ok, err = r.listMethod(v.list(), name, args)
	case KindMap:
		res, ok, err = r.mapMethod(v.mapp(), name, args)
	case KindInt, KindLong, KindDouble, KindBigInt, KindBigDec:
		res, ok, err = numberMethod(v, name, args)
	case KindBool:
		res, ok, err = boolMethod(v, name, args)
	case KindObject:
		if s, isScope := v.obj().(*foreachScope); isScope {
			res, ok, err = r.scopeMethod(s, name, args)
		} else {
			res, ok, err = v.obj().Call(name, args)
		}
	}
	if !ok && err == nil {
		res, ok, err = objectMethod(v, name, args)
	}
	if err != nil {
		if e, isErr := err.(*Error); isErr {
			return Null, e
		}
		return Null, r.errorf(pos, "%s threw %s", name, err.Error())
	}
	if !ok {
		return Null, nil
	}
	if res.kind == KindString && len(res.str()) > r.lim.MaxOutputBytes {
		return Null, r.errorf(pos, "string exceeds the limit of %d bytes", r.lim.MaxOutputBytes)
	}
	return res, nil
}

// isMutator reports whether a method of this name can store a value into
// a map, a list or a map entry (see Context.Stored). clear stores nothing.
func isMutator(name string) bool {
	switch name {
	case "add", "addAll", "set", "put", "putAll", "putIfAbsent", "setValue":
		return true
	}
	return false
}

// objectMethod covers java.lang.Object's methods for every value.
func objectMethod(v Value, name string, args []Value) (Value, bool, error) {
	switch {
	case name == "toString" && len(args) == 0:
		return String(v.String()), true, nil
	case name == "equals" && len(args) == 1:
		return Bool(javaEquals(v, args[0])), true, nil
	case name == "hashCode" && len(args) == 0:
		if h, ok := hashCode(v); ok {
			return Int(h), true, nil
		}
	}
	return Null, false, nil
}

// hashCode is Java's hashCode for values whose hash is specified.
func hashCode(v Value) (int32, bool) {
	switch v.kind {
	case KindString:
		var h int32
		for _, u := range utf16Of(v.str()) {
			h = 31*h + int32(u)
		}
		return h, true
	case KindInt:
		return int32(v.n), true
	case KindLong:
		return int32(v.n ^ int64(uint64(v.n)>>32)), true
	case KindBool:
		if v.n != 0 {
			return 1231, true
		}
		return 1237, true
	case KindDouble:
		bits := v.n
		if f := v.Float(); f != f {
			bits = 0x7ff8000000000000
		}
		return int32(bits ^ int64(uint64(bits)>>32)), true
	case KindNull:
		return 0, true
	case KindList:
		h := int32(1)
		v.list().sync()
		for _, e := range v.list().items {
			eh, ok := hashCode(e)
			if !ok {
				return 0, false
			}
			h = 31*h + eh
		}
		return h, true
	case KindObject:
		if s, ok := v.obj().(*foreachScope); ok {
			return hashCode(MapValue(s.entries()))
		}
		return 0, false
	case KindMap:
		m := v.mapp()
		var h int32
		for i := range m.keys {
			kh, ok1 := hashCode(m.keys[i])
			vh, ok2 := hashCode(m.vals[i])
			if !ok1 || !ok2 {
				return 0, false
			}
			h += kh ^ vh
		}
		return h, true
	}
	return 0, false
}

// javaClass names the Java class of v for messages.
func javaClass(v Value) string {
	switch v.kind {
	case KindString:
		return "java.lang.String"
	case KindInt:
		return "java.lang.Integer"
	case KindLong:
		return "java.lang.Long"
	case KindDouble:
		return "java.lang.Double"
	case KindBigInt:
		return "java.math.BigInteger"
	case KindBigDec:
		return "java.math.BigDecimal"
	case KindBool:
		return "java.lang.Boolean"
	case KindList:
		return "java.util.ArrayList"
	case KindMap:
		return "java.util.LinkedHashMap"
	case KindNull:
		return "null"
	}
	return "an object"
}

// compareTo is Comparable.compareTo, which throws for another type.
func compareTo(v, o Value) (Value, bool, error) {
	if o.kind == KindNull {
		return throw("NullPointerException")
	}
	if o.kind != v.kind {
		return throw("ClassCastException: %s cannot be cast to %s", javaClass(o), javaClass(v))
	}
	switch v.kind {
	case KindString:
		return Int(int32(jcompare(v.str(), o.str()))), true, nil
	case KindBool:
		return Int(int32(v.n - o.n)), true, nil
	}
	return Int(int32(compareNumbers(v, o))), true, nil
}

func numberMethod(v Value, name string, args []Value) (Value, bool, error) {
	if len(args) == 1 && name == "compareTo" {
		return compareTo(v, args[0])
	}
	if len(args) != 0 {
		return Null, false, nil
	}
	f := numberAsFloat(v)
	switch name {
	case "intValue":
		if v.isIntegral() {
			return Int(int32(v.n)), true, nil
		}
		return Int(int32(javaF2L(f, 32))), true, nil
	case "longValue":
		if v.isIntegral() {
			return Long(v.n), true, nil
		}
		return Long(javaF2L(f, 64)), true, nil
	case "doubleValue":
		return Double(f), true, nil
	case "isNaN":
		if v.kind == KindDouble {
			return Bool(f != f), true, nil
		}
	case "isInfinite":
		if v.kind == KindDouble {
			return Bool(math.IsInf(f, 0)), true, nil
		}
	}
	return Null, false, nil
}

// javaF2L converts like Java's (int)/(long) casts: truncation, NaN to 0,
// saturation at the bounds.
func javaF2L(f float64, bits int) int64 {
	if f != f {
		return 0
	}
	max := math.Ldexp(1, bits-1)
	min := -max
	if f >= max {
		return int64(1)<<(bits-1) - 1
	}
	if f <= min {
		return -(int64(1) << (bits - 1))
	}
	return int64(f)
}

func boolMethod(v Value, name string, args []Value) (Value, bool, error) {
	if name == "booleanValue" && len(args) == 0 {
		return v, true, nil
	}
	if name == "compareTo" && len(args) == 1 {
		return compareTo(v, args[0])
	}
	return Null, false, nil
}

// isSetMethod reports whether a Set view (keySet, values, entrySet) has a
// method of this name.
func isSetMethod(name string) bool {
	switch name {
	case "size", "isEmpty", "contains", "containsAll":
		return true
	}
	return false
}

func (r *renderer) listMethod(l *List, name string, args []Value) (Value, bool, error) {
	l.sync()
	n := len(l.items)
	if l.set && !isSetMethod(name) {
		return Null, false, nil
	}
	switch len(args) {
	case 0:
		switch name {
		case "size":
			return Int(int32(n)), true, nil
		case "isEmpty":
			return Bool(n == 0), true, nil
		case "clear":
			if l.set {
				return Null, false, nil
			}
			if l.fixed && n > 0 {
				return unsupported()
			}
			l.items = l.items[:0]
			l.mods++
			return void, true, nil
		}
	case 1:
		a := args[0]
		switch name {
		case "get":
			if a.kind != KindInt || l.set {
				return Null, false, nil
			}
			if a.n < 0 || a.n >= int64(n) {
				return throw("IndexOutOfBoundsException: Index %d out of bounds for length %d", a.n, n)
			}
			return l.items[a.n], true, nil
		case "contains":
			return Bool(l.indexOf(a) >= 0), true, nil
		case "indexOf":
			return Int(int32(l.indexOf(a))), true, nil
		case "lastIndexOf":
			for i := n - 1; i >= 0; i-- {
				if javaEquals(l.items[i], a) {
					return Int(int32(i)), true, nil
				}
			}
			return Int(-1), true, nil
		case "add":
			if l.set {
				return Null, false, nil
			}
			if l.fixed {
				return unsupported()
			}
			if err := r.step(0, 1); err != nil {
				return Null, true, err
			}
			l.Append(a)
			return Bool(true), true, nil
		case "addAll":
			if a.kind != KindList || l.set {
				return Null, false, nil
			}
			src := a.list().items
			if l.fixed && len(src) > 0 {
				return unsupported()
			}
			if err := r.step(0, len(src)); err != nil {
				return Null, true, err
			}
			l.items = append(l.items, src...)
			l.mods++
			return Bool(len(src) > 0), true, nil
		case "remove":
			if l.set {
				return Null, false, nil
			}
			if a.kind == KindInt {
				// ArrayList.remove(int) and remove(Object) both apply to
				// an Integer; Velocity's introspector picks remove(int).
				if l.fixed {
					return unsupported()
				}
				if a.n < 0 || a.n >= int64(n) {
					return throw("IndexOutOfBoundsException: Index %d out of bounds for length %d", a.n, n)
				}
				return l.removeAt(int(a.n)), true, nil
			}
			if i := l.indexOf(a); i >= 0 {
				if l.fixed {
					return unsupported()
				}
				l.removeAt(i)
				return Bool(true), true, nil
			}
			return Bool(false), true, nil
		case "removeAll", "retainAll":
			if a.kind != KindList || l.set {
				return Null, false, nil
			}
			// Each element is looked for in the argument, as Java does.
			if err := r.step(0, n*max(1, a.list().Len())); err != nil {
				return Null, true, err
			}
			return l.removeIf(a.list(), name == "retainAll")
		case "containsAll":
			if a.kind != KindList {
				return Null, false, nil
			}
			for _, e := range a.list().items {
				if l.indexOf(e) < 0 {
					return Bool(false), true, nil
				}
			}
			return Bool(true), true, nil
		}
	case 2:
		a, b := args[0], args[1]
		switch name {
		case "add":
			if a.kind != KindInt || l.set {
				return Null, false, nil
			}
			if l.fixed {
				return unsupported()
			}
			if a.n < 0 || a.n > int64(n) {
				return throw("IndexOutOfBoundsException: Index: %d, Size: %d", a.n, n)
			}
			l.insert(int(a.n), b)
			return void, true, nil
		case "set":
			if a.kind != KindInt || l.set {
				return Null, false, nil
			}
			if a.n < 0 || a.n >= int64(n) {
				return throw("IndexOutOfBoundsException: Index %d out of bounds for length %d", a.n, n)
			}
			old := l.items[a.n]
			l.items[a.n] = b
			return old, true, nil
		case "subList":
			if a.kind != KindInt || b.kind != KindInt || l.set {
				return Null, false, nil
			}
			if a.n < 0 || b.n > int64(n) || a.n > b.n {
				return throw("IndexOutOfBoundsException: fromIndex: %d, toIndex: %d, size: %d", a.n, b.n, n)
			}
			sub := &List{items: append([]Value(nil), l.items[a.n:b.n]...), JSON: l.JSON, fixed: l.fixed}
			return ListValue(sub), true, nil
		}
	}
	return Null, false, nil
}

// removeIf is removeAll(c), or retainAll(c) when retain is set: it drops
// the elements that c holds (or lacks) and reports whether it dropped any.
// c may be l itself, so the elements kept are decided before l changes.
func (l *List) removeIf(c *List, retain bool) (Value, bool, error) {
	c.sync()
	drops := func(e Value) bool { return (c.indexOf(e) >= 0) != retain }
	i := 0
	for i < len(l.items) && !drops(l.items[i]) {
		i++
	}
	if i == len(l.items) {
		return Bool(false), true, nil
	}
	if l.fixed {
		return unsupported()
	}
	kept := append([]Value(nil), l.items[:i]...)
	for _, e := range l.items[i+1:] {
		if !drops(e) {
			kept = append(kept, e)
		}
	}
	l.items = kept
	l.mods++
	return Bool(true), true, nil
}

// unsupported is what the fixed-size list wrapping a Java array throws
// for a change of its size (see List.fixed).
func unsupported() (Value, bool, error) { return throw("UnsupportedOperationException") }

func (r *renderer) mapMethod(m *Map, name string, args []Value) (Value, bool, error) {
	switch len(args) {
	case 0:
		switch name {
		case "size":
			return Int(int32(m.Len())), true, nil
		case "isEmpty":
			return Bool(m.Len() == 0), true, nil
		case "keySet":
			return ListValue(&List{items: append([]Value(nil), m.keys...), set: true, of: m, view: viewKeys}), true, nil
		case "values":
			return ListValue(&List{items: append([]Value(nil), m.vals...), set: true, of: m, view: viewValues}), true, nil
		case "entrySet":
			l := &List{items: make([]Value, len(m.keys)), set: true, of: m, view: viewEntries}
			for i := range m.keys {
				l.items[i] = ObjectValue(&mapEntry{m: m, k: m.keys[i]})
			}
			return ListValue(l), true, nil
		case "clear":
			m.keys, m.vals, m.index = m.keys[:0], m.vals[:0], nil
			m.mods++
			return void, true, nil
		}
	case 1:
		a := args[0]
		switch name {
		case "get":
			v, _ := m.Get(a)
			return v, true, nil
		case "containsKey":
			_, ok := m.Get(a)
			return Bool(ok), true, nil
		case "containsValue":
			for _, v := range m.vals {
				if javaEquals(v, a) {
					return Bool(true), true, nil
				}
			}
			return Bool(false), true, nil
		case "remove":
			return m.Remove(a), true, nil
		case "putAll":
			if a.kind != KindMap {
				return Null, false, nil
			}
			o := a.mapp()
			if err := r.step(0, o.Len()); err != nil {
				return Null, true, err
			}
			for i := range o.keys {
				m.Put(o.keys[i], o.vals[i])
			}
			return void, true, nil
		}
	case 2:
		a, b := args[0], args[1]
		switch name {
		case "put":
			if err := r.step(0, 1); err != nil {
				return Null, true, err
			}
			return m.Put(a, b), true, nil
		case "getOrDefault":
			if v, ok := m.Get(a); ok {
				return v, true, nil
			}
			return b, true, nil
		case "putIfAbsent":
			if v, ok := m.Get(a); ok && v.kind != KindNull {
				return v, true, nil
			}
			m.Put(a, b)
			return Null, true, nil
		}
	}
	return Null, false, nil
}

// mapEntry is a java.util.Map.Entry from entrySet().
type mapEntry struct {
	m *Map
	k Value
}

func (e *mapEntry) value() Value {
	v, _ := e.m.Get(e.k)
	return v
}

func (e *mapEntry) Property(name string) (Value, bool) {
	switch name {
	case "key", "Key":
		return e.k, true
	case "value", "Value":
		return e.value(), true
	}
	return Null, false
}

func (e *mapEntry) Call(name string, args []Value) (Value, bool, error) {
	switch {
	case name == "getKey" && len(args) == 0:
		return e.k, true, nil
	case name == "getValue" && len(args) == 0:
		return e.value(), true, nil
	case name == "setValue" && len(args) == 1:
		return e.m.Put(e.k, args[0]), true, nil
	}
	return Null, false, nil
}

func (e *mapEntry) String() string { return e.k.String() + "=" + e.value().String() }
