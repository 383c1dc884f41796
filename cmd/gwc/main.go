// Command gwc is API Gateway REST APIs as code: it checks, lints, builds and
// serves API definitions written in CUE or OpenAPI.
package main

import (
	"os"
	"runtime/debug"

	"gwc.dev/gwc/internal/cli"
)

func main() {
	// check, lint and build are short-lived and allocate a definition's
	// worth of small objects that all live until they finish: collecting
	// less often trades a little memory for much less time. GOGC still
	// overrides it.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(cli.Main())
}
