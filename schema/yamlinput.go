package schema

import (
	"bytes"
	"fmt"
	"math/big"
	"strings"

	"go.yaml.in/yaml/v3"

	"gwc.dev/gwc/diag"
)

// ParseYAML reads a YAML or JSON document into a tree with positions.
// CloudFormation's short-form tags (!Ref, !Sub, !GetAtt, ...) become their
// long form ({"Ref": ...}), as CloudFormation reads them, because
// OpenAPI bodies meant for AWS::Include or SAM carry them.
func ParseYAML(f *File) (*Node, error) {
	if looksLikeJSON(f.Src) {
		if n, err := parseJSON(f); err == nil {
			return n, nil
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Src, &doc); err != nil {
		return nil, yamlError(f, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Problem{Range: diag.At(diag.Pos{File: f.Name, Line: 1, Col: 1}), Msg: "the file is empty"}
	}
	r := yamlReader{f: f}
	n := r.node(doc.Content[0], 0)
	if r.err != nil {
		return nil, r.err
	}
	return n, nil
}

// yamlError turns a YAML parser error ("yaml: line 3: ...") into a
// positioned problem.
func yamlError(f *File, err error) *Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
		msg = strings.TrimSpace(msg[strings.IndexByte(msg, ':')+1:])
	}
	return &Problem{Range: diag.At(diag.Pos{File: f.Name, Line: line, Col: 1}), Msg: "invalid YAML/JSON: " + msg}
}

type yamlReader struct {
	f   *File
	err *Problem
}

const maxYAMLDepth = 500

func (r *yamlReader) pos(n *yaml.Node) diag.Pos { return r.f.PosAt(n.Line, n.Column) }

func (r *yamlReader) fail(n *yaml.Node, format string, args ...any) {
	if r.err == nil {
		r.err = &Problem{Range: diag.At(r.pos(n)), Msg: fmt.Sprintf(format, args...)}
	}
}

// cfnTags maps CloudFormation's short-form tags to the functions they stand
// for.
var cfnTags = map[string]string{
	"!Ref": "Ref", "!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!Join": "Fn::Join",
	"!Select": "Fn::Select", "!Split": "Fn::Split", "!If": "Fn::If", "!ImportValue": "Fn::ImportValue",
	"!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64", "!GetAZs": "Fn::GetAZs", "!Equals": "Fn::Equals",
	"!Not": "Fn::Not", "!And": "Fn::And", "!Or": "Fn::Or", "!Cidr": "Fn::Cidr", "!Condition": "Condition",
}

func (r *yamlReader) node(n *yaml.Node, depth int) *Node {
	if depth > maxYAMLDepth {
		r.fail(n, "the document nests more than %d levels deep", maxYAMLDepth)
		return &Node{Kind: NullKind, Pos: r.pos(n)}
	}
	if n.Kind == yaml.AliasNode {
		return r.node(n.Alias, depth+1)
	}
	if fn, ok := cfnTags[n.Tag]; ok {
		inner := *n
		inner.Tag = ""
		switch n.Kind {
		case yaml.ScalarNode:
			inner.Tag = "!!str"
		case yaml.SequenceNode:
			inner.Tag = "!!seq"
		case yaml.MappingNode:
			inner.Tag = "!!map"
		}
		v := r.node(&inner, depth+1)
		if fn == "Fn::GetAtt" && v.Kind == StringKind {
			// !GetAtt Resource.Attribute is short for [Resource, Attribute].
			res, attr, _ := strings.Cut(v.Str, ".")
			l := NewList(v.Pos)
			l.Append(NewString(res, v.Pos))
			l.Append(NewString(attr, v.Pos))
			v = l
		}
		m := NewMap(v.Pos)
		m.Set(fn, v)
		return m
	}
	pos := r.pos(n)
	switch n.Kind {
	case yaml.MappingNode:
		m := NewMap(pos)
		// Keys a merge (<<: *anchor) brought in; the map's own keys
		// override them.
		merged := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" || k.Value == "<<" && k.Tag != "!!str" {
				for _, key := range r.merge(m, v, depth) {
					merged[key] = true
				}
				continue
			}
			if k.Kind != yaml.ScalarNode {
				r.fail(k, "a key must be a string, not a %s", kindName(k))
				continue
			}
			if m.Get(k.Value) != nil && !merged[k.Value] {
				r.fail(k, "key %q appears twice in this map", k.Value)
				continue
			}
			delete(merged, k.Value)
			child := r.node(v, depth+1)
			child.KeyPos = r.pos(k)
			m.Set(k.Value, child)
			child.KeyPos = r.pos(k)
		}
		return m
	case yaml.SequenceNode:
		l := NewList(pos)
		for _, c := range n.Content {
			l.Append(r.node(c, depth+1))
		}
		return l
	case yaml.ScalarNode:
		return r.scalar(n, pos)
	}
	return &Node{Kind: NullKind, Pos: pos}
}

// merge applies a YAML merge key (<<: *anchor) and returns the keys it
// added.
func (r *yamlReader) merge(m *Node, v *yaml.Node, depth int) []string {
	var added []string
	var sources []*Node
	src := r.node(v, depth+1)
	if src.Kind == ListKind {
		sources = src.Items
	} else {
		sources = []*Node{src}
	}
	for _, s := range sources {
		for _, e := range s.Entries {
			if m.Get(e.Key) == nil {
				m.Set(e.Key, e.clone())
				added = append(added, e.Key)
			}
		}
	}
	return added
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "map"
	case yaml.SequenceNode:
		return "list"
	}
	return "scalar"
}

func (r *yamlReader) scalar(n *yaml.Node, pos diag.Pos) *Node {
	switch n.ShortTag() {
	case "!!null":
		return &Node{Kind: NullKind, Pos: pos}
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			r.fail(n, "%v", err)
		}
		return NewBool(b, pos)
	case "!!int":
		var i big.Int
		text := strings.ReplaceAll(n.Value, "_", "")
		if _, ok := i.SetString(text, 0); !ok {
			return r.stringNode(n, pos)
		}
		return NewNumber(i.String(), pos)
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return r.stringNode(n, pos)
		}
		return NewNumber(strings.TrimPrefix(n.Value, "+"), pos)
	}
	return r.stringNode(n, pos)
}

func (r *yamlReader) stringNode(n *yaml.Node, pos diag.Pos) *Node {
	s := NewString(n.Value, pos)
	t := &SourceText{File: r.f, Start: r.f.Offset(n.Line, n.Column), End: len(r.f.Src)}
	switch n.Style {
	case yaml.DoubleQuotedStyle:
		t.Style = StyleQuoted
	case yaml.SingleQuotedStyle:
		t.Style = StyleSingleQuote
	case yaml.LiteralStyle, yaml.FoldedStyle:
		t.Style = StyleBlock
		r.blockExtent(t)
	default:
		t.Style = StylePlain
		t.End = min(t.Start+len(n.Value), len(r.f.Src))
	}
	s.Text = t
	return s
}

// blockExtent finds where a block scalar's content starts and how deep it
// is indented: the content begins on the line after the | or > indicator.
func (r *yamlReader) blockExtent(t *SourceText) {
	src := r.f.Src
	nl := bytes.IndexByte(src[t.Start:], '\n')
	if nl < 0 {
		return
	}
	start := t.Start + nl + 1
	// The indentation is that of the first non-blank content line.
	indent := 0
	for i := start; i < len(src); {
		j := i
		for j < len(src) && src[j] == ' ' {
			j++
		}
		if j < len(src) && src[j] != '\n' {
			indent = j - i
			break
		}
		if j >= len(src) {
			break
		}
		i = j + 1
	}
	end := start
	for end < len(src) {
		j := end
		for j < len(src) && src[j] == ' ' {
			j++
		}
		if j < len(src) && src[j] != '\n' && j-end < indent {
			break
		}
		k := bytes.IndexByte(src[end:], '\n')
		if k < 0 {
			end = len(src)
			break
		}
		end += k + 1
	}
	t.Start, t.End, t.Indent = start, end, indent
}
