package oracle_test

import (
	"fmt"
	"math/rand"
	"strings"
)

// gen builds random plain-Velocity templates from fragments of every
// construct the engine supports. It is seeded, so a corpus is reproducible
// from its seed, and it avoids the few constructs whose output is
// deliberately different in gwc (see deliberateDifferences).
type gen struct {
	r     *rand.Rand
	depth int
}

// The context every generated template renders with (probeContextJSON).
var (
	genVars    = []string{"a", "s", "l", "m", "d", "t", "e", "n", "u", "x", "y", "i"}
	genStrings = []string{`"abc"`, `'abc'`, `"a,b,c"`, `""`, `"x$a"`, `"$s-${a}"`, `'$a'`, `"#if(true)T#end"`, `"A b C"`, `"  pad "`, `"é/ü"`,
		`"$"`, `"a$"`, `"#"`, `"$a "`, `"\u0041$a"`, `"x""y$a"`, `"## note $a"`, `"$!nope"`}
)

func (g *gen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

func (g *gen) ws() string {
	switch g.r.Intn(8) {
	case 0:
		return " "
	case 1:
		return "\n"
	case 2:
		return "  "
	case 3:
		return " \n"
	case 4:
		return "\t"
	}
	return ""
}

func (g *gen) template() string {
	var b strings.Builder
	n := 1 + g.r.Intn(5)
	for i := 0; i < n; i++ {
		b.WriteString(g.statement())
		b.WriteString(g.ws())
	}
	return b.String()
}

func (g *gen) block() string {
	g.depth++
	defer func() { g.depth-- }()
	var b strings.Builder
	n := 1 + g.r.Intn(3)
	for i := 0; i < n; i++ {
		b.WriteString(g.statement())
	}
	return b.String()
}

func (g *gen) statement() string {
	if g.depth > 3 {
		return g.pick("x", "$a", " ", "\n", "$!u", "-")
	}
	switch g.r.Intn(22) {
	case 0, 1:
		return g.pick("text", "a b", " ", "\n", "  indent", "{\"k\": ", "}", ",", "x.y", "(p)", "50%", "a\tb", "1.5", "q'q\"q", "[1]", ":")
	case 2, 3, 4:
		return g.reference()
	case 5, 6:
		return fmt.Sprintf("%s#set(%s$%s %s= %s)%s", g.pick("", "  ", "\t"), g.pick("", " "), g.pick("x", "y", "z"), g.pick("", " "), g.expr(), g.pick("", "\n", "  \n", " x"))
	case 7:
		return fmt.Sprintf("#set($%s = %s)", g.pick("m.k", "m.z", `m["q"]`, "l[0]", "l[-1]", "x.y"), g.value())
	case 8, 9:
		return g.ifStatement()
	case 10, 11:
		return g.foreach()
	case 12:
		return g.macro()
	case 13:
		return fmt.Sprintf("#define($blk)%s#end%s$blk%s$blk", g.block(), g.ws(), g.ws())
	case 14:
		return fmt.Sprintf("#evaluate(%s)", g.pick(`"$a #if(true)x#end"`, `'#set($x = 3)$x'`, `$s`, `"#foreach($k in [1..2])$k#end"`, `"#macro(em)E#end#em()"`, `'$u'`))
	case 15:
		return g.pick("## comment\n", "## c", "#* c *#", "#** doc *#", "#[[ $raw #if( ]]#", "#*\nmulti\n*#x")
	case 16:
		return g.pick(`\$a`, `\\$a`, `\$u`, `\\\$u`, `\#if`, `\\#if(true)x#end`, `\#set`, `\#foreach`, `\\`, `\`, `\\\`, `$`, `#`, `$ x`, `# x`, `$$a`, `#$a`, `$.`, `$a.`, `$a-b`, `$1`, `#1`, `a#b`, `$[1]`, `${a`, `$!`, `#@x`, `#{x}`, `#x()`, `\#mac()`, `\\#m2(1)`)
	case 17:
		return g.pick("#stop", "#break", "#{stop}", "x#stop y")
	case 18:
		return fmt.Sprintf("$%s.%s", g.pick("s", "l", "m", "a", "d", "t", "e", "n"), g.method())
	case 19:
		return fmt.Sprintf("#if(%s)T#{else}F#end", g.cond())
	case 20:
		return fmt.Sprintf("#{if}(%s)T#{end}", g.cond())
	}
	return g.pick("$velocityCount", "$foreach.index", "$velocityHasNext", "#foreach($q in [1..3])$q,#end", "#{end}", "#end", "#else", "#elseif(true)")
}

func (g *gen) reference() string {
	prefix := g.pick("$", "$", "$", "$!", "${", "$!{")
	body := g.pick(genVars...)
	for i := g.r.Intn(3); i > 0; i-- {
		switch g.r.Intn(4) {
		case 0:
			body += "." + g.method()
		case 1:
			body += "." + g.pick("k", "empty", "size", "length", "x", "class2", "Empty", "key")
		case 2:
			body += "[" + g.pick("0", "1", "-1", `"k"`, "$a", "$n", "5", " 0 ") + "]"
		default:
			body += "." + g.pick("toString()", "size()", "get(0)", `get("k")`, "toUpperCase()", "length()")
		}
	}
	if strings.HasSuffix(prefix, "{") {
		return prefix + body + "}" + g.pick("", "x", ".y")
	}
	return prefix + body + g.pick("", "", " ", "x", ".", "-x", "()", "[", "]")
}

func (g *gen) method() string {
	return g.pick(
		"length()", "size()", "isEmpty()", "toUpperCase()", "toLowerCase()", "trim()", "toString()",
		"substring(1)", "substring(0, 2)", "substring(5)", `indexOf("b")`, `indexOf("z")`, `lastIndexOf("b")`,
		`replace("b", "X")`, `replaceAll("[a-c]", "_")`, `replaceAll("(b)", "<$1>")`, `replaceFirst("b|c", "")`,
		`contains("b")`, `startsWith("a")`, `endsWith("c")`, `equals("abc")`, `equalsIgnoreCase("ABC")`,
		`matches("[a-z]+")`, `charAt(0)`, `concat("!")`, `hashCode()`, `compareTo("abd")`,
		"get(0)", "get(1)", "get(7)", `get("k")`, "contains(2)", "indexOf(3)", "add(4)", "add(0, 9)", "remove(0)",
		"set(0, 5)", "subList(0, 1)", "clear()", `put("k", "w")`, `put("z", 1)`, `remove("k")`, `containsKey("k")`,
		"keySet()", "values()", `containsValue("v")`, "intValue()", "doubleValue()", "longValue()", "foo()",
		`getOrDefault("q", 0)`, "isEmpty", `split(",").size()`, `split("b").get(0)`,
		// Deliberate differences (see diff_test.go), which must show only
		// where the documentation says they do.
		`split(",")`, "charAt(0).toUpperCase()", "charAt(1).length()",
	)
}

func (g *gen) value() string {
	switch g.r.Intn(12) {
	case 0, 1:
		return g.pick(genStrings...)
	case 2:
		return g.pick("0", "1", "-3", "42", "2147483647", "3000000000")
	case 3:
		return g.pick("1.5", "0.25", "-2.0", "1e3", "10.0")
	case 4:
		return g.pick("true", "false")
	case 5:
		return g.pick("[]", "[1, 2, 3]", `["a", $a, [1]]`, "[$s, $u]", "[ 1 ]")
	case 6:
		return g.pick("{}", `{"a": 1, "b": "two"}`, `{"k": $s, 1: 2}`, `{ "x" : [1] }`)
	case 7:
		return g.pick("[1..3]", "[3..1]", "[$a..4]", "[0..0]", "[-2..2]")
	}
	return g.reference0()
}

func (g *gen) reference0() string {
	return "$" + g.pick(genVars...) + g.pick("", "", ".size()", ".length()", "[0]", ".k", ".toString()")
}

func (g *gen) expr() string {
	switch g.r.Intn(8) {
	case 0:
		return g.value() + g.pick(" + ", " - ", " * ", " / ", " % ", "+") + g.value()
	case 1:
		return g.cond()
	case 2:
		return "(" + g.value() + g.pick(" + ", " * ") + g.value() + ")" + g.pick(" - ", " / ") + g.value()
	}
	return g.value()
}

func (g *gen) cond() string {
	switch g.r.Intn(9) {
	case 0:
		return g.value()
	case 1:
		return g.pick("!", "! ", "not ") + g.value()
	case 2:
		return g.value() + g.pick(" && ", " and ", " || ", " or ") + g.value()
	case 3:
		return "(" + g.cond() + ")" + g.pick(" && ", " || ") + g.cond()
	}
	return g.value() + g.pick(" == ", " != ", " eq ", " ne ", " < ", " > ", " <= ", " >= ", " lt ", " gt ", " le ", " ge ", "==") + g.value()
}

func (g *gen) ifStatement() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s#if%s(%s)%s%s", g.pick("", "  ", "\t"), g.pick("", " "), g.cond(), g.ws(), g.block())
	for i := g.r.Intn(2); i > 0; i-- {
		fmt.Fprintf(&b, "%s#elseif(%s)%s%s", g.pick("", "  "), g.cond(), g.ws(), g.block())
	}
	if g.r.Intn(2) == 0 {
		fmt.Fprintf(&b, "%s#else%s%s", g.pick("", "  "), g.ws(), g.block())
	}
	fmt.Fprintf(&b, "%s#end%s", g.pick("", "  "), g.ws())
	return b.String()
}

func (g *gen) foreach() string {
	it := g.pick("$l", "[1..3]", "$m", "[]", "$u", "$s", `["a", "b"]`, "[$a..3]", "$m.keySet()", "$l.subList(0, 2)", "[1..1200]", "$m.entrySet()")
	body := g.block() + g.pick("", "$item", "$velocityCount", "$foreach.index", "$foreach.count", "$foreach.hasNext",
		"#if($foreach.hasNext),#end", "#if($velocityHasNext);#end", "$foreach.first", "$foreach.last", "#break",
		"#if($foreach.count == 2)#break#end", "$item.key", "$foreach.parent.index", "[$foreach]", "$foreach.parent")
	return fmt.Sprintf("%s#foreach%s(%s$item in %s)%s%s%s#end%s$item", g.pick("", "  "), g.pick("", " "), g.pick("", " "), it, g.ws(), body, g.ws(), g.ws())
}

func (g *gen) macro() string {
	name := g.pick("mac", "m2")
	params := g.pick("", " $p", " $p $q", ", $p")
	body := g.block() + g.pick("$p", "[$q]", "", "#set($p = 9)$p", "$!q")
	call := fmt.Sprintf("#%s(%s)", name, g.pick("", "1", `"s" $a`, "$s, [1, 2]", "$u", "$l.size() 2", "1 2 3", "$m.k"))
	if g.r.Intn(2) == 0 {
		return fmt.Sprintf("#macro(%s%s)%s#end%s%s%s%s", name, params, body, g.ws(), call, g.ws(), call)
	}
	return fmt.Sprintf("%s%s#macro(%s%s)%s#end", call, g.ws(), name, params, body)
}
