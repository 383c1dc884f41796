package javaregex

import (
	"errors"
	"regexp"
	"testing"
)

// FuzzCompile checks that no pattern makes Compile, Lint or matching panic,
// and that what Compile returns is consistent: an error of one of the two
// documented types, or a Regexp whose Go programs compile. Run it with
// go test -fuzz=FuzzCompile ./internal/javaregex/; the seeds are the
// hand-written table and testdata/fuzz/FuzzCompile.
func FuzzCompile(f *testing.F) {
	for _, c := range tableCases {
		f.Add(c.pattern, "a\r\n")
	}
	f.Fuzz(func(t *testing.T, pattern, input string) {
		if len(pattern) > 2000 {
			return
		}
		Lint(pattern)
		re, err := Compile(pattern)
		if err != nil {
			var se *SyntaxError
			var ue *UnsupportedError
			switch {
			case errors.As(err, &se):
				if se.Offset < 0 || se.Offset > len(pattern) {
					t.Fatalf("syntax error offset %d outside the pattern", se.Offset)
				}
			case errors.As(err, &ue):
				if ue.Offset < 0 || ue.Offset > len(pattern) {
					t.Fatalf("unsupported offset %d outside the pattern", ue.Offset)
				}
			default:
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if _, err := regexp.Compile(re.GoPattern()); err != nil {
			t.Fatalf("GoPattern %q: %v", re.GoPattern(), err)
		}
		if re.Matches(input) && !re.Find(input) {
			t.Fatalf("%q matches %q as a whole but find does not find it", pattern, input)
		}
	})
}
