package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var responseHeaderNeverSet = &lint.Rule{
	ID:       "RESPONSE_HEADER_NEVER_SET",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A method response header of a non-proxy method that no integration response maps",
	Check:    checkHeadersSet,
}

// alwaysSent are the headers API Gateway adds to every response itself
// (§13), so declaring them needs no mapping.
var alwaysSent = []string{"Content-Type", "Content-Length", "Date", "Connection", "x-amzn-RequestId", "x-amz-apigw-id"}

func checkHeadersSet(p *lint.Pass) {
	for m, in := range p.NonProxy() {
		for _, mr := range m.Responses {
			if p.Generated(mr.Src) {
				continue
			}
			for _, h := range mr.Headers {
				if p.Generated(h.Src) || containsFold(alwaysSent, h.Name) || headerSet(in, mr.Status, h.Name) {
					continue
				}
				p.Reportf(h.Src.KeyRange(), "header %s of method response %d is never set: no integration response with status %d maps method.response.header.%s, and API Gateway drops the backend's own headers for non-proxy integrations",
					h.Name, mr.Status, mr.Status, h.Name)
			}
		}
	}
}

// headerSet reports whether some integration response with the status
// maps the header, or overrides it from a template.
func headerSet(in *schema.Integration, status int, name string) bool {
	for _, ir := range in.Responses {
		for _, t := range ir.Templates {
			if strings.Contains(t.Text, "responseOverride.header") {
				return true
			}
		}
		if ir.Status != status {
			continue
		}
		for _, mp := range ir.Params {
			if strings.EqualFold(mp.Target, "method.response.header."+name) {
				return true
			}
		}
	}
	return false
}
