package schema

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gwc.dev/gwc/diag"
)

// CodeSchema is the diagnostic code of a value that does not fit the schema.
const CodeSchema = "SCHEMA"

// Validate checks n against t, reports every mismatch to ds at the
// offending value, and fills in the schema's defaults for absent regular
// fields (marking them Defaulted). name is the field name n has in its
// parent, for messages.
func Validate(n *Node, t *Type, name string, ds *diag.Set) {
	v := validator{ds: ds}
	v.check(n, t, name)
}

type validator struct {
	ds *diag.Set
}

func (v *validator) errorf(r diag.Range, format string, args ...any) {
	v.ds.Errorf(r, CodeSchema, format, args...)
}

func nodeKinds(n *Node) kindSet {
	switch n.Kind {
	case NullKind:
		return kNull
	case BoolKind:
		return kBool
	case NumberKind:
		if _, ok := n.Int(); ok && !strings.ContainsAny(n.Str, ".eE") {
			return kInt
		}
		return kFloat
	case StringKind:
		return kString
	case MapKind:
		return kStruct
	case ListKind:
		return kList
	}
	return 0
}

func describeNode(n *Node) string {
	switch n.Kind {
	case NullKind:
		return "null"
	case BoolKind:
		return strconv.FormatBool(n.Bool)
	case NumberKind:
		return n.Str
	case StringKind:
		s := n.Str
		if len(s) > 60 {
			s = s[:57] + "..."
		}
		return strconv.Quote(s)
	case MapKind:
		return "a struct"
	case ListKind:
		return "a list"
	case TypeKind:
		return "the type " + fmt.Sprint(n.CUE)
	}
	return "a value"
}

// kindMatches reports whether n's kind fits t at all, so that among
// alternatives the one of the right kind explains the error.
func kindMatches(n *Node, t *Type) bool {
	if t.Top {
		return true
	}
	k := nodeKinds(n)
	if k == kInt && t.Kinds&kInt == 0 && t.Kinds&kFloat != 0 {
		return true
	}
	return t.Kinds&k != 0
}

func (v *validator) check(n *Node, t *Type, name string) {
	if t == nil || t.Top {
		return
	}
	if n.Kind == TypeKind {
		v.errorf(n.Range(), "%s is not a concrete value (%s): give it a value", name, describeNode(n))
		return
	}
	if len(t.Alts) > 0 {
		v.checkAlts(n, t, name)
		return
	}
	if !kindMatches(n, t) {
		v.errorf(n.Range(), "%s must be %s, not %s", name, t.Describe(), describeNode(n))
		return
	}
	switch n.Kind {
	case MapKind:
		v.checkStruct(n, t, name)
		return
	case ListKind:
		v.checkList(n, t, name)
		return
	}
	v.checkScalar(n, t, name)
}

func (v *validator) checkAlts(n *Node, t *Type, name string) {
	var candidates []*Type
	for _, a := range t.Alts {
		if kindMatches(n, a) {
			candidates = append(candidates, a)
		}
	}
	if len(candidates) == 0 {
		v.errorf(n.Range(), "%s must be %s, not %s", name, t.Describe(), describeNode(n))
		return
	}
	var first *diag.Set
	for _, a := range candidates {
		var trial diag.Set
		inner := validator{ds: &trial}
		// Defaults go into a copy so that a failed alternative leaves
		// nothing behind.
		inner.check(n.clone(), a, name)
		if !trial.HasErrors() {
			// Check again for real, now that this alternative fits.
			v.check(n, a, name)
			return
		}
		if first == nil {
			first = &trial
		}
	}
	v.ds.Merge(first)
}

func (v *validator) checkScalar(n *Node, t *Type, name string) {
	val := scalarValue(n)
	if len(t.Enum) > 0 && !enumContains(t.Enum, val) {
		msg := fmt.Sprintf("%s is %s, but must be %s", name, describeNode(n), t.Describe())
		if s, ok := val.(string); ok {
			for _, e := range t.Enum {
				if es, ok := e.(string); ok && strings.EqualFold(es, s) {
					msg += fmt.Sprintf("; did you mean %q?", es)
					break
				}
			}
		}
		v.errorf(n.Range(), "%s", msg)
		return
	}
	if n.Kind == NumberKind {
		f, _ := n.Float()
		if nodeKinds(n) == kFloat && t.Kinds&kFloat == 0 {
			v.errorf(n.Range(), "%s must be %s, not %s", name, t.Describe(), n.Str)
			return
		}
		if !t.inBounds(f) {
			v.errorf(n.Range(), "%s is %s, out of range: must be %s", name, n.Str, t.Describe())
			return
		}
	}
	if n.Kind == StringKind {
		for _, re := range t.Regexps {
			if !re.MatchString(n.Str) {
				v.errorf(n.Range(), "%s %s is not valid: %s", name, describeNode(n), t.describeFormat())
				return
			}
		}
		for _, re := range t.NotRegexps {
			if re.MatchString(n.Str) {
				v.errorf(n.Range(), "%s %s must not match %s", name, describeNode(n), re)
				return
			}
		}
	}
	for _, ne := range t.NotEqual {
		if enumContains([]any{ne}, val) {
			if ne == "" {
				v.errorf(n.Range(), "%s must not be empty", name)
			} else {
				v.errorf(n.Range(), "%s must not be %s", name, literal(ne))
			}
			return
		}
	}
}

// describeFormat explains a regular-expression constrained string, naming
// the schema definition when there is one.
func (t *Type) describeFormat() string {
	desc := "must match " + t.Regexps[0].String()
	if t.Name != "" {
		desc = "want a " + t.Name + " (" + desc + ")"
	}
	return desc
}

func scalarValue(n *Node) any {
	switch n.Kind {
	case StringKind:
		return n.Str
	case BoolKind:
		return n.Bool
	case NumberKind:
		if i, ok := n.Int(); ok && nodeKinds(n) == kInt {
			return i
		}
		f, _ := n.Float()
		return f
	}
	return nil
}

func enumContains(enum []any, v any) bool {
	for _, e := range enum {
		switch x := e.(type) {
		case int64:
			switch y := v.(type) {
			case int64:
				if x == y {
					return true
				}
			case float64:
				if float64(x) == y {
					return true
				}
			}
		case float64:
			switch y := v.(type) {
			case int64:
				if x == float64(y) {
					return true
				}
			case float64:
				if x == y {
					return true
				}
			}
		default:
			if e == v {
				return true
			}
		}
	}
	return false
}

func (v *validator) checkList(n *Node, t *Type, name string) {
	if len(n.Items) < t.MinItems {
		v.errorf(n.Range(), "%s needs at least %d element(s)", name, t.MinItems)
	}
	for i, it := range n.Items {
		v.check(it, t.Elem, fmt.Sprintf("%s[%d]", name, i))
	}
}

func (v *validator) checkStruct(n *Node, t *Type, name string) {
	for _, e := range n.Entries {
		var ft *Type
		if f := t.field(e.Key); f != nil {
			ft = f.Type
		} else {
			// Several pattern constraints may apply; CUE unifies them.
			for _, p := range t.Patterns {
				if p.Key.matchesScalar(e.Key) {
					ft = unify(ft, p.Value)
				}
			}
		}
		if ft == nil {
			if t.Open {
				continue
			}
			v.reportUnknownField(e, t, name)
			continue
		}
		v.check(e, ft, e.Key)
	}
	for _, f := range t.Fields {
		if f.Optional || n.Get(f.Name) != nil {
			continue
		}
		switch {
		case f.Type.Default != nil:
			d := FromInterface(f.Type.Default, n.Pos)
			d.Defaulted = true
			n.Set(f.Name, d)
		case f.Type.Kinds == kStruct && len(f.Type.Alts) == 0:
			// A struct whose fields are all optional or defaulted is
			// complete without being written.
			d := NewMap(n.Pos)
			d.Defaulted = true
			var trial diag.Set
			(&validator{ds: &trial}).check(d, f.Type, f.Name)
			if trial.HasErrors() {
				v.errorf(n.KeyRange(), "%s: missing field %q", name, f.Name)
				continue
			}
			n.Set(f.Name, d)
		default:
			v.errorf(n.KeyRange(), "%s: missing field %q", name, f.Name)
		}
	}
}

func (v *validator) reportUnknownField(e *Node, t *Type, parent string) {
	names := make([]string, 0, len(t.Fields))
	for _, f := range t.Fields {
		names = append(names, f.Name)
	}
	msg := fmt.Sprintf("field %q is not allowed in %s", e.Key, parent)
	if len(t.Patterns) > 0 && len(names) == 0 {
		var keys []string
		for _, p := range t.Patterns {
			keys = append(keys, p.Key.Describe())
		}
		msg = fmt.Sprintf("%q is not allowed as a name in %s: want %s", e.Key, parent, strings.Join(keys, ", or "))
	}
	if s := Closest(e.Key, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else if len(names) > 0 && len(names) <= 12 {
		slices.Sort(names)
		msg += " (allowed: " + strings.Join(names, ", ") + ")"
	}
	v.errorf(e.KeyRange(), "%s", msg)
}

// Closest returns the candidate most like s, ignoring case, if one is
// close enough to be a likely typo; else "".
func Closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(1, len(s)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
