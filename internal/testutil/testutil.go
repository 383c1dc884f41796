// Package testutil finds the shared test data that lives beside the
// repository (../shared/testdata), which tests read in place and never
// copy into the project.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Shared returns the path of ../shared/testdata/<rel> beside the
// repository, and skips the test when it is absent.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(RepoRoot(t), "..", "shared", "testdata", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared test data %s is absent (CI places ../shared beside the checkout)", rel)
	}
	return p
}
