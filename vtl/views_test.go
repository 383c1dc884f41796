package vtl_test

import (
	"strings"
	"testing"

	"gwc.dev/gwc/vtl"
)

// TestMapViewsReadThrough checks keySet(), values() and entrySet() against
// Velocity 1.7 (expected outputs recorded with the oracle): they read
// through to the map, and #foreach over one iterates the map, so that a
// change of the map in the loop throws as Java's iterator does.
func TestMapViewsReadThrough(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`#set($m = {"a":1})#foreach($k in $m.keySet())$k#set($m.c = 3)#end $m`, `a {a=1, c=3}`},
		{`#set($m = {"a":1})#set($ks = $m.keySet())$m.put("b", 2)#foreach($k in $ks)$k#end`, `$m.put("b", 2)ab`},
		{`#set($m = {"a":1})#set($ks = $m.keySet())$m.put("b", 2)$ks $ks.size()`, `$m.put("b", 2)[a, b] 2`},
		{`#set($m = {"a":1,"b":2})#foreach($e in $m.entrySet())$e.key=$e.value;#end #foreach($v in $m.values())$v#end`, `a=1;b=2; 12`},
	} {
		got, err := renderWith(t, tc.src, vtl.NewContext())
		if err != nil || got != tc.want {
			t.Errorf("%s\n got %q, %v\nwant %q", tc.src, got, err, tc.want)
		}
	}
	// Velocity: ConcurrentModificationException.
	_, err := renderWith(t, `#set($m = {"a":1,"b":2})#foreach($k in $m.keySet())$k#set($m.c = 3)#end`, vtl.NewContext())
	if err == nil || !strings.Contains(err.Error(), "ConcurrentModificationException") {
		t.Errorf("changing the map while iterating its keySet: got %v, want ConcurrentModificationException", err)
	}
}
