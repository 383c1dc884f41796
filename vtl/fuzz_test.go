package vtl_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gwc.dev/gwc/vtl"
)

var fuzzSeeds = []string{
	"", "$a", "$!a.b(1, 'x')[0]", "${a}", "#set($a = [1..3])#foreach($i in $a)$i#end",
	"#if($a == 1 && !$b)x#elseif($c)y#else z#end", "#macro(m $x)$x#end#m(1)", "#define($d)d#end$d",
	`#evaluate("#set($x = 1)$x")`, "#[[ raw ]]#", "## c\n#* c *#", `\$a \\$a \#if`, "$a.b(", "#if(",
	`#set($m = {"a": 1})$m.a $m["a"]`, "#foreach($i in [1..3])#break#end#stop", "$s.replaceAll('(a)', '$1')",
	"#@m()body#end", "#{if}(true)x#{end}", "$a-b $a. $. $ # #1", `"$a" '$a'`,
}

func fuzzContext() *vtl.Context {
	ctx := vtl.NewContext()
	ctx.Limits = vtl.Limits{MaxSteps: 20000, MaxOutputBytes: 1 << 16}
	ctx.Set("a", vtl.Int(1))
	ctx.Set("s", vtl.String("abc"))
	ctx.Set("l", vtl.ListValue(vtl.NewList(vtl.Int(1), vtl.String("x"))))
	m := vtl.NewMap(1)
	m.PutString("k", vtl.String("v"))
	ctx.Set("m", vtl.MapValue(m))
	return ctx
}

// FuzzParse checks that parsing never panics and that errors are
// positioned inside the template.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, err := vtl.Parse("f", src)
		if e, ok := err.(*vtl.Error); ok {
			if e.Offset < 0 || e.Offset > len(src) || e.Line < 1 || e.Col < 1 {
				t.Fatalf("bad position %+v for %q", e, src)
			}
		} else if err != nil {
			t.Fatalf("error of type %T", err)
		}
	})
}

// FuzzRender checks that rendering any template never panics (the engine's
// last-resort recover would report "internal error") and stays within its
// limits, in both dialects.
func FuzzRender(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, src string, apiGateway bool) {
		tp, err := vtl.Parse("f", src)
		if err != nil {
			return
		}
		ctx := fuzzContext()
		ctx.APIGateway = apiGateway
		out, err := tp.RenderString(ctx)
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("panic while rendering %q: %v", src, err)
			}
			if _, ok := err.(*vtl.Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(out) > 1<<16 {
			t.Fatalf("output of %d bytes exceeds the limit", len(out))
		}
	})
}

// FuzzParseJSON checks that the JSON parser never panics, agrees with
// encoding/json on what is valid, and that reusing an arena is harmless.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[1,2.5,"x"]`, `{"a":{"b":[true,false,null]}}`, `"\u00e9\ud83d\ude00"`, `-0`, `1e400`, `{"a":1,"a":2}`, `[`, `{"a"}`} {
		f.Add([]byte(s))
	}
	var arena vtl.JSONArena
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := arena.Parse(data, true)
		if valid := json.Valid(data); valid != (err == nil) && !strings.Contains(fmt.Sprint(err), "nested deeper") {
			t.Fatalf("ParseJSON(%q): err %v, encoding/json says valid=%v", data, err, valid)
		}
		if err == nil {
			_ = v.String()
			_ = v.JSON()
		}
		arena.Reset()
	})
}
