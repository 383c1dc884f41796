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
		cfnNested bool
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
  nested/*.json        with --cfn-nested, the nested stacks that hold the
                       API's paths: for APIs beyond one stack's quotas
                       (500 resources, 1 MB); deploy with
                       aws cloudformation package, which uploads them

Building the same input twice gives the same bytes. The artifact holds no
secrets: API key values and function locations are supplied when serving.`,
		Example: `  gwc build examples/petstore -o dist
  gwc build petstore.openapi.yaml -o dist --cfn-format yaml
  gwc build api/ -o dist --stage prod    # stage name for a definition that declares none
  gwc build big-api/ -o dist --cfn-nested
  aws cloudformation package --template-file dist/cloudformation.json \
      --s3-bucket BUCKET --output-template-file packaged.json`,
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
				if err := writeBuild(cmd, c.result, out, cfnFormat, cfnNested, &ds); err != nil {
					return err
				}
			}
			return report(cmd, "build", &ds, format, failAt, c.def.Source)
		},
	}
	rf.register(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "dist", "output directory")
	cmd.Flags().StringVar(&cfnFormat, "cfn-format", "json", "CloudFormation template format: json or yaml")
	cmd.Flags().BoolVar(&cfnNested, "cfn-nested", false, "put the API's paths in nested stacks (for APIs beyond 500 resources or 1 MB)")
	cmd.Flags().StringVar(&stage, "stage", "dev", "stage name for a definition that declares no stage")
	_ = cmd.RegisterFlagCompletionFunc("cfn-format", cobra.FixedCompletions([]string{"json", "yaml"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// writeBuild writes the artifact and the template. A template that cannot
// be emitted adds its problems to ds and writes nothing.
func writeBuild(cmd *cobra.Command, res *compile.Result, out, cfnFormat string, nested bool, ds *diag.Set) error {
	tmpl, err := cfn.Emit(res.API, res.Digest, cfn.Options{Nested: nested})
	var emitErr *cfn.Error
	if errors.As(err, &emitErr) {
		ds.Add(emitErr.Diagnostics...)
		return nil
	}
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	ds.Add(tmpl.Warnings()...)
	encode := func(t *cfn.Template) ([]byte, error) {
		if cfnFormat == "yaml" {
			return t.YAML()
		}
		return t.JSON()
	}
	body, err := encode(tmpl)
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	ds.Add(tmpl.SizeDiagnostics(len(body))...)
	nestedBodies := make([][]byte, len(tmpl.Nested()))
	for i, n := range tmpl.Nested() {
		if nestedBodies[i], err = encode(n); err != nil {
			return &exitError{code: ExitUsage, err: err}
		}
		ds.Add(n.SizeDiagnostics(len(nestedBodies[i]))...)
	}
	digest, err := artifact.Write(out, res.Artifact)
	if err != nil {
		return &exitError{code: ExitUsage, err: fmt.Errorf("write artifact: %w", err)}
	}
	// Remove the templates of an earlier build (the other format, nested
	// stacks no longer there), so the directory never holds templates that
	// disagree.
	for _, format := range []string{"json", "yaml"} {
		_ = os.Remove(filepath.Join(out, "cloudformation."+format))
	}
	if err := removeNestedTemplates(out); err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	if err := os.WriteFile(filepath.Join(out, "cloudformation."+cfnFormat), body, 0o644); err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	for i, n := range tmpl.Nested() {
		name := filepath.Join(out, filepath.FromSlash(n.NestedFile(cfnFormat)))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return &exitError{code: ExitUsage, err: err}
		}
		if err := os.WriteFile(name, nestedBodies[i], 0o644); err != nil {
			return &exitError{code: ExitUsage, err: err}
		}
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "gwc: built %s into %s (%s)\n", res.Artifact.Name, out, digest)
	return nil
}

// removeNestedTemplates removes the nested stacks' templates an earlier
// build wrote (out/nested/*.json and *.yaml), and the folder when that
// leaves it empty; other files there are left alone.
func removeNestedTemplates(out string) error {
	dir := filepath.Join(out, "nested")
	for _, pattern := range []string{"*.json", "*.yaml"} {
		names, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return err
		}
		for _, name := range names {
			if err := os.Remove(name); err != nil {
				return err
			}
		}
	}
	// Removing the folder fails, as it should, while other files are there.
	_ = os.Remove(dir)
	return nil
}
