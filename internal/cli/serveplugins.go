package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"unicode"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"gwc.dev/gwc/internal/serve"
	"gwc.dev/gwc/plugins/cognito"
	"gwc.dev/gwc/plugins/lambda"
	"gwc.dev/gwc/plugins/sigv4"
	"gwc.dev/gwc/plugins/usage"
	"gwc.dev/gwc/plugins/usage/redis"
)

// The plugins gwc serve and gwc dev wire into the runtime, listed here and
// nowhere else: Lambda functions (local processes or an Invoke API
// endpoint), Cognito token and SigV4 signature verification, and the
// usage-plan state store. Their settings are serving configuration, never
// part of the artifact: a --config file and flags.

// serveFile is the --config file, YAML or JSON.
type serveFile struct {
	// StageVariables set or override stage variables, as --stage-var.
	StageVariables map[string]string `yaml:"stage_variables"`
	// APIKeys are the values of declared API keys, as --api-key.
	APIKeys map[string]string `yaml:"api_keys"`
	// Lambda says where functions run.
	Lambda lambda.Config `yaml:"lambda"`
	// Cognito lists the user pools whose tokens are verified, with their
	// key sets.
	Cognito *cognito.Config `yaml:"cognito"`
	// IAM lists the credentials AWS_IAM signatures are verified against.
	IAM *sigv4.Config `yaml:"iam"`
	// State is where usage-plan state lives: memory (default) or a
	// redis:// URL; StateFailure what happens when it is unreachable.
	State        string `yaml:"state"`
	StateFailure string `yaml:"state_failure"`
}

// pluginFlags are the flags that configure plugins.
type pluginFlags struct {
	config         string
	functions      []string
	lambdaEndpoint string
	lambdaAWS      bool
	state          string
	stateFailure   string
}

func (f *pluginFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", "serving configuration file (YAML or JSON): functions, API keys, user pools, IAM credentials, state")
	fl.StringArrayVar(&f.functions, "function", nil, "run a Lambda function locally: NAME=COMMAND, NAME the function's name or ARN (repeatable)")
	fl.StringVar(&f.lambdaEndpoint, "lambda-endpoint", "", "send every other function to this Lambda Invoke API endpoint (e.g. sam local start-lambda's)")
	fl.BoolVar(&f.lambdaAWS, "lambda-aws", false, "send every other function to AWS Lambda, with the default credential chain")
	fl.StringVar(&f.state, "state", "", "where usage-plan state lives: memory (default) or redis://host:port[/db], shared by several gwc serve")
	fl.StringVar(&f.stateFailure, "state-failure", "", "when the state store is unreachable: closed (refuse, the default) or open (allow)")
	_ = cmd.RegisterFlagCompletionFunc("state-failure", cobra.FixedCompletions([]string{"closed", "open"}, cobra.ShellCompDirectiveNoFileComp))
}

// readServeFile reads and checks a --config file; unknown fields are
// errors, with their line.
func readServeFile(path string) (*serveFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f serveFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, nil
}

// apply adds the plugins to cfg and returns what must be closed when the
// server stops.
func (f *pluginFlags) apply(cfg *serve.Config, logger *slog.Logger, functionLog io.Writer) ([]io.Closer, error) {
	file := &serveFile{}
	if f.config != "" {
		var err error
		if file, err = readServeFile(f.config); err != nil {
			return nil, usageErrorf("--config %v", err)
		}
	}
	rt := &cfg.Runtime
	// Stage variables and keys: the file's, then the flags' over them.
	rt.StageVariables = merge(file.StageVariables, rt.StageVariables)
	rt.APIKeys = merge(file.APIKeys, rt.APIKeys)
	rt.APIKeyLookup = envAPIKey

	var closers []io.Closer
	lc := file.Lambda
	for _, fn := range f.functions {
		local, err := lambda.ParseFunctionFlag(fn)
		if err != nil {
			return nil, usageErrorf("--function %q: %v", fn, err)
		}
		lc.Functions = append(lc.Functions, local)
	}
	if f.lambdaEndpoint != "" {
		lc.Endpoint = f.lambdaEndpoint
	}
	lc.AWS = lc.AWS || f.lambdaAWS
	if lc.Log == nil {
		lc.Log = functionLog
	}
	if len(lc.Functions) > 0 || lc.Endpoint != "" || lc.AWS {
		router, err := lambda.New(lc)
		if err != nil {
			return nil, usageErrorf("lambda: %v", err)
		}
		rt.Functions = router
		closers = append(closers, router)
	}
	if file.Cognito != nil {
		c := *file.Cognito
		c.Logger = logger
		v, err := cognito.New(c)
		if err != nil {
			closeAll(closers)
			return nil, usageErrorf("cognito: %v", err)
		}
		rt.Tokens = v
		closers = append(closers, v)
	}
	if file.IAM != nil {
		v, err := sigv4.New(*file.IAM)
		if err != nil {
			closeAll(closers)
			return nil, usageErrorf("iam: %v", err)
		}
		rt.Signatures = v
	}
	state, failure := file.State, file.StateFailure
	if f.state != "" {
		state = f.state
	}
	if f.stateFailure != "" {
		failure = f.stateFailure
	}
	policy, err := usage.ParsePolicy(orDefault(failure, "closed"))
	if err != nil {
		closeAll(closers)
		return nil, usageErrorf("--state-failure: %v", err)
	}
	switch {
	case state == "" || state == "memory":
		// serve keeps one in-memory store for the process.
	case strings.HasPrefix(state, "redis://") || strings.HasPrefix(state, "rediss://"):
		store, err := redis.New(state, redis.Options{})
		if err != nil {
			closeAll(closers)
			return nil, usageErrorf("--state: %v", err)
		}
		guard := usage.WithFailurePolicy(store, policy, logger)
		rt.Usage = guard
		cfg.Checks = append(cfg.Checks, serve.Check{Name: "state", Run: guard.Ping})
		closers = append(closers, store)
	default:
		closeAll(closers)
		return nil, usageErrorf("--state %q: want memory or a redis:// URL", state)
	}
	return closers, nil
}

// envAPIKey reads an API key's value from the environment:
// GWC_API_KEY_<NAME>, the key's name with letters upper-cased and other
// characters as _ (the key partner-2 is GWC_API_KEY_PARTNER_2).
func envAPIKey(name string) (string, bool) {
	return os.LookupEnv("GWC_API_KEY_" + envKeyName(name))
}

// envKeyName is the form a key name takes in an environment variable.
func envKeyName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToUpper(r)
		}
		return '_'
	}, name)
}

// merge returns base with over's entries over it.
func merge(base, over map[string]string) map[string]string {
	if len(base) == 0 {
		return over
	}
	out := make(map[string]string, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func closeAll(cs []io.Closer) {
	for _, c := range cs {
		_ = c.Close()
	}
}
