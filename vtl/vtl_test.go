package vtl_test

import (
	"errors"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"gwc.dev/gwc/vtl"
)

func mustParse(t testing.TB, src string) *vtl.Template {
	t.Helper()
	tp, err := vtl.Parse("t.vm", src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return tp
}

func renderWith(t testing.TB, src string, ctx *vtl.Context) (string, error) {
	t.Helper()
	return mustParse(t, src).RenderString(ctx)
}

func TestParseErrorPositions(t *testing.T) {
	for _, tc := range []struct {
		src            string
		line, col, off int
		msgContains    string
	}{
		{"#if(true)\nx", 1, 1, 0, "#if has no matching #end"},
		{"ab\n  #foreach($i in $l)\n", 2, 3, 5, "#foreach has no matching #end"},
		{"x\n#set($a = )", 2, 11, 12, "expecting a value"},
		{"x #end", 1, 3, 2, `unexpected "#end"`},
		{"$a.b(1 + 2)", 1, 8, 7, `unexpected character "+"`},
		{"a$", 1, 3, 2, "unexpected end of template"},
		{"#macro()#end", 1, 1, 0, "macro"},
		{"one\r\ntwo\r\n#if(", 3, 5, 14, "unexpected end of template"},
		{"#set($a = \"#if(\")", 1, 16, 15, "unexpected end of template"},
		// "$." after a reference is EMPTY_INDEX, which leaves the lexer
		// in REFERENCE, so "[" is an index bracket the parser cannot
		// take. Velocity 1.7 reports these at the same line and column.
		{"$u$.[1]", 1, 5, 4, `unexpected "["`},
		{"ab\n$$.[1]", 2, 4, 6, `unexpected "["`},
		{"$u[1]$.[1]", 1, 8, 7, `unexpected "["`},
		{"#if($u$.[1])#end", 1, 7, 6, `unexpected "$."`},
	} {
		_, err := vtl.Parse("t.vm", tc.src)
		var e *vtl.Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %v, want a *vtl.Error", tc.src, err)
			continue
		}
		if e.Line != tc.line || e.Col != tc.col || e.Offset != tc.off || !strings.Contains(e.Msg, tc.msgContains) {
			t.Errorf("Parse(%q): got %d:%d (offset %d) %q, want %d:%d (offset %d) containing %q",
				tc.src, e.Line, e.Col, e.Offset, e.Msg, tc.line, tc.col, tc.off, tc.msgContains)
		}
		if e.Msg != strings.ToLower(e.Msg[:1])+e.Msg[1:] || strings.HasSuffix(e.Msg, ".") {
			t.Errorf("message %q should start lower case and have no trailing period", e.Msg)
		}
		if want := "t.vm:"; !strings.HasPrefix(e.Error(), want) {
			t.Errorf("Error() = %q, want prefix %q", e.Error(), want)
		}
	}
}

// TestTokenLiterals covers what Velocity 1.7's token manager and its
// literal() make of "$." and of references inside other constructs. An
// unresolved reference, an unknown macro call, a macro argument bound by
// name and a #literal block print their tokens' images, not the source:
// the references inside have lost the backslashes and the text glued in
// front of their "$" ("$u[\$a]" prints "$u[$a]"), a DOT after "\$" or "$!"
// has lost that prefix, and "$" or "#" before a terminator keeps only
// those characters. The expected outputs and errors are Velocity 1.7's,
// recorded with go test ./vtl/internal/oracle -run Probe.
func TestTokenLiterals(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		// "$." is EMPTY_INDEX: in REFERENCE it keeps the state, so an
		// identifier after it starts a reference without "$" (a runt,
		// which prints its root only).
		{`$u$.`, `$u$.`},
		{`$u$.x`, `$u$.x`},
		{`$u$.x.y`, `$u$.x`},
		{`$u$.x[1]`, `$u$.x`},
		{`$u$.{a}`, `$u$.{`},
		{`$u.x$$.y`, `$u.x$$.y`},
		{`$. #set($b = 1)$b`, `$.1`},
		{`$u$. #set($b = 1)$b`, `$u$.1`},
		{`$s.substring(1)$.length()`, `bc$.length()`},
		// After REFMODIFIER, or after "\$" or "$!", "." is a DOT that
		// goes on with the reference and drops the prefix.
		{`$u.x$.y`, `$u.x.y`},
		{`$m.k$.length()`, `1`},
		{`$u\$.y`, `$u.y`},
		{`$s.substring(1)\$.length()`, `2`},
		{`\$.y`, `.y`},
		{`$!.y`, `.y`},
		// References inside the literal of an unresolved reference.
		{`$t.length()[1][\\\$a]`, `$t.length()[1][$a]`},
		{`$u[\$a]`, `$u[$a]`},
		{`$u[\\$a]`, `$u[$a]`},
		{`$u[$$a]`, `$u[$a]`},
		{`$u[#$a]`, `$u[$a]`},
		{`$u[\$!a]`, `$u[$!a]`},
		{`$u[$\!a]`, `$u[$\!a]`},
		{`$u[\${a}]`, `$u[${a}]`},
		{`$u[$v[\$a]]`, `$u[$v[$a]]`},
		{`\$u[\$a]`, `\$u[$a]`},
		{`$s[\$zz]`, `$s[$zz]`},
		{`$u.foo($$a, \\$b)`, `$u.foo($a, $b)`},
		{`$u.foo([\$a..2])`, `$u.foo([$a..2])`},
		{`$u.foo("\$a")`, `$u.foo("\$a")`},
		{`$u[$! 1]`, `$u[$ 1]`},
		{`#set($x = "$u[\$a]")$x`, `$u[$a]`},
		// Macro arguments, unknown macro calls and #literal blocks.
		{`#macro(m $x)$x#end#m($u[\$a])`, `$u[$a]`},
		{`#macro(m $x)$x#end#m([\$u..2])`, `[$u..2]`},
		{`#foo(\$a $$b)x`, `#foo($a $b)x`},
		{`#literal()$u[\$a] \$b $$c #$d $u.x$.y \$.y#end`, `$u[$a] $b $c $d $u.x.y .y`},
		{"#literal()#* c *#x#** d *#y## e\nz#[[ t ]]##end", "x*#y##\nz#[[ t ]]#"},
		{`#literal()\#foo \\#foo \\\#set x#end`, `\#foo \\#foo \#set x`},
		{`#literal()$!1 $! #end`, `$1 $ `},
	} {
		ctx := vtl.NewContext()
		ctx.Set("a", vtl.Int(1))
		ctx.Set("s", vtl.String("abc"))
		ctx.Set("t", vtl.Bool(true))
		m := vtl.NewMap(1)
		m.Put(vtl.String("k"), vtl.String("v"))
		ctx.Set("m", vtl.MapValue(m))
		got, err := renderWith(t, tc.src, ctx)
		if err != nil || got != tc.want {
			t.Errorf("%s\n got %q, %v\nwant %q", tc.src, got, err, tc.want)
		}
	}
}

// TestForeachConcurrentModification checks when changing the collection
// inside #foreach throws, as Java's iterators decide: an ArrayList's when
// the loop goes on while its size differs from the position (so clearing
// it throws, and removing down to the position stops the loop), a
// LinkedHashMap's whenever it had a next entry. Recorded from Velocity 1.7.
func TestForeachConcurrentModification(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`#set($l = [1, 2, 3])#foreach($i in $l)$i$l.clear()#end`, "ConcurrentModificationException"},
		{`#set($l = [1, 2, 3])#foreach($i in $l)$i#set($x = $l.remove(0))#end`, "ConcurrentModificationException"},
		{`#set($l = [1, 2, 3])#foreach($e in $l)$e#if($e == 2)#set($x = $l.remove(0))#end#end`, "12"},
		{`#set($l = [1, 2, 3])#foreach($e in $l)$e#if($e == 1)#set($x = $l.clear())#set($x = $l.add(5))#end#end`, "1"},
		{`#set($m = {"a": 1, "b": 2})#foreach($e in $m)$e#set($x = $m.remove("b"))#end`, "ConcurrentModificationException"},
		{`#set($m = {"a": 1, "b": 2})#foreach($e in $m.keySet())$e#set($x = $m.clear())#end`, "ConcurrentModificationException"},
		{`#set($m = {"a": 1})#foreach($e in $m)$e#set($x = $m.put("c", 3))#end`, "1"},
	} {
		got, err := renderWith(t, tc.src, vtl.NewContext())
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tc.want) || err == nil && got != tc.want {
			t.Errorf("%s\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

// TestSplitArrayIsFixedSize checks String.split's result, a Java array,
// which Velocity 1.7 changes through a fixed-size list: set works, a
// change of size throws UnsupportedOperationException (unless there is
// nothing to change). It also checks removeAll and retainAll, on arrays
// and on lists. Recorded from Velocity 1.7.
func TestSplitArrayIsFixedSize(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`#set($x = $s.split("b"))$x.set(0, "q")$x.get(0) $x.size()`, "aq 2"},
		{`#set($x = $s.split("b"))#set($x[0] = "z")$x.get(0)`, "z"},
		{`#set($x = $s.split("b"))$x.remove("zz") $x.addAll([])`, "false false"},
		{`#set($x = $s.split("b"))$x.remove("a")`, "UnsupportedOperationException"},
		{`#set($x = $s.split("b"))$x.remove(0)`, "UnsupportedOperationException"},
		{`#set($x = $s.split("b"))$x.add("q")`, "UnsupportedOperationException"},
		{`#set($x = $s.split("b"))$x.add(0, "q")`, "UnsupportedOperationException"},
		{`#set($x = $s.split("b"))$x.addAll([1])`, "UnsupportedOperationException"},
		{`#set($x = $s.split("b"))$x.clear()`, "UnsupportedOperationException"},
		{`#set($x = $s.split("b"))$x.subList(0, 1).add(1)`, "UnsupportedOperationException"},
		{`#set($x = $s.split("b"))$x.removeAll(["z"]) $x.retainAll(["a", "c"])`, "false false"},
		{`#set($x = $s.split("b"))$x.removeAll(["a"])`, "UnsupportedOperationException"},
		// removeAll and retainAll of an ArrayList.
		{`#set($x = [1, 2, 3, 2])$x.removeAll([2, 5]) $x`, "true [1, 3]"},
		{`#set($x = [1, 2, 3, 2])$x.retainAll([2, 5]) $x`, "true [2, 2]"},
		{`#set($x = [1, 2, 3])$x.removeAll($x) $x`, "true []"},
		{`#set($x = [1, 2, 3])$x.retainAll($x) $x`, "false [1, 2, 3]"},
		{`#set($x = [1, 2.0, 3])$x.removeAll([2]) $x`, "false [1, 2.0, 3]"},
		{`#set($x = [1, 2, 3])$x.removeAll("a")`, `$x.removeAll("a")`},
	} {
		ctx := vtl.NewContext()
		ctx.Set("s", vtl.String("abc"))
		got, err := renderWith(t, tc.src, ctx)
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tc.want) || err == nil && got != tc.want {
			t.Errorf("%s\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

// TestArrayIdentity: a Java array (what split returns) equals only itself,
// in equals(), ==, contains and indexOf; no List equals an array. Recorded
// from Velocity 1.7.
func TestArrayIdentity(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`#set($x = $s.split(","))#set($y = $s.split(","))$x.equals($y) $x.equals($x) #if($x == $y)eq#{else}ne#end #if($x == $x)eq#{else}ne#end`, "false true ne eq"},
		{`#set($x = $s.split(","))#set($l = ["a", "b"])$x.equals($l) $l.equals($x) #if($x == $l)eq#{else}ne#end`, "false false ne"},
		{`#set($x = $s.split(","))#set($y = $s.split(","))#set($l = [$x])$l.contains($x) $l.contains($y) $l.indexOf($y)`, "true false -1"},
		{`#set($x = $s.split(","))#set($m = {"k": $x})#set($n = {"k": $s.split(",")})$m.equals($n) $m.containsValue($x)`, "false true"},
	} {
		ctx := vtl.NewContext()
		ctx.Set("s", vtl.String("a,b"))
		got, err := renderWith(t, tc.src, ctx)
		if err != nil || got != tc.want {
			t.Errorf("%s\n got %q, %v\nwant %q", tc.src, got, err, tc.want)
		}
	}
}

func TestRenderErrorPositioned(t *testing.T) {
	ctx := vtl.NewContext()
	ctx.Set("s", vtl.String("abc"))
	_, err := renderWith(t, "line1\n  $s.substring(10)", ctx)
	var e *vtl.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *vtl.Error", err)
	}
	if e.Line != 2 || e.Col != 6 || !strings.Contains(e.Msg, "StringIndexOutOfBounds") {
		t.Errorf("got %d:%d %q", e.Line, e.Col, e.Msg)
	}
}

func TestLoopCapStopsSilently(t *testing.T) {
	ctx := vtl.NewContext()
	got, err := renderWith(t, "#foreach($i in [1..5000])x#end|$velocityCount", ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat("x", 1000) + "|$velocityCount"; got != want {
		t.Errorf("got %d bytes, want 1000 x then |$velocityCount", len(got))
	}
	ctx.Limits.MaxLoopIterations = 3
	got, _ = renderWith(t, "#set($l = [1,2,3,4,5])#foreach($i in $l)$i#end", ctx)
	if got != "123" {
		t.Errorf("with a cap of 3 got %q", got)
	}
}

func TestSandboxLimits(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
		limits          vtl.Limits
	}{
		{"macro recursion", "#macro(r $n)#r($n)#end#r(1)", "macro calls nest deeper than 20", vtl.Limits{}},
		{"evaluate nesting", `#set($s = '#evaluate($s)')#evaluate($s)`, "#evaluate nests deeper than 10", vtl.Limits{}},
		{"output size", "#foreach($i in [1..1000])0123456789#end", "output exceeds the limit of 5000 bytes", vtl.Limits{MaxOutputBytes: 5000}},
		{"string growth", `#set($s = "ab")#foreach($i in [1..40])#set($s = "$s$s")#end`, "exceeds the limit", vtl.Limits{MaxOutputBytes: 1 << 20}},
		{"step budget", "#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])x#end#end#end", "budget of 100000 steps", vtl.Limits{MaxSteps: 100000, MaxOutputBytes: 1 << 30}},
		{"list growth", `#set($l = [1])#foreach($i in [1..60])#set($x = $l.addAll($l))#end`, "steps", vtl.Limits{MaxSteps: 100000}},
		{"huge range", `#set($r = [1..2000000000])`, "steps", vtl.Limits{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := vtl.NewContext()
			ctx.Limits = tc.limits
			_, err := renderWith(t, tc.src, ctx)
			var e *vtl.Error
			if !errors.As(err, &e) || !strings.Contains(e.Msg, tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestAPIGatewayMode(t *testing.T) {
	ctx := vtl.NewContext()
	ctx.APIGateway = true
	ctx.Set("x", vtl.Int(1))
	got, err := renderWith(t, `[$u][$u.b()][\$u][#if($u == "")eq#end][#set($x = $u)$x]`, ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A null prints nothing; null equals ""; #set of null sets null.
	if want := `[][][\$u][eq][]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	ctx = vtl.NewContext()
	ctx.Set("x", vtl.Int(1))
	got, _ = renderWith(t, `[$u][#if($u == "")eq#end][#set($x = $u)$x]`, ctx)
	if want := `[$u][][1]`; got != want {
		t.Errorf("stock Velocity: got %s, want %s", got, want)
	}
}

// TestConcurrentRender renders one template from many goroutines; run
// with -race to check that a Template is never written while rendering.
func TestConcurrentRender(t *testing.T) {
	tp := mustParse(t, `#macro(m $x)<$x>#end#set($l = [1, 2, 3])#foreach($i in $l)#m($i)#set($dummy = $l.add(0))#end#evaluate("#set($e = 5)$e")$s.replaceAll("b", "B")`)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := vtl.NewContext()
			for i := 0; i < 200; i++ {
				ctx.Reset()
				ctx.Set("s", vtl.String("abc"))
				got, err := tp.RenderString(ctx)
				if err == nil {
					err = errors.New("want the ConcurrentModificationException error")
				}
				_ = got
				if !strings.Contains(err.Error(), "ConcurrentModification") {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestRenderWritesNothingOnError(t *testing.T) {
	var b strings.Builder
	err := mustParse(t, "before $s.substring(9)").Render(&b, func() *vtl.Context {
		c := vtl.NewContext()
		c.Set("s", vtl.String("x"))
		return c
	}())
	if err == nil || b.Len() != 0 {
		t.Errorf("err %v, wrote %q", err, b.String())
	}
}

// TestImportsStandardLibraryOnly enforces DESIGN.md: vtl imports nothing
// of gwc and no third-party module.
func TestImportsStandardLibraryOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "gwc.dev/gwc/vtl").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != "gwc.dev/gwc/vtl" {
			t.Errorf("vtl depends on %s", p)
		}
	}
}
