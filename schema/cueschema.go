package schema

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"cuelang.org/go/cue/ast"
	cuelit "cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"
)

// cueFiles holds the embedded CUE schema, the single source of truth for
// the shape of a definition.
//
//go:embed cue/*.cue
var cueFiles embed.FS

// SchemaImportPath is the import path under which definitions may import
// the schema, for editors: import "gwc.dev/schema".
const SchemaImportPath = "gwc.dev/schema"

// SchemaFiles returns the embedded schema's files by base name.
func SchemaFiles() map[string][]byte {
	out := map[string][]byte{}
	entries, _ := fs.ReadDir(cueFiles, "cue")
	for _, e := range entries {
		b, _ := cueFiles.ReadFile(path.Join("cue", e.Name()))
		out[e.Name()] = b
	}
	return out
}

// Schema is the embedded CUE schema read into Types.
type Schema struct {
	defs  map[string]ast.Expr
	docs  map[string]string
	types map[string]*Type
	order []string
}

// LoadSchema returns the embedded schema, read once.
var LoadSchema = sync.OnceValues(func() (*Schema, error) {
	s := &Schema{defs: map[string]ast.Expr{}, docs: map[string]string{}, types: map[string]*Type{}}
	for name, src := range SchemaFiles() {
		f, err := parser.ParseFile("schema/"+name, src, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("embedded schema: %w", err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.Field)
			if !ok {
				continue
			}
			id, ok := fd.Label.(*ast.Ident)
			if !ok || !strings.HasPrefix(id.Name, "#") {
				continue
			}
			s.defs[id.Name] = fd.Value
			s.docs[id.Name] = docOf(fd)
			s.order = append(s.order, id.Name)
		}
	}
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("embedded schema: %v", r)
			}
		}()
		for _, name := range s.order {
			s.Def(name)
		}
	}()
	return s, err
})

// MustSchema returns the embedded schema and panics if it does not read,
// which a test rules out.
func MustSchema() *Schema {
	s, err := LoadSchema()
	if err != nil {
		panic(err)
	}
	return s
}

// Def returns the type of a definition by its name with the leading #.
func (s *Schema) Def(name string) *Type {
	if t, ok := s.types[name]; ok {
		return t
	}
	expr, ok := s.defs[name]
	if !ok {
		panic(fmt.Sprintf("unknown definition %s", name))
	}
	// Store a placeholder first so that a recursive reference finds it.
	t := &Type{}
	s.types[name] = t
	*t = *s.eval(expr)
	t.Name = strings.TrimPrefix(name, "#")
	if t.Doc == "" || s.docs[name] != "" {
		t.Doc = s.docs[name]
	}
	return t
}

// Definitions lists the schema's definitions in source order.
func (s *Schema) Definitions() []string { return s.order }

func (s *Schema) eval(e ast.Expr) *Type {
	switch x := e.(type) {
	case *ast.Ident:
		switch x.Name {
		case "string":
			return kindType(kString)
		case "int":
			return kindType(kInt)
		case "number":
			return kindType(kNumber)
		case "float":
			return kindType(kFloat)
		case "bool":
			return kindType(kBool)
		case "bytes":
			return kindType(kBytes)
		case "_":
			return top()
		}
		if strings.HasPrefix(x.Name, "#") {
			return s.Def(x.Name)
		}
	case *ast.BasicLit:
		v := basicLiteral(x)
		return &Type{Kinds: kindOfLiteral(v), Enum: []any{v}}
	case *ast.ParenExpr:
		return s.eval(x.X)
	case *ast.UnaryExpr:
		return s.unary(x)
	case *ast.BinaryExpr:
		switch x.Op {
		case token.AND:
			return unify(s.eval(x.X), s.eval(x.Y))
		case token.OR:
			var ts []*Type
			var def any
			for _, d := range disjuncts(x) {
				if u, ok := d.(*ast.UnaryExpr); ok && u.Op == token.MUL {
					if v, ok := literalValue(u.X); ok {
						def = v
					}
					d = u.X
				}
				ts = append(ts, s.eval(d))
			}
			return disjoin(ts, def)
		}
	case *ast.StructLit:
		return s.structType(x.Elts)
	case *ast.ListLit:
		t := &Type{Kinds: kList}
		for _, el := range x.Elts {
			if el, ok := el.(*ast.Ellipsis); ok {
				if el.Type == nil {
					t.Elem = top()
				} else {
					t.Elem = s.eval(el.Type)
				}
				return t
			}
			t.MinItems++
		}
		// A closed list literal only appears as a default in the schema,
		// where its value, not its type, matters.
		t.Elem = top()
		return t
	}
	panic(fmt.Sprintf("%s: the schema uses a CUE construct gwc does not read (%T)", e.Pos(), e))
}

func (s *Schema) unary(x *ast.UnaryExpr) *Type {
	switch x.Op {
	case token.MUL:
		return s.eval(x.X)
	case token.GEQ, token.GTR, token.LEQ, token.LSS:
		v, ok := literalValue(x.X)
		if !ok {
			break
		}
		f := toFloat(v)
		t := &Type{Kinds: kNumber}
		b := &bound{v: f, exclusive: x.Op == token.GTR || x.Op == token.LSS}
		if x.Op == token.GEQ || x.Op == token.GTR {
			t.Min = b
		} else {
			t.Max = b
		}
		return t
	case token.NEQ:
		v, ok := literalValue(x.X)
		if ok {
			return &Type{Kinds: kAll, NotEqual: []any{v}}
		}
	case token.MAT, token.NMAT:
		v, ok := literalValue(x.X)
		if str, isStr := v.(string); ok && isStr {
			re := regexp.MustCompile(str)
			if x.Op == token.MAT {
				return &Type{Kinds: kString, Regexps: []*regexp.Regexp{re}}
			}
			return &Type{Kinds: kString, NotRegexps: []*regexp.Regexp{re}}
		}
	}
	panic(fmt.Sprintf("%s: the schema uses an operator gwc does not read (%s)", x.Pos(), x.Op))
}

func (s *Schema) structType(elts []ast.Decl) *Type {
	t := &Type{Kinds: kStruct}
	var embeds []*Type
	for _, d := range elts {
		switch d := d.(type) {
		case *ast.Ellipsis:
			t.Open = true
		case *ast.EmbedDecl:
			embeds = append(embeds, s.eval(d.Expr))
		case *ast.Field:
			switch l := d.Label.(type) {
			case *ast.ListLit:
				if len(l.Elts) != 1 {
					panic(fmt.Sprintf("%s: a pattern constraint takes one expression", l.Pos()))
				}
				t.Patterns = append(t.Patterns, &PatternField{
					Key:   s.eval(l.Elts[0].(ast.Expr)),
					Value: s.eval(d.Value),
				})
			default:
				name, _, err := ast.LabelName(d.Label)
				if err != nil {
					panic(fmt.Sprintf("%s: %v", d.Pos(), err))
				}
				if strings.HasPrefix(name, "#") || strings.HasPrefix(name, "_") {
					continue
				}
				f := &Field{
					Name:     name,
					Optional: d.Constraint == token.OPTION,
					Type:     s.eval(d.Value),
					Doc:      docOf(d),
				}
				t.Fields = mergeFields(t.Fields, []*Field{f})
			}
		case *ast.CommentGroup, *ast.Attribute:
		default:
			panic(fmt.Sprintf("%s: the schema uses a declaration gwc does not read (%T)", d.Pos(), d))
		}
	}
	for _, e := range embeds {
		t = unify(t, e)
	}
	return t
}

func disjuncts(e ast.Expr) []ast.Expr {
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.OR {
		return append(disjuncts(b.X), disjuncts(b.Y)...)
	}
	if p, ok := e.(*ast.ParenExpr); ok {
		if b, ok := p.X.(*ast.BinaryExpr); ok && b.Op == token.OR {
			return disjuncts(b)
		}
	}
	return []ast.Expr{e}
}

// literalValue evaluates a concrete literal expression: a basic literal,
// or a list of them.
func literalValue(e ast.Expr) (any, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		return basicLiteral(x), true
	case *ast.ParenExpr:
		return literalValue(x.X)
	case *ast.UnaryExpr:
		if x.Op == token.SUB {
			if v, ok := literalValue(x.X); ok {
				switch n := v.(type) {
				case int64:
					return -n, true
				case float64:
					return -n, true
				}
			}
		}
	case *ast.ListLit:
		out := []any{}
		for _, el := range x.Elts {
			v, ok := literalValue(el)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	}
	return nil, false
}

func basicLiteral(x *ast.BasicLit) any {
	switch x.Kind {
	case token.STRING:
		s, err := cuelit.Unquote(x.Value)
		if err != nil {
			panic(fmt.Sprintf("%s: %v", x.Pos(), err))
		}
		return s
	case token.INT:
		var ni cuelit.NumInfo
		if err := cuelit.ParseNum(x.Value, &ni); err == nil {
			if i, err := strconv.ParseInt(ni.String(), 10, 64); err == nil {
				return i
			}
		}
		panic(fmt.Sprintf("%s: bad integer %s", x.Pos(), x.Value))
	case token.FLOAT:
		f, err := strconv.ParseFloat(x.Value, 64)
		if err != nil {
			panic(fmt.Sprintf("%s: bad number %s", x.Pos(), x.Value))
		}
		return f
	case token.TRUE:
		return true
	case token.FALSE:
		return false
	case token.NULL:
		return nil
	}
	panic(fmt.Sprintf("%s: unsupported literal %s", x.Pos(), x.Value))
}

func kindOfLiteral(v any) kindSet {
	switch v.(type) {
	case string:
		return kString
	case int64:
		return kInt
	case float64:
		return kFloat
	case bool:
		return kBool
	case nil:
		return kNull
	case []any:
		return kList
	}
	return 0
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case int64:
		return float64(n)
	case float64:
		return n
	}
	panic(fmt.Sprintf("bound %v is not a number", v))
}

// docOf returns the doc comment written above a field, as plain text.
func docOf(f *ast.Field) string {
	var lines []string
	for _, cg := range ast.Comments(f) {
		if !cg.Doc {
			continue
		}
		for _, c := range cg.List {
			lines = append(lines, strings.TrimSpace(strings.TrimPrefix(c.Text, "//")))
		}
	}
	return strings.Join(lines, "\n")
}
