package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/javaregex"
	"gwc.dev/gwc/lint"
)

var selectionPatternDotNewline = &lint.Rule{
	ID:       "SELECTION_PATTERN_DOT_NEWLINE",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A Lambda error pattern built on .* that stops at the first line break of a multi-line error message",
	Check: func(p *lint.Pass) {
		regexFindings(p, func(s regexSite, f javaregex.Finding) bool {
			return s.lambda && f.Kind == javaregex.KindDotNewline
		})
	},
}
