package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var missingDefaultResponse = &lint.Rule{
	ID:       "MISSING_DEFAULT_RESPONSE",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A non-proxy integration without a default response, so an unmatched result becomes a 500",
	Check:    checkMissingDefault,
}

func checkMissingDefault(p *lint.Pass) {
	for m, in := range p.NonProxy() {
		if p.Generated(in.Src) {
			continue
		}
		hasDefault := false
		for _, ir := range in.Responses {
			if ir.Pattern == "" {
				hasDefault = true
			}
		}
		if hasDefault {
			continue
		}
		at := schema.KeyAt(in.Src, "responses")
		if len(in.Responses) == 0 {
			p.Reportf(at, "%s has no integration responses: API Gateway answers every call with 500 \"Internal server error\" (no default output mapping configured); add responses: default: {status: 200}", m.Verb)
			continue
		}
		sel := selectionOf(p.Cache, in)
		if sel.lambda {
			missingDefaultLambda(p, in, at)
			continue
		}
		covered, known := coveredCodes(p, in)
		if !known {
			continue // a pattern gwc cannot evaluate; check warns about it
		}
		var left codeSet
		for i := range left {
			left[i] = sel.domain[i] && !covered[i]
		}
		if left.empty() {
			continue
		}
		p.Reportf(at, "no default integration response: a status such as %d matches none of the patterns, and API Gateway answers it with 500 \"Internal server error\" (no match for output mapping and no default output mapping configured); add default: {status: ...}", example(&left))
	}
}

// missingDefaultLambda checks that a successful invocation, whose error
// message is null, finds a response: only a pattern that matches the
// empty value (such as .*) stands in for the default.
func missingDefaultLambda(p *lint.Pass, in *schema.Integration, at diag.Range) {
	for _, ir := range in.Responses {
		n := patternNFA(p.Cache, ir.Pattern)
		if n == nil || n.Accepts("") {
			return
		}
	}
	p.Reportf(at, "no default integration response: a successful invocation has no error message, matches none of the patterns, and API Gateway answers it with 500 \"Internal server error\"; add default: {status: 200}")
}

// example picks a status of s to show in a message: a common one if it
// can, so that the message reads as a case the user will meet.
func example(s *codeSet) int {
	for _, c := range []int{500, 400, 404, 200, 502, 503, 403, 401, 302} {
		if s.has(c) {
			return c
		}
	}
	return s.first()
}

// coveredCodes returns the status codes the patterns of an integration
// match together, and false when one of them cannot be evaluated.
func coveredCodes(p *lint.Pass, in *schema.Integration) (codeSet, bool) {
	var covered codeSet
	for _, ir := range in.Responses {
		s := statusMatches(p.Cache, ir.Pattern)
		if s == nil {
			return covered, false
		}
		for i := range covered {
			covered[i] = covered[i] || s[i]
		}
	}
	return covered, true
}
