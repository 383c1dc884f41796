package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var responseContentTypeUnmapped = &lint.Rule{
	ID:       "RESPONSE_CONTENT_TYPE_UNMAPPED",
	Category: lint.Fidelity,
	Severity: diag.Info,
	Summary:  "A response template for a media type other than JSON, with no Content-Type mapped to say so",
	Check:    checkContentTypeMapped,
}

func checkContentTypeMapped(p *lint.Pass) {
	for _, in := range p.NonProxy() {
		for _, ir := range in.Responses {
			if p.Generated(ir.Src) || mapsContentType(ir) {
				continue
			}
			for _, t := range ir.Templates {
				ct := strings.ToLower(t.ContentType)
				if ct == "application/json" || ct == "$default" || strings.HasSuffix(ct, "+json") {
					continue
				}
				p.Reportf(t.Src.KeyRange(), "%s renders a %s template, but nothing maps the response's Content-Type: API Gateway sends application/json unless a mapping or override says otherwise; map header.Content-Type: \"'%s'\" (and declare Content-Type on method response %d)",
					describeResponse(ir), t.ContentType, t.ContentType, ir.Status)
				break
			}
		}
	}
}

func mapsContentType(ir *schema.IntegrationResponse) bool {
	for _, mp := range ir.Params {
		if strings.EqualFold(mp.Target, "method.response.header.Content-Type") {
			return true
		}
	}
	for _, t := range ir.Templates {
		if strings.Contains(strings.ToLower(t.Text), "responseoverride.header.content-type") {
			return true
		}
	}
	return false
}
