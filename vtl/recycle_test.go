package vtl_test

import (
	"io"
	"strings"
	"testing"

	"gwc.dev/gwc/vtl"
)

// TestStoredTellsContainerWrites checks Context.Stored, which hosts use to
// decide whether memory of a render may be reused.
func TestStoredTellsContainerWrites(t *testing.T) {
	for src, want := range map[string]bool{
		`#set($x = 1)$m.get("a") $l.size() "$x"`: false,
		`#set($m.k = 1)`:                         true,
		`#set($m["k"] = 1)`:                      true,
		`#set($l[0] = 1)`:                        true,
		`$m.put("a", 1)`:                         true,
		`$l.add(1)`:                              true,
		`#foreach($e in $m.entrySet())$e.setValue(2)#end`: true,
		`#foreach($i in [1])#set($foreach.x = 1)#end`:     true,
	} {
		ctx := vtl.NewContext()
		m := vtl.NewMap(1)
		m.PutString("a", vtl.Int(0))
		ctx.Set("m", vtl.MapValue(m))
		ctx.Set("l", vtl.ListValue(vtl.NewList(vtl.Int(0))))
		if _, err := renderWith(t, src, ctx); err != nil {
			t.Fatal(err)
		}
		if got := ctx.Stored(); got != want {
			t.Errorf("%s: Stored() = %v, want %v", src, got, want)
		}
	}
}

// TestRecycleReusesStringMemory renders a template that builds 50 KB of
// strings: recycling after each render makes later renders allocate none,
// and without recycling the strings of earlier renders stay intact.
func TestRecycleReusesStringMemory(t *testing.T) {
	tp := mustParse(t, `#foreach($i in [1..50])#set($s = "$big$i")#end`)
	ctx := vtl.NewContext()
	big := vtl.String(strings.Repeat("x", 1000))
	render := func() {
		ctx.Set("big", big)
		if err := tp.Render(io.Discard, ctx); err != nil {
			t.Fatal(err)
		}
	}
	render()
	kept := ctx.Get("s")
	for range 20 {
		ctx.Reset()
		render()
	}
	if want := strings.Repeat("x", 1000) + "50"; kept.Str() != want {
		t.Fatalf("a string of an earlier render changed without Recycle")
	}
	// AllocsPerRun rounds down: count the allocations of 20 renders.
	without := testing.AllocsPerRun(5, func() {
		for range 20 {
			ctx.Reset()
			render()
		}
	})
	with := testing.AllocsPerRun(5, func() {
		for range 20 {
			ctx.Reset()
			render()
			ctx.Recycle()
		}
	})
	if without < 5 || with != 0 {
		t.Errorf("allocations per 20 renders: %v without Recycle, %v with; want some, then none", without, with)
	}
}
