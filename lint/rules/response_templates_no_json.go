package rules

import (
	"slices"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var responseTemplatesNoJSON = &lint.Rule{
	ID:       "RESPONSE_TEMPLATES_NO_JSON",
	Category: lint.Fidelity,
	Severity: diag.Warning,
	Summary:  "Integration response templates without an application/json one, so clients that accept anything get an unspecified template",
	Check:    checkResponseTemplatesJSON,
}

func checkResponseTemplatesJSON(p *lint.Pass) {
	for _, in := range p.NonProxy() {
		for _, ir := range in.Responses {
			keys := templateKeys(ir.Templates)
			if len(keys) == 0 || slices.Contains(keys, "application/json") || p.Generated(ir.Src) {
				continue
			}
			p.Reportf(schema.KeyAt(ir.Src, "templates"), "%s has templates only for %s: a client whose Accept matches none of them (or sends */*, or none, which counts as application/json) gets \"the first template\", which API Gateway does not define for a map; add an application/json template",
				describeResponse(ir), strings.Join(keys, ", "))
		}
	}
}
