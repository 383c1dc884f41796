package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/javaregex"
	"gwc.dev/gwc/lint"
)

var javaRegexDialect = &lint.Rule{
	ID:       "JAVA_REGEX_DIALECT",
	Category: lint.Fidelity,
	Severity: diag.Warning,
	Summary:  "Regex syntax from another dialect (Python, Go, POSIX) that Java reads differently",
	Check: func(p *lint.Pass) {
		regexFindings(p, func(_ regexSite, f javaregex.Finding) bool {
			return f.Kind == javaregex.KindForeignSyntax || f.Kind == javaregex.KindDollar
		})
	},
}
