package serve

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// blockingBackend answers /slow once release is closed, after telling
// started that the request arrived.
func blockingBackend(t *testing.T, started chan<- struct{}, release <-chan struct{}) *httptest.Server {
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-release
		w.Write([]byte(`{"slow": true}`))
	}))
	t.Cleanup(b.Close)
	return b
}

type running struct {
	cancel context.CancelFunc
	done   chan error
}

// proxyServer serves GET /dev/slow, proxied to backend, and runs it until
// the test cancels it.
func proxyServer(t *testing.T, backend *httptest.Server, shutdownTimeout time.Duration) (*Server, running) {
	dir := t.TempDir()
	writeDef(t, dir, `api:
  test:
    resources:
      /slow:
        GET:
          integration:
            httpProxy: {uri: 'http://${stageVariables.backend}/slow'}
`)
	cfg := Config{Listen: "127.0.0.1:0", ShutdownTimeout: shutdownTimeout}
	cfg.Runtime.StageVariables = map[string]string{"backend": strings.TrimPrefix(backend.URL, "http://")}
	s, err := New(cfg, DirLoader(dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- s.Run(ctx) }()
	return s, r
}

// accepts reports whether addr accepts connections.
func accepts(addr string) bool {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// get2 sends a request whose result nobody reads.
func get2(addr string) {
	resp, err := http.Get("http://" + addr + "/dev/slow")
	if err == nil {
		resp.Body.Close()
	}
}
