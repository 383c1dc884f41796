package vtl

import "unsafe"

// foreachScope is $foreach inside a loop: Velocity 1.7's ForeachScope. Like
// every Velocity Scope it is a java.util.AbstractMap of the values a
// template stores in it (#set($foreach.x = 1), $foreach.put(...)), kept in
// a java.util.HashMap, so it prints as that map ("{}" when empty); getters
// give the state of the loop ($foreach.index, .count, .hasNext, .first,
// .last, .parent, .topmost, .replaced).
type foreachScope struct {
	index   int
	hasNext bool
	parent  *foreachScope
	// replaced is the value of $foreach the loop hid, when that was not a
	// scope (a scope becomes the parent instead).
	replaced Value
	storage  *Map      // what templates stored, nil until they store
	box      objectBox // boxes the scope itself, so that value allocates nothing
	// escaped is set when the scope itself became the value of a
	// reference, which may store it anywhere; only scopes that never did
	// are reused for later loops.
	escaped bool
}

// newScope returns the scope of a loop starting where $foreach is old,
// reusing a scope that no value refers to.
func (r *renderer) newScope(old Value) *foreachScope {
	var s *foreachScope
	if n := len(r.scopes); n > 0 {
		s = r.scopes[n-1]
		r.scopes[n-1] = nil
		r.scopes = r.scopes[:n-1]
	} else {
		s = new(foreachScope)
		s.box.o = s
	}
	s.index, s.hasNext, s.escaped, s.storage = -1, false, false, nil
	s.parent, s.replaced = nil, Null
	if p, ok := old.Object().(*foreachScope); ok {
		s.parent = p
	} else {
		s.replaced = old
	}
	return s
}

func (s *foreachScope) value() Value { return Value{kind: KindObject, p: unsafe.Pointer(&s.box)} }

// getReplaced is Scope.getReplaced: the value the outermost scope hid.
func (s *foreachScope) getReplaced() Value {
	if s.replaced.kind == KindNull && s.parent != nil {
		return s.parent.getReplaced()
	}
	return s.replaced
}

// entries is the scope as a map, empty when nothing was stored.
func (s *foreachScope) entries() *Map {
	if s.storage == nil {
		return &Map{}
	}
	return s.storage
}

// store returns the scope's map, made on first use.
func (s *foreachScope) store() *Map {
	if s.storage == nil {
		s.storage = newHashMap()
	}
	return s.storage
}

// Property is $foreach.name: a getter of the scope, else (the scope being
// a map) the value stored under name, as Velocity's introspection tries
// getters before Map.get.
func (s *foreachScope) Property(name string) (Value, bool) {
	if p := scopePropOf(name); p != scopeNone {
		return s.property(p), true
	}
	if s.storage != nil {
		if v, ok := s.storage.Get(String(name)); ok {
			return v, true
		}
	}
	return Null, true
}

// SetProperty is #set($foreach.name = v): ForeachScope has no setters, so
// the value goes into the map.
func (s *foreachScope) SetProperty(name string, v Value) error {
	s.store().Put(String(name), v)
	return nil
}

// Index is $foreach[k], Map.get.
func (s *foreachScope) Index(k Value) (Value, bool) { return s.entries().Get(k) }

// scopeProp names a getter of $foreach; the parser resolves the names so
// that loops read them without comparing strings.
type scopeProp uint8

const (
	scopeNone scopeProp = iota
	scopeIndex
	scopeCount
	scopeHasNext
	scopeFirst
	scopeLast
	scopeParent
	scopeTopmost
	scopeReplaced
)

// scopePropOf resolves a property name as Velocity does: "index" and
// "Index" both name getIndex().
func scopePropOf(name string) scopeProp {
	switch name {
	case "index", "Index":
		return scopeIndex
	case "count", "Count":
		return scopeCount
	case "hasNext", "HasNext":
		return scopeHasNext
	case "first", "First":
		return scopeFirst
	case "last", "Last":
		return scopeLast
	case "parent", "Parent":
		return scopeParent
	case "topmost", "Topmost":
		return scopeTopmost
	case "replaced", "Replaced":
		return scopeReplaced
	}
	return scopeNone
}

func (s *foreachScope) property(p scopeProp) Value {
	switch p {
	case scopeIndex:
		return Int(int32(s.index))
	case scopeCount:
		return Int(int32(s.index + 1))
	case scopeHasNext:
		return Bool(s.hasNext)
	case scopeFirst:
		return Bool(s.index < 1)
	case scopeLast:
		return Bool(!s.hasNext)
	case scopeParent:
		if s.parent == nil {
			return Null
		}
		return s.parent.value()
	case scopeTopmost:
		t := s
		for t.parent != nil {
			t = t.parent
		}
		return t.value()
	case scopeReplaced:
		return s.getReplaced()
	}
	return Null
}

// getter maps ForeachScope's methods to the properties they read.
func getter(name string) scopeProp {
	switch name {
	case "getIndex":
		return scopeIndex
	case "getCount":
		return scopeCount
	case "hasNext", "getHasNext":
		return scopeHasNext
	case "isFirst", "getFirst":
		return scopeFirst
	case "isLast", "getLast":
		return scopeLast
	case "getParent":
		return scopeParent
	case "getTopmost":
		return scopeTopmost
	case "getReplaced":
		return scopeReplaced
	}
	return scopeNone
}

// Call implements Object for the getters; the renderer adds the methods of
// Map (see scopeMethod).
func (s *foreachScope) Call(name string, args []Value) (Value, bool, error) {
	if p := getter(name); p != scopeNone && len(args) == 0 {
		return s.property(p), true, nil
	}
	return Null, false, nil
}

// scopeMethod is a method of $foreach: a getter, or a method of the map.
func (r *renderer) scopeMethod(s *foreachScope, name string, args []Value) (Value, bool, error) {
	if p := getter(name); p != scopeNone && len(args) == 0 {
		return s.property(p), true, nil
	}
	m := s.storage
	if m == nil {
		if !isMutator(name) {
			m = &Map{}
		} else {
			m = s.store()
		}
	}
	return r.mapMethod(m, name, args)
}

// String is AbstractMap.toString.
func (s *foreachScope) String() string {
	if s.storage == nil || s.storage.Len() == 0 {
		return "{}"
	}
	return MapValue(s.storage).String()
}
