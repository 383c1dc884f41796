package runtime_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gwc.dev/gwc/runtime"
)

type recorder struct {
	mu      sync.Mutex
	records []runtime.Record
}

func (r *recorder) Observe(rec *runtime.Record) {
	r.mu.Lock()
	r.records = append(r.records, *rec)
	r.mu.Unlock()
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
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

// TestAccessLogAndObserver: one access log line per request in the
// stage's format (the CLF preset when it has none), "-" for values that
// do not apply, and a record per request for metrics.
func TestAccessLogAndObserver(t *testing.T) {
	api := loadYAML(t, `
stages:
  dev:
    accessLog: {format: json}
  test: {}
resources:
  /a:`+mockOK, runtime.Options{})
	var logBuf syncBuffer
	rec := &recorder{}
	addr := serve(t, api, func(s *runtime.Server, _ *http.Server) {
		s.AccessLog = runtime.NewAccessLog(&logBuf)
		s.Observer = rec
	})
	for _, path := range []string{"/dev/a", "/dev/b", "/test/a", "/nostage/a"} {
		r, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
	}
	lines := strings.Split(strings.TrimSuffix(logBuf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("access log:\n%s", logBuf.String())
	}
	// The json preset of gwc build.
	var entry map[string]string
	if err := json.Unmarshal([]byte(lines[0]), &entry); err != nil {
		t.Fatalf("line 1 is not JSON: %v\n%s", err, lines[0])
	}
	if entry["httpMethod"] != "GET" || entry["resourcePath"] != "/a" || entry["status"] != "200" || entry["ip"] != "127.0.0.1" ||
		entry["responseLength"] != "12" || entry["protocol"] != "HTTP/1.1" || len(entry["requestId"]) != 36 {
		t.Errorf("line 1: %v", entry)
	}
	if err := json.Unmarshal([]byte(lines[1]), &entry); err != nil || entry["status"] != "403" || entry["resourcePath"] != "-" {
		t.Errorf("line 2: %s", lines[1])
	}
	// Stage test has no format: CLF.
	clf := regexp.MustCompile(`^127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /a HTTP/1\.1" 200 12 [0-9a-f-]{36}$`)
	if !clf.MatchString(lines[2]) {
		t.Errorf("line 3 is not CLF: %s", lines[2])
	}
	if !regexp.MustCompile(`^127\.0\.0\.1 - - \[.*\] "GET - HTTP/1\.1" 403 23 [0-9a-f-]{36}$`).MatchString(lines[3]) {
		t.Errorf("line 4: %s", lines[3])
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	want := []runtime.Record{
		{API: "test", Stage: "dev", ResourcePath: "/a", Method: "GET", Status: 200},
		{API: "test", Stage: "dev", Method: "GET", Status: 403, ErrorType: "MISSING_AUTHENTICATION_TOKEN"},
		{API: "test", Stage: "test", ResourcePath: "/a", Method: "GET", Status: 200},
		{API: "test", Method: "GET", Status: 403},
	}
	if len(rec.records) != len(want) {
		t.Fatalf("records %v", rec.records)
	}
	for i, w := range want {
		got := rec.records[i]
		got.Latency, got.IntegrationLatency = 0, 0
		if got != w {
			t.Errorf("record %d: %+v, want %+v", i, got, w)
		}
	}
}
