package vtl

import (
	"slices"
	"unsafe"
)

// JSONArena holds the maps, lists and values of parsed JSON documents in a
// few large blocks instead of one allocation each. Reset makes the memory
// reusable for the next document; the caller must be sure that nothing
// still refers to the old documents (Contains tells).
type JSONArena struct {
	text   []byte  // the document; its unescaped strings point into it
	keys   []Value // the parser's work stacks, kept for the next parse
	vals   []Value
	values slab[Value]
	maps   slab[Map]
	lists  slab[List]
}

// slab hands out consecutive elements of its blocks.
type slab[T any] struct {
	blocks [][]T
	cur    int // index of the block in use
}

// take returns n elements with capacity n, so that appending to one
// container never writes into the next. After a reset the elements hold
// what the previous document left there: callers set them all.
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

// reset makes the blocks reusable without clearing them: every element is
// set before use, and the pointers left behind point into the arena's own
// text and blocks, or (rarely) to a string or an index the next documents
// overwrite, so clearing would cost more than it would ever free.
func (s *slab[T]) reset() {
	for i, b := range s.blocks {
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
	a.values.reset()
	a.maps.reset()
	a.lists.reset()
}

// NewMap returns an empty map with room for n entries, allocated from the
// arena: Reset reclaims it, so it must not outlive the arena's documents.
func (a *JSONArena) NewMap(n int) *Map {
	m := &a.maps.take(1, 16)[0]
	buf := a.values.take(2*n, 64)
	*m = Map{keys: buf[:0:n], vals: buf[n : n : 2*n]}
	return m
}

// Owns reports whether v itself (not what it contains) is a string, map or
// list whose memory belongs to the arena.
func (a *JSONArena) Owns(v Value) bool {
	switch v.kind {
	case KindString, KindBigInt, KindBigDec, KindDouble:
		start := uintptr(unsafe.Pointer(unsafe.SliceData(a.text)))
		u := uintptr(v.p)
		return cap(a.text) > 0 && u >= start && u < start+uintptr(cap(a.text))
	case KindMap:
		return a.maps.owns(v.p)
	case KindList:
		return a.lists.owns(v.p)
	}
	return false
}

// Contains reports whether v, or anything reachable from v, is a map,
// list or string of the arena.
func (a *JSONArena) Contains(v Value) bool { return Reaches(v, a.Owns) }

// Reaches reports whether match holds for v or for anything reachable
// from v: the keys and values of its maps and the elements of its lists,
// recursively. Each map and list is visited once, so shared and cyclic
// structures are cheap. Hosts use it after a render to tell whether a
// value they keep refers to memory they want to reuse.
func Reaches(v Value, match func(Value) bool) bool {
	// The walk keeps its work list and the containers it has visited in
	// arrays on the stack, so that walking a small tree allocates nothing.
	type item struct {
		v     Value
		depth int
	}
	var stackBuf [32]item
	var seenBuf [32]unsafe.Pointer
	stack, seen := append(stackBuf[:0], item{v, 0}), seenBuf[:0]
	var index map[unsafe.Pointer]bool // replaces seen when it grows large
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if match(it.v) {
			return true
		}
		p := it.v.p
		if it.v.kind != KindMap && it.v.kind != KindList || it.depth >= maxPrintDepth {
			continue
		}
		if index != nil {
			if index[p] {
				continue
			}
			index[p] = true
		} else {
			if slices.Contains(seen, p) {
				continue
			}
			if seen = append(seen, p); len(seen) > 256 {
				index = make(map[unsafe.Pointer]bool, 2*len(seen))
				for _, q := range seen {
					index[q] = true
				}
			}
		}
		if it.v.kind == KindList {
			for _, e := range it.v.list().items {
				stack = append(stack, item{e, it.depth + 1})
			}
			continue
		}
		m := it.v.mapp()
		for i := range m.keys {
			stack = append(stack, item{m.keys[i], it.depth + 1}, item{m.vals[i], it.depth + 1})
		}
	}
	return false
}
