package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/load"
	"cuelang.org/go/cue/token"

	"gwc.dev/gwc/diag"
)

// CodeCUE is the diagnostic code of an error CUE itself reports: a syntax
// error, a conflict, an undefined reference.
const CodeCUE = "CUE"

// schemaPkgDir is where the overlay places the schema package inside a
// module's cue.mod, so that import "gwc.dev/schema" resolves.
const schemaPkgDir = "cue.mod/pkg/" + SchemaImportPath

// isSchemaFile reports whether a file name is one of the embedded schema's,
// as CUE names it in positions: either the overlay copy or our own name.
func isSchemaFile(name string) bool {
	return strings.Contains(filepath.ToSlash(name), schemaPkgDir+"/") || strings.HasPrefix(name, "schema/")
}

// LoadCUE reads CUE input: one directory (its package) or a list of .cue
// files. It returns the definition as a tree whose positions are the
// user's, or nil when CUE itself found errors (reported to ds).
//
// The schema is not unified here: the tree is validated against it
// afterwards, which is much faster than CUE's unification and gives
// messages in gwc's own words. A definition that imports gwc.dev/schema
// gets it from an overlay.
func LoadCUE(args []string, ds *diag.Set) (*Node, map[string]*File) {
	return loadCUE(args, ds, false)
}

// loadCUE is LoadCUE; evaluate forces CUE's evaluation even for plain
// data, which tests use to compare the two ways of reading.
func loadCUE(args []string, ds *diag.Set, evaluate bool) (*Node, map[string]*File) {
	dir, files, err := cueTargets(args)
	if err != nil {
		ds.Errorf(diag.Range{Start: diag.Pos{File: strings.Join(args, " ")}}, CodeCUE, "%v", err)
		return nil, nil
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		ds.Errorf(diag.Range{Start: diag.Pos{File: dir}}, CodeCUE, "%v", err)
		return nil, nil
	}
	cfg := &load.Config{Dir: absDir, Overlay: map[string]load.Source{}}
	modRoot := findModuleRoot(absDir)
	if modRoot == "" {
		modRoot = absDir
		cfg.Overlay[filepath.Join(absDir, "cue.mod", "module.cue")] = load.FromString(
			"module: \"gwc.local/definition\"\nlanguage: version: \"v0.17.0\"\n")
	}
	for name, src := range SchemaFiles() {
		cfg.Overlay[filepath.Join(modRoot, filepath.FromSlash(schemaPkgDir), name)] = load.FromBytes(src)
	}
	targets := files
	if len(targets) == 0 {
		targets = []string{"."}
	}
	insts := load.Instances(targets, cfg)
	if len(insts) != 1 {
		ds.Errorf(diag.Range{Start: diag.Pos{File: dir}}, CodeCUE, "expected one CUE package, found %d", len(insts))
		return nil, nil
	}
	inst := insts[0]
	rel := relativizer(absDir, dir)
	if inst.Err != nil {
		reportCUE(inst.Err, rel, ds)
		return nil, nil
	}
	srcFiles := map[string]*File{}
	for _, f := range inst.Files {
		name := rel(f.Filename)
		if isSchemaFile(f.Filename) {
			continue
		}
		src, err := os.ReadFile(f.Filename)
		if err != nil {
			continue
		}
		srcFiles[f.Filename] = NewFile(name, src)
	}
	ctx := cuecontext.New()
	byName := map[string]*File{}
	for _, f := range srcFiles {
		byName[f.Name] = f
	}
	if !evaluate {
		if root, err := readCUEData(inst, srcFiles, rel, ctx); err == nil {
			return root, byName
		}
	}
	v := ctx.BuildInstance(inst)
	if err := v.Err(); err != nil {
		reportCUE(err, rel, ds)
		return nil, nil
	}
	w := cueWalker{files: srcFiles, rel: rel}
	root := w.node(v, nil, 0)
	if root.Kind != MapKind {
		ds.Errorf(root.Range(), CodeCUE, "a definition must be a struct")
		return nil, nil
	}
	if len(w.errs) > 0 {
		for _, e := range w.errs {
			reportCUE(e, rel, ds)
		}
		return nil, nil
	}
	return root, byName
}

// cueTargets splits the command-line inputs into a directory and, when
// files were named, the files.
func cueTargets(args []string) (dir string, files []string, err error) {
	if len(args) == 1 {
		fi, err := os.Stat(args[0])
		if err != nil {
			return "", nil, err
		}
		if fi.IsDir() {
			return args[0], nil, nil
		}
	}
	dir = filepath.Dir(args[0])
	for _, a := range args {
		if filepath.Dir(a) != dir {
			return "", nil, fmt.Errorf("CUE files must be in one directory: %s and %s are not", args[0], a)
		}
		if _, err := os.Stat(a); err != nil {
			return "", nil, err
		}
		files = append(files, "./"+filepath.Base(a))
	}
	return dir, files, nil
}

func findModuleRoot(dir string) string {
	for d := dir; ; {
		if fi, err := os.Stat(filepath.Join(d, "cue.mod")); err == nil && fi.IsDir() {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// relativizer returns a function that names files as the user named the
// directory, so positions read "examples/petstore/api.cue:3:4".
func relativizer(absDir, userDir string) func(string) string {
	return func(name string) string {
		if r, err := filepath.Rel(absDir, name); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(filepath.Join(userDir, r))
		}
		return name
	}
}

// reportCUE turns CUE's errors into diagnostics at the user's positions,
// dropping the summary lines CUE adds for disjunctions.
func reportCUE(err error, rel func(string) string, ds *diag.Set) {
	for _, e := range errors.Errors(err) {
		format, args := e.Msg()
		if strings.HasSuffix(format, "errors in empty disjunction:") {
			continue
		}
		msg := fmt.Sprintf(format, args...)
		if p := e.Path(); len(p) > 0 {
			msg = strings.Join(p, ".") + ": " + msg
		}
		var pos diag.Pos
		var related []diag.Related
		for _, p := range append([]token.Pos{e.Position()}, e.InputPositions()...) {
			if !p.IsValid() || isSchemaFile(p.Filename()) {
				continue
			}
			dp := posFromToken(p)
			dp.File = rel(dp.File)
			if !pos.IsValid() {
				pos = dp
				continue
			}
			if dp != pos {
				related = append(related, diag.Related{Message: "also here", Range: diag.At(dp)})
			}
		}
		ds.Add(diag.Diagnostic{Code: CodeCUE, Severity: diag.Error, Message: msg, Range: diag.At(pos), Related: related})
	}
}

func posFromToken(p token.Pos) diag.Pos {
	if !p.IsValid() {
		return diag.Pos{}
	}
	return diag.Pos{File: p.Filename(), Line: p.Line(), Col: p.Column()}
}

// cueWalker turns an evaluated CUE value into a tree.
type cueWalker struct {
	files map[string]*File
	rel   func(string) string
	errs  []error
}

func (w *cueWalker) pos(v cue.Value) diag.Pos {
	p := cuePos(v)
	p.File = w.rel(p.File)
	return p
}

// node converts v. path is the chain of field names leading to v, which
// tells where the models (kept as CUE types) are.
func (w *cueWalker) node(v cue.Value, path []string, depth int) *Node {
	pos := w.pos(v)
	if isModelPath(path) {
		return &Node{Kind: TypeKind, Pos: pos, CUE: v}
	}
	switch v.IncompleteKind() {
	case cue.StructKind:
		if depth > 0 && !v.IsConcrete() {
			break
		}
		n := NewMap(pos)
		it, err := v.Fields()
		if err != nil {
			w.errs = append(w.errs, err)
			return n
		}
		for it.Next() {
			key := it.Selector().Unquoted()
			child := w.node(it.Value(), append(path, key), depth+1)
			child.KeyPos = child.Pos
			n.Set(key, child)
		}
		return n
	case cue.ListKind:
		n := NewList(pos)
		it, err := v.List()
		if err != nil {
			w.errs = append(w.errs, err)
			return n
		}
		for it.Next() {
			n.Append(w.node(it.Value(), append(path, "[]"), depth+1))
		}
		return n
	}
	if d, ok := v.Default(); ok && d.IsConcrete() {
		v = d
	}
	if !v.IsConcrete() {
		return &Node{Kind: TypeKind, Pos: pos, CUE: v}
	}
	switch v.Kind() {
	case cue.NullKind:
		return &Node{Kind: NullKind, Pos: pos}
	case cue.BoolKind:
		b, _ := v.Bool()
		return NewBool(b, pos)
	case cue.IntKind, cue.FloatKind, cue.NumberKind:
		n := NewNumber(fmt.Sprint(v), pos)
		if i, err := v.Int64(); err == nil {
			n.Str = fmt.Sprint(i)
		}
		return n
	case cue.StringKind:
		s, _ := v.String()
		n := NewString(s, pos)
		n.Text = w.sourceText(v)
		return n
	case cue.BytesKind:
		b, _ := v.Bytes()
		return NewString(string(b), pos)
	}
	return &Node{Kind: TypeKind, Pos: pos, CUE: v}
}

// isModelPath reports whether path is api.<name>.models.<model>.
func isModelPath(path []string) bool {
	return len(path) == 4 && path[0] == "api" && path[2] == "models"
}

// sourceText locates the literal a string came from, when it came from one
// literal in a user's file.
func (w *cueWalker) sourceText(v cue.Value) *SourceText {
	src := v.Source()
	if f, ok := src.(*ast.Field); ok {
		src = f.Value
	}
	lit, ok := src.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return nil
	}
	return sourceTextOf(lit, w.files)
}
