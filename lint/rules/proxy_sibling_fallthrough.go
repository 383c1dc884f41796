package rules

import (
	"slices"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var proxySiblingFallthrough = &lint.Rule{
	ID:       "PROXY_SIBLING_FALLTHROUGH",
	Category: lint.Security,
	Severity: diag.Warning,
	Summary:  "A resource beside a {proxy+} that lacks some of its verbs, which then fall through to the proxy and its authorization",
	Check:    checkProxyFallthrough,
}

var fallthroughVerbs = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

func checkProxyFallthrough(p *lint.Pass) {
	for _, proxy := range p.API.Resources {
		if !isGreedy(proxy.Path) || len(proxy.Methods) == 0 {
			continue
		}
		parent := parentPath(proxy.Path)
		served, _ := verbsOf(proxy)
		for _, r := range p.API.Resources {
			if r == proxy || len(r.Methods) == 0 || !under(r.Path, parent) || under(r.Path, proxy.Path) {
				continue
			}
			own, anyVerb := verbsOf(r)
			if anyVerb {
				continue
			}
			var missing []string
			for _, v := range served {
				if !slices.Contains(own, v) {
					missing = append(missing, v)
				}
			}
			if len(missing) == 0 {
				continue
			}
			auth := ""
			if pm := methodFor(proxy, missing[0]); pm != nil && r.Methods[0].Authorization != pm.Authorization {
				auth = " with its " + strings.ToLower(pm.Authorization) + " authorization instead of this resource's " + strings.ToLower(r.Methods[0].Authorization)
			}
			p.Reportf(r.Src.KeyRange(), "%s has no %s: API Gateway routes those requests to %s%s and to its integration, not to a 403; declare the verbs here (an integration answering 405 will do)",
				r.Path, strings.Join(missing, ", "), proxy.Path, auth)
		}
	}
}

func isGreedy(path string) bool { return strings.HasSuffix(path, "+}") }

func parentPath(path string) string {
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return "/"
	}
	return path[:i]
}

// under reports whether path is base or below it.
func under(path, base string) bool {
	if base == "/" {
		return true
	}
	return path == base || strings.HasPrefix(path, base+"/")
}

// verbsOf lists the verbs a resource serves among those requests fall
// through with, and whether it has ANY.
func verbsOf(r *schema.Resource) ([]string, bool) {
	var out []string
	anyVerb := false
	for _, m := range r.Methods {
		if m.Verb == "ANY" {
			anyVerb = true
			out = slices.Clone(fallthroughVerbs)
			break
		}
		if slices.Contains(fallthroughVerbs, m.Verb) {
			out = append(out, m.Verb)
		}
	}
	return out, anyVerb
}

func methodFor(r *schema.Resource, verb string) *schema.Method {
	var anyM *schema.Method
	for _, m := range r.Methods {
		if m.Verb == verb {
			return m
		}
		if m.Verb == "ANY" {
			anyM = m
		}
	}
	return anyM
}
