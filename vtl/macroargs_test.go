package vtl_test

import (
	"testing"

	"gwc.dev/gwc/vtl"
)

// TestEscapedMacroParameter checks what \$p prints inside a macro. Velocity
// 1.7 prints the caller's argument as written when it binds the parameter
// by name (references, string literals, lists, maps, ranges), even after a
// #set of it, and the parameter's own name when it evaluated the argument
// once (numbers, booleans). Every expected output is Velocity 1.7's
// (checked with go test ./vtl/internal/oracle -run Probe).
func TestEscapedMacroParameter(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`#macro(m $p)\$p#end#m("s")`, `"s"`},
		{`#macro(m $p)\$p#end#m('s')`, `'s'`},
		{`#macro(m $p)\$p#end#m("$a")`, `"$a"`},
		{`#macro(m $p)\$p#end#m($a)`, `$a`},
		{`#macro(m $p)\$p#end#m(${a})`, `${a}`},
		{`#macro(m $p)\$p#end#m($a.toString())`, `$a.toString()`},
		{`#macro(m $p)\$p#end#m($u)`, `\$u`},
		{`#macro(m $p)\$p#end#m([1,  2])`, `[1,  2]`},
		{`#macro(m $p)\$p#end#m({"a": 1})`, `{"a": 1}`},
		{`#macro(m $p)\$p#end#m([1..3])`, `[1..3]`},
		{`#macro(m $p $q)\$q#end#m("s" "t")`, `"t"`},
		{`#macro(m $p)#set($p = 9)\$p#end#m("s")`, `"s"`},
		{`#macro(m $p)\\\$p#end#m("s")`, `\"s"`},
		{`#@m("s")\$p#end#macro(m $p)\$p $bodyContent#end`, `"s" "s"`},
		{`#macro(m $p)\$p#end#m(1)`, `$p`},
		{`#macro(m $p)\$p#end#m(true)`, `$p`},
		{`#macro(m $p)\$p.length() \$!p \${p}#end#m("s")`, `$p.length() $!p ${p}`},
		{`#macro(m $p)#n($p)#end#macro(n $q)\$q#end#m("s")`, `$p`},
	} {
		ctx := vtl.NewContext()
		ctx.Set("a", vtl.Int(1))
		got, err := renderWith(t, tc.src, ctx)
		if err != nil || got != tc.want {
			t.Errorf("%s\n got %q, %v\nwant %q", tc.src, got, err, tc.want)
		}
	}
}
