package runtime

import "strings"

// The router finds the (resource, method) pair that serves a request, with
// API Gateway's rules (§3.3 of the behaviour specification):
//
//   - a literal segment matches itself (case-sensitively), {p} one
//     non-empty segment, {p+} one or more remaining segments; the root
//     matches no segment, and a greedy resource never matches the root;
//   - among the resources that match and declare the request's verb or
//     ANY, the most specific wins, comparing segment by segment from the
//     left: literal before {param} before {greedy+};
//   - on that resource, the verb's own method wins over ANY.
//
// So a resource that lacks the verb lets the request fall through to a
// less specific one, such as /{proxy+}. The trie walks children in the
// order of specificity and backtracks, so the first match it finds is the
// most specific.

// node is a resource in the routing trie.
type node struct {
	resource *Resource
	literal  map[string]*node
	param    *node // the {name} child, if any
	greedy   *node // the {name+} child, if any
	name     string
}

// segment is a part of the request path, as offsets into the raw path.
type segment struct{ start, end int }

// maxSegments bounds the segments kept on the stack while routing; deeper
// paths allocate.
const maxSegments = 32

// routeMatch is the result of routing.
type routeMatch struct {
	method *Method
	// params are the path parameters, in the order of the resource path.
	params [8]pathParam
	extra  []pathParam // beyond 8
	n      int
}

type pathParam struct{ name, value string }

func (m *routeMatch) add(name, value string) {
	if m.n < len(m.params) {
		m.params[m.n] = pathParam{name, value}
	} else {
		m.extra = append(m.extra, pathParam{name, value})
	}
	m.n++
}

func (m *routeMatch) param(i int) pathParam {
	if i < len(m.params) {
		return m.params[i]
	}
	return m.extra[i-len(m.params)]
}

// splitPath splits a raw path into its non-empty segments. Empty segments
// (from leading, trailing or repeated slashes) are dropped for matching, as
// API Gateway drops them.
func splitPath(path string, buf []segment) []segment {
	segs := buf[:0]
	start := -1
	for i := 0; i < len(path); i++ {
		if path[i] == '/' {
			if start >= 0 {
				segs = append(segs, segment{start, i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		segs = append(segs, segment{start, len(path)})
	}
	return segs
}

// route finds the method for verb on the raw path (the part after the
// stage), filling m. It reports whether one was found.
func (n *node) route(verb, path string, m *routeMatch) bool {
	var buf [maxSegments]segment
	segs := splitPath(path, buf[:])
	return n.match(verb, path, segs, 0, m)
}

func (n *node) match(verb, path string, segs []segment, i int, m *routeMatch) bool {
	if i == len(segs) {
		if meth := n.resource.serves(verb); meth != nil {
			m.method = meth
			return true
		}
		return false
	}
	seg := path[segs[i].start:segs[i].end]
	if child := n.literal[seg]; child != nil && child.match(verb, path, segs, i+1, m) {
		return true
	}
	if n.param != nil {
		mark := m.n
		m.add(n.param.name, seg)
		if n.param.match(verb, path, segs, i+1, m) {
			return true
		}
		m.truncate(mark)
	}
	if g := n.greedy; g != nil {
		if meth := g.resource.serves(verb); meth != nil {
			// The greedy value is the rest of the raw path: inner slashes
			// kept, trailing ones dropped.
			m.add(g.name, strings.TrimRight(path[segs[i].start:], "/"))
			m.method = meth
			return true
		}
	}
	return false
}

func (m *routeMatch) truncate(n int) {
	if n < len(m.params) {
		m.extra = m.extra[:0]
	} else {
		m.extra = m.extra[:n-len(m.params)]
	}
	m.n = n
}

// serves returns the method that serves verb on r: its own, or ANY. ANY
// covers the seven verbs API Gateway knows, no others.
func (r *Resource) serves(verb string) *Method {
	if r == nil {
		return nil
	}
	for _, m := range r.methods {
		if m.Verb == verb {
			return m
		}
	}
	if r.any != nil && isStandardVerb(verb) {
		return r.any
	}
	return nil
}

func isStandardVerb(v string) bool {
	switch v {
	case "GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD":
		return true
	}
	return false
}
