package lint

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// CodeIgnore is the diagnostic code of an inline ignore that is malformed
// or that ignores nothing.
const CodeIgnore = "LINT_IGNORE"

// Inline ignores are written where the finding is:
//
//	# gwc:lint:ignore RULE_ID[,RULE_ID...] reason      (YAML)
//	// gwc:lint:ignore RULE_ID[,RULE_ID...] reason     (CUE)
//	x-gateway-lint-ignore: {RULE_ID: reason}          (OpenAPI, on any object)
//
// A comment on a line of its own covers the next line that is not blank or
// a comment; a comment at the end of a line covers that line. Either way
// the ignore also covers everything nested under the field that starts on
// that line, so one comment above a method covers the whole method. The
// OpenAPI extension covers the object it is written in. A reason is
// required: an ignore is a decision, and the next reader needs to know why.
const (
	ignoreMarker    = "gwc:lint:ignore"
	ignoreExtension = schema.LintIgnoreExtension
)

// Directive is one inline ignore.
type Directive struct {
	Rules  []string
	Reason string
	// At is where the directive is written.
	At diag.Range
	// From and To bound the region it covers, inclusive.
	From, To diag.Pos

	used bool
}

func (d *Directive) covers(x diag.Diagnostic) bool {
	p := x.Range.Start
	if p.File != d.From.File || !slices.Contains(d.Rules, x.Code) {
		return false
	}
	return p.Compare(d.From) >= 0 && p.Compare(d.To) <= 0
}

// Directives finds the inline ignores in the files of def. Malformed ones
// (no rule, no reason, an unknown rule) go to ds as errors.
func Directives(def *schema.Definition, rules []*Rule, ds *diag.Set) []*Directive {
	var out []*Directive
	var idx *spanIndex
	index := func() *spanIndex {
		if idx == nil {
			idx = newSpanIndex()
			if def.API != nil {
				idx.add(def.API.Src)
			}
			idx.add(def.Lint)
		}
		return idx
	}
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	for _, name := range sortedFileNames(def) {
		f := def.Files[name]
		comment := commentMarker(name)
		if comment != "" && bytes.Contains(f.Src, []byte(ignoreMarker)) {
			fileIdx := index()
			if def.Format == "openapi" {
				fileIdx = rawIndex(f)
			}
			out = append(out, commentDirectives(f, comment, fileIdx, known, rules, ds)...)
		}
		if def.Format == "openapi" && bytes.Contains(f.Src, []byte(ignoreExtension)) {
			out = append(out, extensionDirectives(f, known, rules, ds)...)
		}
	}
	return out
}

func sortedFileNames(def *schema.Definition) []string {
	names := make([]string, 0, len(def.Files))
	for n := range def.Files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func commentMarker(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".cue":
		return "//"
	case ".yaml", ".yml":
		return "#"
	}
	return ""
}

// commentDirectives reads the ignore comments of one file.
func commentDirectives(f *schema.File, comment string, idx *spanIndex, known map[string]bool, rules []*Rule, ds *diag.Set) []*Directive {
	lines := bytes.Split(f.Src, []byte("\n"))
	var out []*Directive
	for i, raw := range lines {
		line := string(raw)
		start, ok := commentStart(line, comment)
		if !ok {
			continue
		}
		text := strings.TrimSpace(line[start+len(comment):])
		rest, ok := strings.CutPrefix(text, ignoreMarker)
		if !ok {
			continue
		}
		at := diag.At(diag.Pos{File: f.Name, Line: i + 1, Col: start + 1})
		d := parseDirective(rest, at, known, rules, ds)
		if d == nil {
			continue
		}
		target := i + 1
		if strings.TrimSpace(line[:start]) == "" {
			target = nextCodeLine(lines, i+1, comment)
		}
		d.From, d.To = idx.region(f.Name, target)
		out = append(out, d)
	}
	return out
}

// commentStart finds where a comment starts on a line, skipping comment
// markers inside quoted strings.
func commentStart(line, comment string) (int, bool) {
	if !strings.Contains(line, ignoreMarker) {
		return 0, false
	}
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || (c == '\'' && comment == "#"):
			quote = c
		case strings.HasPrefix(line[i:], comment):
			if comment == "#" && i > 0 && line[i-1] != ' ' && line[i-1] != '\t' {
				continue
			}
			return i, true
		}
	}
	return 0, false
}

// nextCodeLine returns the 1-based number of the first line at or after
// index i that is neither blank nor only a comment.
func nextCodeLine(lines [][]byte, i int, comment string) int {
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(string(lines[i]))
		if t != "" && !strings.HasPrefix(t, comment) {
			return i + 1
		}
	}
	return len(lines)
}

// parseDirective reads "RULE[,RULE...] reason".
func parseDirective(text string, at diag.Range, known map[string]bool, rules []*Rule, ds *diag.Set) *Directive {
	if text != "" && text[0] != ' ' && text[0] != '\t' {
		ds.Errorf(at, CodeIgnore, "malformed ignore: write %s RULE_ID reason", ignoreMarker)
		return nil
	}
	fields := strings.Fields(text)
	if len(fields) == 0 {
		ds.Errorf(at, CodeIgnore, "%s needs a rule ID and a reason: %s RULE_ID reason", ignoreMarker, ignoreMarker)
		return nil
	}
	ids := strings.Split(fields[0], ",")
	reason := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), fields[0]))
	return newDirective(ids, reason, at, known, rules, ds)
}

func newDirective(ids []string, reason string, at diag.Range, known map[string]bool, rules []*Rule, ds *diag.Set) *Directive {
	ok := true
	for _, id := range ids {
		if !known[id] {
			ds.Errorf(at, CodeIgnore, "ignore names unknown rule %q%s", id, suggestRule(id, rules))
			ok = false
		}
	}
	if reason == "" {
		ds.Errorf(at, CodeIgnore, "ignoring %s needs a reason, so the next reader knows why: %s %s reason", strings.Join(ids, ","), ignoreMarker, strings.Join(ids, ","))
		ok = false
	}
	if !ok {
		return nil
	}
	return &Directive{Rules: ids, Reason: reason, At: at}
}

// extensionDirectives reads x-gateway-lint-ignore extensions from an
// OpenAPI document.
func extensionDirectives(f *schema.File, known map[string]bool, rules []*Rule, ds *diag.Set) []*Directive {
	doc, err := schema.ParseYAML(f)
	if err != nil {
		return nil // the definition's reader has reported it
	}
	idx := newSpanIndex()
	idx.add(doc)
	var out []*Directive
	var walk func(n *schema.Node)
	walk = func(n *schema.Node) {
		for _, e := range n.Entries {
			if e.Key == ignoreExtension {
				out = append(out, extensionDirective(n, e, idx, known, rules, ds)...)
				continue
			}
			walk(e)
		}
		for _, it := range n.Items {
			walk(it)
		}
	}
	walk(doc)
	return out
}

func extensionDirective(parent, ext *schema.Node, idx *spanIndex, known map[string]bool, rules []*Rule, ds *diag.Set) []*Directive {
	if ext.Kind != schema.MapKind || len(ext.Entries) == 0 {
		ds.Errorf(ext.KeyRange(), CodeIgnore, "%s is a map of rule IDs to reasons, such as {SELECTION_PATTERN_OVERLAP: \"the backend never sends 404\"}", ignoreExtension)
		return nil
	}
	sp := idx.spans[parent]
	var out []*Directive
	for _, e := range ext.Entries {
		reason := ""
		if e.Kind == schema.StringKind {
			reason = strings.TrimSpace(e.Str)
		}
		d := newDirective([]string{e.Key}, reason, e.KeyRange(), known, rules, ds)
		if d == nil {
			continue
		}
		d.From, d.To = sp.from, sp.to
		out = append(out, d)
	}
	return out
}

// rawIndex indexes the nodes of a YAML document as written (an OpenAPI
// document's own structure, which the translated definition does not
// keep).
func rawIndex(f *schema.File) *spanIndex {
	idx := newSpanIndex()
	if doc, err := schema.ParseYAML(f); err == nil {
		idx.add(doc)
	}
	return idx
}

// span is the source region of a node and everything under it.
type span struct{ from, to diag.Pos }

// spanIndex finds the region of the field that starts on a line.
type spanIndex struct {
	spans  map[*schema.Node]span
	byLine map[string]map[int]span
}

func newSpanIndex() *spanIndex {
	return &spanIndex{spans: map[*schema.Node]span{}, byLine: map[string]map[int]span{}}
}

func (x *spanIndex) add(n *schema.Node) {
	if n != nil {
		x.visit(n)
	}
}

// visit records n's span and returns it: from where its key (or value) is
// written to the last position of anything under it in the same file.
func (x *spanIndex) visit(n *schema.Node) span {
	from := n.Pos
	if n.KeyPos.IsValid() {
		from = n.KeyPos
	}
	sp := span{from: from, to: from}
	if n.Pos.File == from.File && n.Pos.Compare(sp.to) > 0 {
		sp.to = n.Pos
	}
	for _, c := range append(n.Entries, n.Items...) {
		cs := x.visit(c)
		if cs.to.File == from.File && cs.to.Compare(sp.to) > 0 {
			sp.to = cs.to
		}
	}
	x.spans[n] = sp
	if from.IsValid() {
		lines := x.byLine[from.File]
		if lines == nil {
			lines = map[int]span{}
			x.byLine[from.File] = lines
		}
		if old, ok := lines[from.Line]; !ok || from.Col < old.from.Col || (from.Col == old.from.Col && sp.to.Compare(old.to) > 0) {
			lines[from.Line] = sp
		}
	}
	return sp
}

// region returns the region a directive aimed at a line covers: the whole
// line, and the field starting on it with everything under it.
func (x *spanIndex) region(file string, line int) (from, to diag.Pos) {
	from = diag.Pos{File: file, Line: line, Col: 1}
	to = diag.Pos{File: file, Line: line, Col: 1 << 30}
	if sp, ok := x.byLine[file][line]; ok && sp.to.Compare(to) > 0 {
		to = sp.to
	}
	return from, to
}
