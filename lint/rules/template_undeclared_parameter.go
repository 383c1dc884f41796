package rules

import (
	"fmt"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var templateUndeclaredParameter = &lint.Rule{
	ID:       "TEMPLATE_UNDECLARED_PARAMETER",
	Category: lint.Fidelity,
	Severity: diag.Warning,
	Summary:  "A mapping template that reads a request parameter the method does not declare",
	Check:    checkTemplateParams,
}

func checkTemplateParams(p *lint.Pass) {
	for _, s := range templateSites(p) {
		for _, call := range inputCalls(p.Cache, s.t.Text) {
			loc, ok := strings.CutSuffix(call.fn, ".get")
			if call.fn != "params" && !ok {
				continue
			}
			if call.fn == "params" {
				loc = ""
			}
			if call.arg == "" || declares(s.m, loc, call.arg) {
				continue
			}
			at := templatePos(s.t, call.offset)
			if loc == "path" {
				p.Reportf(at, "the template reads path parameter %q, but %s has no {%s}: the value is always empty%s",
					call.arg, s.r.Path, call.arg, suggestParam(s.m, call.arg))
				continue
			}
			where := "request parameter"
			if loc != "" {
				where = loc + " parameter"
			}
			p.Reportf(at, "the template reads %s %q, which %s %s does not declare: it is empty unless the client happens to send it, request validation does not check it, and generated SDKs and docs do not know it%s",
				where, call.arg, s.m.Verb, s.r.Path, declareHint(s.m, loc, call.arg))
		}
	}
}

// declares reports whether the method declares a parameter, in a location
// or ("") in any.
func declares(m *schema.Method, loc, name string) bool {
	for _, rp := range m.RequestParams {
		if rp.Name == name && (loc == "" || rp.Location == loc) {
			return true
		}
	}
	return false
}

func suggestParam(m *schema.Method, name string) string {
	var names []string
	for _, rp := range m.RequestParams {
		names = append(names, rp.Name)
	}
	if c := schema.Closest(name, names); c != "" {
		return fmt.Sprintf("; did you mean %q?", c)
	}
	return ""
}

func declareHint(m *schema.Method, loc, name string) string {
	if s := suggestParam(m, name); s != "" {
		return s
	}
	if loc == "" {
		loc = "querystring"
	}
	return fmt.Sprintf("; declare it: request: params: %q: {}", loc+"."+name)
}
