package javaregex

import (
	"fmt"
	"strings"
	"testing"
)

func TestLint(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string // "offset kind", in order
	}{
		{`2\d{2}`, nil},
		{`4\d{2}|5\d{2}`, nil},
		{`.*4\d{2}.*`, nil},
		{`(\n|.)*Error.*`, []string{"12 dot-newline"}},
		{`.*four hundred.*`, []string{"0 dot-newline"}},
		{`(?s).*four hundred.*`, nil},
		{`Invalid*`, []string{"7 glob-star"}},
		{`Malformed*`, []string{"9 glob-star"}},
		{`a|Bad*`, []string{"5 glob-star"}},
		{`a*`, nil},
		{`Invalid.*`, []string{"7 dot-newline"}},
		{`*Error*`, []string{"0 glob-star"}},
		{`^2\d{2}$`, []string{"0 redundant-anchor", "7 redundant-anchor"}},
		{`\A2\d{2}\z`, []string{"0 redundant-anchor", "8 redundant-anchor"}},
		{`2\d{2}\Z`, []string{"6 redundant-anchor"}},
		{`^a|b$`, []string{"0 redundant-anchor", "4 redundant-anchor"}},
		{`^`, []string{"0 redundant-anchor"}},
		{`(?P<code>\d+)`, []string{"0 foreign-syntax"}},
		{`[[:alpha:]]+`, []string{"1 foreign-syntax"}},
		{`[^[:digit:]]`, []string{"2 foreign-syntax"}},
		{`[:alpha:]`, nil},
		{`\p{Greek}`, []string{"0 foreign-syntax"}},
		{`\p{IsGreek}`, nil},
		{`(?#note)a`, []string{"0 foreign-syntax"}},
		{`(?U)a*`, []string{"0 foreign-syntax"}},
		{`\Q(?P<x>\E`, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Lint(tt.pattern) {
			got = append(got, fmt.Sprintf("%d %s", f.Offset, f.Kind))
			if f.Message == "" || strings.HasSuffix(f.Message, ".") {
				t.Errorf("Lint(%q): message %q should be a clause without a final period", tt.pattern, f.Message)
			}
		}
		if strings.Join(got, ", ") != strings.Join(tt.want, ", ") {
			t.Errorf("Lint(%q) = %v, want %v", tt.pattern, got, tt.want)
		}
	}
}

func TestLintMessages(t *testing.T) {
	fs := Lint(`Invalid*`)
	want := `Invalid* matches Invali followed by any number of "d", not every value that starts with Invalid (API Gateway matches the whole value); write Invalid.*`
	if len(fs) != 1 || fs[0].Message != want {
		t.Errorf("Lint(Invalid*) = %+v, want message %q", fs, want)
	}
}

// TestLintTooDeep: a pattern nested past maxDepth parses to no tree and no
// syntax error (it is unsupported); Lint must still only look at its text.
// The fuzzer found the nil tree dereference with 1,001 nested groups.
func TestLintTooDeep(t *testing.T) {
	for _, open := range []string{"(", "[", "(?:"} {
		pattern := strings.Repeat(open, maxDepth+1) + "a*"
		if fs := Lint(pattern); len(fs) != 0 {
			t.Errorf("Lint(%s×%d a*) = %v, want no findings", open, maxDepth+1, fs)
		}
	}
}
