package cfn

import (
	"fmt"

	"gwc.dev/gwc/diag"
)

// CloudFormation's quotas on one template's sections.
const (
	maxResources  = 500
	maxParameters = 200
	maxOutputs    = 200
)

// checkQuotas warns when the template has more resources, parameters or
// outputs than CloudFormation accepts in one stack: a large API (one
// resource per path and per method) can reach 500 resources.
func (e *emitter) checkQuotas() {
	for _, q := range []struct {
		what   string
		n, max int
	}{
		{"resources", len(e.tmpl.Resources), maxResources},
		{"parameters", len(e.tmpl.Parameters), maxParameters},
		{"outputs", len(e.tmpl.Outputs), maxOutputs},
	} {
		if q.n > q.max {
			e.warns = append(e.warns, diag.Diagnostic{
				Code: CodeLimit, Severity: diag.Warning, Range: e.api.Src.KeyRange(),
				Message: fmt.Sprintf("the template has %d %s; CloudFormation accepts at most %d in one stack, so it cannot be deployed as it is (split the API, or deploy parts as nested stacks)", q.n, q.what, q.max),
			})
		}
	}
}
