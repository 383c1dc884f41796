package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/javaregex"
	"gwc.dev/gwc/lint"
)

var selectionPatternNeverMatches = &lint.Rule{
	ID:       "SELECTION_PATTERN_NEVER_MATCHES",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A selection pattern that cannot match any value of what it is tested against",
	Check:    checkNeverMatches,
}

func checkNeverMatches(p *lint.Pass) {
	for _, in := range p.NonProxy() {
		sel := selectionOf(p.Cache, in)
		for _, ir := range patterned(in) {
			if sel.lambda {
				n := patternNFA(p.Cache, ir.Pattern)
				if n == nil {
					continue
				}
				if r := javaregex.Subset(n, nil, searchBudget); r.Decided && r.Holds {
					p.Reportf(ir.Src.KeyRange(), "selection pattern %q matches no string at all, so this response is never chosen", ir.Pattern)
				}
				continue
			}
			s := statusMatches(p.Cache, ir.Pattern)
			if s == nil {
				continue
			}
			inDomain := *s
			for i := range inDomain {
				inDomain[i] = inDomain[i] && sel.domain[i]
			}
			if !inDomain.empty() {
				continue
			}
			switch {
			case sel.mockCodes:
				p.Reportf(ir.Src.KeyRange(), "selection pattern %q is never chosen: this MOCK integration's request templates only ever set status %s", ir.Pattern, sel.domain.String())
			default:
				p.Reportf(ir.Src.KeyRange(), "selection pattern %q matches no status code from 100 to 599, and a %s integration's patterns are matched against the backend's status code%s", ir.Pattern, in.Type, globHint(ir.Pattern))
			}
		}
	}
}

// globHint suggests the regex for a pattern written like "4xx" or "4**".
func globHint(pattern string) string {
	if len(pattern) == 3 && pattern[0] >= '1' && pattern[0] <= '5' && (pattern[1:] == "xx" || pattern[1:] == "XX" || pattern[1:] == "**") {
		return "; for every " + pattern + " status write " + string(pattern[0]) + `\d{2}`
	}
	return ""
}
