// Command lambdabench is the Go side of the Lambda benchmark
// (bench/lambda/run.sh).
//
//	lambdabench direct [-n N] [-warmup N] [-path /dev/hello] [-auth-path /dev/secure -auth VALUE]
//	                   [-log FILE] [-cpuprofile FILE] [-function NAME=COMMAND]... ARTIFACT_DIR
//
// measures, one call at a time, a warm Lambda proxy call two ways: the
// function invoked directly through plugins/lambda (the Runtime API path
// and the function, nothing of API Gateway), and the same request through
// the runtime's lifecycle in-process (runtime.Server.ServeHTTP, no
// socket); with -auth-path, also a request to an authorizer's route, whose
// result is cached after the first call. It prints the latency
// percentiles and the CPU time per call of this process and of the
// function's processes, each kind measured twice, in turns. The event
// invoked directly is the one the lifecycle sends for the request,
// captured from it, so both paths run the same function on the same bytes.
//
//	lambdabench serve [-listen ADDR] [-cpuprofile FILE] [-function NAME=COMMAND]... ARTIFACT_DIR
//
// serves an artifact the way gwc serve does at its core (runtime.Load
// with the Lambda plugin, runtime.NewServer, Server.HTTPServer on a
// runtime.CaseListener), without metrics, access log, admin listener and
// reload watcher, and writes a Go CPU profile of the whole run when asked.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/bench/internal/profile"
	"gwc.dev/gwc/plugins/lambda"
	"gwc.dev/gwc/runtime"
)

type functionFlags []lambda.LocalFunction

func (f *functionFlags) String() string { return fmt.Sprint(len(*f), " functions") }

func (f *functionFlags) Set(s string) error {
	fn, err := lambda.ParseFunctionFlag(s)
	if err != nil {
		return err
	}
	*f = append(*f, fn)
	return nil
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "direct":
		err = direct(os.Args[2:])
	case "serve":
		err = serve(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lambdabench:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: lambdabench direct|serve [flags] ARTIFACT_DIR")
	os.Exit(2)
}

// load reads an artifact and loads it with the local functions.
func load(dir string, fns functionFlags, log io.Writer) (*runtime.API, *lambda.Router, *recorder, error) {
	a, m, err := artifact.Read(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	router, err := lambda.New(lambda.Config{Functions: fns, Log: log})
	if err != nil {
		return nil, nil, nil, err
	}
	rec := &recorder{next: router}
	api, err := runtime.Load(a, m.Digest, runtime.Options{Functions: rec})
	if err != nil {
		router.Close()
		return nil, nil, nil, err
	}
	return api, router, rec, nil
}

// recorder passes calls on, keeping a copy of the last one.
type recorder struct {
	next runtime.Functions
	mu   sync.Mutex
	last *runtime.FunctionCall
}

func (r *recorder) Invoke(ctx context.Context, call *runtime.FunctionCall) (*runtime.FunctionResult, error) {
	r.mu.Lock()
	c := *call
	c.Payload = slices.Clone(call.Payload)
	r.last = &c
	r.mu.Unlock()
	return r.next.Invoke(ctx, call)
}

func direct(args []string) error {
	fs := flag.NewFlagSet("direct", flag.ExitOnError)
	n := fs.Int("n", 20000, "measured calls of each kind")
	warmup := fs.Int("warmup", 2000, "calls of each kind before measuring")
	path := fs.String("path", "/dev/hello", "the request's path (stage included)")
	authPath := fs.String("auth-path", "", "also measure the lifecycle of GET on this path, with -auth as its Authorization header (an authorizer's route)")
	auth := fs.String("auth", "", "the Authorization header of -auth-path")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the measured calls to this file")
	logFile := fs.String("log", "", "append the functions' log to this file, as gwc serve writes it to its stderr (default: discard it)")
	var fns functionFlags
	fs.Var(&fns, "function", "NAME=COMMAND: a local function (repeatable)")
	fs.Parse(args)
	if fs.NArg() != 1 {
		usage()
	}
	var log io.Writer = io.Discard
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		log = f
	}
	api, router, rec, err := load(fs.Arg(0), fns, log)
	if err != nil {
		return err
	}
	defer router.Close()
	srv := runtime.NewServer(api)
	get := func(path, auth string) error {
		req := httptest.NewRequest("GET", path, nil)
		req.Host = "127.0.0.1:8080"
		req.Header.Set("User-Agent", "lambdabench")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != 200 {
			return fmt.Errorf("GET %s: %d %s", path, w.Code, w.Body.Bytes())
		}
		return nil
	}
	lifecycle := func() error { return get(*path, "") }
	lifecycleAuth := func() error { return get(*authPath, *auth) }
	if *authPath != "" {
		if err := lifecycleAuth(); err != nil {
			return err
		}
	}
	if err := lifecycle(); err != nil {
		return err
	}
	call := rec.last
	if call == nil {
		return errors.New("the request invoked no function")
	}
	call.Payload = slices.Clone(call.Payload)
	invoke := func() error {
		res, err := router.Invoke(context.Background(), call)
		if err != nil {
			return err
		}
		if res.FunctionError != "" {
			return fmt.Errorf("function error: %s", res.Payload)
		}
		return nil
	}
	fmt.Printf("event: %d bytes, function %s\n", len(call.Payload), call.ARN)
	stopProfile, err := profile.StartCPU(*cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	type kind struct {
		name string
		f    func() error
	}
	kinds := []kind{{"direct", invoke}, {"lifecycle", lifecycle}}
	if *authPath != "" {
		kinds = append(kinds, kind{"lifecycle-auth", lifecycleAuth})
	}
	for _, m := range append(kinds, kinds...) {
		if err := measure(m.name, *warmup, *n, m.f); err != nil {
			return err
		}
	}
	return nil
}

// measure runs f warmup times, then n times, and prints one line:
// NAME calls=N p50=µs p90=µs p99=µs mean=µs self_cpu=µs/call fn_cpu=µs/call.
func measure(name string, warmup, n int, f func() error) error {
	for range warmup {
		if err := f(); err != nil {
			return err
		}
	}
	lat := make([]time.Duration, n)
	kids := children()
	self0, fn0 := cpuTime("self"), sumCPU(kids)
	start := time.Now()
	for i := range lat {
		t := time.Now()
		if err := f(); err != nil {
			return err
		}
		lat[i] = time.Since(t)
	}
	total := time.Since(start)
	self1, fn1 := cpuTime("self"), sumCPU(kids)
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(n-1))]) / 1e3 }
	fmt.Printf("%s calls=%d p50=%.1f p90=%.1f p99=%.1f mean=%.1f self_cpu=%.1f fn_cpu=%.1f\n",
		name, n, q(0.5), q(0.9), q(0.99), float64(total)/float64(n)/1e3,
		float64(self1-self0)/float64(n)/1e3, float64(fn1-fn0)/float64(n)/1e3)
	return nil
}

// children lists this process's child processes (the function instances).
func children() []string {
	var out []string
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		out = append(out, strings.Fields(string(b))...)
	}
	return out
}

func sumCPU(pids []string) int64 {
	var s int64
	for _, p := range pids {
		s += cpuTime(p)
	}
	return s
}

// cpuTime is the CPU time a process has used, in nanoseconds: the sum of
// its threads' schedstat run times.
func cpuTime(pid string) int64 {
	tasks, err := os.ReadDir("/proc/" + pid + "/task")
	if err != nil {
		return 0
	}
	var sum int64
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/" + pid + "/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue
		}
		f, _, _ := strings.Cut(string(b), " ")
		v, _ := strconv.ParseInt(f, 10, 64)
		sum += v
	}
	return sum
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:8080", "address to serve the API on")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (stopped by SIGINT or SIGTERM)")
	var fns functionFlags
	fs.Var(&fns, "function", "NAME=COMMAND: a local function (repeatable)")
	fs.Parse(args)
	if fs.NArg() != 1 {
		usage()
	}
	api, router, _, err := load(fs.Arg(0), fns, os.Stderr)
	if err != nil {
		return err
	}
	defer router.Close()
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	stopProfile, err := profile.StartCPU(*cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	hs := runtime.NewServer(api).HTTPServer()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	fmt.Fprintf(os.Stderr, "lambdabench: serving on http://%s/\n", l.Addr())
	if err := hs.Serve(runtime.CaseListener(l)); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
