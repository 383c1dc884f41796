package schema

import (
	"errors"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	cuelit "cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"

	"gwc.dev/gwc/diag"
)

// errNotData says a CUE package uses more of CUE than plain data, so it
// must be evaluated.
var errNotData = errors.New("not plain data")

// cueData reads a CUE package that is plain data (struct and list
// literals, field names, literal values; any CUE at all inside models,
// which are types) straight from its syntax, without evaluating it. Most
// definitions are written this way, and evaluating CUE costs far more than
// reading it: this is what keeps gwc check fast on big APIs. Anything
// else, a reference, an expression, an import, a conflict, returns
// errNotData, and the package is evaluated instead, which gives the same
// tree (a test compares the two).
type cueData struct {
	files map[string]*File
	rel   func(string) string
	ctx   *cue.Context
	// models holds, per API, the syntax of its models, which are built
	// with CUE once the data is read.
	models map[*Node][]*ast.Field
}

func readCUEData(inst *build.Instance, files map[string]*File, rel func(string) string, ctx *cue.Context) (*Node, error) {
	if len(inst.Imports) > 0 {
		return nil, errNotData
	}
	d := &cueData{files: files, rel: rel, ctx: ctx, models: map[*Node][]*ast.Field{}}
	var root *Node
	for _, f := range inst.Files {
		if root == nil {
			root = NewMap(d.pos(f.Pos()))
		}
		if err := d.decls(root, f.Decls, nil); err != nil {
			return nil, err
		}
	}
	if root == nil {
		return nil, errNotData
	}
	if err := d.buildModels(); err != nil {
		return nil, err
	}
	return root, nil
}

func (d *cueData) pos(p token.Pos) diag.Pos {
	dp := posFromToken(p)
	dp.File = d.rel(dp.File)
	return dp
}

// decls merges the fields of a struct literal into n, as CUE unifies
// repeated fields. path is the chain of names leading to n.
func (d *cueData) decls(n *Node, decls []ast.Decl, path []string) error {
	for _, decl := range decls {
		switch x := decl.(type) {
		case *ast.Package, *ast.ImportDecl, *ast.CommentGroup:
		case *ast.Field:
			if err := d.field(n, x, path); err != nil {
				return err
			}
		default:
			return errNotData
		}
	}
	return nil
}

func (d *cueData) field(parent *Node, f *ast.Field, path []string) error {
	if f.Constraint != token.ILLEGAL || len(f.Attrs) > 0 {
		return errNotData
	}
	var name string
	switch l := f.Label.(type) {
	case *ast.Ident:
		name = l.Name
		if strings.HasPrefix(name, "#") || strings.HasPrefix(name, "_") {
			// Definitions and hidden fields are not data; with no
			// references anywhere, nothing can use them.
			return nil
		}
	case *ast.BasicLit:
		if l.Kind != token.STRING {
			return errNotData
		}
		s, err := cuelit.Unquote(l.Value)
		if err != nil {
			return errNotData
		}
		name = s
	default:
		return errNotData
	}
	path = append(path, name)
	if isModelPath(path) {
		api := parent // the models struct's map node
		if prev := api.Get(name); prev != nil {
			return errNotData
		}
		d.models[api] = append(d.models[api], f)
		placeholder := &Node{Kind: TypeKind, Pos: d.pos(f.Value.Pos()), KeyPos: d.pos(f.Label.Pos())}
		api.Set(name, placeholder)
		return nil
	}
	value, err := d.value(f.Value, path)
	if err != nil {
		return err
	}
	value.KeyPos = d.pos(f.Label.Pos())
	prev := parent.Get(name)
	if prev == nil {
		parent.Set(name, value)
		return nil
	}
	return merge(prev, value)
}

// merge unifies a repeated field: structs merge field by field, equal
// scalars agree, and anything else is left to CUE, which reports the
// conflict in its own words.
func merge(into, v *Node) error {
	switch {
	case into.Kind == MapKind && v.Kind == MapKind:
		for _, e := range v.Entries {
			if prev := into.Get(e.Key); prev != nil {
				if err := merge(prev, e); err != nil {
					return err
				}
				continue
			}
			into.Set(e.Key, e)
		}
		return nil
	case into.Kind == v.Kind && (v.Kind == StringKind || v.Kind == BoolKind || v.Kind == NullKind || v.Kind == NumberKind) &&
		into.Str == v.Str && into.Bool == v.Bool:
		return nil
	}
	return errNotData
}

func (d *cueData) value(e ast.Expr, path []string) (*Node, error) {
	pos := d.pos(e.Pos())
	switch x := e.(type) {
	case *ast.StructLit:
		n := NewMap(pos)
		if err := d.decls(n, x.Elts, path); err != nil {
			return nil, err
		}
		return n, nil
	case *ast.ListLit:
		l := NewList(pos)
		for _, el := range x.Elts {
			ex, ok := el.(ast.Expr)
			if !ok {
				return nil, errNotData
			}
			if _, isEllipsis := ex.(*ast.Ellipsis); isEllipsis {
				return nil, errNotData
			}
			v, err := d.value(ex, append(path, "[]"))
			if err != nil {
				return nil, err
			}
			l.Append(v)
		}
		return l, nil
	case *ast.BasicLit:
		return d.literal(x, pos, false)
	case *ast.UnaryExpr:
		if lit, ok := x.X.(*ast.BasicLit); ok && x.Op == token.SUB && (lit.Kind == token.INT || lit.Kind == token.FLOAT) {
			return d.literal(lit, pos, true)
		}
	case *ast.ParenExpr:
		return d.value(x.X, path)
	}
	return nil, errNotData
}

func (d *cueData) literal(x *ast.BasicLit, pos diag.Pos, negative bool) (*Node, error) {
	switch x.Kind {
	case token.STRING:
		if strings.HasPrefix(x.Value, "'") || strings.Contains(x.Value, `\(`) {
			// Bytes, or a string that may interpolate: evaluate.
			return nil, errNotData
		}
		s, err := cuelit.Unquote(x.Value)
		if err != nil {
			return nil, errNotData
		}
		n := NewString(s, pos)
		n.Text = sourceTextOf(x, d.files)
		return n, nil
	case token.INT, token.FLOAT:
		var ni cuelit.NumInfo
		if err := cuelit.ParseNum(x.Value, &ni); err != nil {
			return nil, errNotData
		}
		text := ni.String()
		if x.Kind == token.INT && strings.ContainsAny(text, ".eE") {
			return nil, errNotData
		}
		if x.Kind == token.FLOAT {
			// CUE keeps a float's text; only decimal forms are data here.
			if strings.ContainsAny(x.Value, "KMGTPkmgtpi_") {
				return nil, errNotData
			}
			text = x.Value
		}
		if negative {
			text = "-" + text
		}
		return NewNumber(text, pos), nil
	case token.TRUE, token.FALSE:
		return NewBool(x.Kind == token.TRUE, pos), nil
	case token.NULL:
		return &Node{Kind: NullKind, Pos: pos}, nil
	}
	return nil, errNotData
}

// buildModels evaluates each API's models, the one part of a definition
// that is CUE types rather than data, as one struct, so that models can
// refer to each other.
func (d *cueData) buildModels() error {
	for models, fields := range d.models {
		decls := make([]ast.Decl, len(fields))
		for i, f := range fields {
			decls[i] = f
		}
		v := d.ctx.BuildExpr(&ast.StructLit{Elts: decls})
		if v.Err() != nil {
			return errNotData
		}
		for _, f := range fields {
			name, _, _ := ast.LabelName(f.Label)
			mv := v.LookupPath(cue.MakePath(cue.Str(name)))
			if !mv.Exists() || mv.Err() != nil {
				return errNotData
			}
			models.Get(name).CUE = mv
		}
	}
	return nil
}

// sourceTextOf locates a string literal in its file.
func sourceTextOf(lit *ast.BasicLit, files map[string]*File) *SourceText {
	p := lit.Pos()
	f := files[p.Filename()]
	if f == nil {
		return nil
	}
	start := p.Offset()
	t := &SourceText{File: f, Start: start, End: start + len(lit.Value), Style: StyleQuoted}
	raw := lit.Value
	hashes := len(raw) - len(strings.TrimLeft(raw, "#"))
	if strings.HasPrefix(raw[hashes:], `"""`) || strings.HasPrefix(raw[hashes:], `'''`) {
		t.Style = StyleCUEMulti
		last := raw[strings.LastIndexByte(raw, '\n')+1:]
		t.Indent = len(last) - len(strings.TrimLeft(last, " \t"))
	}
	return t
}
