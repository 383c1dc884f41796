package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var methodResponseUnreachable = &lint.Rule{
	ID:       "METHOD_RESPONSE_UNREACHABLE",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A method response of a non-proxy method that no integration response produces",
	Check:    checkMethodResponses,
}

func checkMethodResponses(p *lint.Pass) {
	for m, in := range p.NonProxy() {
		if len(in.Responses) == 0 || overridesStatus(in) {
			continue
		}
		produced := map[int]bool{}
		for _, ir := range in.Responses {
			produced[ir.Status] = true
		}
		for _, mr := range m.Responses {
			if produced[mr.Status] || p.Generated(mr.Src) {
				continue
			}
			p.Reportf(mr.Src.KeyRange(), "method response %d is never produced: no integration response of %s has status %d (it has %s), so clients never get it and SDKs and docs promise a response that does not happen; map it with an integration response or remove it",
				mr.Status, m.Verb, mr.Status, statusesOf(in.Responses))
		}
	}
}

// overridesStatus reports whether a template of the integration sets
// $context.responseOverride.status, which can produce any status.
func overridesStatus(in *schema.Integration) bool {
	for _, ir := range in.Responses {
		for _, t := range ir.Templates {
			if strings.Contains(t.Text, "responseOverride.status") {
				return true
			}
		}
	}
	return false
}

func statusesOf(irs []*schema.IntegrationResponse) string {
	seen := map[int]bool{}
	var parts []string
	for _, ir := range irs {
		if !seen[ir.Status] {
			seen[ir.Status] = true
			parts = append(parts, itoa(ir.Status))
		}
	}
	return strings.Join(parts, ", ")
}
