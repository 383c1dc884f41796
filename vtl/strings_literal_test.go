package vtl

import "testing"

// TestStringLiteralKludge follows Velocity 1.7's ASTStringLiteral: an
// interpolated string is parsed with a space appended, which rendering
// removes, so a trailing "$" or "#" survives; a string with "##" is left
// alone; \uXXXX escapes are decoded. The expected outputs were rendered by
// Apache Velocity 1.7.
func TestStringLiteralKludge(t *testing.T) {
	tests := []struct{ src, want string }{
		{`#set($x = "$")[$x]`, `[$]`},
		{`#set($x = "a$")[$x]`, `[a$]`},
		{`#set($x = "#")[$x]`, `[#]`},
		{`#set($x = "a#")[$x]`, `[a#]`},
		{`#set($x = "$b ")[$x]`, `[$b ]`},
		{`#set($b = 1)#set($x = "$b")[$x]`, `[1]`},
		{`#set($x = "x#if(true)y#end")[$x]`, `[xy]`},
		{`#set($x = "$!b")[$x]`, `[]`},
		{`#set($x = "#set($q=1)")[$x][$q]`, `[][1]`},
		{`#set($x = "## c")[$x]`, `[]`},
		{`#set($x = "\u0041$")[$x]`, `[A$]`},
		{`#set($x = "\u0041")[$x]`, `[A]`},
	}
	for _, tt := range tests {
		tmpl, err := Parse("t", tt.src)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		got, err := tmpl.RenderString(NewContext())
		if err != nil || got != tt.want {
			t.Errorf("%s = %q, %v; want %q", tt.src, got, err, tt.want)
		}
	}
}
