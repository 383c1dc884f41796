package vtl_test

import (
	"testing"

	"gwc.dev/gwc/vtl"
)

// TestForeachScopeIsAMap checks $foreach against Velocity 1.7, whose
// ForeachScope is a java.util.AbstractMap over a HashMap of what templates
// store in it. The expected outputs are Velocity 1.7's, recorded with the
// oracle (go test ./vtl/internal/oracle -run Probe -probe FILE).
func TestForeachScopeIsAMap(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		// An empty scope prints as an empty map, wherever it appears.
		{`#foreach($i in [1])$foreach [$foreach]#end`, `{} [{}]`},
		{`#foreach($i in [1, 2])#foreach($j in [3])$foreach.parent#end#end`, `{}{}`},
		// Getters win over stored values; #set stores into the map.
		{`#foreach($i in [1])#set($foreach.index = 7)$foreach.index $foreach $foreach.get("index")#end`, `0 {index=7} 7`},
		{`#foreach($i in [1])$foreach.index $foreach.getIndex() $foreach.count $foreach.hasNext $foreach.getHasNext() $foreach.first $foreach.getFirst() $foreach.isFirst() $foreach.last $foreach.getLast() $foreach.isLast()#end`,
			`0 0 1 false false true true true true true true`},
		// The methods of Map. put returns the previous value, null here,
		// so the reference prints as written.
		{`#foreach($i in [1])$foreach.put("k", 3) $foreach.k $foreach.get("k") $foreach.containsKey("k") $foreach.remove("k") $foreach#end`,
			`$foreach.put("k", 3) 3 3 true 3 {}`},
		{`#foreach($i in [1])$foreach.equals($foreach) $foreach.hashCode() $foreach.isEmpty() $foreach.clear() $foreach.empty#end`,
			`true 0 true  $foreach.empty`},
		{`#foreach($i in [1])$foreach.entrySet() #set($foreach.x = 1)$foreach.entrySet()#foreach($e in $foreach.entrySet())$e.key=$e.value#end#end`,
			`[][x=1]x=1`},
		{`#foreach($i in [1])$foreach == {} #if($foreach == {})eq#end #if($foreach)t#end#end`, `{} == {} eq t`},
		{`#foreach($i in [1])#set($foreach.x = 1)#set($m = {"x": 1})$foreach.equals($m) $m.equals($foreach) #if($foreach == $m)eq#end $foreach.hashCode() $m.hashCode()#end`,
			`true true eq 121 121`},
		// The map is a HashMap: keys in bucket order, insertion order
		// within a bucket, the table doubling past three quarters full.
		{`#foreach($i in [1])#set($foreach.b = 1)#set($foreach.a = 2)$foreach $foreach.keySet() $foreach.values() $foreach.size()#end`,
			`{a=2, b=1} [a, b] [2, 1] 2`},
		{`#foreach($i in [1])#set($foreach.zz = 1)#set($foreach.aa = 2)#set($foreach.mm = 3)#set($foreach.Bb = 4)#set($foreach.k10 = 5)$foreach#end`,
			`{zz=1, aa=2, mm=3, Bb=4, k10=5}`},
		{`#foreach($i in [1])#foreach($k in ["q","w","e","r","t","y","u","i","o","p","a","s","d","f","g","h"])#set($foreach.parent[$k] = $velocityCount)#end$foreach#end`,
			`{a=11, d=13, e=3, f=14, g=15, h=16, i=8, o=9, p=10, q=1, r=4, s=12, t=5, u=7, w=2, y=6}`},
		{`#foreach($i in [1])#foreach($k in ["Aa","BB","C#","xyz","name","id","Zoë"])#set($foreach.parent[$k] = 1)#end$foreach#end`,
			`{Aa=1, BB=1, C#=1, Zoë=1, xyz=1, name=1, id=1}`},
		// A loop hides a $foreach that is not a scope, shows it as
		// .replaced and puts it back afterwards.
		{`#set($foreach = "outer")#foreach($i in [1])$foreach.replaced#end $foreach`, `outer outer`},
		{`#foreach($i in [1])$foreach.replaced|$foreach.getReplaced()|$foreach.topmost#end`, `$foreach.replaced|$foreach.getReplaced()|{}`},
		// Scope has no stop() in Velocity 1.7.
		{`#foreach($i in [1,2,3])$i#if($i == 2)$foreach.stop()#end#end|`, `12$foreach.stop()3|`},
	} {
		got, err := renderWith(t, tc.src, vtl.NewContext())
		if err != nil || got != tc.want {
			t.Errorf("%s\n got %q, %v\nwant %q", tc.src, got, err, tc.want)
		}
	}
}
