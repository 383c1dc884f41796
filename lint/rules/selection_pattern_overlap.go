package rules

import (
	"strconv"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var selectionPatternOverlap = &lint.Rule{
	ID:       "SELECTION_PATTERN_OVERLAP",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "Two selection patterns that match the same value and lead to different responses",
	Check:    checkOverlap,
}

func checkOverlap(p *lint.Pass) {
	for _, in := range p.NonProxy() {
		sel := selectionOf(p.Cache, in)
		irs := patterned(in)
		// A pattern the ones before it cover is reported by
		// SELECTION_PATTERN_UNREACHABLE, and overlaps with it are noise.
		dead := make([]bool, len(irs))
		for j := 1; j < len(irs); j++ {
			dead[j] = unreachable(p, sel, irs[j], irs[:j])
		}
		for j := 1; j < len(irs); j++ {
			if dead[j] {
				continue
			}
			for i := 0; i < j; i++ {
				a, b := irs[i], irs[j]
				if dead[i] || sameOutcome(a, b) {
					continue
				}
				example, decided, ok := overlapExample(p, sel, a, b)
				if !decided {
					p.ReportSeverityf(diag.Info, b.Src.KeyRange(),
						"could not decide whether selection patterns %q and %q overlap: they are too complex to compare within gwc's budget", a.Pattern, b.Pattern)
					continue
				}
				if !ok {
					continue
				}
				p.ReportRelated(b.Src.KeyRange(), relatedTo([]*schema.IntegrationResponse{a}),
					"selection patterns %q (status %d) and %q (status %d) both match %s; API Gateway does not document which one it picks (gwc serve picks %q)",
					a.Pattern, a.Status, b.Pattern, b.Status, example, a.Pattern)
			}
		}
	}
}

// unreachable reports whether ir is covered by the patterns before it, in
// which case the unreachable rule reports it.
func unreachable(p *lint.Pass, sel *selection, ir *schema.IntegrationResponse, earlier []*schema.IntegrationResponse) bool {
	if sel.lambda {
		if patternNFA(p.Cache, ir.Pattern) == nil {
			return false
		}
		var patterns []string
		for _, e := range earlier {
			if patternNFA(p.Cache, e.Pattern) != nil {
				patterns = append(patterns, e.Pattern)
			}
		}
		if len(patterns) == 0 {
			return false
		}
		r := subsetOf(p.Cache, ir.Pattern, patterns)
		return !r.Decided || r.Holds
	}
	own := statusMatches(p.Cache, ir.Pattern)
	if own == nil {
		return false
	}
	any := false
	for i, ok := range own {
		if !ok || !sel.domain[i] {
			continue
		}
		any = true
		covered := false
		for _, e := range earlier {
			if s := statusMatches(p.Cache, e.Pattern); s != nil && s[i] {
				covered = true
				break
			}
		}
		if !covered {
			return false
		}
	}
	return any
}

// overlapExample finds a value both patterns match.
func overlapExample(p *lint.Pass, sel *selection, a, b *schema.IntegrationResponse) (example string, decided, ok bool) {
	if sel.lambda {
		if patternNFA(p.Cache, a.Pattern) == nil || patternNFA(p.Cache, b.Pattern) == nil {
			return "", true, false
		}
		r := overlapOf(p.Cache, a.Pattern, b.Pattern)
		if !r.Decided {
			return "", false, false
		}
		return "the error message " + strconv.Quote(r.Example), true, r.Holds
	}
	sa, sb := statusMatches(p.Cache, a.Pattern), statusMatches(p.Cache, b.Pattern)
	if sa == nil || sb == nil {
		return "", true, false
	}
	var both codeSet
	for i := range both {
		both[i] = sa[i] && sb[i] && sel.domain[i]
	}
	if both.empty() {
		return "", true, false
	}
	return "status " + both.String(), true, true
}
