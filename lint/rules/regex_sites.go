package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/javaregex"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

// regexSite is a Java regex API Gateway matches against a whole value:
// a selection pattern or an identity validation expression.
type regexSite struct {
	pattern string
	at      diag.Range
	// what names the field for messages.
	what string
	// lambda is set for selection patterns matched against error
	// messages, the only values that may span lines.
	lambda bool
}

func regexSites(p *lint.Pass) []regexSite {
	return lint.Get(p.Cache, "regexSites", func() []regexSite { return findRegexSites(p) })
}

func findRegexSites(p *lint.Pass) []regexSite {
	var out []regexSite
	for _, in := range p.NonProxy() {
		lambda := selectionOf(p.Cache, in).lambda
		for _, ir := range patterned(in) {
			out = append(out, regexSite{pattern: ir.Pattern, at: ir.Src.KeyRange(), what: "selection pattern", lambda: lambda})
		}
	}
	for _, a := range p.API.Authorizers {
		if a.IdentityValidationExpression != "" {
			out = append(out, regexSite{
				pattern: a.IdentityValidationExpression,
				at:      schema.At(a.Src, "identityValidationExpression"),
				what:    "identityValidationExpression",
			})
		}
	}
	return out
}

// regexFindings runs javaregex.Lint on every site and reports the findings
// of the given kinds.
func regexFindings(p *lint.Pass, keep func(regexSite, javaregex.Finding) bool) {
	for _, s := range regexSites(p) {
		findings := lint.Get(p.Cache, "regexLint:"+s.pattern, func() []javaregex.Finding { return javaregex.Lint(s.pattern) })
		for _, f := range findings {
			if keep(s, f) {
				p.Reportf(s.at, "%s %q: %s", s.what, s.pattern, f.Message)
			}
		}
	}
}
