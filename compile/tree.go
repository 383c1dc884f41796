package compile

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

type segmentKind uint8

const (
	literalSegment segmentKind = iota
	paramSegment
	greedySegment
)

// segment is one path part of a resource path.
type segment struct {
	text string
	kind segmentKind
	name string // the parameter's name for {name} and {name+}
}

var (
	// literalPartRE is what API Gateway accepts in a literal path part:
	// "a-zA-Z0-9._-", plus the colon and comma its OpenAPI importer takes.
	literalPartRE = regexp.MustCompile(`^[a-zA-Z0-9._:,-]+$`)
	paramPartRE   = regexp.MustCompile(`^\{([a-zA-Z0-9._-]+)(\+?)\}$`)
)

const pathPartRule = "a resource's path part allows only a-zA-Z0-9._- (and : or ,), or a whole-segment {name} or {name+}"

// parsePath splits a resource path into segments.
func parsePath(p string) ([]segment, error) {
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("resource path %q must start with /", p)
	}
	if p == "/" {
		return nil, nil
	}
	var segs []segment
	for _, part := range strings.Split(p[1:], "/") {
		switch {
		case part == "":
			return nil, fmt.Errorf("resource path %q has an empty path part (// or a trailing /)", p)
		case literalPartRE.MatchString(part):
			segs = append(segs, segment{text: part})
		default:
			m := paramPartRE.FindStringSubmatch(part)
			if m == nil {
				return nil, fmt.Errorf("path part %q of %s is invalid: %s", part, p, pathPartRule)
			}
			kind := paramSegment
			if m[2] == "+" {
				kind = greedySegment
			}
			segs = append(segs, segment{text: part, kind: kind, name: m[1]})
		}
	}
	return segs, nil
}

// buildTree checks every resource path, adds the resources that paths imply
// (a method on /a/b implies /a and /), and enforces API Gateway's rules for
// the tree: one variable child per parent, no children under a greedy
// resource, one name per path parameter.
func (c *compiler) buildTree() {
	declared := slices.Clone(c.api.Resources)
	c.api.Resources = nil
	add := func(r *schema.Resource, segs []segment) {
		c.resources[r.Path] = r
		c.segments[r] = segs
		c.api.Resources = append(c.api.Resources, r)
	}
	for _, r := range declared {
		at := r.Src.KeyRange()
		path := r.Path
		if len(path) > 1 && strings.HasSuffix(path, "/") {
			trimmed := strings.TrimRight(path, "/")
			if trimmed == "" {
				trimmed = "/"
			}
			c.warnf(at, CodeInvalidPath, "resource path %q ends with /; API Gateway ignores the trailing slash, so this is %s", path, trimmed)
			path = trimmed
		}
		segs, err := parsePath(path)
		if err != nil {
			c.errorf(at, CodeInvalidPath, "%v", err)
			continue
		}
		if prev, dup := c.resources[path]; dup {
			c.ds.Add(diag.Diagnostic{
				Code: CodeDuplicatePath, Severity: diag.Error, Range: at,
				Message: fmt.Sprintf("resource path %s is declared twice", path),
				Related: []diag.Related{{Message: "first declared here", Range: prev.Src.KeyRange()}},
			})
			continue
		}
		r.Path = path
		add(r, segs)
	}
	// Add implied ancestors.
	for _, r := range slices.Clone(c.api.Resources) {
		segs := c.segments[r]
		for i := 0; i <= len(segs)-1; i++ {
			p := joinPath(segs[:i])
			if _, ok := c.resources[p]; !ok {
				add(&schema.Resource{Src: r.Src, Path: p}, segs[:i])
			}
		}
	}
	if _, ok := c.resources["/"]; !ok {
		add(&schema.Resource{Src: c.api.Src, Path: "/"}, nil)
	}
	slices.SortFunc(c.api.Resources, func(a, b *schema.Resource) int { return strings.Compare(a.Path, b.Path) })
	c.checkTree()
}

func joinPath(segs []segment) string {
	if len(segs) == 0 {
		return "/"
	}
	parts := make([]string, len(segs))
	for i, s := range segs {
		parts[i] = s.text
	}
	return "/" + strings.Join(parts, "/")
}

// parent returns the parent path of a resource path.
func parent(path string) string {
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return "/"
	}
	return path[:i]
}

func (c *compiler) checkTree() {
	variableChild := map[string]*schema.Resource{}
	for _, r := range c.api.Resources {
		segs := c.segments[r]
		if len(segs) == 0 {
			continue
		}
		last := segs[len(segs)-1]
		par := parent(r.Path)
		if last.kind != literalSegment {
			if other, ok := variableChild[par]; ok {
				c.ds.Add(diag.Diagnostic{
					Code: CodeVariableSiblings, Severity: diag.Error, Range: r.Src.KeyRange(),
					Message: fmt.Sprintf("a sibling (%s) of %s already has a variable path part -- only one is allowed under %s",
						lastPart(other.Path), last.text, par),
					Related: []diag.Related{{Message: "the other variable path part", Range: other.Src.KeyRange()}},
				})
			} else {
				variableChild[par] = r
			}
		}
		seen := map[string]bool{}
		for i, s := range segs {
			if s.kind == greedySegment && i < len(segs)-1 {
				c.errorf(r.Src.KeyRange(), CodeGreedyChild,
					"cannot create a child of a resource with a greedy path variable: %s has %s under %s",
					r.Path, joinPath(segs[i+1 : i+2])[1:], s.text)
				break
			}
			if s.kind != literalSegment {
				if seen[s.name] {
					c.errorf(r.Src.KeyRange(), CodeDuplicatePathParam,
						"path parameter %q appears twice in %s, so method.request.path.%s would be ambiguous", s.name, r.Path, s.name)
				}
				seen[s.name] = true
			}
		}
	}
}

func lastPart(path string) string { return path[strings.LastIndexByte(path, '/')+1:] }

// pathParams returns the names of the path parameters of a resource.
func (c *compiler) pathParams(r *schema.Resource) []string {
	var out []string
	for _, s := range c.segments[r] {
		if s.kind != literalSegment {
			out = append(out, s.name)
		}
	}
	return out
}
