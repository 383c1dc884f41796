package schema

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"cuelang.org/go/cue"

	"gwc.dev/gwc/diag"
)

// Kind is the JSON-like kind of a tree node.
type Kind uint8

// The kinds a Node can have. TypeKind marks a CUE type kept as it is (a
// model written as a CUE type), which only the model converter reads.
const (
	NullKind Kind = iota
	BoolKind
	NumberKind
	StringKind
	MapKind
	ListKind
	TypeKind
)

func (k Kind) String() string {
	switch k {
	case NullKind:
		return "null"
	case BoolKind:
		return "bool"
	case NumberKind:
		return "number"
	case StringKind:
		return "string"
	case MapKind:
		return "struct"
	case ListKind:
		return "list"
	case TypeKind:
		return "type"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Node is a value of a definition with the place it came from. Every input
// format (CUE, YAML, JSON) is read into Nodes first, so that one validator
// and one model builder serve them all and every diagnostic can point at
// the user's own file.
type Node struct {
	Kind Kind
	// Key is the node's name in its parent map; KeyPos is where that name
	// is written.
	Key    string
	KeyPos diag.Pos
	Pos    diag.Pos
	Bool   bool
	// Str holds a string's value, or a number's text.
	Str string
	// Entries are a map's entries in source order; Items a list's elements.
	Entries []*Node
	Items   []*Node
	// Text locates a string's source token, so that a position inside the
	// string (a mapping-template syntax error) maps back to the file.
	Text *SourceText
	// CUE holds the value of a TypeKind node.
	CUE cue.Value
	// Defaulted marks a value that the schema's default supplied.
	Defaulted bool
	// CFNSub marks a string that CloudFormation substitutes (a template
	// written as Fn::Sub): its ${Name} placeholders are CloudFormation's.
	CFNSub bool

	index map[string]int
}

// NewMap makes an empty map node at pos.
func NewMap(pos diag.Pos) *Node { return &Node{Kind: MapKind, Pos: pos} }

// NewString makes a string node.
func NewString(s string, pos diag.Pos) *Node { return &Node{Kind: StringKind, Str: s, Pos: pos} }

// NewNumber makes a number node from its decimal text.
func NewNumber(text string, pos diag.Pos) *Node { return &Node{Kind: NumberKind, Str: text, Pos: pos} }

// NewInt makes a number node holding an integer.
func NewInt(i int64, pos diag.Pos) *Node { return NewNumber(strconv.FormatInt(i, 10), pos) }

// NewBool makes a bool node.
func NewBool(b bool, pos diag.Pos) *Node { return &Node{Kind: BoolKind, Bool: b, Pos: pos} }

// NewList makes an empty list node.
func NewList(pos diag.Pos) *Node { return &Node{Kind: ListKind, Pos: pos} }

// Get returns the entry named key of a map node, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != MapKind {
		return nil
	}
	if n.index != nil {
		if i, ok := n.index[key]; ok {
			return n.Entries[i]
		}
		return nil
	}
	for _, e := range n.Entries {
		if e.Key == key {
			return e
		}
	}
	return nil
}

// Path follows keys from n and returns the node at the end, or nil.
func (n *Node) Path(keys ...string) *Node {
	for _, k := range keys {
		n = n.Get(k)
	}
	return n
}

// Set adds or replaces the entry named key of a map node and returns it.
func (n *Node) Set(key string, v *Node) *Node {
	v.Key = key
	if v.KeyPos == (diag.Pos{}) {
		v.KeyPos = v.Pos
	}
	for i, e := range n.Entries {
		if e.Key == key {
			n.Entries[i] = v
			return v
		}
	}
	n.Entries = append(n.Entries, v)
	if n.index != nil {
		n.index[key] = len(n.Entries) - 1
	} else if len(n.Entries) > 8 {
		n.reindex()
	}
	return v
}

// Delete removes the entry named key, if present.
func (n *Node) Delete(key string) {
	for i, e := range n.Entries {
		if e.Key == key {
			n.Entries = append(n.Entries[:i], n.Entries[i+1:]...)
			if n.index != nil {
				n.reindex()
			}
			return
		}
	}
}

func (n *Node) reindex() {
	n.index = make(map[string]int, len(n.Entries))
	for i, e := range n.Entries {
		n.index[e.Key] = i
	}
}

// clone copies n deeply.
func (n *Node) clone() *Node {
	c := *n
	c.index = nil
	c.Entries = make([]*Node, len(n.Entries))
	for i, e := range n.Entries {
		c.Entries[i] = e.clone()
	}
	c.Items = make([]*Node, len(n.Items))
	for i, e := range n.Items {
		c.Items[i] = e.clone()
	}
	if len(c.Entries) > 8 {
		c.reindex()
	}
	return &c
}

// Append adds an element to a list node.
func (n *Node) Append(v *Node) *Node {
	n.Items = append(n.Items, v)
	return v
}

// String returns a string node's value, or "" for any other node.
func (n *Node) String() string {
	if n == nil || n.Kind != StringKind {
		return ""
	}
	return n.Str
}

// Int returns a number node's integer value.
func (n *Node) Int() (int64, bool) {
	if n == nil || n.Kind != NumberKind {
		return 0, false
	}
	i, err := strconv.ParseInt(n.Str, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(n.Str, 64)
		if ferr != nil || f != float64(int64(f)) {
			return 0, false
		}
		return int64(f), true
	}
	return i, true
}

// Float returns a number node's value.
func (n *Node) Float() (float64, bool) {
	if n == nil || n.Kind != NumberKind {
		return 0, false
	}
	f, err := strconv.ParseFloat(n.Str, 64)
	return f, err == nil
}

// Range is the node's position as a diagnostic range.
func (n *Node) Range() diag.Range {
	if n == nil {
		return diag.Range{}
	}
	return diag.At(n.Pos)
}

// KeyRange is where the node's key is written, or its value when it has
// none.
func (n *Node) KeyRange() diag.Range {
	if n == nil {
		return diag.Range{}
	}
	if n.KeyPos.IsValid() {
		return diag.At(n.KeyPos)
	}
	return diag.At(n.Pos)
}

// Interface converts the node to plain Go values (map[string]any, []any,
// string, json.Number-like strings as float64 or int64, bool, nil). Maps
// lose their source order; callers that need order read Entries.
func (n *Node) Interface() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case BoolKind:
		return n.Bool
	case NumberKind:
		if i, ok := n.Int(); ok {
			return i
		}
		f, _ := n.Float()
		return f
	case StringKind:
		return n.Str
	case MapKind:
		m := make(map[string]any, len(n.Entries))
		for _, e := range n.Entries {
			m[e.Key] = e.Interface()
		}
		return m
	case ListKind:
		l := make([]any, len(n.Items))
		for i, e := range n.Items {
			l[i] = e.Interface()
		}
		return l
	case TypeKind:
		return fmt.Sprint(n.CUE)
	}
	return nil
}

// FromInterface builds a tree from plain Go values, every node at pos. It
// is used for values gwc makes itself (CORS expansion, defaults).
func FromInterface(v any, pos diag.Pos) *Node {
	switch x := v.(type) {
	case nil:
		return &Node{Kind: NullKind, Pos: pos}
	case bool:
		return NewBool(x, pos)
	case string:
		return NewString(x, pos)
	case int:
		return NewInt(int64(x), pos)
	case int64:
		return NewInt(x, pos)
	case float64:
		return NewNumber(strconv.FormatFloat(x, 'g', -1, 64), pos)
	case map[string]any:
		m := NewMap(pos)
		for _, k := range slices.Sorted(maps.Keys(x)) {
			m.Set(k, FromInterface(x[k], pos))
		}
		return m
	case []any:
		l := NewList(pos)
		for _, e := range x {
			l.Append(FromInterface(e, pos))
		}
		return l
	case []string:
		l := NewList(pos)
		for _, e := range x {
			l.Append(NewString(e, pos))
		}
		return l
	}
	return NewString(fmt.Sprint(v), pos)
}
