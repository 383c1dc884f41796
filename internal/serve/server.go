// Package serve runs gwc's server process: it loads and verifies an
// artifact into the runtime, listens, exposes metrics and status on an
// admin listener, writes access logs, reloads on SIGHUP or when the
// artifact changes, and shuts down gracefully. gwc serve and gwc dev are
// thin command-line wrappers around it.
//
// A reload builds the new API completely and then swaps one pointer:
// requests already running finish on the API they started with, and a
// reload that fails at any step leaves the old API serving and says why.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"gwc.dev/gwc/plugins/httpbackend"
	"gwc.dev/gwc/plugins/usage/memory"
	"gwc.dev/gwc/runtime"
)

// Defaults of Config.
const (
	DefaultListen = "127.0.0.1:8080"
	DefaultAdmin  = "127.0.0.1:9090"
	// DefaultShutdownTimeout lets the longest default integration call
	// (API Gateway's 29 s timeout) finish after a shutdown signal.
	DefaultShutdownTimeout = 30 * time.Second
	// DefaultDebounce is how long the watched files must stay quiet
	// before a change triggers a reload: long enough for an editor's or
	// a build's burst of writes to end.
	DefaultDebounce = 150 * time.Millisecond
)

// Config configures a server process.
type Config struct {
	// Listen is the API's address (DefaultListen when empty).
	Listen string
	// Admin is the address of /-/metrics and /-/status; empty turns the
	// admin listener off.
	Admin string
	// Runtime configures the runtime. When Backends is nil, the HTTP
	// backend serves HTTP and HTTP_PROXY integrations; when Usage is nil,
	// usage plans and throttles keep their state in memory; when Logger
	// is nil, the runtime logs to Logger below.
	Runtime runtime.Options
	// AccessLog receives one line per request in the stage's access log
	// format; nil writes none.
	AccessLog io.Writer
	// Logger receives the server's own logs; nil discards them.
	Logger *slog.Logger
	// Banner receives the lines that tell a person where the API is
	// served. When nil, they go to Logger instead.
	Banner io.Writer
	// ShutdownTimeout bounds a graceful shutdown (DefaultShutdownTimeout
	// when zero); requests still running after it are cut off.
	ShutdownTimeout time.Duration
	// WatchDirs are directories whose changes trigger a reload, for the
	// files WatchMatch accepts (every file when nil).
	WatchDirs  []string
	WatchMatch func(path string) bool
	// Debounce is DefaultDebounce when zero.
	Debounce time.Duration
	// Signals triggers a reload for every value received (SIGHUP).
	Signals <-chan os.Signal
	// Checks are health checks of what the server depends on (the usage
	// state store), run for each /-/status.
	Checks []Check
}

// Check is a named health check.
type Check struct {
	Name string
	Run  func(context.Context) error
}

// Server is a running gwc server process.
type Server struct {
	cfg     Config
	log     *slog.Logger
	load    Loader
	rt      *runtime.Server
	metrics *Metrics
	backend *httpbackend.Backend // nil when Config.Runtime brought its own
	watcher *watcher             // nil when nothing is watched

	// reloadMu makes reloads one at a time, so that two of them never
	// race to swap and the status always describes the API swapped last.
	reloadMu sync.Mutex
	mu       sync.Mutex // guards status
	status   Status

	listener, adminListener net.Listener
	adminServer             *http.Server
	serveErr                chan error
	wg                      sync.WaitGroup
}

// New loads the first API. An error means there is nothing to serve. A
// Server that New returns must be Run, which releases what it holds.
func New(cfg Config, load Loader) (*Server, error) {
	if cfg.Listen == "" {
		cfg.Listen = DefaultListen
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.Debounce == 0 {
		cfg.Debounce = DefaultDebounce
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, load: load, metrics: NewMetrics(), serveErr: make(chan error, 2)}
	if s.cfg.Runtime.Logger == nil {
		s.cfg.Runtime.Logger = cfg.Logger
	}
	if s.cfg.Runtime.Usage == nil {
		// One store for every API this process loads, so that a reload
		// neither refills throttles nor forgets quotas.
		s.cfg.Runtime.Usage = memory.New(memory.Options{})
	}
	if s.cfg.Runtime.Backends == nil {
		// One backend for every API this process loads, so that reloads
		// keep the pool of connections to the backends.
		s.backend = httpbackend.New()
		s.cfg.Runtime.Backends = map[string]runtime.Backend{"HTTP": s.backend, "HTTP_PROXY": s.backend}
	}
	// The watch starts before the first load, so that a change made
	// while it loads is seen rather than lost. When both fail, the load's
	// error says more (a missing directory is one the loader names).
	var watchErr error
	if len(cfg.WatchDirs) > 0 {
		s.watcher, watchErr = newWatcher(cfg.WatchDirs, cfg.WatchMatch, s.log)
	}
	a, digest, err := load()
	if err == nil {
		var api *runtime.API
		if api, err = runtime.Load(a, digest, s.cfg.Runtime); err == nil {
			s.rt = runtime.NewServer(api)
		} else {
			err = fmt.Errorf("load %s: %w", a.Name, err)
		}
	}
	if err == nil {
		err = watchErr
	}
	if err != nil {
		if s.watcher != nil {
			s.watcher.w.Close()
		}
		return nil, err
	}
	api := s.rt.API()
	s.rt.Observer = s.metrics
	if cfg.AccessLog != nil {
		s.rt.AccessLog = runtime.NewAccessLog(cfg.AccessLog)
	}
	s.setLoaded(api)
	return s, nil
}

// API returns the API being served.
func (s *Server) API() *runtime.API { return s.rt.API() }

// Metrics returns the server's metrics.
func (s *Server) Metrics() *Metrics { return s.metrics }

// Status returns what /-/status shows.
func (s *Server) Status() Status {
	s.mu.Lock()
	st := s.status
	st.Stages = slices.Clone(st.Stages)
	if st.LastReloadError != nil {
		e := *st.LastReloadError
		st.LastReloadError = &e
	}
	s.mu.Unlock()
	st.Checks = map[string]string{}
	for _, c := range s.cfg.Checks {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if err := c.Run(ctx); err != nil {
			st.Checks[c.Name] = err.Error()
		} else {
			st.Checks[c.Name] = "ok"
		}
		cancel()
	}
	return st
}

func (s *Server) setLoaded(api *runtime.API) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status.FormatVersion = StatusFormatVersion
	s.status.API = api.Name
	s.status.Digest = api.Digest
	s.status.Stages = api.StageNames()
	s.status.LoadedAt = time.Now().UTC()
	s.status.LastReloadError = nil
	s.metrics.loaded(api.Name, api.Digest)
}

// Reload loads the artifact again and, when it is new and loads, swaps it
// in. On any failure the API being served stays, the failure is logged at
// error level with why, and Reload returns it. reason says what asked for
// the reload, for the log.
func (s *Server) Reload(reason string) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	current := s.rt.API()
	s.mu.Lock()
	s.status.Reloads++
	s.mu.Unlock()

	a, digest, err := s.load()
	if err == nil && digest == current.Digest {
		// The artifact on disk is the one being served (a touched file,
		// or a bad artifact replaced by the good one again): nothing to
		// swap, and nothing wrong any more.
		s.mu.Lock()
		s.status.LastReloadError = nil
		s.mu.Unlock()
		s.metrics.reloaded("unchanged")
		s.log.Debug("reload: artifact unchanged", "reason", reason, "digest", digest)
		return nil
	}
	var api *runtime.API
	if err == nil {
		api, err = runtime.Load(a, digest, s.cfg.Runtime)
	}
	if err != nil {
		s.mu.Lock()
		s.status.LastReloadError = &ReloadError{At: time.Now().UTC(), Message: err.Error()}
		s.mu.Unlock()
		s.metrics.reloaded("error")
		s.log.Error("reload failed; still serving the previous artifact",
			"reason", reason, "api", current.Name, "digest", current.Digest, "err", err)
		return err
	}
	s.rt.Swap(api)
	s.setLoaded(api)
	s.metrics.reloaded("ok")
	s.log.Info("reloaded", "reason", reason, "api", api.Name, "digest", api.Digest, "previous", current.Digest)
	if !slices.Equal(current.StageNames(), api.StageNames()) && s.listener != nil {
		s.announce(api)
	}
	return nil
}

// Start listens on the configured addresses and serves in the
// background. It returns once both listeners accept connections.
func (s *Server) Start() error {
	l, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return err
	}
	var al net.Listener
	if s.cfg.Admin != "" {
		al, err = net.Listen("tcp", s.cfg.Admin)
		if err != nil {
			l.Close()
			return fmt.Errorf("admin listener: %w", err)
		}
	}
	errorLog := slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)
	s.listener = l
	// The API is served by the runtime's own HTTP/1.1 server, which
	// costs less per request than net/http and sees header names as
	// clients write them; the admin listener stays on net/http.
	s.wg.Go(func() { s.serveErrors(s.rt.Serve(l)) })
	if al != nil {
		mux := http.NewServeMux()
		mux.Handle("/-/metrics", s.metrics.Handler())
		mux.Handle("/-/status", s.statusHandler())
		s.adminListener = al
		s.adminServer = &http.Server{
			Handler:           mux,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       time.Minute,
			ErrorLog:          errorLog,
		}
		s.wg.Go(func() { s.serveErrors(s.adminServer.Serve(al)) })
	}
	s.announce(s.rt.API())
	return nil
}

// serveErrors reports the error a listener's Serve returned, unless it
// returned because of the shutdown.
func (s *Server) serveErrors(err error) {
	if !errors.Is(err, http.ErrServerClosed) {
		s.serveErr <- err
	}
}

// Addr is the API listener's address, once started.
func (s *Server) Addr() string { return addrString(s.listener) }

// AdminAddr is the admin listener's address, once started; "" when it
// is off.
func (s *Server) AdminAddr() string { return addrString(s.adminListener) }

func addrString(l net.Listener) string {
	if l == nil {
		return ""
	}
	return l.Addr().String()
}

// announce says where each stage is served.
func (s *Server) announce(api *runtime.API) {
	for _, stage := range api.StageNames() {
		url := "http://" + s.Addr() + "/" + stage + "/"
		if s.cfg.Banner != nil {
			fmt.Fprintf(s.cfg.Banner, "gwc: serving %s (%s) on %s\n", api.Name, shortDigest(api.Digest), url)
		} else {
			s.log.Info("serving", "api", api.Name, "digest", api.Digest, "stage", stage, "url", url)
		}
	}
	if s.adminListener != nil {
		url := "http://" + s.AdminAddr() + "/-/"
		if s.cfg.Banner != nil {
			fmt.Fprintf(s.cfg.Banner, "gwc: metrics on %smetrics, status on %sstatus\n", url, url)
		} else {
			s.log.Info("admin", "metrics", url+"metrics", "status", url+"status")
		}
	}
}

func shortDigest(d string) string {
	const n = len("sha256:") + 12
	if len(d) > n && strings.HasPrefix(d, "sha256:") {
		return d[:n] + "…"
	}
	return d
}

// Run starts the server unless it is started, reloads when a watched file
// changes or a signal arrives, and shuts down gracefully when ctx ends:
// the listeners close, running requests get up to ShutdownTimeout to
// finish. It returns nil after a clean shutdown.
func (s *Server) Run(ctx context.Context) error {
	if s.listener == nil {
		if err := s.Start(); err != nil {
			return err
		}
	}
	loopCtx, stopLoops := context.WithCancel(ctx)
	var loops sync.WaitGroup
	if s.watcher != nil {
		loops.Go(func() { s.watcher.run(loopCtx, s.cfg.Debounce, func() { _ = s.Reload("files changed") }) })
	}
	if s.cfg.Signals != nil {
		loops.Go(func() {
			for {
				select {
				case <-loopCtx.Done():
					return
				case sig, ok := <-s.cfg.Signals:
					if !ok {
						return
					}
					_ = s.Reload("signal " + sig.String())
				}
			}
		})
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-s.serveErr:
		s.log.Error("serving failed; shutting down", "err", serveErr)
	}
	stopLoops()
	loops.Wait()
	return errors.Join(serveErr, s.shutdown())
}

// shutdown stops accepting connections and waits, up to the shutdown
// timeout, for running requests; the admin listener closes last so that
// metrics stay readable while requests drain.
func (s *Server) shutdown() error {
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	cutOff := func(err error) {
		errs = append(errs, fmt.Errorf("requests still running after %v were cut off: %w", s.cfg.ShutdownTimeout, err))
	}
	if s.listener != nil {
		if err := s.rt.Shutdown(ctx); err != nil {
			cutOff(err)
			s.rt.Close()
		}
	}
	if s.adminServer != nil {
		if err := s.adminServer.Shutdown(ctx); err != nil {
			cutOff(err)
			s.adminServer.Close()
		}
	}
	s.wg.Wait()
	if s.backend != nil {
		s.backend.Close()
	}
	err := errors.Join(errs...)
	if err == nil {
		s.log.Info("stopped")
	}
	return err
}
