package serve

import (
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestServeAnnouncesEveryStage(t *testing.T) {
	dir := t.TempDir()
	src := strings.Replace(mockAPI(`{"v": 1}`), "    resources:", "    stages: {dev: {}, prod: {}}\n    resources:", 1)
	digest := writeDef(t, dir, src)
	var banner logBuffer
	s := startServer(t, Config{Banner: &banner}, DirLoader(dir))
	for _, stage := range []string{"dev", "prod"} {
		want := "gwc: serving test (" + shortDigest(digest) + ") on http://" + s.Addr() + "/" + stage + "/\n"
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner.String())
		}
		if code, body := get(t, "http://"+s.Addr()+"/"+stage+"/hello"); code != 200 || body != `{"v": 1}` {
			t.Errorf("%s: %d %s", stage, code, body)
		}
	}
	if !strings.Contains(banner.String(), "/-/metrics") {
		t.Errorf("banner lacks the admin address:\n%s", banner.String())
	}
}

func TestStatus(t *testing.T) {
	dir := t.TempDir()
	digest := writeDef(t, dir, mockAPI(`{"v": 1}`))
	s := startServer(t, Config{}, DirLoader(dir))
	st := status(t, s)
	if st.FormatVersion != StatusFormatVersion || st.API != "test" || st.Digest != digest ||
		strings.Join(st.Stages, ",") != "dev" || st.LoadedAt.IsZero() || st.LastReloadError != nil {
		t.Errorf("status: %+v", st)
	}
	if code, _, _ := do(t, "POST", "http://"+s.AdminAddr()+"/-/status", ""); code != http.StatusMethodNotAllowed {
		t.Errorf("POST /-/status: %d", code)
	}
	if code, _ := get(t, "http://"+s.AdminAddr()+"/-/other"); code != http.StatusNotFound {
		t.Errorf("/-/other: %d", code)
	}
}

// TestMetrics checks API Gateway's CloudWatch metrics after real requests:
// Count, 4XXError and 5XXError by API, stage, resource and method, and
// the latency histograms, IntegrationLatency only for calls that reached
// an integration.
func TestMetrics(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"from": "backend"}`))
	}))
	defer backend.Close()
	dir := t.TempDir()
	src := mockAPI(`{"v": 1}`) + `      /proxy:
        GET:
          integration:
            httpProxy: {uri: 'http://${stageVariables.backend}/x'}
`
	writeDef(t, dir, src)
	cfg := Config{}
	cfg.Runtime.StageVariables = map[string]string{"backend": strings.TrimPrefix(backend.URL, "http://")}
	s := startServer(t, cfg, DirLoader(dir))
	base := "http://" + s.Addr()
	for range 2 {
		get(t, base+"/dev/hello")
	}
	get(t, base+"/dev/fail")
	get(t, base+"/dev/nothing")
	if code, body := get(t, base+"/dev/proxy"); code != 200 || body != `{"from": "backend"}` {
		t.Fatalf("proxy: %d %s", code, body)
	}
	_, metrics := get(t, "http://"+s.AdminAddr()+"/-/metrics")
	hello := `{api="test",method="GET",resource="/hello",stage="dev"}`
	fail := `{api="test",method="GET",resource="/fail",stage="dev"}`
	none := `{api="test",method="GET",resource="",stage="dev"}`
	proxy := `{api="test",method="GET",resource="/proxy",stage="dev"}`
	for _, want := range []string{
		"gwc_requests_total" + hello + " 2",
		"gwc_4xx_errors_total" + hello + " 0",
		"gwc_5xx_errors_total" + hello + " 0",
		"gwc_requests_total" + fail + " 1",
		"gwc_5xx_errors_total" + fail + " 1",
		"gwc_requests_total" + none + " 1",
		"gwc_4xx_errors_total" + none + " 1",
		"gwc_latency_seconds_count" + hello + " 2",
		"gwc_integration_latency_seconds_count" + proxy + " 1",
		`gwc_artifact_info{api="test",digest="` + s.API().Digest + `"} 1`,
		"gwc_last_reload_successful 1",
	} {
		if !strings.Contains(metrics, "\n"+want+"\n") {
			t.Errorf("metrics lack %s", want)
		}
	}
	// A MOCK reaches no integration endpoint, so it has no integration
	// latency, as in CloudWatch.
	if strings.Contains(metrics, "gwc_integration_latency_seconds_count"+hello) {
		t.Errorf("a MOCK method has an integration latency")
	}
	if t.Failed() {
		t.Log(metrics)
	}
}

// TestMetricsBoundMethods checks that invented verbs share one label.
func TestMetricsBoundMethods(t *testing.T) {
	dir := t.TempDir()
	writeDef(t, dir, mockAPI(`{}`))
	s := startServer(t, Config{}, DirLoader(dir))
	for _, verb := range []string{"BREW", "WHEN"} {
		do(t, verb, "http://"+s.Addr()+"/dev/hello", "")
	}
	_, metrics := get(t, "http://"+s.AdminAddr()+"/-/metrics")
	want := `gwc_requests_total{api="test",method="OTHER",resource="",stage="dev"} 2`
	if !strings.Contains(metrics, want) || strings.Contains(metrics, "BREW") {
		t.Errorf("metrics lack %s or name an invented verb:\n%s", want, metrics)
	}
}

// TestAccessLog checks that each request writes a line in the stage's
// format, and CLF when the stage sets none.
func TestAccessLog(t *testing.T) {
	dir := t.TempDir()
	src := strings.Replace(mockAPI(`{}`), "    resources:",
		"    stages:\n      dev: {}\n      json: {accessLog: {format: json}}\n      custom: {accessLog: {format: '$context.requestId $context.httpMethod $context.resourcePath $context.status'}}\n    resources:", 1)
	writeDef(t, dir, src)
	var log logBuffer
	s := startServer(t, Config{AccessLog: &log}, DirLoader(dir))
	get(t, "http://"+s.Addr()+"/dev/hello")
	get(t, "http://"+s.Addr()+"/json/fail")
	get(t, "http://"+s.Addr()+"/custom/hello")
	// The line is written after the response, so it may arrive after the
	// client has read it.
	eventually(t, "three access log lines", func() bool { return strings.Count(log.String(), "\n") == 3 })
	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	for i, re := range []string{
		`^127\.0\.0\.1 - - \[[^]]+\] "GET /hello HTTP/1\.1" 200 2 [0-9a-f-]{36}$`,
		`^\{ "requestId":"[0-9a-f-]{36}", "ip": "127\.0\.0\.1", .*"httpMethod":"GET","resourcePath":"/fail", "status":"500",.*\}$`,
		`^[0-9a-f-]{36} GET /hello 200$`,
	} {
		if !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("line %d: %q does not match %s", i+1, lines[i], re)
		}
	}
}

func TestAccessLogOff(t *testing.T) {
	w, c, err := OpenAccessLog("off", nil)
	if w != nil || c != nil || err != nil {
		t.Errorf("off: %v %v %v", w, c, err)
	}
	if _, _, err := OpenAccessLog(t.TempDir()+"/no/such/dir/access.log", nil); err == nil {
		t.Errorf("a file in a missing directory opened")
	}
}

// TestLoadWarningsLogged checks that what gwc cannot serve yet is logged
// at warn level when the artifact loads.
func TestLoadWarningsLogged(t *testing.T) {
	dir := t.TempDir()
	writeDef(t, dir, `api: {test: {resources: {/a: {GET: {integration: {http: {
  uri: 'http://internal.example.com/', connection: {type: VPC_LINK, id: abc123},
  responses: {default: {status: 200}}}}, responses: {"200": {}}}}}}}
`)
	var log logBuffer
	startServer(t, Config{Logger: testLogger(&log)}, DirLoader(dir))
	if !regexp.MustCompile(`level=WARN msg="GET /a uses VPC link connections not supported`).MatchString(log.String()) {
		t.Errorf("no warning logged:\n%s", log.String())
	}
}

func TestListenError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir := t.TempDir()
	writeDef(t, dir, mockAPI(`{}`))
	for _, cfg := range []Config{{Listen: l.Addr().String()}, {Listen: "127.0.0.1:0", Admin: l.Addr().String()}} {
		s, err := New(cfg, DirLoader(dir))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(); err == nil || !strings.Contains(err.Error(), "address already in use") {
			t.Errorf("start on a taken address: %v", err)
		}
	}
}

func TestNewRefusesBadArtifact(t *testing.T) {
	if _, err := New(Config{}, DirLoader(t.TempDir())); err == nil || !strings.Contains(err.Error(), "no manifest.json") {
		t.Errorf("empty directory: %v", err)
	}
}

func TestNewLogger(t *testing.T) {
	var b logBuffer
	l, err := NewLogger(&b, "warn", "json")
	if err != nil {
		t.Fatal(err)
	}
	l.Info("hidden")
	l.Warn("shown")
	if s := b.String(); strings.Contains(s, "hidden") || !strings.Contains(s, `"msg":"shown"`) {
		t.Errorf("log: %s", s)
	}
	if _, err := NewLogger(&b, "loud", "text"); err == nil {
		t.Errorf("unknown level accepted")
	}
	if _, err := NewLogger(&b, "info", "xml"); err == nil {
		t.Errorf("unknown format accepted")
	}
}

// TestUsagePlansKeepStateAcrossReloads checks that usage plans are
// enforced by default, and that a reload forgets no quota.
func TestUsagePlansKeepStateAcrossReloads(t *testing.T) {
	dir := t.TempDir()
	def := func(body string) string {
		return `api: {test: {
  stages: {dev: {}},
  apiKeys: {app: {}},
  usagePlans: {basic: {stages: {dev: {}}, keys: [app], quota: {limit: 1, period: DAY}}},
  resources: {/a: {GET: {apiKeyRequired: true, integration: {mock: {
    templates: {application/json: '{"statusCode": 200}'},
    responses: {default: {status: 200, templates: {application/json: '` + body + `'}}}}},
    responses: {"200": {}}}}}}}
`
	}
	writeDef(t, dir, def(`{"v": 1}`))
	var log logBuffer
	cfg := Config{Logger: testLogger(&log)}
	cfg.Runtime.APIKeys = map[string]string{"app": "s3cret"}
	s := startServer(t, cfg, DirLoader(dir))
	url := "http://" + s.Addr() + "/dev/a"
	if code, _, body := do(t, "GET", url, "", "x-api-key: s3cret"); code != 200 {
		t.Errorf("first request: %d %s", code, body)
	}
	if code, _, body := do(t, "GET", url, "", "x-api-key: s3cret"); code != 429 || body != `{"message":"Limit Exceeded"}` {
		t.Errorf("over the quota: %d %s", code, body)
	}
	writeDef(t, dir, def(`{"v": 2}`))
	if err := s.Reload("test"); err != nil {
		t.Fatal(err)
	}
	if code, _, body := do(t, "GET", url, "", "x-api-key: s3cret"); code != 429 {
		t.Errorf("after a reload: %d %s", code, body)
	}
	if strings.Contains(log.String(), "not enforced") {
		t.Errorf("usage plans not enforced:\n%s", log.String())
	}
}
