package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"go.yaml.in/yaml/v3"

	"gwc.dev/gwc/diag"
)

// Template is an emitted CloudFormation template: the stack of the API,
// and with Options.Nested the nested stacks that hold its paths.
type Template struct {
	doc        map[string]any
	warnings   []diag.Diagnostic
	parameters []string
	// at is the API's place in the definition, where diagnostics about
	// the template as a whole point.
	at diag.Range
	// id is a nested stack's logical ID in the parent ("" for the parent).
	id string
	// nested are the parent's nested stacks, in logical ID order.
	nested []*Template
}

// Nested returns the templates of the nested stacks (none unless
// Options.Nested), each to be written at its NestedFile beside the
// parent's file.
func (t *Template) Nested() []*Template { return slices.Clone(t.nested) }

// NestedFile is where a nested stack's template goes, relative to the
// parent's file, in the given format ("json" or "yaml"): the parent's
// TemplateURL names it, and `aws cloudformation package` uploads it.
func (t *Template) NestedFile(format string) string {
	return nestedDir + "/" + t.id + "." + format
}

// what names the template in diagnostics.
func (t *Template) what() string {
	if t.id == "" {
		return "the template"
	}
	return "the template of nested stack " + t.id
}

// withFormat returns the document to encode in format: a parent's
// TemplateURLs name nested files of the same format.
func (t *Template) withFormat(format string) map[string]any {
	if len(t.nested) == 0 {
		return t.doc
	}
	doc := maps.Clone(t.doc)
	resources := maps.Clone(doc["Resources"].(map[string]any))
	for _, n := range t.nested {
		stack := maps.Clone(resources[n.id].(map[string]any))
		props := maps.Clone(stack["Properties"].(map[string]any))
		props["TemplateURL"] = n.NestedFile(format)
		stack["Properties"] = props
		resources[n.id] = stack
	}
	doc["Resources"] = resources
	return doc
}

// JSON encodes the template as indented JSON with sorted keys.
func (t *Template) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t.withFormat("json")); err != nil {
		return nil, fmt.Errorf("encode template: %w", err)
	}
	return b.Bytes(), nil
}

// YAML encodes the template as YAML with sorted keys. Intrinsic functions
// keep their long form (Fn::Sub:), which CloudFormation reads in YAML too.
func (t *Template) YAML() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	n, err := yamlNode(t.withFormat("yaml"))
	if err != nil {
		return nil, fmt.Errorf("encode template: %w", err)
	}
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("encode template: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode template: %w", err)
	}
	return b.Bytes(), nil
}

// Warnings are the settings of the definition the template leaves out
// because CloudFormation cannot express them, each at its place in the
// definition.
func (t *Template) Warnings() []diag.Diagnostic { return slices.Clone(t.warnings) }

// Parameters are the logical IDs of the template's Parameters: the values
// whoever deploys it must supply.
func (t *Template) Parameters() []string { return slices.Clone(t.parameters) }

// yamlNode turns a decoded JSON document into a YAML node tree: maps
// with sorted keys, json.Number as an integer or a float.
func yamlNode(v any) (*yaml.Node, error) {
	switch x := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			key := &yaml.Node{}
			key.SetString(k)
			val, err := yamlNode(x[k])
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, key, val)
		}
		return n, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range x {
			val, err := yamlNode(e)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, val)
		}
		return n, nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			v = i
		} else if f, err := x.Float64(); err == nil {
			v = f
		}
	}
	n := &yaml.Node{}
	if err := n.Encode(v); err != nil {
		return nil, err
	}
	return n, nil
}
