package rules

import (
	"fmt"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var selectionPatternUnreachable = &lint.Rule{
	ID:       "SELECTION_PATTERN_UNREACHABLE",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A selection pattern that is never chosen, because patterns tried before it match everything it matches",
	Check:    checkUnreachable,
}

func checkUnreachable(p *lint.Pass) {
	for _, in := range p.NonProxy() {
		sel := selectionOf(p.Cache, in)
		irs := patterned(in)
		for i, ir := range irs {
			if i == 0 {
				continue
			}
			earlier := irs[:i]
			if sel.lambda {
				unreachableMessage(p, ir, earlier)
			} else {
				unreachableStatus(p, sel, ir, earlier)
			}
		}
	}
}

func unreachableStatus(p *lint.Pass, sel *selection, ir *schema.IntegrationResponse, earlier []*schema.IntegrationResponse) {
	own := statusMatches(p.Cache, ir.Pattern)
	if own == nil {
		return
	}
	mine := *own
	for i := range mine {
		mine[i] = mine[i] && sel.domain[i]
	}
	if mine.empty() {
		return // SELECTION_PATTERN_NEVER_MATCHES says so
	}
	var covering []*schema.IntegrationResponse
	for i := range mine {
		if !mine[i] {
			continue
		}
		found := false
		for _, e := range earlier {
			if s := statusMatches(p.Cache, e.Pattern); s != nil && s[i] {
				found = true
				if !containsResponse(covering, e) {
					covering = append(covering, e)
				}
				break
			}
		}
		if !found {
			return
		}
	}
	p.ReportRelated(ir.Src.KeyRange(), relatedTo(covering),
		"selection pattern %q is never chosen: every status code it matches (%s) is matched by %s, which gwc tries first (by status code, then pattern); API Gateway documents no order at all, so make the patterns disjoint",
		ir.Pattern, mine.String(), describeAll(covering))
}

func unreachableMessage(p *lint.Pass, ir *schema.IntegrationResponse, earlier []*schema.IntegrationResponse) {
	if patternNFA(p.Cache, ir.Pattern) == nil {
		return
	}
	var used []*schema.IntegrationResponse
	var patterns []string
	for _, e := range earlier {
		if patternNFA(p.Cache, e.Pattern) != nil {
			used = append(used, e)
			patterns = append(patterns, e.Pattern)
		}
	}
	if len(used) == 0 {
		return
	}
	r := subsetOf(p.Cache, ir.Pattern, patterns)
	switch {
	case !r.Decided:
		p.ReportSeverityf(diag.Info, ir.Src.KeyRange(),
			"could not decide whether selection pattern %q is reachable: the patterns are too complex to compare within gwc's budget", ir.Pattern)
	case r.Holds:
		p.ReportRelated(ir.Src.KeyRange(), relatedTo(used),
			"selection pattern %q is never chosen: every error message it matches is matched by %s, which gwc tries first (by status code, then pattern); API Gateway documents no order at all, so make the patterns disjoint",
			ir.Pattern, describeAll(used))
	}
}

func containsResponse(list []*schema.IntegrationResponse, ir *schema.IntegrationResponse) bool {
	for _, x := range list {
		if x == ir {
			return true
		}
	}
	return false
}

func describeAll(irs []*schema.IntegrationResponse) string {
	parts := make([]string, len(irs))
	for i, ir := range irs {
		parts[i] = describeResponse(ir)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return fmt.Sprintf("%s and %s", strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1])
}
