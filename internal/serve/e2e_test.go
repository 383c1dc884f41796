package serve

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// TestEndToEnd builds examples/httpproxy, starts a real backend on
// 127.0.0.1, serves the artifact with a stage variable pointing at it,
// and drives it with a real HTTP client: the proxied requests, the
// access log, the metrics and the status.
func TestEndToEnd(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("x-MiXeD")+" "+string(b))
		mu.Unlock()
		w.Header().Set("X-Served-By", "backend")
		switch r.URL.Path {
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
		case "/broken":
			w.WriteHeader(http.StatusBadGateway)
		}
		io.WriteString(w, "answer to "+r.Method+" "+r.URL.Path)
	}))
	defer backend.Close()

	dir := t.TempDir()
	digest := writeArtifact(t, dir, compileDef(t, "../../examples/httpproxy"))
	var access logBuffer
	cfg := Config{AccessLog: &access}
	cfg.Runtime.StageVariables = map[string]string{"backend": strings.TrimPrefix(backend.URL, "http://")}
	s := startServer(t, cfg, DirLoader(dir))
	base := "http://" + s.Addr() + "/dev"

	for _, r := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/pets/1?verbose=true&verbose=no", "", 200},
		{"POST", "/pets", `{"name": "Rex"}`, 200},
		{"DELETE", "/missing", "", 404},
		{"GET", "/broken", "", 502},
	} {
		code, h, body := do(t, r.method, base+r.path, r.body, "x-MiXeD: yes")
		if code != r.status || body != "answer to "+r.method+" "+strings.Split(r.path, "?")[0] || h.Get("X-Served-By") != "backend" {
			t.Errorf("%s %s: %d %v %q", r.method, r.path, code, h, body)
		}
	}
	mu.Lock()
	want := []string{
		"GET /pets/1?verbose=true&verbose=no yes ",
		`POST /pets yes {"name": "Rex"}`,
		"DELETE /missing yes ",
		"GET /broken yes ",
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("the backend saw:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
	mu.Unlock()

	// An unknown stage is API Gateway's 403, before any method.
	if code, body := get(t, "http://"+s.Addr()+"/prod/pets"); code != 403 || body != `{"message":"Forbidden"}` {
		t.Errorf("unknown stage: %d %s", code, body)
	}

	eventually(t, "five access log lines", func() bool { return strings.Count(access.String(), "\n") == 5 })
	for _, re := range []string{
		`(?m)^127\.0\.0\.1 - - \[[^]]+\] "DELETE /\{proxy\+\} HTTP/1\.1" 404 25 [0-9a-f-]{36}$`,
		// No stage, so no resource: "-" as in CloudWatch.
		`(?m)^127\.0\.0\.1 - - \[[^]]+\] "GET - HTTP/1\.1" 403 23 [0-9a-f-]{36}$`,
	} {
		if !regexp.MustCompile(re).MatchString(access.String()) {
			t.Errorf("access log lacks %s:\n%s", re, access.String())
		}
	}

	_, metrics := get(t, "http://"+s.AdminAddr()+"/-/metrics")
	for _, want := range []string{
		`gwc_requests_total{api="httpproxy",method="GET",resource="/{proxy+}",stage="dev"} 2`,
		`gwc_5xx_errors_total{api="httpproxy",method="GET",resource="/{proxy+}",stage="dev"} 1`,
		`gwc_4xx_errors_total{api="httpproxy",method="DELETE",resource="/{proxy+}",stage="dev"} 1`,
		`gwc_integration_latency_seconds_count{api="httpproxy",method="POST",resource="/{proxy+}",stage="dev"} 1`,
		`gwc_requests_total{api="httpproxy",method="GET",resource="",stage=""} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if st := status(t, s); st.API != "httpproxy" || st.Digest != digest {
		t.Errorf("status: %+v", st)
	}
}
