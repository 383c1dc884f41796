package vtl

import (
	"math"
	"unsafe"
)

// List is a java.util.ArrayList. Lists built from JSON documents print as
// JSON, as json-smart's JSONArray does; lists built by templates print in
// Java's "[a, b]" form.
type List struct {
	items []Value
	// JSON makes the list print as JSON.
	JSON bool
	set  bool // a Set view (keySet, entrySet): no index access
	mods int  // structural modifications, to detect changes during #foreach
	// fixed marks a Java array, which String.split returns. Velocity 1.7
	// calls List methods on an array through a fixed-size AbstractList
	// wrapper: get and set work, while whatever would change the size
	// (add, addAll, remove, removeAll, retainAll, clear) throws
	// UnsupportedOperationException.
	fixed bool
	// of and view, for a view of a map (keySet, values, entrySet), are
	// the map and which view: #foreach iterates the map itself, as Java
	// iterates a view, so that changing the map in the loop throws
	// ConcurrentModificationException as in Java.
	of   *Map
	view mapView
}

type mapView uint8

// sync brings a view up to date with its map, as Java's views read through
// to the map. Changing the map through a view is not supported.
func (l *List) sync() {
	m := l.of
	if m == nil {
		return
	}
	switch l.view {
	case viewKeys:
		l.items = append(l.items[:0], m.keys...)
	case viewValues:
		l.items = append(l.items[:0], m.vals...)
	case viewEntries:
		if len(l.items) == len(m.keys) && len(l.items) > 0 {
			// Entries read through to the map; only keys must match.
			same := true
			for i, e := range l.items {
				if !javaEquals(e.obj().(*mapEntry).k, m.keys[i]) {
					same = false
					break
				}
			}
			if same {
				return
			}
		}
		l.items = l.items[:0]
		for _, k := range m.keys {
			l.items = append(l.items, ObjectValue(&mapEntry{m: m, k: k}))
		}
	}
}

const (
	viewKeys mapView = iota + 1
	viewValues
	viewEntries
)

// NewList returns a list holding items (which it keeps).
func NewList(items ...Value) *List { return &List{items: items} }

// Len returns the number of elements.
func (l *List) Len() int { return len(l.items) }

// At returns element i.
func (l *List) At(i int) Value { return l.items[i] }

// Append adds v at the end.
func (l *List) Append(v Value) {
	l.items = append(l.items, v)
	l.mods++
}

func (l *List) insert(i int, v Value) {
	l.items = append(l.items, Value{})
	copy(l.items[i+1:], l.items[i:])
	l.items[i] = v
	l.mods++
}

func (l *List) removeAt(i int) Value {
	v := l.items[i]
	l.items = append(l.items[:i], l.items[i+1:]...)
	l.mods++
	return v
}

func (l *List) indexOf(v Value) int {
	for i, e := range l.items {
		if javaEquals(e, v) {
			return i
		}
	}
	return -1
}

// Map is a java.util.LinkedHashMap: keys keep their insertion order and
// are compared with Java's equals (so Integer 1 and Long 1 differ).
type Map struct {
	keys  []Value
	vals  []Value
	index map[mapKey]int // built once the map grows past a few entries
	mods  int            // structural modifications, to detect changes during #foreach
	// hashCap, when set, makes the map a java.util.HashMap of that table
	// size: its keys are kept in HashMap's iteration order, which
	// templates see when they print or iterate it.
	hashCap int
}

type mapKey struct {
	kind Kind
	n    int64
	s    string
	ref  unsafe.Pointer
}

func keyOf(v Value) mapKey {
	switch v.kind {
	case KindString, KindBigInt, KindBigDec:
		return mapKey{kind: v.kind, s: v.str()}
	case KindList, KindMap, KindObject:
		// Collections as keys compare by identity here; Java compares
		// them by content, which templates never rely on.
		return mapKey{kind: v.kind, ref: v.p}
	}
	return mapKey{kind: v.kind, n: v.n}
}

// mapIndexThreshold is the size past which a map builds a hash index.
// Below it, a lookup scans the keys, ruling out nearly all of them by
// length and first byte: cheaper than hashing for the maps templates
// mostly see ($context has about twenty keys, request bodies' objects
// a handful), and building an index costs a Go map per map.
const mapIndexThreshold = 32

// NewMap returns an empty map with room for n entries.
func NewMap(n int) *Map {
	buf := make([]Value, 2*n)
	return &Map{keys: buf[:0:n], vals: buf[n : n : 2*n]}
}

// Len returns the number of entries.
func (m *Map) Len() int { return len(m.keys) }

// ValueAt returns the value of entry i, in insertion order.
func (m *Map) ValueAt(i int) Value { return m.vals[i] }

// Entry returns the key and value of entry i, in insertion order.
func (m *Map) Entry(i int) (Value, Value) { return m.keys[i], m.vals[i] }

func (m *Map) find(k Value) int {
	if m.index != nil {
		if i, ok := m.index[keyOf(k)]; ok {
			return i
		}
		return -1
	}
	if k.kind == KindString {
		return m.findString(k.str())
	}
	kk := keyOf(k)
	for i := range m.keys {
		if keyOf(m.keys[i]) == kk {
			return i
		}
	}
	return -1
}

// IndexOf returns the position of the String key k in the map's order, or
// -1. hint is where the caller found k last time, in a map of the same
// shape (the records of a JSON array keep their keys in the same order);
// it is tried first and may be anything.
func (m *Map) IndexOf(k string, hint int) int {
	if m.index == nil && hint >= 0 && hint < len(m.keys) {
		if c := m.keys[hint]; c.kind == KindString && int(c.n) == len(k) && c.str() == k {
			return hint
		}
	}
	return m.find(String(k))
}

// findString is find for a String key, without the index. Lengths and
// first bytes rule out nearly every other key before the texts are compared.
func (m *Map) findString(s string) int {
	if len(s) == 0 {
		for i := range m.keys {
			if m.keys[i].kind == KindString && m.keys[i].n == 0 {
				return i
			}
		}
		return -1
	}
	n, c := int64(len(s)), s[0]
	for i := range m.keys {
		k := &m.keys[i]
		if k.n == n && k.kind == KindString && *(*byte)(k.p) == c && k.str() == s {
			return i
		}
	}
	return -1
}

// Get returns the value for key k and whether it is present.
func (m *Map) Get(k Value) (Value, bool) {
	if i := m.find(k); i >= 0 {
		return m.vals[i], true
	}
	return Null, false
}

// GetString is Get with a String key.
func (m *Map) GetString(k string) (Value, bool) { return m.Get(String(k)) }

// Put sets k to v and returns the previous value (null when there was none).
func (m *Map) Put(k, v Value) Value {
	if i := m.find(k); i >= 0 {
		old := m.vals[i]
		m.vals[i] = v
		return old
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
	m.mods++
	if m.hashCap > 0 {
		m.hashOrder()
		return Null
	}
	if m.index != nil {
		m.index[keyOf(k)] = len(m.keys) - 1
	} else if len(m.keys) > mapIndexThreshold {
		m.reindex()
	}
	return Null
}

// newHashMap returns an empty java.util.HashMap.
func newHashMap() *Map { return &Map{hashCap: 16} }

// hashOrder puts the entries of a HashMap in the order Java iterates
// them, after an insertion: by bucket (the spread hash of the key modulo
// the table size, which doubles when the map grows past three quarters of
// it), and in insertion order within a bucket, which is where a new key
// goes and which resizing keeps.
func (m *Map) hashOrder() {
	for len(m.keys) > m.hashCap*3/4 {
		m.hashCap *= 2
	}
	bucket := func(k Value) int {
		h, _ := hashCode(k)
		return int(uint32(h)^uint32(h)>>16) & (m.hashCap - 1)
	}
	// Insertion sort, stable: only the new last key is out of place, or
	// after a resize a few; maps in scopes hold a handful of entries.
	for i := 1; i < len(m.keys); i++ {
		for j := i; j > 0 && bucket(m.keys[j-1]) > bucket(m.keys[j]); j-- {
			m.keys[j-1], m.keys[j] = m.keys[j], m.keys[j-1]
			m.vals[j-1], m.vals[j] = m.vals[j], m.vals[j-1]
		}
	}
	if m.index != nil || len(m.keys) > mapIndexThreshold {
		m.reindex()
	}
}

// PutString is Put with a String key.
func (m *Map) PutString(k string, v Value) { m.Put(String(k), v) }

// Clear removes every entry, keeping the memory for new ones.
func (m *Map) Clear() {
	clear(m.keys)
	clear(m.vals)
	m.keys, m.vals = m.keys[:0], m.vals[:0]
	m.index = nil
	m.mods++
}

// Remove deletes k and returns its value (null when absent).
func (m *Map) Remove(k Value) Value {
	i := m.find(k)
	if i < 0 {
		return Null
	}
	old := m.vals[i]
	m.keys = append(m.keys[:i], m.keys[i+1:]...)
	m.vals = append(m.vals[:i], m.vals[i+1:]...)
	m.mods++
	if m.index != nil {
		m.reindex()
	}
	return old
}

func (m *Map) reindex() {
	m.index = make(map[mapKey]int, len(m.keys))
	for i, k := range m.keys {
		m.index[keyOf(k)] = i
	}
}

// javaEquals is Java's a.equals(b) for template values.
func javaEquals(a, b Value) bool {
	if a.kind != b.kind {
		// A loop scope is an AbstractMap, equal to any map of the same
		// entries.
		if sa, ok := a.Object().(*foreachScope); ok && b.kind == KindMap {
			return javaEquals(MapValue(sa.entries()), b)
		}
		if sb, ok := b.Object().(*foreachScope); ok && a.kind == KindMap {
			return javaEquals(a, MapValue(sb.entries()))
		}
		return false
	}
	switch a.kind {
	case KindNull:
		return true
	case KindString, KindBigInt, KindBigDec:
		return a.str() == b.str()
	case KindDouble:
		// Double.equals compares bits, except that all NaNs are equal.
		fa, fb := a.Float(), b.Float()
		if math.IsNaN(fa) && math.IsNaN(fb) {
			return true
		}
		return a.n == b.n
	case KindList:
		la, lb := a.list(), b.list()
		if la == lb {
			return true
		}
		if la.fixed || lb.fixed {
			// A Java array equals only itself, and no List equals
			// an array.
			return false
		}
		la.sync()
		lb.sync()
		if len(la.items) != len(lb.items) {
			return false
		}
		for i := range la.items {
			if !javaEquals(la.items[i], lb.items[i]) {
				return false
			}
		}
		return true
	case KindMap:
		ma, mb := a.mapp(), b.mapp()
		if ma == mb {
			return true
		}
		if len(ma.keys) != len(mb.keys) {
			return false
		}
		for i, k := range ma.keys {
			v, ok := mb.Get(k)
			if !ok || !javaEquals(ma.vals[i], v) {
				return false
			}
		}
		return true
	case KindObject:
		if sa, ok := a.obj().(*foreachScope); ok {
			if sb, ok := b.obj().(*foreachScope); ok {
				// Scopes are AbstractMaps: equal when their entries are.
				return javaEquals(MapValue(sa.entries()), MapValue(sb.entries()))
			}
		}
		return a.p == b.p
	}
	return a.n == b.n
}

// The methods below let ojg's jp package (and any other JSONPath library
// using the same structural interfaces, jp.Keyed and jp.Indexed) walk maps
// and lists without copying them. Leaves are handed out as plain Go values.

// Native returns v as a plain Go value: *Map, *List, string, int64,
// float64, bool or nil.
func (v Value) Native() any {
	switch v.kind {
	case KindMap:
		return v.mapp()
	case KindList:
		return v.list()
	case KindString:
		return v.str()
	case KindInt, KindLong:
		return v.n
	case KindDouble, KindBigInt, KindBigDec:
		return v.Float()
	case KindBool:
		return v.n != 0
	case KindObject:
		return v.obj()
	}
	return nil
}

// FromNative is the inverse of Native.
func FromNative(x any) Value {
	switch x := x.(type) {
	case *Map:
		return MapValue(x)
	case *List:
		return ListValue(x)
	case string:
		return String(x)
	case int64:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return Int(int32(x))
		}
		return Long(x)
	case int:
		return FromNative(int64(x))
	case float64:
		return Double(x)
	case bool:
		return Bool(x)
	case Object:
		return ObjectValue(x)
	}
	return Null
}

// ValueForKey returns the value of a String key as a Go value.
func (m *Map) ValueForKey(key string) (any, bool) {
	v, ok := m.Get(String(key))
	return v.Native(), ok
}

// SetValueForKey sets a String key.
func (m *Map) SetValueForKey(key string, value any) { m.Put(String(key), FromNative(value)) }

// RemoveValueForKey removes a String key.
func (m *Map) RemoveValueForKey(key string) { m.Remove(String(key)) }

// Keys returns the keys as strings, in order.
func (m *Map) Keys() []string {
	ks := make([]string, len(m.keys))
	for i, k := range m.keys {
		if k.kind == KindString {
			ks[i] = k.str()
		} else {
			ks[i] = k.String()
		}
	}
	return ks
}

// ValueAtIndex returns element i as a Go value (nil when out of range).
func (l *List) ValueAtIndex(i int) any {
	if i < 0 || i >= len(l.items) {
		return nil
	}
	return l.items[i].Native()
}

// SetValueAtIndex sets element i when in range.
func (l *List) SetValueAtIndex(i int, value any) {
	if i >= 0 && i < len(l.items) {
		l.items[i] = FromNative(value)
	}
}

// Size returns the number of elements.
func (l *List) Size() int { return len(l.items) }
