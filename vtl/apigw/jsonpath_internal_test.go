package apigw

import (
	"fmt"
	"hash/maphash"
	"testing"
)

// TestPathsSharingASlotStayCompiled alternates two paths that share a slot
// of the direct-mapped path table: each must come from the cache behind
// it, not be compiled again, so that no render allocates for them.
func TestPathsSharingASlotStayCompiled(t *testing.T) {
	slotOf := func(p string) uint64 { return maphash.String(pathSeed, p) % uint64(len(pathTable)) }
	seen := map[uint64]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		p := fmt.Sprintf("$.order.items[%d].tags", i)
		if q, ok := seen[slotOf(p)]; ok {
			a, b = q, p
		}
		seen[slotOf(p)] = p
	}
	for _, p := range []string{a, b} {
		if _, err := compilePath(p); err != nil {
			t.Fatal(err)
		}
	}
	if n := testing.AllocsPerRun(100, func() {
		ca, _ := compilePath(a)
		cb, _ := compilePath(b)
		if ca.src != a || cb.src != b {
			t.Fatalf("got %s and %s for %s and %s", ca.src, cb.src, a, b)
		}
	}); n != 0 {
		t.Errorf("alternating %s and %s allocated %v times a turn", a, b, n)
	}
}
