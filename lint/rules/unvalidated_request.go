package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var unvalidatedRequest = &lint.Rule{
	ID:       "UNVALIDATED_REQUEST",
	Category: lint.Fidelity,
	Severity: diag.Info,
	Summary:  "Required parameters or a request model that no request validator checks, so API Gateway does not enforce them",
	Check:    checkUnvalidated,
}

func validatorOf(p *lint.Pass, m *schema.Method) *schema.RequestValidator {
	for _, v := range p.API.RequestValidators {
		if v.Name == m.Validator {
			return v
		}
	}
	return nil
}

// required lists the required query string and header parameters (path
// parameters are always present on a routed request).
func required(m *schema.Method) []*schema.RequestParam {
	var out []*schema.RequestParam
	for _, rp := range m.RequestParams {
		if rp.Required && rp.Location != "path" {
			out = append(out, rp)
		}
	}
	return out
}

func checkUnvalidated(p *lint.Pass) {
	for r, m := range p.Methods() {
		if p.Generated(m.Src) {
			continue
		}
		v := validatorOf(p, m)
		if req := required(m); len(req) > 0 && (v == nil || !v.Params) {
			p.Reportf(req[0].Src.KeyRange(), "%s %s marks %s required, but no request validator checks its parameters, so API Gateway lets requests without it through; use a validator with params: true",
				m.Verb, r.Path, req[0].Expr())
		}
		if len(m.RequestModels) > 0 && (v == nil || !v.Body) {
			p.Reportf(m.RequestModels[0].Src.Range(), "%s %s declares request model %s, but no request validator checks the body, so API Gateway passes any body on; use a validator with body: true",
				m.Verb, r.Path, m.RequestModels[0].Model)
		}
	}
}
