package runtime

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRuntimeDependencies enforces DESIGN.md: the runtime and its plugins
// never depend on build-time code (definitions, compilation, lint,
// emitters) nor on the libraries only those use.
func TestRuntimeDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "gwc.dev/gwc/runtime/...", "gwc.dev/gwc/plugins/...").CombinedOutput()
	if err != nil {
		t.Skipf("go list is unavailable here: %v: %s", err, out)
	}
	forbidden := []string{
		"gwc.dev/gwc/schema", "gwc.dev/gwc/compile", "gwc.dev/gwc/lint", "gwc.dev/gwc/emit",
		"gwc.dev/gwc/internal/cli", "cuelang.org/", "github.com/getkin/kin-openapi", "github.com/awslabs/goformation",
		"github.com/spf13/cobra", "gopkg.in/yaml", "go.yaml.in/yaml",
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if pkg == strings.TrimSuffix(f, "/") || strings.HasPrefix(pkg, f) && (strings.HasSuffix(f, "/") || strings.HasPrefix(pkg, f+"/")) {
				t.Errorf("the runtime depends on %s", pkg)
			}
		}
	}
}
