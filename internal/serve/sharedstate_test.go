package serve

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"gwc.dev/gwc/internal/redistest"
)

// TestSharedQuota runs two gwc serve processes against one Redis and
// shows that they enforce one usage plan's quota exactly: under
// concurrent requests spread over both, exactly the quota is served and
// every other request gets QUOTA_EXCEEDED.
func TestSharedQuota(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gwc and starts processes")
	}
	redis := redistest.Start(t)
	dir := t.TempDir()
	gwc := filepath.Join(dir, "gwc")
	if out, err := exec.Command("go", "build", "-o", gwc, "../../cmd/gwc").CombinedOutput(); err != nil {
		t.Fatalf("building gwc: %v\n%s", err, out)
	}
	const quota = 40
	def := filepath.Join(dir, "api.yaml")
	if err := os.WriteFile(def, []byte(`api:
  shared:
    stages: {dev: {}}
    apiKeys: {k: {enabled: true}}
    usagePlans:
      plan:
        stages: {dev: {}}
        quota: {limit: 40, period: DAY}
        keys: [k]
    resources:
      /x:
        GET:
          apiKeyRequired: true
          integration:
            mock:
              templates: {application/json: '{"statusCode": 200}'}
              responses: {default: {status: 200}}
          responses: {"200": {}}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	art := filepath.Join(dir, "dist")
	if out, err := exec.Command(gwc, "build", def, "-o", art).CombinedOutput(); err != nil {
		t.Fatalf("gwc build: %v\n%s", err, out)
	}
	urls := make([]string, 2)
	for i := range urls {
		urls[i] = startGWC(t, gwc, "serve", art, "--listen", "127.0.0.1:0", "--admin", "off", "--access-log", "off",
			"--state", redis.URL, "--api-key", "k=shared-key-0123456789")
	}
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	const clients, each = 8, 15 // 120 requests for a quota of 40
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				req, _ := http.NewRequest("GET", urls[(c+i)%2]+"x", nil)
				req.Header.Set("X-API-Key", "shared-key-0123456789")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mu.Lock()
				counts[resp.StatusCode]++
				mu.Unlock()
			}
		}(c)
	}
	wg.Wait()
	if counts[200] != quota || counts[429] != clients*each-quota {
		t.Errorf("two processes served %d and refused %d (statuses %v); the shared quota is %d", counts[200], counts[429], counts, quota)
	}
}

// startGWC starts a gwc process that serves, and returns the URL of its
// stage (from the line it prints), stopping it when the test ends.
func startGWC(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = 5 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	re := regexp.MustCompile(`serving .* on (http://\S+/)$`)
	timeout := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("gwc exited before serving")
			}
			if m := re.FindStringSubmatch(line); m != nil {
				go func() {
					for range lines {
					}
				}()
				return m[1]
			}
		case <-timeout:
			t.Fatal("gwc did not say where it serves within 30 s")
		}
	}
}
