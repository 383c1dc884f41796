package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/emit/cfn"
)

func newBuildCmd() *cobra.Command {
	var (
		rf        reportFlags
		out       string
		cfnFormat string
		stage     string
	)
	cmd := &cobra.Command{
		Use:   "build [flags] INPUT...",
		Short: "Compile a definition into an artifact and CloudFormation",
		Long: `build checks a definition as check does and, when it compiles, writes
into the output directory:

  manifest.json        the artifact's format version and sha256 digest
  api.json             the compiled API that gwc serve runs
  cloudformation.json  (or .yaml) the template that deploys it to AWS

Building the same input twice gives the same bytes. The artifact holds no
secrets: API key values and function locations are supplied when serving.`,
		Example: `  gwc build examples/petstore -o dist
  gwc build petstore.openapi.yaml -o dist --cfn-format yaml
  gwc build api/ -o dist --stage prod    # stage name for a definition that declares none`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, failAt, err := rf.parse()
			if err != nil {
				return err
			}
			if cfnFormat != "json" && cfnFormat != "yaml" {
				return usageErrorf("--cfn-format must be json or yaml, not %q", cfnFormat)
			}
			var ds diag.Set
			c, err := compileInput(args, compile.Options{DefaultStage: stage}, &ds)
			if err != nil {
				return err
			}
			if c.result != nil {
				if err := writeBuild(cmd, c.result, out, cfnFormat, &ds); err != nil {
					return err
				}
			}
			return report(cmd, "build", &ds, format, failAt, c.def.Source)
		},
	}
	rf.register(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "dist", "output directory")
	cmd.Flags().StringVar(&cfnFormat, "cfn-format", "json", "CloudFormation template format: json or yaml")
	cmd.Flags().StringVar(&stage, "stage", "dev", "stage name for a definition that declares no stage")
	_ = cmd.RegisterFlagCompletionFunc("cfn-format", cobra.FixedCompletions([]string{"json", "yaml"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// writeBuild writes the artifact and the template. A template that cannot
// be emitted adds its problems to ds and writes nothing.
func writeBuild(cmd *cobra.Command, res *compile.Result, out, cfnFormat string, ds *diag.Set) error {
	tmpl, err := cfn.Emit(res.API, res.Digest, cfn.Options{})
	var emitErr *cfn.Error
	if errors.As(err, &emitErr) {
		ds.Add(emitErr.Diagnostics...)
		return nil
	}
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	ds.Add(tmpl.Warnings()...)
	var body []byte
	if cfnFormat == "yaml" {
		body, err = tmpl.YAML()
	} else {
		body, err = tmpl.JSON()
	}
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	ds.Add(tmpl.SizeDiagnostics(len(body))...)
	digest, err := artifact.Write(out, res.Artifact)
	if err != nil {
		return &exitError{code: ExitUsage, err: fmt.Errorf("write artifact: %w", err)}
	}
	name := filepath.Join(out, "cloudformation."+cfnFormat)
	if err := os.WriteFile(name, body, 0o644); err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	// Remove a template of the other format from an earlier build, so the
	// directory never holds two templates that disagree.
	other := map[string]string{"json": "yaml", "yaml": "json"}[cfnFormat]
	_ = os.Remove(filepath.Join(out, "cloudformation."+other))
	fmt.Fprintf(cmd.ErrOrStderr(), "gwc: built %s into %s (%s)\n", res.Artifact.Name, out, digest)
	return nil
}
