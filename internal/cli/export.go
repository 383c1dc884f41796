package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/emit/openapi"
)

func newExportCmd() *cobra.Command {
	var (
		rf        reportFlags
		out       string
		docFormat string
	)
	cmd := &cobra.Command{
		Use:   "export [flags] INPUT...",
		Short: "Export a definition as OpenAPI 3.0 with API Gateway's extensions",
		Long: `export checks a definition as check does and, when it compiles, writes
it as an OpenAPI 3.0 document with API Gateway's x-amazon-apigateway-*
extensions: the form AWS's own exports take, which API Gateway's importer
and other OpenAPI tools read. What API Gateway's OpenAPI has no place for
(stages, usage plans, API keys, domain names, the endpoint type, tags)
goes into x-gateway-* extensions, so that reading the document back with
gwc gives the same artifact.

The document describes the compiled API: CORS appears as the OPTIONS
methods and headers it expands into, and defaults are spelled out.

The document goes to standard output, or to the file -o names. It is JSON
unless --openapi-format says yaml or the file name ends in .yaml or .yml.
Diagnostics go to standard error as text; a machine --format writes them
to standard output, so it needs -o.`,
		Example: `  gwc export examples/petstore > petstore.openapi.json
  gwc export examples/petstore -o petstore.openapi.yaml
  gwc export api/ --openapi-format yaml
  gwc export api/ -o openapi.json --format sarif > gwc.sarif`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, failAt, err := rf.parse()
			if err != nil {
				return err
			}
			f, err := exportFormat(docFormat, out)
			if err != nil {
				return err
			}
			if out == "" && format != diag.FormatText {
				return usageErrorf("--format %s writes diagnostics to standard output, where the document goes; give -o FILE", format)
			}
			var ds diag.Set
			c, err := compileInput(args, compile.Options{}, &ds)
			if err != nil {
				return err
			}
			if c.result != nil {
				if err := writeExport(cmd, c.result, out, f, &ds); err != nil {
					return err
				}
			}
			return report(cmd, "export", &ds, format, failAt, c.def.Source)
		},
	}
	rf.register(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the document to this file instead of standard output")
	cmd.Flags().StringVar(&docFormat, "openapi-format", "", "document format: json or yaml (default: yaml for a .yaml or .yml -o file, otherwise json)")
	_ = cmd.RegisterFlagCompletionFunc("openapi-format", cobra.FixedCompletions([]string{"json", "yaml"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// exportFormat decides the document's format: the flag's, or the output
// file's extension, or JSON.
func exportFormat(flag, out string) (openapi.Format, error) {
	switch strings.ToLower(flag) {
	case "json":
		return openapi.JSON, nil
	case "yaml", "yml":
		return openapi.YAML, nil
	case "":
	default:
		return "", usageErrorf("--openapi-format must be json or yaml, not %q", flag)
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".yaml", ".yml":
		return openapi.YAML, nil
	}
	return openapi.JSON, nil
}

// writeExport exports the compiled API and writes the document. An API
// the document cannot represent adds its problems to ds and writes
// nothing.
func writeExport(cmd *cobra.Command, res *compile.Result, out string, f openapi.Format, ds *diag.Set) error {
	doc, err := openapi.Export(res.API, openapi.Options{Format: f})
	var exportErr *openapi.Error
	if errors.As(err, &exportErr) {
		ds.Add(exportErr.Diagnostics...)
		return nil
	}
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	if out == "" {
		if _, err := cmd.OutOrStdout().Write(doc); err != nil {
			return &exitError{code: ExitUsage, err: err}
		}
		return nil
	}
	if dir := filepath.Dir(out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return &exitError{code: ExitUsage, err: err}
		}
	}
	if err := os.WriteFile(out, doc, 0o644); err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "gwc: exported %s to %s\n", res.API.Name, out)
	return nil
}
