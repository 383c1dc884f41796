package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/lint/rules"
	"gwc.dev/gwc/schema"
)

func newLintCmd() *cobra.Command {
	var (
		rf            reportFlags
		configPath    string
		baselinePath  string
		baselineWrite bool
		listRules     bool
	)
	cmd := &cobra.Command{
		Use:   "lint [flags] INPUT...",
		Short: "Check a definition and find API Gateway mistakes before deploy",
		Long: `lint runs gwc check and then the lint rules: mistakes API Gateway accepts
but that break the API at deploy time or at run time, security gaps, and
things API Gateway does differently from what the definition suggests.
Each finding reads file:line:col: severity: message [RULE_ID]; gwc explain
RULE_ID says more. A definition that does not compile is reported with
check's diagnostics, and no rule runs.

Configuration comes from gwc.yaml (found in the input's directory or
above it, up to the repository root, or named with --config) and from the
definition's own lint block (x-gateway-lint in OpenAPI). A finding is
ignored in place with a comment, "# gwc:lint:ignore RULE_ID reason" in
YAML, "// gwc:lint:ignore RULE_ID reason" in CUE, or with
x-gateway-lint-ignore: {RULE_ID: reason} on an OpenAPI object.

--baseline-write records every current finding in a baseline file, and
later runs report only findings the baseline does not hold.

Exit status: 0 clean, 1 findings at or above --fail-severity (or a
definition that does not compile), 2 usage error, bad configuration or
unreadable input.`,
		Example: `  gwc lint examples/petstore
  gwc lint api.openapi.yaml --format sarif > gwc.sarif
  gwc lint api/ --baseline-write          # accept today's findings
  gwc lint --list-rules
  gwc explain SELECTION_PATTERN_OVERLAP`,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, failAt, err := rf.parse()
			if err != nil {
				return err
			}
			all := rules.All()
			if listRules {
				return printRuleList(cmd, all, format)
			}
			if len(args) == 0 {
				return usageErrorf("lint needs an INPUT (a CUE directory, .cue files or one OpenAPI or YAML file), or --list-rules")
			}
			var ds diag.Set
			c, err := compileInput(args, compile.Options{}, &ds)
			if err != nil {
				return err
			}
			sources := map[string][]byte{}
			source := func(name string) ([]byte, bool) {
				if b, ok := sources[name]; ok {
					return b, true
				}
				return c.def.Source(name)
			}
			cfg, err := lintConfig(args, configPath, c.def, all, sources)
			if err != nil {
				var cfgErr *configError
				if errors.As(err, &cfgErr) {
					_ = report(cmd, "lint", &cfgErr.ds, format, failAt, source, checkRules(cfgErr.ds.Sorted())...)
					return &exitError{code: ExitUsage}
				}
				return err
			}
			if c.result == nil {
				return report(cmd, "lint", &ds, format, failAt, source, append(ruleMetadata(all), checkRules(ds.Sorted())...)...)
			}
			if baselinePath == "" {
				baselinePath = cfg.Baseline
			}
			opts := lint.Options{Rules: all, Config: cfg}
			lint.Lint(c.def, c.result.API, opts, &ds)
			if baselineWrite {
				if baselinePath == "" {
					baselinePath = lint.DefaultBaseline
				}
				sorted := ds.Sorted()
				if err := lint.NewBaseline(baselinePath, sorted, source).Write(baselinePath); err != nil {
					return &exitError{code: ExitUsage, err: err}
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "gwc: wrote %d findings to %s\n", len(sorted), baselinePath)
				return nil
			}
			if baselinePath != "" {
				b, err := lint.ReadBaseline(baselinePath)
				switch {
				case errors.Is(err, fs.ErrNotExist) && !cmd.Flags().Changed("baseline"):
					// The configuration names a baseline not written yet.
				case err != nil:
					return &exitError{code: ExitUsage, err: err}
				default:
					var kept diag.Set
					kept.Add(b.Filter(ds.Sorted(), source)...)
					ds = kept
				}
			}
			return report(cmd, "lint", &ds, format, failAt, source, append(ruleMetadata(all), checkRules(ds.Sorted())...)...)
		},
	}
	rf.register(cmd)
	// Lint findings are mostly warnings: a lint run that passes them would
	// not be much of a gate.
	failFlag := cmd.Flags().Lookup("fail-severity")
	failFlag.DefValue, rf.failSeverity = "warning", "warning"
	failFlag.Usage = "exit 1 when a finding is at least this severe: error, warning or info"
	cmd.Flags().StringVar(&configPath, "config", "", "configuration file (default: gwc.yaml in the input's directory or above)")
	cmd.Flags().StringVar(&baselinePath, "baseline", "", "baseline file of accepted findings (default: the configuration's baseline)")
	cmd.Flags().BoolVar(&baselineWrite, "baseline-write", false, "record every current finding in the baseline file (default "+lint.DefaultBaseline+") and exit 0")
	cmd.Flags().BoolVar(&listRules, "list-rules", false, "list the rules and exit")
	return cmd
}

// configError carries configuration problems, which exit 2.
type configError struct{ ds diag.Set }

func (e *configError) Error() string { return "bad lint configuration" }

// lintConfig reads the project's gwc.yaml (or the file --config names)
// and the definition's lint block, and merges them. Sources of the files
// it read go into sources, for excerpts.
func lintConfig(args []string, configPath string, def *schema.Definition, all []*lint.Rule, sources map[string][]byte) (*lint.Config, error) {
	var ds diag.Set
	cfg := &lint.Config{}
	if configPath == "" {
		dir := args[0]
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			dir = filepath.Dir(dir)
		}
		configPath = lint.FindConfig(dir)
	}
	if configPath != "" {
		fileCfg, f, err := lint.ReadConfigFile(configPath, all, &ds)
		if err != nil {
			return nil, &exitError{code: ExitUsage, err: fmt.Errorf("read configuration: %v", err)}
		}
		if f != nil {
			sources[f.Name] = f.Src
		}
		if fileCfg != nil {
			cfg = fileCfg
		}
	}
	if def != nil && def.Lint != nil {
		dir := filepath.Dir(def.Lint.Pos.File)
		cfg = cfg.Merge(lint.ParseConfig(def.Lint, dir, all, &ds))
	}
	if ds.HasErrors() {
		return nil, &configError{ds: ds}
	}
	return cfg, nil
}

func ruleMetadata(all []*lint.Rule) []diag.Rule {
	out := make([]diag.Rule, len(all))
	for i, r := range all {
		out[i] = r.DiagRule()
	}
	return out
}

type ruleListEntry struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Severity string `json:"severity"`
	Enabled  bool   `json:"enabled_by_default"`
	Summary  string `json:"summary"`
	HelpURI  string `json:"help_uri"`
}

func printRuleList(cmd *cobra.Command, all []*lint.Rule, format diag.Format) error {
	out := cmd.OutOrStdout()
	if format == diag.FormatJSON {
		list := make([]ruleListEntry, len(all))
		for i, r := range all {
			list[i] = ruleListEntry{ID: r.ID, Category: string(r.Category), Severity: r.Severity.String(), Enabled: !r.Off, Summary: r.Summary, HelpURI: r.HelpURI()}
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"format_version": 1, "rules": list})
	}
	if format != diag.FormatText {
		return usageErrorf("--list-rules prints text or json, not %s", format)
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tCATEGORY\tSEVERITY\tSUMMARY")
	for _, r := range all {
		sev := r.Severity.String()
		if r.Off {
			sev += " (off)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Category, sev, r.Summary)
	}
	return tw.Flush()
}

func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE_ID",
		Short: "Explain a lint rule, with a bad and a good example",
		Example: `  gwc explain SELECTION_PATTERN_OVERLAP
  gwc lint --list-rules    # every rule`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := strings.ToUpper(strings.TrimSpace(args[0]))
			r := rules.ByID(id)
			if r == nil {
				ids := make([]string, 0)
				for _, r := range rules.All() {
					ids = append(ids, r.ID)
				}
				hint := ""
				if c := schema.Closest(id, ids); c != "" {
					hint = fmt.Sprintf("; did you mean %s?", c)
				}
				return usageErrorf("unknown rule %q%s (gwc lint --list-rules lists them)", args[0], hint)
			}
			fmt.Fprint(cmd.OutOrStdout(), lint.Explain(r))
			return nil
		},
	}
}
