package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/javaregex"
	"gwc.dev/gwc/lint"
)

var lambdaSelectionSubject = &lint.Rule{
	ID:       "LAMBDA_SELECTION_SUBJECT",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A Lambda selection pattern written for a status code or for the function's result, when it only ever sees the error message",
	Check:    checkLambdaSubject,
}

var statusCodeNFA = javaregex.MustNFA(`[1-5][0-9][0-9]`)

func checkLambdaSubject(p *lint.Pass) {
	for _, in := range p.NonProxy() {
		if !selectionOf(p.Cache, in).lambda {
			continue
		}
		for _, ir := range patterned(in) {
			if strings.Contains(ir.Pattern, "statusCode") || strings.Contains(ir.Pattern, `"status"`) {
				p.Reportf(ir.Src.KeyRange(),
					"selection pattern %q looks for a field of the function's result, but for Lambda integrations API Gateway matches patterns against the errorMessage of a failed invocation only; a successful result never reaches the patterns, so throw an error whose message the pattern matches",
					ir.Pattern)
				continue
			}
			n := patternNFA(p.Cache, ir.Pattern)
			if n == nil {
				continue
			}
			if r := javaregex.Subset(n, []*javaregex.NFA{statusCodeNFA}, searchBudget); r.Decided && r.Holds {
				if empty := javaregex.Subset(n, nil, searchBudget); empty.Decided && empty.Holds {
					continue
				}
				p.Reportf(ir.Src.KeyRange(),
					"selection pattern %q matches only status codes, but for Lambda integrations API Gateway matches patterns against the error message: it matches only a function error whose whole message is such a number; match the message instead, as in \".*Not found.*\"",
					ir.Pattern)
			}
		}
	}
}
