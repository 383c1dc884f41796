package rules

import (
	"strings"

	"github.com/ohler55/ojg/jp"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/mapexpr"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var templateInvalidJSONPath = &lint.Rule{
	ID:       "TEMPLATE_INVALID_JSONPATH",
	Category: lint.Correctness,
	Severity: diag.Error,
	Summary:  "A JSONPath in $input.path, $input.json or a body mapping expression that does not parse",
	Check:    checkJSONPaths,
}

func checkJSONPaths(p *lint.Pass) {
	for _, s := range templateSites(p) {
		for _, call := range inputCalls(p.Cache, s.t.Text) {
			if call.fn != "path" && call.fn != "json" {
				continue
			}
			if msg := jsonPathError(call.arg); msg != "" {
				p.Reportf(templatePos(s.t, call.offset), "$input.%s(%q): %s; API Gateway fails the request with a 500 when the template runs", call.fn, call.arg, msg)
			}
		}
	}
	for _, m := range methodsOf(p) {
		in := m.Integration
		if in == nil {
			continue
		}
		for _, mp := range in.RequestParams {
			checkBodyExpr(p, mp, mapexpr.IntegrationRequest)
		}
		for _, ir := range in.Responses {
			for _, mp := range ir.Params {
				checkBodyExpr(p, mp, mapexpr.IntegrationResponse)
			}
		}
	}
}

func checkBodyExpr(p *lint.Pass, mp *schema.Mapping, ctx mapexpr.Context) {
	e, err := mapexpr.ParseSource(mp.Source, ctx)
	if err != nil || e.JSONPath == "" {
		return
	}
	if msg := jsonPathError(e.JSONPath); msg != "" {
		p.Reportf(mp.Src.Range(), "mapping expression %s: the JSONPath %s does not parse (%s); the mapping fails at run time", mp.Source, e.JSONPath, msg)
	}
}

// jsonPathError parses a path as the runtime does and describes what is
// wrong with it, or returns "".
func jsonPathError(path string) string {
	if path == "" {
		return ""
	}
	if !strings.HasPrefix(path, "$") && !strings.HasPrefix(path, "@") {
		return "a JSONPath starts with $"
	}
	if _, err := jp.ParseString(path); err != nil {
		return "invalid JSONPath: " + err.Error()
	}
	return ""
}

func methodsOf(p *lint.Pass) []*schema.Method {
	var out []*schema.Method
	for _, m := range p.Methods() {
		out = append(out, m)
	}
	return out
}
