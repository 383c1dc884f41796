package cfn

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Nesting moves the API's paths (its Resource and Method resources, and
// the documentation parts of each path) into nested stacks, so that an API of any number of methods deploys although
// one stack takes at most 500 resources and 1 MB. The parent keeps
// everything else (the RestApi, models, authorizers, validators, gateway
// responses, the Deployment, stages, usage plans, domains) and one
// AWS::CloudFormation::Stack per part, whose TemplateURL is the part's
// file beside the parent (nested/<ID>.json), which `aws cloudformation
// package` uploads and rewrites.
//
// The split works on the finished template, so it is the same template
// with its resources placed differently: every reference that crosses a
// stack boundary becomes a Parameter of the nested stack (the parent
// passes the value) or an Output of one nested stack that the parent
// passes to another, and a DependsOn that crosses becomes a DependsOn of
// the whole nested stack. Paths are packed in the order of the path tree,
// a resource with its methods, so that few references cross.

// Limits of one nested stack, below CloudFormation's quotas (500
// resources, 200 parameters and outputs, 1 MB) with room for what the
// split adds.
const (
	nestedMaxResources = 450
	nestedMaxBytes     = 800 << 10
)

// nestedStackType is the resource type of a nested stack.
const nestedStackType = "AWS::CloudFormation::Stack"

// nestedDir is the folder of the nested templates, beside the parent.
const nestedDir = "nested"

// nestedPart is one nested stack being built.
type nestedPart struct {
	id        string         // its logical ID in the parent
	resources map[string]any // the resources it holds
	bytes     int

	params  map[string]any // parameter name → the value the parent passes
	outputs map[string]any // output name → its value in this stack
	// paramOf names the parameter that carries each outside value
	// (keyed by name and attribute).
	paramOf map[string]string
	// dependsOn lists the parent resources and other parts this stack
	// waits for.
	dependsOn map[string]bool
}

// nest splits doc, the template of the whole API, into a parent and its
// nested stacks (by logical ID in the parent).
func nest(doc map[string]any) (map[string]any, map[string]map[string]any, error) {
	resources, _ := doc["Resources"].(map[string]any)
	units, err := pathUnits(resources)
	if err != nil {
		return nil, nil, err
	}
	// Pack the units into parts.
	var parts []*nestedPart
	home := map[string]*nestedPart{} // moved resource → its part
	taken := func(id string) bool {
		_, ok := resources[id]
		return ok
	}
	newPart := func() *nestedPart {
		n := len(parts) + 1
		id := fmt.Sprintf("Paths%d", n)
		for taken(id) {
			id += "X"
		}
		p := &nestedPart{id: id, resources: map[string]any{}, params: map[string]any{}, outputs: map[string]any{}, paramOf: map[string]string{}, dependsOn: map[string]bool{}}
		parts = append(parts, p)
		return p
	}
	var cur *nestedPart
	for _, u := range units {
		size := 0
		for _, id := range u {
			b, err := json.MarshalIndent(resources[id], "    ", "  ")
			if err != nil {
				return nil, nil, fmt.Errorf("nest: %w", err)
			}
			size += len(b) + len(id) + 12
		}
		if cur == nil || len(cur.resources)+len(u) > nestedMaxResources || cur.bytes+size > nestedMaxBytes {
			cur = newPart()
		}
		for _, id := range u {
			cur.resources[id] = resources[id]
			home[id] = cur
		}
		cur.bytes += size
	}

	parent := maps.Clone(doc)
	parentResources := map[string]any{}
	for id, r := range resources {
		if home[id] == nil {
			parentResources[id] = r
		}
	}
	parent["Resources"] = parentResources

	// Rewrite each part's references that leave it.
	for _, p := range parts {
		for _, id := range slices.Sorted(maps.Keys(p.resources)) {
			r := maps.Clone(p.resources[id].(map[string]any))
			w := &crossing{part: p, home: home}
			if props, ok := r["Properties"]; ok {
				r["Properties"] = w.value(props)
			}
			if deps := dependsOnList(r["DependsOn"]); len(deps) > 0 {
				var inside []string
				for _, d := range deps {
					switch h := home[d]; {
					case h == p:
						inside = append(inside, d)
					case h != nil:
						p.dependsOn[h.id] = true
					default:
						p.dependsOn[d] = true
					}
				}
				if len(inside) > 0 {
					r["DependsOn"] = inside
				} else {
					delete(r, "DependsOn")
				}
			}
			p.resources[id] = r
		}
	}
	// The parent's own references to moved resources read the parts'
	// outputs; its DependsOn on them waits for the whole part.
	for id, r := range parentResources {
		r := maps.Clone(r.(map[string]any))
		w := &crossing{home: home}
		if props, ok := r["Properties"]; ok {
			r["Properties"] = w.value(props)
		}
		if deps := dependsOnList(r["DependsOn"]); len(deps) > 0 {
			var out []string
			seen := map[string]bool{}
			for _, d := range deps {
				if h := home[d]; h != nil {
					d = h.id
				}
				if !seen[d] {
					seen[d] = true
					out = append(out, d)
				}
			}
			slices.Sort(out)
			r["DependsOn"] = out
		}
		parentResources[id] = r
	}
	if outputs, ok := doc["Outputs"].(map[string]any); ok {
		w := &crossing{home: home}
		parent["Outputs"] = w.value(outputs)
	}

	children := map[string]map[string]any{}
	for i, p := range parts {
		child := map[string]any{
			"AWSTemplateFormatVersion": "2010-09-09",
			"Description":              fmt.Sprintf("REST API %s: its paths, part %d of %d (a nested stack of the API's template)", apiName(doc), i+1, len(parts)),
			"Resources":                p.resources,
		}
		if len(p.params) > 0 {
			ps := map[string]any{}
			for name := range p.params {
				ps[name] = map[string]any{"Type": "String"}
			}
			child["Parameters"] = ps
		}
		if len(p.outputs) > 0 {
			outs := map[string]any{}
			for name, v := range p.outputs {
				outs[name] = map[string]any{"Value": v}
			}
			child["Outputs"] = outs
		}
		children[p.id] = child
		stack := map[string]any{
			"Type":       nestedStackType,
			"Properties": map[string]any{"TemplateURL": nestedDir + "/" + p.id + ".json"},
		}
		if len(p.params) > 0 {
			stack["Properties"].(map[string]any)["Parameters"] = p.params
		}
		if len(p.dependsOn) > 0 {
			stack["DependsOn"] = slices.Sorted(maps.Keys(p.dependsOn))
		}
		parentResources[p.id] = stack
	}
	return parent, children, nil
}

// apiName is the name of the RestApi of a template, for the nested
// stacks' descriptions.
func apiName(doc map[string]any) string {
	resources, _ := doc["Resources"].(map[string]any)
	if api, ok := resources[apiID].(map[string]any); ok {
		if props, ok := api["Properties"].(map[string]any); ok {
			if name, ok := props["Name"].(string); ok {
				return name
			}
		}
	}
	return "(unnamed)"
}

// pathUnits lists the template's Resource and Method resources in the
// order of the path tree, each path resource with its methods (the root's
// methods first, as a unit of their own). The documentation parts of a
// path (of its resource, methods, parameters, bodies, responses) follow
// their path's unit, in units of their own so that no unit grows past
// what a part holds; the parts of the API, its models and authorizers,
// and of paths the API does not have, stay in the parent.
func pathUnits(resources map[string]any) ([][]string, error) {
	children := map[string][]string{} // parent resource ("" for the root) → path resources
	methods := map[string][]string{}  // resource → its methods
	pathPart := map[string]string{}   // resource → its PathPart
	parentOf := map[string]string{}
	docs := map[string][]string{} // path → its documentation parts
	for _, id := range slices.Sorted(maps.Keys(resources)) {
		r, _ := resources[id].(map[string]any)
		props, _ := r["Properties"].(map[string]any)
		switch r["Type"] {
		case "AWS::ApiGateway::Resource":
			parent, err := pathParent(props["ParentId"])
			if err != nil {
				return nil, fmt.Errorf("nest: resource %s: %w", id, err)
			}
			children[parent] = append(children[parent], id)
			parentOf[id] = parent
			pathPart[id], _ = props["PathPart"].(string)
		case "AWS::ApiGateway::Method":
			parent, err := pathParent(props["ResourceId"])
			if err != nil {
				return nil, fmt.Errorf("nest: method %s: %w", id, err)
			}
			methods[parent] = append(methods[parent], id)
		case "AWS::ApiGateway::DocumentationPart":
			loc, _ := props["Location"].(map[string]any)
			if path, ok := loc["Path"].(string); ok {
				docs[path] = append(docs[path], id)
			}
		}
	}
	var pathOf func(id string) string
	pathOf = func(id string) string {
		if id == "" {
			return "/"
		}
		parent := pathOf(parentOf[id])
		if parent == "/" {
			parent = ""
		}
		return parent + "/" + pathPart[id]
	}
	var units [][]string
	add := func(id string, unit []string) {
		if len(unit) > 0 {
			units = append(units, unit)
		}
		for ds := docs[pathOf(id)]; len(ds) > 0; {
			n := min(len(ds), nestedMaxResources/4)
			units = append(units, ds[:n])
			ds = ds[n:]
		}
	}
	add("", methods[""])
	var walk func(parent string)
	walk = func(parent string) {
		for _, id := range children[parent] {
			add(id, append([]string{id}, methods[id]...))
			walk(id)
		}
	}
	walk("")
	return units, nil
}

// pathParent reads a ParentId or ResourceId: the root resource ("") or
// another path resource.
func pathParent(v any) (string, error) {
	m, _ := v.(map[string]any)
	if ref, ok := m["Ref"].(string); ok && len(m) == 1 {
		return ref, nil
	}
	if att, ok := m["Fn::GetAtt"].([]any); ok && len(m) == 1 && len(att) == 2 && att[0] == apiID && att[1] == "RootResourceId" {
		return "", nil
	}
	return "", fmt.Errorf("unexpected parent %v", v)
}

// crossing rewrites the intrinsic functions of one resource whose
// references may leave the stack it is in: part is that stack (nil for
// the parent), home says which part each moved resource is in.
type crossing struct {
	part *nestedPart
	home map[string]*nestedPart
}

// local reports whether logical ID id is in the stack being rewritten.
func (c *crossing) local(id string) bool {
	return c.home[id] == c.part
}

// value returns v with its references rewritten.
func (c *crossing) value(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for fn, arg := range x {
				switch fn {
				case "Ref":
					if name, ok := arg.(string); ok && !strings.HasPrefix(name, "AWS::") && !c.local(name) {
						return c.reach(name, "")
					}
					return x
				case "Fn::GetAtt":
					if att, ok := arg.([]any); ok && len(att) == 2 {
						name, _ := att[0].(string)
						attr, _ := att[1].(string)
						if !c.local(name) {
							return c.reach(name, attr)
						}
					}
					return x
				case "Fn::Sub":
					return map[string]any{"Fn::Sub": c.sub(arg)}
				}
			}
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = c.value(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = c.value(e)
		}
		return out
	}
	return v
}

// sub rewrites the references of an Fn::Sub argument: its string, or a
// string and its variables.
func (c *crossing) sub(arg any) any {
	switch x := arg.(type) {
	case string:
		return c.subString(x, nil)
	case []any:
		if len(x) != 2 {
			return arg
		}
		s, ok1 := x[0].(string)
		vars, ok2 := x[1].(map[string]any)
		if ok1 && ok2 {
			return []any{c.subString(s, vars), c.value(vars)}
		}
	}
	return arg
}

// subString rewrites the ${Name} and ${Name.Attr} of an Fn::Sub string
// that name something outside the stack.
func (c *crossing) subString(s string, vars map[string]any) string {
	parts, _, err := parseSub(s, true)
	if err != nil {
		// The emitter wrote it; it parsed when it was written.
		return s
	}
	var b strings.Builder
	for _, p := range parts {
		switch p.kind {
		case literal:
			b.WriteString(p.escaped)
			continue
		case pseudoRef:
			b.WriteString("${" + p.text + "}")
			continue
		}
		if _, ok := vars[p.name]; ok || c.local(p.name) {
			b.WriteString("${" + p.text + "}")
			continue
		}
		switch r := c.reach(p.name, p.attr).(type) {
		case map[string]any:
			if ref, ok := r["Ref"].(string); ok {
				b.WriteString("${" + ref + "}")
			} else {
				att := r["Fn::GetAtt"].([]any)
				b.WriteString("${" + att[0].(string) + "." + att[1].(string) + "}")
			}
		}
	}
	return b.String()
}

// reach returns how the stack being rewritten reads the value of
// resource or parameter name (its attribute attr, or its Ref when attr is
// empty), which is in another stack.
func (c *crossing) reach(name, attr string) any {
	// What the parent reads: the thing itself, or a part's output.
	inParent := func() any {
		h := c.home[name]
		if h == nil {
			if attr == "" {
				return map[string]any{"Ref": name}
			}
			return map[string]any{"Fn::GetAtt": []any{name, attr}}
		}
		out := outputName(name, attr)
		if attr == "" {
			h.outputs[out] = map[string]any{"Ref": name}
		} else {
			h.outputs[out] = map[string]any{"Fn::GetAtt": []any{name, attr}}
		}
		return map[string]any{"Fn::GetAtt": []any{h.id, "Outputs." + out}}
	}
	if c.part == nil {
		return inParent()
	}
	// A nested stack reads it from a parameter the parent fills in. Its
	// name must not be one of the stack's resources.
	key := name + "." + attr
	param, ok := c.part.paramOf[key]
	if !ok {
		param = outputName(name, attr)
		for c.part.resources[param] != nil || c.part.params[param] != nil {
			param += "In"
		}
		c.part.paramOf[key] = param
		c.part.params[param] = inParent()
	}
	return map[string]any{"Ref": param}
}

// outputName is the parameter or output that carries name's Ref, or its
// attribute attr, across stacks: Name, or NameAttr.
func outputName(name, attr string) string {
	return name + strings.ReplaceAll(attr, ".", "")
}

// dependsOnList reads DependsOn, a name or a list of names.
func dependsOnList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	}
	return nil
}
