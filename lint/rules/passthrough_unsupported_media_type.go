package rules

import (
	"slices"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var passthroughUnsupportedMediaType = &lint.Rule{
	ID:       "PASSTHROUGH_UNSUPPORTED_MEDIA_TYPE",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "WHEN_NO_TEMPLATES or NEVER passthrough without an application/json template, so requests without a Content-Type get 415",
	Check:    checkPassthrough415,
}

func checkPassthrough415(p *lint.Pass) {
	for m, in := range p.NonProxy() {
		if p.Generated(in.Src) || in.Passthrough == "WHEN_NO_MATCH" || in.Passthrough == "" {
			continue
		}
		at := schema.At(in.Src, "passthrough")
		keys := templateKeys(in.RequestTemplates)
		switch {
		case len(keys) == 0 && in.Passthrough == "NEVER":
			p.ReportSeverityf(diag.Error, at, "passthrough NEVER with no request templates: API Gateway answers every request to %s with 415 Unsupported Media Type; add a template or use WHEN_NO_TEMPLATES", m.Verb)
		case len(keys) > 0 && !slices.Contains(keys, "application/json"):
			p.Reportf(at, "passthrough %s with templates only for %s: a request without a Content-Type counts as application/json, matches no template, and gets 415 Unsupported Media Type; add an application/json template",
				in.Passthrough, strings.Join(keys, ", "))
		}
	}
}

func templateKeys(ts []*schema.Template) []string {
	var out []string
	for _, t := range ts {
		out = append(out, strings.ToLower(t.ContentType))
	}
	return out
}
