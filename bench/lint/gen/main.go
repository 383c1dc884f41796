// Command gen writes the benchmark API of bench/genapi into a directory:
// api/api.cue (CUE) and openapi.json, for bench/lint/run.sh.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	"gwc.dev/gwc/bench/genapi"
)

func main() {
	out := flag.String("out", ".", "directory to write into")
	resources := flag.Int("resources", 1000, "resources to generate, three methods each")
	flag.Parse()
	if err := os.MkdirAll(filepath.Join(*out, "api"), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "api", "api.cue"), []byte(genapi.CUE(*resources)), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "openapi.json"), []byte(genapi.OpenAPI(*resources)), 0o644); err != nil {
		log.Fatal(err)
	}
}
