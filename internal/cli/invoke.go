package cli

import (
	"bytes"
	"fmt"
	"gwc.dev/gwc/internal/serve"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/plugins/httpbackend"
	"gwc.dev/gwc/plugins/usage/memory"
	"gwc.dev/gwc/runtime"
)

func newInvokeCmd() *cobra.Command {
	var pf pluginFlags
	var (
		stage     string
		stageVars []string
		apiKeys   []string
		headers   []string
		data      string
		logDest   string
	)
	cmd := &cobra.Command{
		Use:   "invoke [flags] ARTIFACT|INPUT METHOD PATH",
		Short: "Send one request through the lifecycle in-process and show the execution log",
		Long: `invoke runs one request through API Gateway's lifecycle in-process, as
the console's Test button does, without listening anywhere. It prints the
response (status line, headers, body) on stdout and the execution log on
stderr: each step (stage, routing, method request and validation,
integration request with the rendered template, integration response
selection, method response) with the time elapsed since the request
started.

The first argument is an artifact (the directory gwc build wrote, or its
manifest.json) or a definition, which is compiled first as gwc check does.
METHOD is case-insensitive. PATH is the path after the stage, with the
query string if any (/pets/1?verbose=true); the stage is --stage's. When
--stage is not given, it is the API's only stage, or dev.

HTTP and HTTP_PROXY integrations call their backends for real; point them
at a local backend with --stage-var.

Exit status: 0 when the request ran, whatever its status; 1 when the
definition does not compile; 2 for a usage error or unreadable input.`,
		Example: `  gwc invoke dist/ GET /pets/1 -H 'Accept: application/json'
  gwc invoke examples/petstore --stage dev POST /pets -d '{"name": "Rex"}' -H 'Content-Type: application/json'
  gwc invoke dist/ PUT /items/7 --data @item.json --log exec.log
  gwc invoke dist/ GET /pets --stage-var backend=127.0.0.1:3000`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			input, method, path := args[0], strings.ToUpper(args[1]), args[2]
			if !validMethod(method) {
				return usageErrorf("%q is not an HTTP method", args[1])
			}
			if !strings.HasPrefix(path, "/") {
				return usageErrorf("PATH %q must start with / (it is the path after the stage)", path)
			}
			vars, err := parseStageVars(stageVars)
			if err != nil {
				return err
			}
			keys, err := parsePairs("--api-key", apiKeys)
			if err != nil {
				return err
			}
			header, err := parseHeaders(headers)
			if err != nil {
				return err
			}
			body, err := readData(data, cmd.InOrStdin())
			if err != nil {
				return err
			}
			a, digest, err := loadForInvoke(cmd, input, stage)
			if err != nil {
				return err
			}
			cfg := serve.Config{Runtime: runtime.Options{DefaultStage: stage, StageVariables: vars, APIKeys: keys}}
			plugins, err := pf.apply(&cfg, slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn})), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer closeAll(plugins)
			opts := cfg.Runtime
			hb := httpbackend.New()
			defer hb.Close()
			opts.Backends = map[string]runtime.Backend{"HTTP": hb, "HTTP_PROXY": hb}
			if opts.Usage == nil {
				opts.Usage = memory.New(memory.Options{})
			}
			api, err := runtime.Load(a, digest, opts)
			if err != nil {
				return &exitError{code: ExitUsage, err: err}
			}
			for _, w := range api.Warnings {
				fmt.Fprintf(cmd.ErrOrStderr(), "gwc: warning: %s\n", w)
			}
			stageName, err := invokeStage(api, stage, cmd.Flags().Changed("stage"))
			if err != nil {
				return err
			}
			var logOut io.Writer = cmd.ErrOrStderr()
			switch logDest {
			case "":
			case "-":
				logOut = cmd.OutOrStdout()
			default:
				f, err := os.Create(logDest)
				if err != nil {
					return &exitError{code: ExitUsage, err: fmt.Errorf("--log: %w", err)}
				}
				defer f.Close()
				logOut = f
			}
			resp := api.Invoke(cmd.Context(), &runtime.InvokeRequest{
				Method: method,
				Target: "/" + stageName + path,
				Header: header,
				Body:   body,
			})
			writeResponse(cmd.OutOrStdout(), resp)
			writeExecutionLog(logOut, method, "/"+stageName+path, resp)
			return nil
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "stage to invoke (default: the API's only stage, or dev); also names the stage of a definition that declares none")
	registerStageVars(cmd, &stageVars)
	registerAPIKeys(cmd, &apiKeys)
	pf.register(cmd)
	cmd.Flags().StringArrayVarP(&headers, "header", "H", nil, "request header 'Name: value' (repeatable)")
	cmd.Flags().StringVarP(&data, "data", "d", "", "request body; @FILE reads it from a file, @- from stdin")
	cmd.Flags().StringVar(&logDest, "log", "", "write the execution log to this file (- for stdout) instead of stderr")
	return cmd
}

// validMethod accepts HTTP tokens, so that any verb can be tried (an ANY
// method serves all of them).
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", c)) {
			return false
		}
	}
	return true
}

func parseHeaders(hs []string) ([]runtime.Field, error) {
	var out []runtime.Field
	for _, h := range hs {
		name, value, ok := strings.Cut(h, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, usageErrorf("-H %q: want 'Name: value'", h)
		}
		out = append(out, runtime.Field{Name: name, Value: strings.TrimSpace(value)})
	}
	return out, nil
}

func readData(data string, stdin io.Reader) ([]byte, error) {
	name, ok := strings.CutPrefix(data, "@")
	if !ok {
		return []byte(data), nil
	}
	var (
		b   []byte
		err error
	)
	if name == "-" {
		b, err = io.ReadAll(stdin)
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: fmt.Errorf("--data: %w", err)}
	}
	return b, nil
}

// loadForInvoke reads an artifact, or compiles a definition (printing its
// diagnostics, as gwc check does, when there are any).
func loadForInvoke(cmd *cobra.Command, input, stage string) (*artifact.API, string, error) {
	if isArtifactPath(input) {
		a, m, err := artifact.Read(input)
		if err != nil {
			return nil, "", &exitError{code: ExitUsage, err: err}
		}
		return a, m.Digest, nil
	}
	var ds diag.Set
	c, err := compileInput([]string{input}, compile.Options{DefaultStage: stage}, &ds)
	if err != nil {
		return nil, "", err
	}
	if ds.Len() > 0 {
		w := cmd.ErrOrStderr()
		opt := diag.Options{Source: c.def.Source, Command: "invoke", Excerpt: isTerminal(w)}
		if err := diag.Print(w, diag.FormatText, ds.Sorted(), opt); err != nil {
			return nil, "", &exitError{code: ExitUsage, err: err}
		}
	}
	if c.result == nil {
		return nil, "", &exitError{code: ExitFindings}
	}
	m, err := artifact.DecodeManifest(c.result.Manifest)
	if err != nil {
		return nil, "", &exitError{code: ExitUsage, err: err}
	}
	a, err := artifact.Decode(c.result.APIJSON, m)
	if err != nil {
		return nil, "", &exitError{code: ExitUsage, err: err}
	}
	return a, m.Digest, nil
}

// isArtifactPath reports whether path names an artifact rather than a
// definition: a manifest.json, or a directory holding one.
func isArtifactPath(path string) bool {
	if filepath.Base(path) == artifact.ManifestFile {
		return true
	}
	fi, err := os.Stat(filepath.Join(path, artifact.ManifestFile))
	return err == nil && !fi.IsDir()
}

// invokeStage picks the stage to invoke: the one named, or else the only
// one, or else dev.
func invokeStage(api *runtime.API, stage string, named bool) (string, error) {
	names := api.StageNames()
	switch {
	case named:
		if api.Stage(stage) == nil {
			return "", usageErrorf("--stage %s: the API has no such stage (it has %s)", stage, strings.Join(names, ", "))
		}
		return stage, nil
	case len(names) == 1:
		return names[0], nil
	case slices.Contains(names, "dev"):
		return "dev", nil
	}
	return "", usageErrorf("the API has stages %s: name one with --stage", strings.Join(names, ", "))
}

// writeResponse prints the response as it would arrive over HTTP/1.1,
// less the headers the HTTP server adds (Date, Connection).
func writeResponse(w io.Writer, resp *runtime.Response) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\n", resp.Status, http.StatusText(resp.Status))
	for _, f := range resp.Header {
		fmt.Fprintf(&b, "%s: %s\n", f.Name, f.Value)
	}
	fmt.Fprintf(&b, "Content-Length: %d\n\n", len(resp.Body))
	b.Write(resp.Body)
	// On a terminal, end the body's last line so that what follows
	// starts on a line of its own; elsewhere the bytes stay exact.
	if isTerminal(w) && len(resp.Body) > 0 && resp.Body[len(resp.Body)-1] != '\n' {
		b.WriteByte('\n')
	}
	_, _ = w.Write(b.Bytes())
}

// logIndent is the width of an execution log line's time column.
const logIndent = "              "

// writeExecutionLog prints the steps of the request, one a line, in the
// spirit of API Gateway's execution logs: the time since the request
// started, the phase, and what happened.
func writeExecutionLog(w io.Writer, method, target string, resp *runtime.Response) {
	var b strings.Builder
	id := ""
	for _, f := range resp.Header {
		if strings.EqualFold(f.Name, "x-amzn-RequestId") {
			id = f.Value
		}
	}
	fmt.Fprintf(&b, "Execution log for request %s (%s %s)\n", id, method, target)
	if resp.Log != nil {
		for _, s := range resp.Log.Steps {
			ms := float64(s.Elapsed.Microseconds()) / 1000
			// A rendered template may span lines: its lines after the
			// first are indented under the message, so that each step
			// still starts with its time.
			msg := strings.ReplaceAll(strings.TrimRight(s.Message, "\r\n"), "\n", "\n"+logIndent)
			fmt.Fprintf(&b, "%10.3f ms  %s: %s\n", ms, s.Phase, msg)
		}
	}
	_, _ = io.WriteString(w, b.String())
}
