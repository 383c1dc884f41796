package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests run gwc serve and gwc dev in-process on loopback ports the
// system picks, read the address from what the command prints, and stop
// the command by cancelling its context, as SIGINT would.

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// proc is gwc running in-process.
type proc struct {
	stdout, stderr *syncBuffer
	exited         chan struct{}
	code           int
	cancel         context.CancelFunc
}

// start runs gwc with args until the test stops it.
func start(t *testing.T, args ...string) *proc {
	p := &proc{stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() {
		p.code = Run(ctx, args, strings.NewReader(""), p.stdout, p.stderr)
		close(p.exited)
	}()
	t.Cleanup(func() { p.stop() })
	return p
}

// stop stops gwc as SIGINT would and returns its exit code.
func (p *proc) stop() int {
	p.cancel()
	<-p.exited
	return p.code
}

// waitFor polls until re matches w's text and returns the first group.
// The deadline only keeps a broken test from hanging.
func (p *proc) waitFor(t *testing.T, w *syncBuffer, re string) string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := rx.FindStringSubmatch(w.String()); m != nil {
			if len(m) > 1 {
				return m[1]
			}
			return m[0]
		}
		select {
		case <-p.exited:
			if m := rx.FindStringSubmatch(w.String()); m != nil {
				continue
			}
			t.Fatalf("gwc exited (%d) before printing %s:\n%s", p.code, re, p.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s in:\n%s", re, w.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitBody polls url until it answers with body.
func waitBody(t *testing.T, url, body string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	got := ""
	for got != body {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s to answer %q (last: %q)", url, body, got)
		}
		_, got = httpGet(t, url)
		if got != body {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func mockDef(body string) string {
	return `api: {demo: {resources: {/a: {GET: {integration: {mock: {
  templates: {application/json: '{"statusCode": 200}'},
  responses: {default: {status: 200, templates: {application/json: '` + body + `'}}}}},
  responses: {"200": {}}}}}}}
`
}

func TestServeCommand(t *testing.T) {
	dist := filepath.Join(t.TempDir(), "dist")
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), []string{"build", "../../examples/mock", "-o", dist}, nil, &out, &errOut); code != 0 {
		t.Fatalf("build: %d %s", code, errOut.String())
	}
	p := start(t, "serve", dist, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--log-format", "json")
	stdout, stderr := p.stdout, p.stderr
	// With a JSON log, where the API is served is a log record.
	url := p.waitFor(t, stderr, `"msg":"serving","api":"mock","digest":"sha256:[0-9a-f]{64}","stage":"dev","url":"(http://127\.0\.0\.1:[0-9]+/dev/)"`)
	admin := p.waitFor(t, stderr, `"msg":"admin","metrics":"(http://127\.0\.0\.1:[0-9]+/-/)metrics"`)
	if code, body := httpGet(t, url+"pets/2"); code != 200 || body != `{"id": 2, "name": "pet 2"}` {
		t.Errorf("GET: %d %s", code, body)
	}
	// The access log goes to stdout by default.
	p.waitFor(t, stdout, `"GET /pets/\{petId\} HTTP/1.1" 200 26 `)
	if code, body := httpGet(t, admin+"status"); code != 200 || !strings.Contains(body, `"api": "mock"`) {
		t.Errorf("status: %d %s", code, body)
	}

	// A rebuild into the directory served is picked up.
	if code := Run(context.Background(), []string{"build", "../../examples/validation", "-o", dist}, nil, &out, &errOut); code != 0 {
		t.Fatalf("build: %d %s", code, errOut.String())
	}
	waitBody(t, url+"orders?status=x", `{"orders": [], "status": "x"}`)
	p.waitFor(t, stderr, `"msg":"reloaded","reason":"files changed","api":"validation"`)

	if code := p.stop(); code != 0 {
		t.Errorf("exit %d\n%s", code, stderr.String())
	}
	p.waitFor(t, stderr, `"msg":"stopped"`)
}

func TestServeAccessLogFile(t *testing.T) {
	dist := filepath.Join(t.TempDir(), "dist")
	if code := Run(context.Background(), []string{"build", "../../examples/mock", "-o", dist}, nil, io.Discard, io.Discard); code != 0 {
		t.Fatal("build failed")
	}
	logFile := filepath.Join(t.TempDir(), "access.log")
	// --stage names the stage of an API that declares none.
	p := start(t, "serve", dist, "--listen", "127.0.0.1:0", "--admin", "off", "--access-log", logFile, "--stage", "test")
	stdout, stderr := p.stdout, p.stderr
	url := p.waitFor(t, stderr, `gwc: serving mock \(sha256:[0-9a-f]{12}…\) on (http://127\.0\.0\.1:[0-9]+/test/)`)
	httpGet(t, url+"pets/1")
	if code := p.stop(); code != 0 {
		t.Errorf("exit %d\n%s", code, stderr.String())
	}
	b, err := os.ReadFile(logFile)
	if err != nil || !strings.Contains(string(b), `"GET /pets/{petId} HTTP/1.1" 200`) {
		t.Errorf("access log file: %v %q", err, b)
	}
	if stdout.String() != "" || strings.Contains(stderr.String(), "metrics on") {
		t.Errorf("stdout %q; stderr %q", stdout.String(), stderr.String())
	}
}

// TestDevCommand edits a definition under gwc dev: a good change is
// swapped in, a bad one prints its diagnostics while the last good API
// keeps serving, and the next good one is swapped in again.
func TestDevCommand(t *testing.T) {
	src := t.TempDir()
	file := filepath.Join(src, "api.yaml")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(mockDef(`{"v": 1}`))
	// A directory is a CUE package; a YAML definition is named as a file,
	// and its directory is watched.
	p := start(t, "dev", file, "--listen", "127.0.0.1:0", "--admin", "off", "--access-log", "off")
	stderr := p.stderr
	url := p.waitFor(t, stderr, `gwc: serving demo \(sha256:[0-9a-f]{12}…\) on (http://127\.0\.0\.1:[0-9]+/dev/)`) + "a"
	waitBody(t, url, `{"v": 1}`)

	write(mockDef(`{"v": 2}`))
	waitBody(t, url, `{"v": 2}`)

	write(`api: {demo: {resources: {/a: {GET: {integration: {http: {}}}}}}}`)
	p.waitFor(t, stderr, `api.yaml:1:[0-9]+: error: .*missing field "uri"`)
	p.waitFor(t, stderr, `level=ERROR msg="reload failed; still serving the previous artifact" reason="files changed" api=demo`)
	if code, body := httpGet(t, url); code != 200 || body != `{"v": 2}` {
		t.Errorf("after a bad edit: %d %s", code, body)
	}

	// Files that are not sources are not watched.
	if err := os.WriteFile(filepath.Join(src, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	write(mockDef(`{"v": 3}`))
	waitBody(t, url, `{"v": 3}`)
	if code := p.stop(); code != 0 {
		t.Errorf("exit %d\n%s", code, stderr.String())
	}
}

// TestServeStageOfAPIWithStages checks that --stage, which only names the
// stage of an API that declares none, is reported as ignored otherwise.
func TestServeStageOfAPIWithStages(t *testing.T) {
	dist := filepath.Join(t.TempDir(), "dist")
	if code := Run(context.Background(), []string{"build", "../../examples/httpproxy", "-o", dist}, nil, io.Discard, io.Discard); code != 0 {
		t.Fatal("build failed")
	}
	p := start(t, "serve", dist, "--listen", "127.0.0.1:0", "--admin", "off", "--stage", "prod")
	p.waitFor(t, p.stderr, `level=WARN msg="--stage is for an API that declares no stage; this one declares its own" stage=prod stages=dev`)
	p.waitFor(t, p.stderr, `on http://127\.0\.0\.1:[0-9]+/dev/`)
	if code := p.stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
}

func TestIsSourceFile(t *testing.T) {
	for name, want := range map[string]bool{
		"api.cue": true, "a/openapi.YAML": true, "x.yml": true, "x.json": true,
		".api.cue.swp": false, "api.cue~": false, "4913": false, "notes.txt": false, "/d/.hidden.yaml": false,
	} {
		if got := isSourceFile(name); got != want {
			t.Errorf("isSourceFile(%q) = %v", name, got)
		}
	}
}
