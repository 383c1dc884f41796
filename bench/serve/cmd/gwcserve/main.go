// Command gwcserve serves an artifact the way gwc serve does at its core
// (runtime.Load with the HTTP backend plugin for HTTP and HTTP_PROXY,
// runtime.NewServer, Server.Serve), without the metrics, access log, admin
// listener and reload watcher that gwc serve adds. With -nethttp it serves
// through net/http instead (Server.HTTPServer on a runtime.CaseListener),
// as gwc serve did before the runtime had its own HTTP/1.1 server. bench/serve/run.sh uses it when the gwc binary has no serve verb,
// and to take Go CPU and allocation profiles (-cpuprofile, -memprofile)
// of the runtime under load.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/bench/internal/profile"
	"gwc.dev/gwc/plugins/httpbackend"
	"gwc.dev/gwc/runtime"
)

type stageVars map[string]string

func (v stageVars) String() string { return fmt.Sprint(map[string]string(v)) }

func (v stageVars) Set(s string) error {
	k, val, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want NAME=VALUE")
	}
	v[k] = val
	return nil
}

func main() {
	listen := flag.String("listen", "127.0.0.1:8080", "address to serve the API on")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file (stopped by SIGINT or SIGTERM)")
	memprofile := flag.String("memprofile", "", "write an allocation profile of the whole run to this file on SIGINT or SIGTERM")
	nethttp := flag.Bool("nethttp", false, "serve through net/http (Server.HTTPServer) rather than Server.Serve")
	vars := stageVars{}
	flag.Var(vars, "stage-var", "NAME=VALUE: set a stage variable of every stage (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gwcserve [flags] ARTIFACT_DIR")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *listen, *cpuprofile, *memprofile, *nethttp, vars); err != nil {
		fmt.Fprintln(os.Stderr, "gwcserve:", err)
		os.Exit(2)
	}
}

func run(dir, listen, cpuprofile, memprofile string, nethttp bool, vars stageVars) error {
	a, m, err := artifact.Read(dir)
	if err != nil {
		return err
	}
	hb := httpbackend.New()
	defer hb.Close()
	api, err := runtime.Load(a, m.Digest, runtime.Options{
		StageVariables: vars,
		Backends:       map[string]runtime.Backend{"HTTP": hb, "HTTP_PROXY": hb},
	})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	stopProfile, err := profile.StartCPU(cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	if memprofile != "" {
		defer func() {
			f, err := os.Create(memprofile)
			if err != nil {
				fmt.Fprintln(os.Stderr, "gwcserve:", err)
				return
			}
			defer f.Close()
			_ = pprof.Lookup("allocs").WriteTo(f, 0)
		}()
	}
	srv := runtime.NewServer(api)
	serve, closeServer := srv.Serve, srv.Close
	if nethttp {
		hs := srv.HTTPServer()
		serve = func(l net.Listener) error { return hs.Serve(runtime.CaseListener(l)) }
		closeServer = hs.Close
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		closeServer()
	}()
	fmt.Fprintf(os.Stderr, "gwcserve: serving %s on http://%s/\n", a.Name, l.Addr())
	if err := serve(l); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}
