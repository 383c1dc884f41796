package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/javaregex"
	"gwc.dev/gwc/lint"
)

var selectionPatternRedundantAnchor = &lint.Rule{
	ID:       "SELECTION_PATTERN_REDUNDANT_ANCHOR",
	Category: lint.Style,
	Severity: diag.Info,
	Summary:  "A ^, $, \\A or \\z anchor in a pattern that API Gateway matches against the whole value anyway",
	Check: func(p *lint.Pass) {
		regexFindings(p, func(_ regexSite, f javaregex.Finding) bool { return f.Kind == javaregex.KindRedundantAnchor })
	},
}
