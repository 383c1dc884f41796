// Package compile_test benchmarks gwc check and gwc build on a generated
// API of 1,000 resources and 3,000 methods, in-process and as the command
// a user runs (wall time and peak memory of the process).
package compile_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"gwc.dev/gwc/bench/genapi"
	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/emit/cfn"
	"gwc.dev/gwc/schema"
)

const resources = 1000

// inputs writes the generated API as CUE and OpenAPI into dir.
func inputs(tb testing.TB, dir string) (cueDir, openapiFile string) {
	tb.Helper()
	cueDir = filepath.Join(dir, "cue")
	if err := os.MkdirAll(cueDir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cueDir, "api.cue"), []byte(genapi.CUE(resources)), 0o644); err != nil {
		tb.Fatal(err)
	}
	openapiFile = filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(openapiFile, []byte(genapi.OpenAPI(resources)), 0o644); err != nil {
		tb.Fatal(err)
	}
	return cueDir, openapiFile
}

// TestGeneratedAPICompiles makes sure the benchmarks measure a valid API:
// both forms compile, to the same artifact, with every method.
func TestGeneratedAPICompiles(t *testing.T) {
	cueDir, openapiFile := inputs(t, t.TempDir())
	var digests []string
	for _, in := range []string{cueDir, openapiFile} {
		var ds diag.Set
		def, err := schema.Load([]string{in}, &ds)
		if err != nil {
			t.Fatal(err)
		}
		res := compile.Compile(def, compile.Options{}, &ds)
		if res == nil {
			t.Fatalf("%s: %v", in, ds.Sorted()[:min(5, ds.Len())])
		}
		methods := 0
		for _, r := range res.Artifact.Resources {
			methods += len(r.Methods)
		}
		// Every resource gets a CORS-free GET/POST/DELETE; the tree adds
		// the /g* and /g*/res* parents.
		if methods != resources*genapi.Methods {
			t.Errorf("%s: %d methods, want %d", in, methods, resources*genapi.Methods)
		}
		digests = append(digests, res.Digest)
	}
	if digests[0] != digests[1] {
		t.Error("the CUE and OpenAPI forms of the generated API differ")
	}
}

func check(b *testing.B, in string) *compile.Result {
	var ds diag.Set
	def, err := schema.Load([]string{in}, &ds)
	if err != nil {
		b.Fatal(err)
	}
	res := compile.Compile(def, compile.Options{}, &ds)
	if res == nil {
		b.Fatal(ds.Sorted()[0])
	}
	return res
}

func build(b *testing.B, in string) {
	res := check(b, in)
	tmpl, err := cfn.Emit(res.API, res.Digest, cfn.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tmpl.JSON(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCheck measures gwc check's work in-process: read, validate,
// compile.
func BenchmarkCheck(b *testing.B) {
	cueDir, openapiFile := inputs(b, b.TempDir())
	b.Run("CUE", func(b *testing.B) {
		for b.Loop() {
			check(b, cueDir)
		}
	})
	b.Run("OpenAPI", func(b *testing.B) {
		for b.Loop() {
			check(b, openapiFile)
		}
	})
}

// BenchmarkBuild adds the artifact encoding (part of check) and the
// CloudFormation template.
func BenchmarkBuild(b *testing.B) {
	cueDir, openapiFile := inputs(b, b.TempDir())
	b.Run("CUE", func(b *testing.B) {
		for b.Loop() {
			build(b, cueDir)
		}
	})
	b.Run("OpenAPI", func(b *testing.B) {
		for b.Loop() {
			build(b, openapiFile)
		}
	})
}

// BenchmarkCLI runs the gwc binary as a user does and reports the wall
// time and the peak resident memory of the process.
func BenchmarkCLI(b *testing.B) {
	dir := b.TempDir()
	cueDir, openapiFile := inputs(b, dir)
	bin := filepath.Join(dir, "gwc")
	if out, err := exec.Command("go", "build", "-o", bin, "gwc.dev/gwc/cmd/gwc").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, c := range []struct{ name, verb, in string }{
		{"check/CUE", "check", cueDir},
		{"check/OpenAPI", "check", openapiFile},
		{"build/CUE", "build", cueDir},
		{"build/OpenAPI", "build", openapiFile},
	} {
		b.Run(c.name, func(b *testing.B) {
			var peak int64
			var wall time.Duration
			for b.Loop() {
				args := []string{c.verb, c.in}
				if c.verb == "build" {
					args = append(args, "-o", filepath.Join(dir, "dist"))
				}
				cmd := exec.Command(bin, args...)
				start := time.Now()
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("gwc %v: %v\n%s", args, err, out)
				}
				wall += time.Since(start)
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					peak = max(peak, ru.Maxrss)
				}
			}
			b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms/op")
			b.ReportMetric(float64(peak)/1024, "peak-MB")
		})
	}
}
