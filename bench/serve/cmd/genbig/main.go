// Command genbig writes bench/genapi's API of 1,000 resources and 3,000
// methods as CUE, for the artifact load measurement of bench/serve/run.sh.
package main

import (
	"flag"
	"fmt"
	"os"

	"gwc.dev/gwc/bench/genapi"
)

func main() {
	resources := flag.Int("resources", 1000, "resources to generate (three methods each)")
	out := flag.String("o", "big.cue", "file to write")
	flag.Parse()
	if err := os.WriteFile(*out, []byte(genapi.CUE(*resources)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genbig:", err)
		os.Exit(1)
	}
}
