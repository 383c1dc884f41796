package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/serve"
)

func newDevCmd() *cobra.Command {
	var f serverFlags
	cmd := &cobra.Command{
		Use:   "dev [flags] INPUT...",
		Short: "Compile a definition, serve it, and rebuild and swap on every change",
		Long: `dev compiles a definition as gwc build does, serves it from memory as gwc
serve serves an artifact (same flags, same /-/metrics and /-/status), and
watches the definition's files: the .cue, .yaml, .yml and .json files of
the directories that hold the inputs. After a change (and a short quiet
time), it compiles again: when the definition compiles, the new API is
swapped in; when it does not, the diagnostics are printed and the last
good API keeps serving. SIGHUP compiles again too.

Nothing is written to disk. Exit status: 1 when the definition does not
compile at start, 2 for a usage error or unreadable input, 0 after a clean
shutdown (SIGINT or SIGTERM).`,
		Example: `  gwc dev examples/petstore
  gwc dev examples/petstore/openapi.yaml --listen 127.0.0.1:9000
  gwc dev api/ --stage-var backend=127.0.0.1:3000 --admin off`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, closer, err := f.config(cmd)
			if err != nil {
				return err
			}
			hup, stopHup := notifyReload()
			defer stopHup()
			cfg.Signals = hup
			cfg.WatchDirs = sourceDirs(args)
			cfg.WatchMatch = isSourceFile
			srv, err := serve.New(cfg, devLoader(args, f.stage, cmd.ErrOrStderr()))
			if err != nil {
				if closer != nil {
					closer.Close()
				}
				var ee *exitError
				if errors.As(err, &ee) {
					return err
				}
				return &exitError{code: ExitUsage, err: err}
			}
			return runServer(cmd, &f, cfg, srv, closer)
		},
	}
	f.register(cmd)
	return cmd
}

// errNotCompiled is the loader's error for a definition with errors,
// whose diagnostics are already printed.
var errNotCompiled = &exitError{code: ExitFindings, err: errors.New("the definition does not compile; fix the errors above")}

// devLoader compiles the definition afresh on every call and prints its
// diagnostics (warnings too) to w. The artifact is verified as the files
// of gwc build would be, from the bytes gwc build would write.
func devLoader(args []string, stage string, w io.Writer) serve.Loader {
	return func() (*artifact.API, string, error) {
		var ds diag.Set
		c, err := compileInput(args, compile.Options{DefaultStage: stage}, &ds)
		if err != nil {
			return nil, "", err
		}
		if ds.Len() > 0 {
			opt := diag.Options{Source: c.def.Source, Command: "dev", Excerpt: isTerminal(w)}
			if err := diag.Print(w, diag.FormatText, ds.Sorted(), opt); err != nil {
				return nil, "", err
			}
		}
		if c.result == nil {
			return nil, "", errNotCompiled
		}
		return serve.BytesLoader(c.result.APIJSON, c.result.Manifest)()
	}
}

// sourceDirs are the directories to watch for inputs: a directory itself,
// and the directory of each file. Inputs that cannot be read are left to
// the first compilation to report.
func sourceDirs(args []string) []string {
	seen := map[string]bool{}
	var dirs []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			continue
		}
		d := a
		if !fi.IsDir() {
			d = filepath.Dir(a)
		}
		d = filepath.Clean(d)
		if !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// isSourceFile accepts the files a definition is made of and leaves out
// hidden files, where editors keep swap files and backups.
func isSourceFile(name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") {
		return false
	}
	switch strings.ToLower(filepath.Ext(base)) {
	case ".cue", ".yaml", ".yml", ".json":
		return true
	}
	return false
}
