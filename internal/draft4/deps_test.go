package draft4

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the package to the standard library and
// internal/javaregex, so that the runtime can use it without bringing in
// anything else.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "gwc.dev/gwc/internal/draft4").CombinedOutput()
	if err != nil {
		t.Skipf("go list is unavailable here: %v: %s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(pkg, "/")
		if strings.Contains(first, ".") && pkg != "gwc.dev/gwc/internal/draft4" && pkg != "gwc.dev/gwc/internal/javaregex" {
			t.Errorf("draft4 depends on %s", pkg)
		}
	}
}
