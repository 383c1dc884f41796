// Package cli is gwc's command line: one file per verb, the flags they
// share, and the exit codes of DESIGN.md.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"gwc.dev/gwc/diag"
)

// Exit codes.
const (
	ExitOK       = 0 // clean
	ExitFindings = 1 // findings at or above --fail-severity, or a definition that does not compile
	ExitUsage    = 2 // usage error, unreadable input or internal failure
)

// Version is gwc's version, set at link time with
// -ldflags "-X gwc.dev/gwc/internal/cli.Version=v1.2.3".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// exitError carries an exit code through cobra's error return, so that
// verbs decide their exit code and Main prints nothing twice.
type exitError struct {
	code int
	err  error // nil when the verb already reported everything
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf makes an error that exits 2.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// Main runs gwc with os.Args and returns the exit code.
func Main() int {
	return Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// Run runs gwc with args and returns the exit code. Tests call it
// in-process.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "gwc: %v\n", ee.err)
		}
		return ee.code
	}
	// cobra's own errors: unknown flags, wrong argument counts.
	fmt.Fprintf(stderr, "gwc: %v\nRun 'gwc %s --help' for usage.\n", err, commandName(root, args))
	return ExitUsage
}

func commandName(root *cobra.Command, args []string) string {
	if c, _, err := root.Find(args); err == nil && c != root {
		return c.Name()
	}
	return ""
}

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "gwc",
		Short: "API Gateway REST APIs as code: check, lint, build and serve them",
		Long: `gwc is API Gateway (REST APIs) as code.

Write an API in CUE, or in OpenAPI with x-gateway-* or AWS's own
x-amazon-apigateway-* extensions. gwc type-checks it, compiles it into a
digest-verified artifact plus CloudFormation, and serves the artifact with
API Gateway's request lifecycle.`,
		Example: `  gwc check examples/petstore
  gwc build examples/petstore -o dist
  gwc build petstore.openapi.yaml -o dist --cfn-format yaml`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.CompletionOptions.HiddenDefaultCmd = false
	root.AddCommand(
		newCheckCmd(),
		newBuildCmd(),
		newLintCmd(), newExplainCmd(),
		newRenderCmd(),
		newExportCmd(),
		newServeCmd(), newDevCmd(), newInvokeCmd(),
		newVersionCmd(),
	)
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print gwc's version",
		Example: "  gwc version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "gwc %s\n", version())
			return nil
		},
	}
}

// reportFlags are the flags of every verb that reports diagnostics.
type reportFlags struct {
	format       string
	failSeverity string
}

func (f *reportFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.format, "format", "text", "diagnostics format: text, json, sarif, junit or github")
	cmd.Flags().StringVar(&f.failSeverity, "fail-severity", "error", "exit 1 when a finding is at least this severe: error, warning or info")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(
		[]string{"text", "json", "sarif", "junit", "github"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-severity", cobra.FixedCompletions(
		[]string{"error", "warning", "info"}, cobra.ShellCompDirectiveNoFileComp))
}

// parse checks the flag values before any work is done.
func (f *reportFlags) parse() (diag.Format, diag.Severity, error) {
	format, err := diag.ParseFormat(f.format)
	if err != nil {
		return "", 0, usageErrorf("--format: %v", err)
	}
	sev, err := diag.ParseSeverity(f.failSeverity)
	if err != nil {
		return "", 0, usageErrorf("--fail-severity: %v", err)
	}
	return format, sev, nil
}

// report prints diagnostics and returns the exit error their severities
// call for. Text goes to stderr, as compilers print; the machine formats
// go to stdout so they can be redirected into a file.
// rules describe the codes that have documentation (lint rules), for the
// formats that carry it.
func report(cmd *cobra.Command, verb string, ds *diag.Set, format diag.Format, failAt diag.Severity, source func(string) ([]byte, bool), rules ...diag.Rule) error {
	sorted := ds.Sorted()
	opt := diag.Options{
		Tool:    diag.Tool{Name: "gwc", Version: version(), InformationURI: "https://gwc.dev"},
		Rules:   rules,
		Source:  source,
		Command: verb,
	}
	out := cmd.OutOrStdout()
	if format == diag.FormatText || format == diag.FormatGitHub {
		if format == diag.FormatText {
			out = cmd.ErrOrStderr()
			opt.Excerpt = isTerminal(out)
		}
	}
	if format != diag.FormatText || len(sorted) > 0 {
		if err := diag.Print(out, format, sorted, opt); err != nil {
			return &exitError{code: ExitUsage, err: err}
		}
	}
	if ds.Has(failAt) || ds.HasErrors() {
		return &exitError{code: ExitFindings}
	}
	return nil
}

// isTerminal reports whether w is a terminal: a character device other
// than the null device, which is one too and where excerpts would only
// cost time.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}
