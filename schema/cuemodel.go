package schema

import (
	"fmt"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/token"

	"gwc.dev/gwc/diag"
)

// Problem is an error found while reading a part of a definition, with the
// place it concerns.
type Problem struct {
	Range diag.Range
	Msg   string
}

func (p *Problem) Error() string { return p.Range.Start.String() + ": " + p.Msg }

// ModelRefPrefix starts a reference from one model to another in the model:
// {"$ref": "#/models/Pet"}. Compile rewrites it to API Gateway's URL form.
const ModelRefPrefix = "#/models/"

// ModelSchema returns the JSON Schema draft-04 document of a models entry.
// A model written as a CUE type is converted: struct fields become
// properties, regular fields are required, bounds, regular expressions,
// string and list length validators and enumerations become the matching
// keywords, and a reference to another model becomes a $ref.
func ModelSchema(n *Node) (map[string]any, *Problem) {
	if n.Kind != TypeKind {
		s, ok := n.Interface().(map[string]any)
		if !ok {
			return nil, &Problem{Range: n.Range(), Msg: "a model must be a struct type"}
		}
		return s, nil
	}
	c := modelConverter{self: n.Key}
	// The models struct is the parent of this model: references into it
	// are references to other models.
	c.modelsPath = parentPath(n.CUE.Path())
	s, err := c.schema(n.CUE, 0)
	if err != nil {
		return nil, err
	}
	if s["type"] != "object" && s["type"] != "array" {
		return nil, &Problem{Range: n.Range(), Msg: "a model must be a struct or list type"}
	}
	return s, nil
}

func parentPath(p cue.Path) string {
	sels := p.Selectors()
	if len(sels) == 0 {
		return ""
	}
	return cue.MakePath(sels[:len(sels)-1]...).String()
}

type modelConverter struct {
	self       string
	modelsPath string
}

const maxModelDepth = 64

func (c *modelConverter) fail(v cue.Value, format string, args ...any) *Problem {
	return &Problem{Range: diag.At(cuePos(v)), Msg: fmt.Sprintf(format, args...)}
}

// modelRef returns the name of the model v refers to, if v is a reference
// to a sibling model.
func (c *modelConverter) modelRef(v cue.Value) (string, bool) {
	root, p := v.ReferencePath()
	if !root.Exists() {
		return "", false
	}
	// The models are either part of the whole definition
	// (api.<name>.models.X) or, read as data, a struct of their own (X).
	name, ok := p.String(), true
	if c.modelsPath != "" {
		name, ok = strings.CutPrefix(name, c.modelsPath+".")
	}
	if !ok || name == "" || strings.ContainsAny(name, ".[") || strings.HasPrefix(name, "#") {
		return "", false
	}
	return name, true
}

func (c *modelConverter) schema(v cue.Value, depth int) (map[string]any, *Problem) {
	if depth > maxModelDepth {
		return nil, c.fail(v, "the model nests more than %d levels deep", maxModelDepth)
	}
	if name, ok := c.modelRef(v); ok {
		return map[string]any{"$ref": ModelRefPrefix + name}, nil
	}
	if err := v.Err(); err != nil {
		return nil, c.fail(v, "%v", err)
	}
	s := map[string]any{}
	switch k := v.IncompleteKind(); {
	case k == cue.StructKind:
		if err := c.object(v, s, depth); err != nil {
			return nil, err
		}
		return s, nil
	case k == cue.ListKind:
		s["type"] = "array"
		if elem := v.LookupPath(cue.MakePath(cue.AnyIndex)); elem.Exists() {
			es, err := c.schema(elem, depth+1)
			if err != nil {
				return nil, err
			}
			s["items"] = es
		}
		if err := c.constraints(v, s); err != nil {
			return nil, err
		}
		return s, nil
	case k == cue.TopKind:
		return s, nil
	}
	if err := c.scalar(v, s, depth); err != nil {
		return nil, err
	}
	return s, nil
}

func (c *modelConverter) object(v cue.Value, s map[string]any, depth int) *Problem {
	s["type"] = "object"
	props := map[string]any{}
	var required []any
	it, err := v.Fields(cue.Optional(true))
	if err != nil {
		return c.fail(v, "%v", err)
	}
	for it.Next() {
		name := it.Selector().Unquoted()
		if it.Selector().IsDefinition() || strings.HasPrefix(name, "_") {
			continue
		}
		fs, perr := c.schema(it.Value(), depth+1)
		if perr != nil {
			return perr
		}
		props[name] = fs
		if !it.IsOptional() {
			required = append(required, name)
		}
	}
	if len(props) > 0 {
		s["properties"] = props
	}
	if len(required) > 0 {
		s["required"] = required
	}
	if pat := v.LookupPath(cue.MakePath(cue.AnyString)); pat.Exists() {
		ps, perr := c.schema(pat, depth+1)
		if perr != nil {
			return perr
		}
		s["additionalProperties"] = ps
	} else if !v.Allows(cue.Str("\x00gwc-probe")) {
		s["additionalProperties"] = false
	}
	return nil
}

// scalar converts a scalar type, walking its expression for constraints.
func (c *modelConverter) scalar(v cue.Value, s map[string]any, depth int) *Problem {
	op, args := v.Expr()
	if op == cue.OrOp {
		return c.disjunction(v, args, s, depth)
	}
	if t := jsonType(v.IncompleteKind()); t != nil {
		s["type"] = t
	}
	if v.IsConcrete() {
		lit, err := literalOf(v)
		if err != nil {
			return c.fail(v, "%v", err)
		}
		s["enum"] = []any{lit}
		return nil
	}
	return c.constraints(v, s)
}

func (c *modelConverter) disjunction(v cue.Value, args []cue.Value, s map[string]any, depth int) *Problem {
	var enum []any
	allLiterals := true
	for _, a := range args {
		if !a.IsConcrete() || a.IncompleteKind() == cue.StructKind || a.IncompleteKind() == cue.ListKind {
			allLiterals = false
			break
		}
		lit, err := literalOf(a)
		if err != nil {
			return c.fail(a, "%v", err)
		}
		enum = append(enum, lit)
	}
	if allLiterals {
		if t := jsonType(v.IncompleteKind()); t != nil {
			s["type"] = t
		}
		s["enum"] = enum
		return nil
	}
	var alts []any
	for _, a := range args {
		as, err := c.schema(a, depth+1)
		if err != nil {
			return err
		}
		alts = append(alts, as)
	}
	s["anyOf"] = alts
	return nil
}

// constraints adds the keywords of v's conjuncts (bounds, patterns,
// validators) to s.
func (c *modelConverter) constraints(v cue.Value, s map[string]any) *Problem {
	op, args := v.Expr()
	switch op {
	case cue.AndOp:
		for _, a := range args {
			if err := c.constraints(a, s); err != nil {
				return err
			}
		}
		return nil
	case cue.NoOp, cue.SelectorOp:
		return nil
	case cue.GreaterThanEqualOp, cue.GreaterThanOp, cue.LessThanEqualOp, cue.LessThanOp:
		n, err := numberOf(args[0])
		if err != nil {
			return c.fail(v, "%v", err)
		}
		switch op {
		case cue.GreaterThanEqualOp:
			s["minimum"] = n
		case cue.GreaterThanOp:
			s["minimum"], s["exclusiveMinimum"] = n, true
		case cue.LessThanEqualOp:
			s["maximum"] = n
		case cue.LessThanOp:
			s["maximum"], s["exclusiveMaximum"] = n, true
		}
		return nil
	case cue.NotEqualOp:
		lit, err := literalOf(args[0])
		if err != nil {
			return c.fail(v, "%v", err)
		}
		if lit == "" {
			s["minLength"] = int64(1)
		} else {
			s["not"] = map[string]any{"enum": []any{lit}}
		}
		return nil
	case cue.RegexMatchOp, cue.NotRegexMatchOp:
		re, err := args[0].String()
		if err != nil {
			return c.fail(v, "%v", err)
		}
		if op == cue.RegexMatchOp {
			s["pattern"] = re
		} else {
			s["not"] = map[string]any{"pattern": re}
		}
		return nil
	case cue.CallOp:
		return c.call(v, args, s)
	}
	return c.fail(v, "%s cannot be expressed in JSON Schema draft-04", v)
}

// call maps the standard library validators that have a JSON Schema
// keyword.
func (c *modelConverter) call(v cue.Value, args []cue.Value, s map[string]any) *Problem {
	fn := fmt.Sprint(args[0])
	keywords := map[string]string{
		"strings.MinRunes": "minLength",
		"strings.MaxRunes": "maxLength",
		"list.MinItems":    "minItems",
		"list.MaxItems":    "maxItems",
		"math.MultipleOf":  "multipleOf",
		"struct.MinFields": "minProperties",
		"struct.MaxFields": "maxProperties",
	}
	if fn == "list.UniqueItems" {
		s["uniqueItems"] = true
		return nil
	}
	kw, ok := keywords[fn]
	if !ok || len(args) != 2 {
		return c.fail(v, "%s cannot be expressed in JSON Schema draft-04", v)
	}
	n, err := numberOf(args[1])
	if err != nil {
		return c.fail(v, "%v", err)
	}
	s[kw] = n
	return nil
}

func jsonType(k cue.Kind) any {
	var types []any
	if k&cue.NullKind != 0 {
		types = append(types, "null")
	}
	if k&cue.BoolKind != 0 {
		types = append(types, "boolean")
	}
	switch {
	case k&cue.NumberKind == cue.NumberKind, k&cue.FloatKind != 0:
		types = append(types, "number")
	case k&cue.IntKind != 0:
		types = append(types, "integer")
	}
	if k&cue.StringKind != 0 {
		types = append(types, "string")
	}
	if k&cue.StructKind != 0 {
		types = append(types, "object")
	}
	if k&cue.ListKind != 0 {
		types = append(types, "array")
	}
	switch len(types) {
	case 0:
		return nil
	case 1:
		return types[0]
	}
	// JSON Schema lists null last by convention; keep kinds in a stable
	// order with null at the end.
	if types[0] == "null" {
		types = append(types[1:], "null")
	}
	return types
}

func numberOf(v cue.Value) (any, error) {
	if i, err := v.Int64(); err == nil {
		return i, nil
	}
	return v.Float64()
}

func literalOf(v cue.Value) (any, error) {
	switch v.Kind() {
	case cue.StringKind:
		return v.String()
	case cue.IntKind:
		return v.Int64()
	case cue.FloatKind, cue.NumberKind:
		return v.Float64()
	case cue.BoolKind:
		return v.Bool()
	case cue.NullKind:
		return nil, nil
	}
	return nil, fmt.Errorf("%s is not a literal", v)
}

// cuePos returns where a value is written in the user's files, preferring
// the user's conjunct over the embedded schema's, and the value over its
// field's label, so that a diagnostic points at what is wrong.
func cuePos(v cue.Value) diag.Pos {
	if p := valuePos(v.Source()); p.IsValid() && !isSchemaFile(p.Filename()) {
		return posFromToken(p)
	}
	p := v.Pos()
	if p.IsValid() && !isSchemaFile(p.Filename()) {
		return posFromToken(p)
	}
	_, args := v.Expr()
	for _, a := range args {
		if ap := valuePos(a.Source()); ap.IsValid() && !isSchemaFile(ap.Filename()) {
			return posFromToken(ap)
		}
		if ap := a.Pos(); ap.IsValid() && !isSchemaFile(ap.Filename()) {
			return posFromToken(ap)
		}
	}
	return posFromToken(p)
}

// valuePos is the position of a field's value, or of the node itself.
func valuePos(n ast.Node) token.Pos {
	switch x := n.(type) {
	case nil:
		return token.NoPos
	case *ast.Field:
		return x.Value.Pos()
	}
	return n.Pos()
}
