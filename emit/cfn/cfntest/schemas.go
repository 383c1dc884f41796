package cfntest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaSet is one set of CloudFormation resource schemas, compiled to
// accept intrinsic functions where a string is expected.
type schemaSet struct {
	name string
	// byType maps a resource type to its compiled schema.
	byType map[string]*jsonschema.Schema
	// attributes maps a resource type to the attributes Fn::GetAtt may
	// read: the schema's readOnlyProperties.
	attributes map[string][]string
}

// loadSchemaSet compiles every aws-*.json registry schema in dir.
func loadSchemaSet(name, dir string) (*schemaSet, error) {
	files, err := filepath.Glob(filepath.Join(dir, "aws-*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no aws-*.json schemas in %s", dir)
	}
	set := &schemaSet{name: name, byType: map[string]*jsonschema.Schema{}, attributes: map[string][]string{}}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	for _, f := range files {
		typeName, doc, attrs, err := readSchema(f)
		if err != nil {
			return nil, err
		}
		url := "gwc-cfntest:///" + name + "/" + filepath.Base(f)
		if err := c.AddResource(url, allowIntrinsics(doc)); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		sch, err := c.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		set.byType[typeName] = sch
		set.attributes[typeName] = attrs
	}
	return set, nil
}

// readSchema reads one registry schema: its type name, the schema itself
// (without the keywords that are the registry's, not JSON Schema's), and
// the attributes its resources expose.
func readSchema(file string) (string, map[string]any, []string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", nil, nil, err
	}
	defer f.Close()
	v, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return "", nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return "", nil, nil, fmt.Errorf("%s: not a JSON object", file)
	}
	typeName, _ := doc["typeName"].(string)
	if typeName == "" {
		return "", nil, nil, fmt.Errorf("%s: no typeName", file)
	}
	var attrs []string
	if ro, ok := doc["readOnlyProperties"].([]any); ok {
		for _, p := range ro {
			if s, ok := p.(string); ok {
				attrs = append(attrs, strings.ReplaceAll(strings.TrimPrefix(s, "/properties/"), "/", "."))
			}
		}
	}
	delete(doc, "$schema")
	return typeName, doc, attrs, nil
}

// validate checks the Properties of every resource whose type the set has
// a schema for; resources of other types are left to the other checks.
func (s *schemaSet) validate(tmpl map[string]any) []Finding {
	resources, _ := tmpl["Resources"].(map[string]any)
	var out []Finding
	for _, id := range sortedKeys(resources) {
		res, _ := resources[id].(map[string]any)
		typeName, _ := res["Type"].(string)
		sch := s.byType[typeName]
		if sch == nil {
			continue
		}
		props, ok := res["Properties"]
		if !ok {
			props = map[string]any{}
		}
		err := sch.Validate(props)
		var verr *jsonschema.ValidationError
		switch {
		case err == nil:
		case errors.As(err, &verr):
			for _, leaf := range leafErrors(verr) {
				out = append(out, Finding{
					Source:   "schema:" + s.name,
					Resource: id,
					Path:     "Properties" + pointer(leaf.InstanceLocation),
					Message:  leafMessage(leaf),
				})
			}
		default:
			out = append(out, Finding{Source: "schema:" + s.name, Resource: id, Message: err.Error()})
		}
	}
	return out
}

// leafErrors flattens a validation error to the errors that have no
// causes: the actual mismatches, not the "anyOf failed" around them.
func leafErrors(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leafErrors(c)...)
	}
	return out
}

func leafMessage(e *jsonschema.ValidationError) string {
	msg := e.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "jsonschema validation failed") {
		msg = msg[i+2:]
	}
	return strings.TrimSpace(msg)
}

func pointer(loc []string) string {
	if len(loc) == 0 {
		return ""
	}
	return "." + strings.Join(loc, ".")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
