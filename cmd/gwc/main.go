// Command gwc is API Gateway REST APIs as code: it checks, lints, builds and
// serves API definitions written in CUE or OpenAPI.
package main

import (
	"os"

	"gwc.dev/gwc/internal/cli"
)

func main() { os.Exit(cli.Main()) }
