package cli

import (
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"gwc.dev/gwc/internal/serve"
)

// serverFlags are the flags gwc serve and gwc dev share.
type serverFlags struct {
	listen    string
	admin     string
	accessLog string
	logLevel  string
	logFormat string
	stage     string
	stageVars []string
	apiKeys   []string
	plugins   pluginFlags
}

func (f *serverFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", serve.DefaultListen, "address to serve the API on: /{stage}/... for every stage")
	fl.StringVar(&f.admin, "admin", serve.DefaultAdmin, "address of /-/metrics and /-/status, or off")
	fl.StringVar(&f.accessLog, "access-log", "-", "where access log lines go: - (stdout), a file (appended to), or off")
	fl.StringVar(&f.logLevel, "log-level", "info", "server log level: debug, info, warn or error")
	fl.StringVar(&f.logFormat, "log-format", "text", "server log format (on stderr): text or json")
	fl.StringVar(&f.stage, "stage", "dev", "stage name for a definition that declares no stage")
	registerStageVars(cmd, &f.stageVars)
	registerAPIKeys(cmd, &f.apiKeys)
	f.plugins.register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("log-level", cobra.FixedCompletions(
		[]string{"debug", "info", "warn", "error"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("log-format", cobra.FixedCompletions(
		[]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
}

func registerStageVars(cmd *cobra.Command, vars *[]string) {
	// A string array, not a slice: stage variable values may contain
	// commas, which a slice flag would split on.
	cmd.Flags().StringArrayVar(vars, "stage-var", nil, "set or override a stage variable of every stage: NAME=VALUE (repeatable)")
}

func registerAPIKeys(cmd *cobra.Command, keys *[]string) {
	cmd.Flags().StringArrayVar(keys, "api-key", nil, "the value of an API key the definition declares: NAME=VALUE (repeatable); values are never part of the artifact")
}

// parseStageVars reads the NAME=VALUE pairs of --stage-var.
func parseStageVars(pairs []string) (map[string]string, error) {
	return parsePairs("--stage-var", pairs)
}

// parsePairs reads NAME=VALUE pairs of a repeatable flag.
func parsePairs(flag string, pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	vars := map[string]string{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, usageErrorf("%s %q: want NAME=VALUE", flag, p)
		}
		vars[k] = v
	}
	return vars, nil
}

// config checks the flags and builds the server configuration. The closer
// closes the access log file, if one was opened.
func (f *serverFlags) config(cmd *cobra.Command) (serve.Config, io.Closer, error) {
	var cfg serve.Config
	logger, err := serve.NewLogger(cmd.ErrOrStderr(), f.logLevel, f.logFormat)
	if err != nil {
		return cfg, nil, usageErrorf("%v", err)
	}
	vars, err := parseStageVars(f.stageVars)
	if err != nil {
		return cfg, nil, err
	}
	keys, err := parsePairs("--api-key", f.apiKeys)
	if err != nil {
		return cfg, nil, err
	}
	if f.listen == "" || f.listen == "off" {
		return cfg, nil, usageErrorf("--listen needs an address such as %s", serve.DefaultListen)
	}
	cfg.Listen = f.listen
	if f.admin != "off" {
		cfg.Admin = f.admin
	}
	cfg.Logger = logger
	// Human-readable lines go to stderr beside a text log; a JSON log
	// stays JSON, with the same facts as log records.
	if f.logFormat == "text" {
		cfg.Banner = cmd.ErrOrStderr()
	}
	cfg.Runtime.DefaultStage = f.stage
	cfg.Runtime.StageVariables = vars
	cfg.Runtime.APIKeys = keys
	plugins, err := f.plugins.apply(&cfg, logger, cmd.ErrOrStderr())
	if err != nil {
		return cfg, nil, err
	}
	w, closer, err := serve.OpenAccessLog(f.accessLog, cmd.OutOrStdout())
	if err != nil {
		closeAll(plugins)
		return cfg, nil, &exitError{code: ExitUsage, err: err}
	}
	cfg.AccessLog = w
	if closer != nil {
		plugins = append(plugins, closer)
	}
	return cfg, closers(plugins), nil
}

// closers closes each of its members.
type closers []io.Closer

func (cs closers) Close() error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// runServer runs a server until SIGINT or SIGTERM. Failing to listen is
// exit 2.
func runServer(cmd *cobra.Command, f *serverFlags, cfg serve.Config, srv *serve.Server, closer io.Closer) error {
	if closer != nil {
		defer closer.Close()
	}
	// --stage only names the stage of an API that declares none; say so
	// rather than serve a stage nobody asked for in silence.
	if api := srv.API(); cmd.Flags().Changed("stage") && api.Stage(f.stage) == nil {
		cfg.Logger.Warn("--stage is for an API that declares no stage; this one declares its own",
			"stage", f.stage, "stages", strings.Join(api.StageNames(), ", "))
	}
	ctx, stop := notifyShutdown(cmd.Context())
	defer stop()
	if err := srv.Run(ctx); err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	return nil
}
