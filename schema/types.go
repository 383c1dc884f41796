package schema

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Type is one constraint of the CUE schema, reduced to what validation
// needs. The schema uses a small part of CUE (structs, optional and
// required fields, pattern constraints, disjunctions with defaults, bounds,
// regular expressions, lists, references to definitions), and Type models
// exactly that part, so that a definition is validated at Go speed without
// evaluating CUE. A test checks that this reading of the schema accepts and
// rejects what CUE itself does.
type Type struct {
	// Name is the definition this type came from (without #), if any.
	Name string
	Doc  string

	// Top means any value (CUE's _).
	Top bool
	// Kinds is the set of kinds a value may have; zero with Top false
	// means no value fits (bottom).
	Kinds kindSet
	// Alts are alternatives a value must match one of, when a disjunction
	// could not be folded into one type.
	Alts []*Type
	// Default is the value used when a regular field is absent.
	Default any

	Enum       []any
	Min, Max   *bound
	Regexps    []*regexp.Regexp
	NotRegexps []*regexp.Regexp
	NotEqual   []any

	Fields   []*Field
	Patterns []*PatternField
	Open     bool

	Elem     *Type
	MinItems int
}

// Field is a named field of a struct type.
type Field struct {
	Name     string
	Optional bool
	Type     *Type
	Doc      string
}

// PatternField constrains the fields whose names match Key.
type PatternField struct {
	Key   *Type
	Value *Type
}

type bound struct {
	v         float64
	exclusive bool
}

type kindSet uint8

const (
	kNull kindSet = 1 << iota
	kBool
	kInt
	kFloat
	kString
	kStruct
	kList
	kBytes

	kNumber = kInt | kFloat
	kAll    = kNull | kBool | kInt | kFloat | kString | kStruct | kList | kBytes
)

func (k kindSet) String() string {
	var names []string
	add := func(f kindSet, name string) {
		if k&f == f {
			names = append(names, name)
			k &^= f
		}
	}
	add(kNumber, "number")
	add(kInt, "integer")
	add(kFloat, "float")
	add(kString, "string")
	add(kBool, "bool")
	add(kStruct, "struct")
	add(kList, "list")
	add(kNull, "null")
	add(kBytes, "bytes")
	return strings.Join(names, " or ")
}

func top() *Type               { return &Type{Top: true, Kinds: kAll} }
func kindType(k kindSet) *Type { return &Type{Kinds: k} }

// field returns the named field of a struct type, or nil.
func (t *Type) field(name string) *Field {
	for _, f := range t.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Field returns the type of the named field of a struct type: the field's
// own, else the first pattern that matches the name, else nil.
func (t *Type) Field(name string) *Type {
	if t == nil {
		return nil
	}
	if f := t.field(name); f != nil {
		return f.Type
	}
	for _, p := range t.Patterns {
		if p.Key.matchesScalar(name) {
			return p.Value
		}
	}
	if len(t.Alts) > 0 {
		for _, a := range t.Alts {
			if ft := a.Field(name); ft != nil {
				return ft
			}
		}
	}
	return nil
}

// matchesScalar reports whether a string satisfies a scalar type, for
// matching field names against pattern constraints.
func (t *Type) matchesScalar(s string) bool {
	if t.Top {
		return true
	}
	if len(t.Alts) > 0 {
		for _, a := range t.Alts {
			if a.matchesScalar(s) {
				return true
			}
		}
		return false
	}
	if t.Kinds&kString == 0 {
		return false
	}
	if len(t.Enum) > 0 && !slices.Contains(t.Enum, any(s)) {
		return false
	}
	for _, re := range t.Regexps {
		if !re.MatchString(s) {
			return false
		}
	}
	for _, re := range t.NotRegexps {
		if re.MatchString(s) {
			return false
		}
	}
	return !slices.Contains(t.NotEqual, any(s))
}

// unify intersects two types, as CUE's & does on the schema's subset.
func unify(a, b *Type) *Type {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.Top && b.Top:
		return a
	case a.Top:
		return withDoc(b, a)
	case b.Top:
		return withDoc(a, b)
	}
	if len(a.Alts) > 0 || len(b.Alts) > 0 {
		as, bs := alts(a), alts(b)
		var out []*Type
		for _, x := range as {
			for _, y := range bs {
				if u := unify(x, y); u.Kinds != 0 {
					out = append(out, u)
				}
			}
		}
		def := a.Default
		if def == nil {
			def = b.Default
		}
		t := disjoin(out, def)
		t.Name = firstNonEmpty(a.Name, b.Name)
		t.Doc = firstNonEmpty(a.Doc, b.Doc)
		return t
	}
	t := &Type{
		Name:       firstNonEmpty(a.Name, b.Name),
		Doc:        firstNonEmpty(a.Doc, b.Doc),
		Kinds:      a.Kinds & b.Kinds,
		Regexps:    append(slices.Clone(a.Regexps), b.Regexps...),
		NotRegexps: append(slices.Clone(a.NotRegexps), b.NotRegexps...),
		NotEqual:   append(slices.Clone(a.NotEqual), b.NotEqual...),
		Min:        tighter(a.Min, b.Min, true),
		Max:        tighter(a.Max, b.Max, false),
		Default:    a.Default,
		MinItems:   max(a.MinItems, b.MinItems),
	}
	if t.Default == nil {
		t.Default = b.Default
	}
	switch {
	case len(a.Enum) > 0 && len(b.Enum) > 0:
		for _, v := range a.Enum {
			if slices.Contains(b.Enum, v) {
				t.Enum = append(t.Enum, v)
			}
		}
		if len(t.Enum) == 0 {
			t.Kinds = 0
		}
	case len(a.Enum) > 0:
		t.Enum = a.Enum
	case len(b.Enum) > 0:
		t.Enum = b.Enum
	}
	if t.Kinds&kStruct != 0 {
		t.Open = a.openFor(b) && b.openFor(a)
		t.Fields = mergeFields(a.Fields, b.Fields)
		t.Patterns = append(slices.Clone(a.Patterns), b.Patterns...)
	}
	if t.Kinds&kList != 0 {
		t.Elem = unify(a.Elem, b.Elem)
	}
	return t
}

// openFor reports whether t stays open when unified with other: a struct
// closes only if it is itself a closed struct type.
func (t *Type) openFor(other *Type) bool {
	if t.Kinds&kStruct == 0 || t.Kinds == kAll {
		return true
	}
	return t.Open
}

func withDoc(t, from *Type) *Type {
	if t.Doc == "" && from.Doc != "" {
		c := *t
		c.Doc = from.Doc
		return &c
	}
	return t
}

func mergeFields(a, b []*Field) []*Field {
	out := slices.Clone(a)
	for _, f := range b {
		i := slices.IndexFunc(out, func(g *Field) bool { return g.Name == f.Name })
		if i < 0 {
			out = append(out, f)
			continue
		}
		g := out[i]
		out[i] = &Field{
			Name:     f.Name,
			Optional: g.Optional && f.Optional,
			Type:     unify(g.Type, f.Type),
			Doc:      firstNonEmpty(g.Doc, f.Doc),
		}
	}
	return out
}

func tighter(a, b *bound, lower bool) *bound {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.v == b.v:
		if a.exclusive {
			return a
		}
		return b
	case lower == (a.v > b.v):
		return a
	}
	return b
}

func alts(t *Type) []*Type {
	if len(t.Alts) > 0 {
		return t.Alts
	}
	return []*Type{t}
}

// disjoin builds the disjunction of ts with default def, folding literal
// alternatives into enums and dropping alternatives that another one
// already allows, so that error messages talk about one type where they
// can.
func disjoin(ts []*Type, def any) *Type {
	var flat []*Type
	for _, t := range ts {
		flat = append(flat, alts(t)...)
	}
	// Fold pure literal alternatives into one enum per disjunction.
	var lits []any
	var rest []*Type
	var litKinds kindSet
	for _, t := range flat {
		if t.isLiteral() {
			lits = append(lits, t.Enum...)
			litKinds |= t.Kinds
			continue
		}
		rest = append(rest, t)
	}
	// A literal that another alternative admits adds nothing.
	lits = slices.DeleteFunc(lits, func(v any) bool {
		for _, t := range rest {
			if t.admitsLiteral(v) {
				return true
			}
		}
		return false
	})
	if len(lits) > 0 {
		rest = append(rest, &Type{Kinds: litKinds, Enum: lits})
	}
	switch len(rest) {
	case 0:
		return &Type{Default: def}
	case 1:
		t := *rest[0]
		if def != nil {
			t.Default = def
		}
		return &t
	}
	t := &Type{Alts: rest, Default: def}
	for _, a := range rest {
		t.Kinds |= a.Kinds
	}
	return t
}

func (t *Type) isLiteral() bool {
	return len(t.Enum) > 0 && len(t.Alts) == 0 && t.Min == nil && t.Max == nil &&
		len(t.Regexps) == 0 && len(t.Fields) == 0
}

// admitsLiteral reports whether the literal v satisfies t.
func (t *Type) admitsLiteral(v any) bool {
	if t.Top {
		return true
	}
	switch x := v.(type) {
	case string:
		return t.matchesScalar(x)
	case int64:
		return t.Kinds&kInt != 0 && (len(t.Enum) == 0 || slices.Contains(t.Enum, v)) && t.inBounds(float64(x))
	case float64:
		return t.Kinds&kFloat != 0 && (len(t.Enum) == 0 || slices.Contains(t.Enum, v)) && t.inBounds(x)
	case bool:
		return t.Kinds&kBool != 0 && (len(t.Enum) == 0 || slices.Contains(t.Enum, v))
	case nil:
		return t.Kinds&kNull != 0
	}
	return false
}

func (t *Type) inBounds(f float64) bool {
	if t.Min != nil && (f < t.Min.v || t.Min.exclusive && f == t.Min.v) {
		return false
	}
	if t.Max != nil && (f > t.Max.v || t.Max.exclusive && f == t.Max.v) {
		return false
	}
	return true
}

// Describe says in words what values t admits, for error messages.
func (t *Type) Describe() string {
	if t.Top {
		return "any value"
	}
	if len(t.Alts) > 0 {
		parts := make([]string, len(t.Alts))
		for i, a := range t.Alts {
			parts[i] = a.Describe()
		}
		return strings.Join(parts, ", or ")
	}
	if len(t.Enum) > 0 {
		return "one of " + enumList(t.Enum)
	}
	var b strings.Builder
	switch {
	case t.Kinds == kInt:
		b.WriteString("an integer")
	case t.Kinds == kNumber || t.Kinds == kFloat:
		b.WriteString("a number")
	case t.Kinds == kString:
		b.WriteString("a string")
	case t.Kinds == kBool:
		b.WriteString("true or false")
	case t.Kinds == kStruct:
		b.WriteString("a struct")
	case t.Kinds == kList:
		b.WriteString("a list")
	default:
		b.WriteString(t.Kinds.String())
	}
	if t.Min != nil && t.Max != nil && !t.Min.exclusive && !t.Max.exclusive {
		fmt.Fprintf(&b, " from %s to %s", num(t.Min.v), num(t.Max.v))
	} else {
		if t.Min != nil {
			fmt.Fprintf(&b, " %s %s", map[bool]string{false: ">=", true: ">"}[t.Min.exclusive], num(t.Min.v))
		}
		if t.Max != nil {
			fmt.Fprintf(&b, " %s %s", map[bool]string{false: "<=", true: "<"}[t.Max.exclusive], num(t.Max.v))
		}
	}
	for _, re := range t.Regexps {
		fmt.Fprintf(&b, " matching %s", re)
	}
	for _, v := range t.NotEqual {
		fmt.Fprintf(&b, " other than %s", literal(v))
	}
	return b.String()
}

func enumList(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = literal(v)
	}
	return strings.Join(parts, ", ")
}

func literal(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case nil:
		return "null"
	case float64:
		return num(x)
	}
	return fmt.Sprint(v)
}

func num(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
