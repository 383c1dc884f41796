package cfntest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The schemas check each resource on its own. checkReferences checks what
// ties a template together, as cfn-lint's E1012 (Ref), E1010 (GetAtt),
// E1019 (Sub), E3005 (DependsOn) and E3004 (cycles) do: every name an
// intrinsic function or DependsOn uses exists, and nothing depends on
// itself.

var (
	logicalIDRE = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)
	// subVariableRE is cfn-lint's REGEX_SUB_PARAMETERS: ${...} not starting
	// with "!", up to the first "}".
	subVariableRE = regexp.MustCompile(`\$\{([^!].*?)\}`)
)

// pseudoParameters are CloudFormation's pseudo-parameters.
var pseudoParameters = []string{
	"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
	"AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
}

// refChecker holds what a template declares.
type refChecker struct {
	resources  map[string]string // logical ID → type
	parameters map[string]bool
	attributes map[string][]string // type → attributes, where known
	findings   []Finding
	// deps maps a resource to the resources it depends on.
	deps map[string][]string
}

// checkReferences checks the names used by every Ref, Fn::GetAtt, Fn::Sub
// and DependsOn in the template. attributes lists the Fn::GetAtt
// attributes of the resource types it knows.
func checkReferences(tmpl map[string]any, attributes map[string][]string) []Finding {
	c := &refChecker{resources: map[string]string{}, parameters: map[string]bool{}, attributes: attributes, deps: map[string][]string{}}
	resources, _ := tmpl["Resources"].(map[string]any)
	params, _ := tmpl["Parameters"].(map[string]any)
	for id := range params {
		c.parameters[id] = true
		if !logicalIDRE.MatchString(id) {
			c.add("", "Parameters."+id, "parameter name %q is not a valid logical ID (alphanumeric, at most 255 characters)", id)
		}
		if p, _ := params[id].(map[string]any); p["Type"] == nil {
			c.add("", "Parameters."+id, "parameter %s has no Type", id)
		}
	}
	for id, r := range resources {
		res, _ := r.(map[string]any)
		typeName, _ := res["Type"].(string)
		c.resources[id] = typeName
		if !logicalIDRE.MatchString(id) {
			c.add(id, "", "logical ID %q is not alphanumeric (at most 255 characters)", id)
		}
		if c.parameters[id] {
			c.add(id, "", "logical ID %s is both a parameter and a resource", id)
		}
	}
	for _, id := range sortedKeys(resources) {
		res, _ := resources[id].(map[string]any)
		if props, ok := res["Properties"]; ok {
			c.walk(id, "Properties", props)
		}
		for _, d := range DependsOnList(res["DependsOn"]) {
			switch {
			case d == id:
				c.add(id, "DependsOn", "the resource depends on itself")
			case c.resources[d] == "":
				c.add(id, "DependsOn", "DependsOn names %q, which is not a resource of the template", d)
			default:
				c.deps[id] = append(c.deps[id], d)
			}
		}
	}
	outputs, _ := tmpl["Outputs"].(map[string]any)
	for _, id := range sortedKeys(outputs) {
		out, _ := outputs[id].(map[string]any)
		if _, ok := out["Value"]; !ok {
			c.add("", "Outputs."+id, "output %s has no Value", id)
		}
		c.walk("", "Outputs."+id+".Value", out["Value"])
	}
	c.findCycle()
	return c.findings
}

func (c *refChecker) add(resource, path, format string, args ...any) {
	c.findings = append(c.findings, Finding{Source: "references", Resource: resource, Path: path, Message: fmt.Sprintf(format, args...)})
}

// walk visits a value, checking the intrinsic functions in it. from is
// the resource being checked ("" for outputs), whose dependencies the
// references add to.
func (c *refChecker) walk(from, path string, v any) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for fn, arg := range x {
				switch fn {
				case "Ref":
					c.ref(from, path, arg)
					return
				case "Fn::GetAtt":
					c.getAtt(from, path, arg)
					return
				case "Fn::Sub":
					c.sub(from, path, arg)
					return
				}
			}
		}
		for _, k := range sortedKeys(x) {
			c.walk(from, path+"."+k, x[k])
		}
	case []any:
		for i, e := range x {
			c.walk(from, fmt.Sprintf("%s[%d]", path, i), e)
		}
	}
}

func (c *refChecker) ref(from, path string, arg any) {
	name, ok := arg.(string)
	switch {
	case !ok:
		c.add(from, path, "Ref takes a name, not %v", arg)
	case slices.Contains(pseudoParameters, name) || c.parameters[name]:
	case c.resources[name] != "":
		c.dependOn(from, name)
	default:
		c.add(from, path, "Ref %q names no parameter, resource or pseudo-parameter of the template", name)
	}
}

func (c *refChecker) getAtt(from, path string, arg any) {
	var id, attr string
	switch x := arg.(type) {
	case []any:
		if len(x) == 2 {
			id, _ = x[0].(string)
			attr, _ = x[1].(string)
		}
	case string:
		id, attr, _ = strings.Cut(x, ".")
	}
	if id == "" || attr == "" {
		c.add(from, path, "Fn::GetAtt takes [resource, attribute], not %v", arg)
		return
	}
	c.attribute(from, path, "Fn::GetAtt", id, attr)
}

// attribute checks that resource id exists and, when its type's schema is
// known, has attribute attr.
func (c *refChecker) attribute(from, path, fn, id, attr string) {
	typeName := c.resources[id]
	if typeName == "" {
		c.add(from, path, "%s names %q, which is not a resource of the template", fn, id)
		return
	}
	if attrs, known := c.attributes[typeName]; known && !slices.Contains(attrs, attr) {
		c.add(from, path, "%s %s.%s: %s has no attribute %s (it has %s)", fn, id, attr, typeName, attr, strings.Join(attrs, ", "))
		return
	}
	c.dependOn(from, id)
}

func (c *refChecker) sub(from, path string, arg any) {
	var s string
	var vars map[string]any
	ok := false
	switch x := arg.(type) {
	case string:
		s, ok = x, true
	case []any:
		if len(x) == 2 {
			var isStr, isMap bool
			s, isStr = x[0].(string)
			vars, isMap = x[1].(map[string]any)
			ok = isStr && isMap
			for _, k := range sortedKeys(vars) {
				c.walk(from, path+"[1]."+k, vars[k])
			}
		}
	}
	if !ok {
		c.add(from, path, "Fn::Sub takes a string or [string, {variables}], not %v", arg)
		return
	}
	for _, m := range subVariableRE.FindAllStringSubmatch(s, -1) {
		name := m[1]
		if _, ok := vars[name]; ok {
			continue
		}
		if strings.HasPrefix(name, "AWS::") {
			if !slices.Contains(pseudoParameters, name) || name == "AWS::NoValue" || name == "AWS::NotificationARNs" {
				c.add(from, path, "Fn::Sub variable ${%s} is not a string pseudo-parameter", name)
			}
			continue
		}
		if c.parameters[name] {
			continue
		}
		if c.resources[name] != "" {
			c.dependOn(from, name)
			continue
		}
		if id, attr, ok := strings.Cut(name, "."); ok {
			c.attribute(from, path, "Fn::Sub variable", id, attr)
			continue
		}
		c.add(from, path, "Fn::Sub variable ${%s} names no parameter, resource or pseudo-parameter of the template (write ${!%s} for a literal)", name, name)
	}
}

func (c *refChecker) dependOn(from, to string) {
	if from != "" {
		c.deps[from] = append(c.deps[from], to)
	}
}

// findCycle reports one cycle among the resources' dependencies, which
// CloudFormation refuses ("Circular dependency between resources").
func (c *refChecker) findCycle() {
	state := map[string]int{}
	var stack []string
	var visit func(string) []string
	visit = func(n string) []string {
		switch state[n] {
		case 1:
			return append(slices.Clone(stack[slices.Index(stack, n):]), n)
		case 2:
			return nil
		}
		state[n] = 1
		stack = append(stack, n)
		next := slices.Clone(c.deps[n])
		slices.Sort(next)
		for _, d := range next {
			if cyc := visit(d); cyc != nil {
				return cyc
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = 2
		return nil
	}
	ids := make([]string, 0, len(c.resources))
	for id := range c.resources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if cyc := visit(id); cyc != nil {
			c.add(cyc[0], "", "circular dependency: %s", strings.Join(cyc, " → "))
			return
		}
	}
}

// DependsOnList reads a resource's DependsOn, a name or a list of names.
func DependsOnList(v any) []string {
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
	}
	return nil
}
