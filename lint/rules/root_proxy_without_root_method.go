package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
)

var rootProxyWithoutRootMethod = &lint.Rule{
	ID:       "ROOT_PROXY_WITHOUT_ROOT_METHOD",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A /{proxy+} resource without a method on /, so requests for / get 403 Missing Authentication Token",
	Check: func(p *lint.Pass) {
		root := p.Resource("/")
		for _, r := range p.API.Resources {
			if isGreedy(r.Path) && parentPath(r.Path) == "/" && len(r.Methods) > 0 && (root == nil || len(root.Methods) == 0) {
				p.Reportf(r.Src.KeyRange(), "%s does not match the root path: a request for / finds no method and gets 403 {\"message\":\"Missing Authentication Token\"}; add the same method on /", r.Path)
			}
		}
	},
}
