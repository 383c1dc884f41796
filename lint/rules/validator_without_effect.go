package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var validatorWithoutEffect = &lint.Rule{
	ID:       "VALIDATOR_WITHOUT_EFFECT",
	Category: lint.Fidelity,
	Severity: diag.Warning,
	Summary:  "A request validator on a method that gives it nothing to validate",
	Check:    checkValidatorEffect,
}

func checkValidatorEffect(p *lint.Pass) {
	for r, m := range p.Methods() {
		v := validatorOf(p, m)
		if v == nil || p.Generated(m.Src) || m.Src.Get("request") == nil || m.Src.Path("request", "validator") == nil {
			continue
		}
		at := schema.At(m.Src, "request", "validator")
		bodyUseless := v.Body && len(m.RequestModels) == 0
		paramsUseless := v.Params && len(required(m)) == 0
		switch {
		case bodyUseless && paramsUseless:
			p.Reportf(at, "validator %s checks the body and parameters of %s %s, but the method has no request model and no required query string or header parameter: it validates nothing", v.Name, m.Verb, r.Path)
		case bodyUseless && !v.Params:
			p.Reportf(at, "validator %s checks the body of %s %s, but the method has no request model, so any body passes: declare request.models", v.Name, m.Verb, r.Path)
		}
	}
}
