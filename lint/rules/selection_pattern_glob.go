package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/javaregex"
	"gwc.dev/gwc/lint"
)

var selectionPatternGlob = &lint.Rule{
	ID:       "SELECTION_PATTERN_GLOB",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A pattern written like a shell glob (Invalid*, *Error*), which as a Java regex means something else",
	Check: func(p *lint.Pass) {
		regexFindings(p, func(_ regexSite, f javaregex.Finding) bool { return f.Kind == javaregex.KindPrefixGlob })
	},
}
