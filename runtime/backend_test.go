package runtime_test

import (
	"encoding/json"
	"gwc.dev/gwc/runtime"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"gwc.dev/gwc/plugins/httpbackend"
)

// echoBackend is a real HTTP server on loopback that records each request
// it receives (header names as sent on the wire) and answers with what the
// test configured.
type echoBackend struct {
	addr string
	mu   sync.Mutex
	last *seenRequest
	// answer writes the response; nil answers 200 with the request as
	// JSON.
	answer func(w http.ResponseWriter, r *http.Request)
}

// seenRequest is a request as the backend saw it.
type seenRequest struct {
	Method string      `json:"method"`
	URI    string      `json:"uri"`
	Host   string      `json:"host"`
	Header [][2]string `json:"header"` // in order, names as sent
	Body   string      `json:"body"`
}

func (s *seenRequest) get(name string) (string, bool) {
	for _, h := range s.Header {
		if strings.EqualFold(h[0], name) {
			return h[1], true
		}
	}
	return "", false
}

func (s *seenRequest) names() []string {
	var out []string
	for _, h := range s.Header {
		out = append(out, h[0])
	}
	return out
}

func startBackend(t testing.TB) *echoBackend {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &echoBackend{addr: l.Addr().String()}
	srv := &http.Server{ConnContext: runtime.ConnContext, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen := &seenRequest{Method: r.Method, URI: r.RequestURI, Host: r.Host, Body: string(body)}
		for _, f := range runtime.HeaderFields(r) {
			seen.Header = append(seen.Header, [2]string{f.Name, f.Value})
		}
		b.mu.Lock()
		b.last = seen
		answer := b.answer
		b.mu.Unlock()
		if answer != nil {
			answer(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(seen)
	})}
	go func() { _ = srv.Serve(runtime.CaseListener(l)) }()
	t.Cleanup(func() { _ = srv.Close() })
	return b
}

func (b *echoBackend) seen(t testing.TB) *seenRequest {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.last == nil {
		t.Fatal("the backend received no request")
	}
	s := b.last
	b.last = nil
	return s
}

func (b *echoBackend) setAnswer(f func(w http.ResponseWriter, r *http.Request)) {
	b.mu.Lock()
	b.answer = f
	b.mu.Unlock()
}

// httpOptions serves with the real HTTP backend and the backend's address
// as stage variable "backend".
func httpOptions(t testing.TB, b *echoBackend) runtime.Options {
	hb := httpbackend.New()
	t.Cleanup(hb.Close)
	return runtime.Options{
		StageVariables: map[string]string{"backend": b.addr},
		Backends:       map[string]runtime.Backend{"HTTP": hb, "HTTP_PROXY": hb},
	}
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// slow answers after d, or when the client goes away.
func slow(d time.Duration) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
		w.WriteHeader(200)
	}
}
