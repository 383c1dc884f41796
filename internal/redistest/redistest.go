// Package redistest runs a real redis-server for tests: one per test, on
// a free loopback port, with nothing written to disk, stopped at the
// test's end.
package redistest

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// startDeadline bounds the wait for a new server to answer PING; it is a
// limit for a broken setup, not a timing the tests depend on.
const startDeadline = 20 * time.Second

// Server is a running redis-server.
type Server struct {
	// Addr is host:port; URL is redis://Addr.
	Addr, URL string

	t        testing.TB
	bin, dir string
	args     []string
	port     int
	mu       sync.Mutex
	kill     func()
	stopped  bool
}

// Start starts a redis-server for t, with args added to its command line,
// and stops it when t ends. Without redis-server on PATH the test is
// skipped, except under CI (CI set), where scripts/test has installed
// it and its absence is a failure rather than tests silently not run.
func Start(t testing.TB, args ...string) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis-server not on PATH under CI: scripts/test should have installed it")
		}
		t.Skip("redis-server not on PATH (scripts/test installs it from Debian)")
	}
	// The free port is found by listening and closing, so another
	// process may take it before redis-server does: try a few ports.
	s := &Server{t: t, bin: bin, dir: t.TempDir(), args: args}
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		kill, err := start(bin, s.dir, args, port)
		if err == nil {
			s.port, s.kill = port, kill
			s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
			s.URL = "redis://" + s.Addr
			t.Cleanup(s.Stop)
			return s
		}
		lastErr = err
	}
	t.Fatalf("redistest: %v", lastErr)
	return nil
}

// Stop kills the server and waits for it to exit; stopping a stopped
// server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopped {
		s.kill()
		s.stopped = true
	}
}

// Restart starts a stopped server again on the same port, empty.
func (s *Server) Restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopped {
		s.t.Fatal("redistest: Restart of a running server")
	}
	kill, err := start(s.bin, s.dir, s.args, s.port)
	if err != nil {
		s.t.Fatalf("redistest: restart: %v", err)
	}
	s.kill, s.stopped = kill, false
}

// start starts redis-server on port and returns once it answers, with
// the function that stops it.
func start(bin, dir string, args []string, port int) (func(), error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	argv := append([]string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", dir,
		"--daemonize", "no",
		"--logfile", "",
	}, args...)
	cmd := exec.Command(bin, argv...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	setParentDeath(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start redis-server: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	kill := func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	deadline := time.Now().Add(startDeadline)
	for {
		select {
		case <-exited:
			return nil, fmt.Errorf("redis-server exited at start:\n%s", out.String())
		default:
		}
		if ping(addr) == nil {
			return kill, nil
		}
		if time.Now().After(deadline) {
			kill()
			return nil, fmt.Errorf("redis-server did not answer PING on %s within %v:\n%s", addr, startDeadline, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ping reports whether a Redis answers on addr: any reply counts, an
// error one too (a server with a password answers PING with NOAUTH).
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line[0] != '+' && line[0] != '-' {
		return fmt.Errorf("unexpected reply to PING: %q", line)
	}
	return nil
}

// syncBuffer collects the server's output, written by exec's copying
// goroutine and read on failure.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
