package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var passthroughWhenNoMatch = &lint.Rule{
	ID:       "PASSTHROUGH_WHEN_NO_MATCH",
	Category: lint.Security,
	Severity: diag.Warning,
	Summary:  "Request templates with WHEN_NO_MATCH passthrough, so a request of any other media type reaches the backend untransformed",
	Check:    checkWhenNoMatch,
}

func checkWhenNoMatch(p *lint.Pass) {
	for _, in := range p.NonProxy() {
		if p.Generated(in.Src) || in.Type == schema.MOCK || len(in.RequestTemplates) == 0 || in.Passthrough != "WHEN_NO_MATCH" {
			continue
		}
		at := schema.At(in.Src, "passthrough")
		if in.Src.Get("passthrough") == nil || in.Src.Get("passthrough").Defaulted {
			at = schema.KeyAt(in.Src, "templates")
		}
		p.Reportf(at, "passthrough is WHEN_NO_MATCH (the default) beside templates for %s: a request with any other Content-Type skips the templates and reaches the backend as sent; set passthrough: WHEN_NO_TEMPLATES to answer it with 415",
			strings.Join(templateKeys(in.RequestTemplates), ", "))
	}
}
