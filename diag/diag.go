// Package diag holds the one diagnostic type that every part of gwc reports
// with, the Set that collects, sorts and de-duplicates diagnostics, and the
// printers that turn a Set into text, JSON, SARIF, JUnit or GitHub
// annotations.
//
// The package imports only the standard library (and the SARIF model), so
// that every other package can depend on it.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity orders how serious a diagnostic is. The zero value is invalid so
// that a forgotten severity is caught by Set.Add.
type Severity int

// The severities, from least to most serious.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String returns the lower-case name used in text output and configuration.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads a severity name as written by String.
func ParseSeverity(name string) (Severity, error) {
	switch strings.ToLower(name) {
	case "info", "note":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", name)
}

// Pos is a position in a source file. Line and Col are 1-based; Col counts
// bytes within the line. A zero Pos means "no position".
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether p names a place in a file.
func (p Pos) IsValid() bool { return p.File != "" && p.Line > 0 }

// String formats p as file:line:col, dropping the parts that are unknown.
func (p Pos) String() string {
	switch {
	case p.File == "":
		return "-"
	case p.Line <= 0:
		return p.File
	case p.Col <= 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Compare orders positions by file, line and column.
func (p Pos) Compare(q Pos) int {
	if c := strings.Compare(p.File, q.File); c != 0 {
		return c
	}
	if c := cmp.Compare(p.Line, q.Line); c != 0 {
		return c
	}
	return cmp.Compare(p.Col, q.Col)
}

// Range is a span of source text. End may be zero when only the start is
// known.
type Range struct {
	Start Pos
	End   Pos
}

// At makes a Range that starts (and ends) at p.
func At(p Pos) Range { return Range{Start: p} }

// Related points at a second place that helps explain a diagnostic, such as
// the first definition of a duplicated name.
type Related struct {
	Message string
	Range   Range
}

// Diagnostic is one finding: a compile error, a lint result or a warning.
type Diagnostic struct {
	// Code is a stable identifier in UPPER_SNAKE_CASE: a lint rule ID or the
	// name of a compile check. Users filter and ignore by it.
	Code     string
	Severity Severity
	Message  string
	Range    Range
	Related  []Related
}

// String formats d as the text printer does, without source context.
func (d Diagnostic) String() string {
	s := fmt.Sprintf("%s: %s: %s", d.Range.Start, d.Severity, d.Message)
	if d.Code != "" {
		s += " [" + d.Code + "]"
	}
	return s
}

// Set collects diagnostics. Order of insertion does not matter: Sorted
// returns them ordered and without duplicates, so that output is stable.
type Set struct {
	items []Diagnostic
}

// Add appends diagnostics to the set. A diagnostic without a severity is
// treated as an error rather than dropped.
func (s *Set) Add(ds ...Diagnostic) {
	for _, d := range ds {
		if d.Severity == 0 {
			d.Severity = Error
		}
		s.items = append(s.items, d)
	}
}

// Errorf adds an error at r.
func (s *Set) Errorf(r Range, code, format string, args ...any) {
	s.Add(Diagnostic{Code: code, Severity: Error, Message: fmt.Sprintf(format, args...), Range: r})
}

// Warnf adds a warning at r.
func (s *Set) Warnf(r Range, code, format string, args ...any) {
	s.Add(Diagnostic{Code: code, Severity: Warning, Message: fmt.Sprintf(format, args...), Range: r})
}

// Merge adds every diagnostic of other to s.
func (s *Set) Merge(other *Set) {
	if other != nil {
		s.items = append(s.items, other.items...)
	}
}

// Len is the number of diagnostics added, duplicates included.
func (s *Set) Len() int { return len(s.items) }

// Has reports whether any diagnostic is at or above min.
func (s *Set) Has(min Severity) bool {
	for _, d := range s.items {
		if d.Severity >= min {
			return true
		}
	}
	return false
}

// HasErrors reports whether the set holds an error.
func (s *Set) HasErrors() bool { return s.Has(Error) }

// Filter keeps the diagnostics for which keep returns true.
func (s *Set) Filter(keep func(Diagnostic) bool) {
	s.items = slices.DeleteFunc(s.items, func(d Diagnostic) bool { return !keep(d) })
}

// Sorted returns the diagnostics ordered by position, then code and message,
// with exact duplicates removed. The result is never nil.
func (s *Set) Sorted() []Diagnostic {
	out := slices.Clone(s.items)
	slices.SortStableFunc(out, compare)
	out = slices.CompactFunc(out, func(a, b Diagnostic) bool { return compare(a, b) == 0 })
	if out == nil {
		out = []Diagnostic{}
	}
	return out
}

func compare(a, b Diagnostic) int {
	if c := a.Range.Start.Compare(b.Range.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
		return c
	}
	if c := strings.Compare(a.Code, b.Code); c != 0 {
		return c
	}
	if c := strings.Compare(a.Message, b.Message); c != 0 {
		return c
	}
	return a.Range.End.Compare(b.Range.End)
}

// Counts tallies diagnostics by severity.
type Counts struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// Count tallies ds by severity.
func Count(ds []Diagnostic) Counts {
	var c Counts
	for _, d := range ds {
		switch d.Severity {
		case Error:
			c.Errors++
		case Warning:
			c.Warnings++
		default:
			c.Infos++
		}
	}
	return c
}
