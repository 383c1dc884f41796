package vtl

import "unsafe"

// JSONArena holds the maps, lists and values of parsed JSON documents in a
// few large blocks instead of one allocation each. Reset makes the memory
// reusable for the next document; the caller must be sure that nothing
// still refers to the old documents (Contains tells).
type JSONArena struct {
	text   []byte  // the document; its unescaped strings point into it
	stack  []Value // the parser's work stack, kept for the next parse
	values slab[Value]
	maps   slab[Map]
	lists  slab[List]
}

// slab hands out consecutive elements of its blocks.
type slab[T any] struct {
	blocks [][]T
	cur    int // index of the block in use
}

// take returns n zeroed elements with capacity n, so that appending to one
// container never writes into the next.
func (s *slab[T]) take(n, hint int) []T {
	for s.cur < len(s.blocks) {
		b := s.blocks[s.cur]
		if cap(b)-len(b) >= n {
			s.blocks[s.cur] = b[:len(b)+n]
			return b[len(b) : len(b)+n : len(b)+n]
		}
		s.cur++
	}
	size := max(n, hint, 16)
	b := make([]T, n, size)
	s.blocks = append(s.blocks, b)
	s.cur = len(s.blocks) - 1
	return b[:n:n]
}

func (s *slab[T]) reset() {
	for i, b := range s.blocks {
		clear(b)
		s.blocks[i] = b[:0]
	}
	s.cur = 0
}

func (s *slab[T]) owns(p unsafe.Pointer) bool {
	var zero T
	size := unsafe.Sizeof(zero)
	for _, b := range s.blocks {
		if cap(b) == 0 {
			continue
		}
		start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		if u := uintptr(p); u >= start && u < start+uintptr(cap(b))*size {
			return true
		}
	}
	return false
}

// Reset makes the arena's memory reusable.
func (a *JSONArena) Reset() {
	clear(a.stack[:cap(a.stack)])
	a.values.reset()
	a.maps.reset()
	a.lists.reset()
}

// Contains reports whether v, or anything reachable from v, is a map,
// list or string of the arena.
func (a *JSONArena) Contains(v Value) bool {
	seen := map[unsafe.Pointer]bool{}
	textStart := uintptr(unsafe.Pointer(unsafe.SliceData(a.text)))
	textEnd := textStart + uintptr(cap(a.text))
	var walk func(v Value, depth int) bool
	walk = func(v Value, depth int) bool {
		switch v.kind {
		case KindString, KindBigInt, KindBigDec:
			u := uintptr(v.p)
			return u >= textStart && u < textEnd && textEnd > textStart
		case KindMap, KindList:
		default:
			return false
		}
		if depth > maxPrintDepth || seen[v.p] {
			return false
		}
		seen[v.p] = true
		if a.maps.owns(v.p) || a.lists.owns(v.p) {
			return true
		}
		if v.kind == KindList {
			for _, e := range v.list().items {
				if walk(e, depth+1) {
					return true
				}
			}
			return false
		}
		m := v.mapp()
		for i := range m.keys {
			if walk(m.keys[i], depth+1) || walk(m.vals[i], depth+1) {
				return true
			}
		}
		return false
	}
	return walk(v, 0)
}
