package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

func newCheckCmd() *cobra.Command {
	var rf reportFlags
	cmd := &cobra.Command{
		Use:   "check [flags] INPUT...",
		Short: "Type-check a definition: silent and exit 0 when it compiles",
		Long: `check reads a definition and reports, at file:line:col, everything API
Gateway would reject at deploy time and everything gwc cannot compile.

INPUT is a directory of CUE files, .cue files, one OpenAPI document
(.yaml, .yml or .json, with x-gateway-* or x-amazon-apigateway-*
extensions), or one definition in gwc's vocabulary as YAML or JSON.

Exit status: 0 clean, 1 findings at or above --fail-severity, 2 usage
error or unreadable input.`,
		Example: `  gwc check examples/petstore
  gwc check api.openapi.yaml --format sarif > gwc.sarif
  gwc check examples/petstore --format github --fail-severity warning`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, failAt, err := rf.parse()
			if err != nil {
				return err
			}
			var ds diag.Set
			c, err := compileInput(args, compile.Options{}, &ds)
			if err != nil {
				return err
			}
			return report(cmd, "check", &ds, format, failAt, c.def.Source, checkRules(ds.Sorted())...)
		},
	}
	rf.register(cmd)
	return cmd
}

// compiled is a definition with its compilation result (nil when it has
// errors).
type compiled struct {
	def    *schema.Definition
	result *compile.Result
}

// compileInput loads and compiles the input named by args. The error is
// for input that could not be read at all; everything else is in ds.
func compileInput(args []string, opts compile.Options, ds *diag.Set) (*compiled, error) {
	def, err := schema.Load(args, ds)
	if err != nil {
		if errors.Is(err, schema.ErrInput) {
			return nil, &exitError{code: ExitUsage, err: err}
		}
		return nil, err
	}
	c := &compiled{def: def}
	if !ds.HasErrors() {
		c.result = compile.Compile(def, opts, ds)
	}
	return c, nil
}
