package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var mockWithoutStatusCode = &lint.Rule{
	ID:       "MOCK_WITHOUT_STATUS_CODE",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A MOCK integration whose request templates do not set statusCode",
	Check:    checkMockStatus,
}

func checkMockStatus(p *lint.Pass) {
	for _, in := range p.NonProxy() {
		if in.Type != schema.MOCK || p.Generated(in.Src) {
			continue
		}
		for _, t := range in.RequestTemplates {
			if !anyStatusRE.MatchString(t.Text) {
				p.Reportf(t.Src.KeyRange(), "this MOCK request template does not set statusCode: API Gateway reads the status of a MOCK integration from the template's output ({\"statusCode\": 200}), and without it the call fails instead of choosing an integration response")
			}
		}
	}
}
