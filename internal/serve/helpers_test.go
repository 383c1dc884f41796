package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// Tests compile definitions with the real compiler and write the artifact
// as gwc build does; the package itself never imports compile.

// compileDef compiles the definition at path (a file or a directory).
func compileDef(t testing.TB, path string) *compile.Result {
	t.Helper()
	var ds diag.Set
	def, err := schema.Load([]string{path}, &ds)
	if err != nil {
		t.Fatal(err)
	}
	var res *compile.Result
	if !ds.HasErrors() {
		res = compile.Compile(def, compile.Options{}, &ds)
	}
	if res == nil {
		for _, d := range ds.Sorted() {
			t.Errorf("%s", d)
		}
		t.Fatalf("%s does not compile", path)
	}
	return res
}

// writeDef compiles a YAML definition and writes its artifact into dir,
// returning the digest.
func writeDef(t testing.TB, dir, src string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "api.yaml")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return writeArtifact(t, dir, compileDef(t, f))
}

func writeArtifact(t testing.TB, dir string, res *compile.Result) string {
	t.Helper()
	digest, err := artifact.Write(dir, res.Artifact)
	if err != nil {
		t.Fatal(err)
	}
	return digest
}

// mockAPI is a definition whose GET /hello answers 200 with body, and
// whose GET /fail answers 500.
func mockAPI(body string) string {
	return `api:
  test:
    resources:
      /hello:
        GET:
          integration:
            mock:
              templates: {application/json: '{"statusCode": 200}'}
              responses: {default: {status: 200, templates: {application/json: '` + body + `'}}}
          responses: {"200": {}}
      /fail:
        GET:
          integration:
            mock:
              templates: {application/json: '{"statusCode": 500}'}
              responses: {default: {status: 500, templates: {application/json: '{"failed": true}'}}}
          responses: {"500": {}}
`
}

// logBuffer is a goroutine-safe writer for logs written while a test
// reads them.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func testLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// startServer starts s on loopback ports chosen by the system and runs it
// until the test ends, checking that it shuts down cleanly.
func startServer(t *testing.T, cfg Config, load Loader) *Server {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	if cfg.Admin == "" {
		cfg.Admin = "127.0.0.1:0"
	}
	s, err := New(cfg, load)
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	return s
}

var client = &http.Client{Timeout: 30 * time.Second}

// get sends a request and returns the status and body.
func do(t testing.TB, method, url string, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range header {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func get(t testing.TB, url string) (int, string) {
	t.Helper()
	status, _, body := do(t, "GET", url, "")
	return status, body
}

func status(t testing.TB, s *Server) Status {
	t.Helper()
	code, body := get(t, "http://"+s.AdminAddr()+"/-/status")
	if code != 200 {
		t.Fatalf("/-/status: %d %s", code, body)
	}
	var st Status
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("/-/status: %v\n%s", err, body)
	}
	return st
}

// eventually polls cond until it holds or a generous deadline passes.
// Nothing here asserts how fast anything happens: the deadline only keeps
// a broken test from hanging.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
