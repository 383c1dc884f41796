package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// rootOrder lists the document's own top-level fields in the order the
// OpenAPI specification presents them; extensions follow, sorted.
var rootOrder = []string{"openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs"}

// encode writes the document. kin-openapi marshals it to JSON; that JSON
// is read back as plain values (numbers keep their text) and written
// again, indented and without HTML escaping, so that templates read as
// they were written.
func encode(doc *openapi3.T, f Format) ([]byte, error) {
	raw, err := doc.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("openapi: encode document: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("openapi: decode document: %w", err)
	}
	keys := topLevelKeys(root)
	if f == YAML {
		return encodeYAML(root, keys)
	}
	return encodeJSON(root, keys)
}

func topLevelKeys(root map[string]any) []string {
	var keys []string
	for _, k := range rootOrder {
		if _, ok := root[k]; ok {
			keys = append(keys, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(root)) {
		if !slices.Contains(rootOrder, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

func encodeJSON(root map[string]any, keys []string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, k := range keys {
		key, err := marshalJSON(k, "")
		if err != nil {
			return nil, err
		}
		val, err := marshalJSON(root[k], "  ")
		if err != nil {
			return nil, err
		}
		b.WriteString("  ")
		b.Write(key)
		b.WriteString(": ")
		b.Write(val)
		if i < len(keys)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// marshalJSON encodes v indented, each line after the first starting with
// prefix, with sorted keys and without HTML escaping.
func marshalJSON(v any, prefix string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("openapi: encode document: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func encodeYAML(root map[string]any, keys []string) ([]byte, error) {
	top := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range keys {
		top.Content = append(top.Content, yamlString(k), yamlNode(root[k]))
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(top); err != nil {
		return nil, fmt.Errorf("openapi: encode document: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("openapi: encode document: %w", err)
	}
	return b.Bytes(), nil
}

// yamlNode turns a decoded JSON value into a YAML node: maps with sorted
// keys, numbers with their JSON text.
func yamlNode(v any) *yaml.Node {
	switch x := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			n.Content = append(n.Content, yamlString(k), yamlNode(x[k]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range x {
			n.Content = append(n.Content, yamlNode(e))
		}
		return n
	case string:
		return yamlString(x)
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(x.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: x.String()}
	case bool:
		if x {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"}
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "false"}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

func yamlString(s string) *yaml.Node {
	n := &yaml.Node{}
	n.SetString(s)
	return n
}
