package vtl_test

import (
	"testing"

	"gwc.dev/gwc/vtl"
)

// TestDoubleEscapeBeforeMacro checks "\\#name" before a call of a macro
// the template has already defined: as before a directive, the pair of
// backslashes prints one, and the macro is called. Before "#{name}" or an
// unknown name both print. The expected outputs are Velocity 1.7's.
func TestDoubleEscapeBeforeMacro(t *testing.T) {
	for src, want := range map[string]string{
		`#macro(m2 $p)[$p]#end\\#m2(1) \\\\#m2(2) \#m2(3)`: `\[1] \\[2] #m2(3)`,
		`#macro(m2 $p)[$p]#end\\#m2 \\#{m2}(4)`:            `\[$p] \\[4]`,
		`\\#nosuch(1) \\#nosuch`:                           `\\#nosuch(1) \\#nosuch`,
	} {
		got, err := renderWith(t, src, vtl.NewContext())
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", src, got, err, want)
		}
	}
}
