package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/internal/serve"
)

func newServeCmd() *cobra.Command {
	var f serverFlags
	cmd := &cobra.Command{
		Use:   "serve [flags] ARTIFACT",
		Short: "Serve a built artifact with API Gateway's request lifecycle",
		Long: `serve loads and verifies the artifact gwc build wrote (its directory or
its manifest.json) and serves every stage of it at http://LISTEN/{stage}/.

Operations:
  access log    one line per request in the stage's access log format (CLF
                when the stage sets none), to stdout by default
  server log    structured (slog) on stderr: --log-level, --log-format
  /-/metrics    Prometheus metrics on the admin listener: requests, 4XX and
                5XX errors, latency and integration latency by API, stage,
                resource and method, as API Gateway's CloudWatch metrics
  /-/status     JSON: the API, the digest served, its stages, when it was
                loaded, and the last reload error if the last reload failed

serve reloads on SIGHUP and when the artifact's manifest.json changes (gwc
build writes it last): the new artifact is verified and loaded completely,
then swapped in; requests already running finish on the old one. When the
new artifact is bad, the old one keeps serving and the log says why.
SIGINT or SIGTERM shut down gracefully: running requests get 30 s to
finish; a second signal stops at once.

Exit status: 0 after a clean shutdown, 2 when the artifact cannot be read
or an address cannot be listened on.`,
		Example: `  gwc serve dist/
  gwc serve dist/ --listen 127.0.0.1:9000 --stage test
  gwc serve dist/ --stage-var backend=127.0.0.1:3000
  gwc serve dist/ --admin off --access-log access.log --log-format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, closer, err := f.config(cmd)
			if err != nil {
				return err
			}
			hup, stopHup := notifyReload()
			defer stopHup()
			cfg.Signals = hup
			cfg.WatchDirs = []string{serve.ArtifactDir(args[0])}
			cfg.WatchMatch = serve.IsManifest
			srv, err := serve.New(cfg, serve.DirLoader(args[0]))
			if err != nil {
				if closer != nil {
					closer.Close()
				}
				if errors.Is(err, artifact.ErrNotArtifact) {
					err = fmt.Errorf("%w; gwc dev serves a definition without building it", err)
				}
				return &exitError{code: ExitUsage, err: err}
			}
			return runServer(cmd, &f, cfg, srv, closer)
		},
	}
	f.register(cmd)
	return cmd
}
