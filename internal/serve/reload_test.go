package serve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"gwc.dev/gwc/artifact"
)

// tamper replaces api.json without updating the manifest, as a hand edit
// of a built artifact would.
func tamper(t testing.TB, dir string) {
	t.Helper()
	p := filepath.Join(dir, artifact.APIFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(b, ' '), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReloadGoodToGood(t *testing.T) {
	dir := t.TempDir()
	first := writeDef(t, dir, mockAPI(`{"v": 1}`))
	var log logBuffer
	s := startServer(t, Config{Logger: testLogger(&log)}, DirLoader(dir))
	second := writeDef(t, dir, mockAPI(`{"v": 2}`))
	if err := s.Reload("test"); err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, "http://"+s.Addr()+"/dev/hello"); code != 200 || body != `{"v": 2}` {
		t.Errorf("after reload: %d %s", code, body)
	}
	st := status(t, s)
	if st.Digest != second || st.Reloads != 1 || st.LastReloadError != nil {
		t.Errorf("status: %+v", st)
	}
	if !strings.Contains(log.String(), `level=INFO msg=reloaded reason=test api=test digest=`+second+` previous=`+first) {
		t.Errorf("log:\n%s", log.String())
	}
	_, metrics := get(t, "http://"+s.AdminAddr()+"/-/metrics")
	for _, want := range []string{`gwc_reloads_total{result="ok"} 1`, `gwc_artifact_info{api="test",digest="` + second + `"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(metrics, first) {
		t.Errorf("metrics still name the old digest")
	}
}

// TestReloadGoodToBad checks that each way an artifact can be bad keeps
// the old API serving, logs why at error level, and shows in the status
// and metrics until a good artifact is back.
func TestReloadGoodToBad(t *testing.T) {
	dir := t.TempDir()
	good := compileDef(t, writeTemp(t, mockAPI(`{"v": 1}`)))
	digest := writeArtifact(t, dir, good)
	var log logBuffer
	s := startServer(t, Config{Logger: testLogger(&log)}, DirLoader(dir))

	noRoot := *good.Artifact
	noRoot.Resources = noRoot.Resources[1:]
	for _, bad := range []struct {
		name  string
		write func()
		want  string
	}{
		{"tampered", func() { tamper(t, dir) }, "digest mismatch"},
		{"no manifest", func() { os.Remove(filepath.Join(dir, artifact.ManifestFile)) }, "no manifest.json"},
		{"future format", func() {
			writeArtifact(t, dir, good)
			os.WriteFile(filepath.Join(dir, artifact.ManifestFile), []byte(`{"format_version": 99}`), 0o644)
		}, "format version 99 is not supported"},
		{"unloadable", func() {
			if _, err := artifact.Write(dir, &noRoot); err != nil {
				t.Fatal(err)
			}
		}, "comes before its parent"},
	} {
		log.mu.Lock()
		log.b.Reset()
		log.mu.Unlock()
		bad.write()
		err := s.Reload("test")
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: reload: %v, want %q", bad.name, err, bad.want)
		}
		if code, body := get(t, "http://"+s.Addr()+"/dev/hello"); code != 200 || body != `{"v": 1}` {
			t.Errorf("%s: the old API stopped serving: %d %s", bad.name, code, body)
		}
		st := status(t, s)
		if st.Digest != digest || st.LastReloadError == nil || !strings.Contains(st.LastReloadError.Message, bad.want) {
			t.Errorf("%s: status: %+v", bad.name, st)
		}
		if !strings.Contains(log.String(), `level=ERROR msg="reload failed; still serving the previous artifact" reason=test api=test digest=`+digest) ||
			!strings.Contains(log.String(), bad.want) {
			t.Errorf("%s: log:\n%s", bad.name, log.String())
		}
	}
	_, metrics := get(t, "http://"+s.AdminAddr()+"/-/metrics")
	for _, want := range []string{`gwc_reloads_total{result="error"} 4`, "gwc_last_reload_successful 0"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	// The good artifact again: nothing to swap, nothing wrong any more.
	writeArtifact(t, dir, good)
	if err := s.Reload("test"); err != nil {
		t.Fatal(err)
	}
	if st := status(t, s); st.LastReloadError != nil || st.Reloads != 5 {
		t.Errorf("status after the good artifact came back: %+v", st)
	}
	_, metrics = get(t, "http://"+s.AdminAddr()+"/-/metrics")
	for _, want := range []string{`gwc_reloads_total{result="unchanged"} 1`, "gwc_last_reload_successful 1"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func writeTemp(t testing.TB, src string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "api.yaml")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestWatchReloads checks that writing a new artifact into the directory
// served swaps it in, and that a bad one is refused.
func TestWatchReloads(t *testing.T) {
	dir := t.TempDir()
	writeDef(t, dir, mockAPI(`{"v": 1}`))
	s := startServer(t, Config{WatchDirs: []string{dir}, WatchMatch: IsManifest, Debounce: 10e6}, DirLoader(dir))
	second := writeDef(t, dir, mockAPI(`{"v": 2}`))
	eventually(t, "the new artifact is served", func() bool {
		_, body := get(t, "http://"+s.Addr()+"/dev/hello")
		return body == `{"v": 2}`
	})
	if st := status(t, s); st.Digest != second {
		t.Errorf("status: %+v", st)
	}
	// A manifest naming a file that is not there: refused, old API kept.
	os.WriteFile(filepath.Join(dir, artifact.ManifestFile), []byte("{}"), 0o644)
	eventually(t, "the bad artifact is refused", func() bool { return status(t, s).LastReloadError != nil })
	if _, body := get(t, "http://"+s.Addr()+"/dev/hello"); body != `{"v": 2}` {
		t.Errorf("after a bad artifact: %s", body)
	}
}

// TestSignalReloads checks the SIGHUP path: gwc serve passes the channel
// signal.Notify fills; the test sends on it rather than signalling the
// test process.
func TestSignalReloads(t *testing.T) {
	dir := t.TempDir()
	writeDef(t, dir, mockAPI(`{"v": 1}`))
	hup := make(chan os.Signal, 1)
	var log logBuffer
	s := startServer(t, Config{Signals: hup, Logger: testLogger(&log)}, DirLoader(dir))
	writeDef(t, dir, mockAPI(`{"v": 2}`))
	hup <- syscall.SIGHUP
	eventually(t, "the new artifact is served", func() bool {
		_, body := get(t, "http://"+s.Addr()+"/dev/hello")
		return body == `{"v": 2}`
	})
	if !strings.Contains(log.String(), `msg=reloaded reason="signal hangup"`) {
		t.Errorf("log:\n%s", log.String())
	}
}

// TestNoRequestFailsDuringReloads sends requests from several clients
// while the artifact is swapped back and forth and replaced by bad ones:
// every request must be answered by one of the good APIs. The loops are
// bounded by counts, and the clients go on until enough reloads happened
// during their requests, so the overlap does not depend on timing.
func TestNoRequestFailsDuringReloads(t *testing.T) {
	dir := t.TempDir()
	v1 := compileDef(t, writeTemp(t, mockAPI(`{"v": 1}`)))
	v2 := compileDef(t, writeTemp(t, mockAPI(`{"v": 2}`)))
	writeArtifact(t, dir, v1)
	s := startServer(t, Config{}, DirLoader(dir))
	url := "http://" + s.Addr() + "/dev/hello"

	const clients, minRequests, maxRequests, minReloads = 4, 50, 20000, 30
	var reloads atomic.Int64
	var clientsDone atomic.Bool
	var wg sync.WaitGroup
	failures := make(chan string, clients)
	for range clients {
		wg.Go(func() {
			for i := 0; i < maxRequests; i++ {
				if i >= minRequests && reloads.Load() >= minReloads {
					return
				}
				code, body := get(t, url)
				if code != 200 || (body != `{"v": 1}` && body != `{"v": 2}`) {
					failures <- body
					return
				}
			}
			failures <- "too few reloads happened during the requests"
		})
	}
	reloader := make(chan error, 1)
	go func() {
		for i := 0; i < 100000 && !clientsDone.Load(); i++ {
			switch i % 3 {
			case 0:
				writeArtifact(t, dir, v2)
			case 1:
				tamper(t, dir)
			case 2:
				writeArtifact(t, dir, v1)
			}
			err := s.Reload("test")
			if (err != nil) != (i%3 == 1) {
				reloader <- err
				return
			}
			reloads.Add(1)
		}
		reloader <- nil
	}()
	wg.Wait()
	clientsDone.Store(true)
	if err := <-reloader; err != nil {
		t.Errorf("reload: %v", err)
	}
	close(failures)
	for f := range failures {
		t.Errorf("a request failed during reloads: %s", f)
	}
}

// TestGracefulShutdown checks that a request running when the shutdown
// begins is answered, while new connections are refused.
func TestGracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	backend := blockingBackend(t, started, release)
	s, run := proxyServer(t, backend, 0)
	result := make(chan string, 1)
	go func() {
		code, body := get(t, "http://"+s.Addr()+"/dev/slow")
		result <- fmt.Sprintf("%d %s", code, body)
	}()
	<-started
	run.cancel()
	eventually(t, "the listener closes", func() bool { return !accepts(s.Addr()) })
	close(release)
	if got := <-result; got != `200 {"slow": true}` {
		t.Errorf("the running request got %s", got)
	}
	if err := <-run.done; err != nil {
		t.Errorf("run: %v", err)
	}
}

// TestShutdownTimeout checks that requests still running after the
// shutdown timeout are cut off, and that Run says so.
func TestShutdownTimeout(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	backend := blockingBackend(t, started, release)
	s, run := proxyServer(t, backend, 1e6)
	go get2(s.Addr())
	<-started
	run.cancel()
	err := <-run.done
	if err == nil || !strings.Contains(err.Error(), "cut off") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("run: %v", err)
	}
}

// TestReloadAnnouncesNewStages checks that a reload that changes the
// stages says where the new ones are served.
func TestReloadAnnouncesNewStages(t *testing.T) {
	dir := t.TempDir()
	writeDef(t, dir, mockAPI(`{"v": 1}`))
	var banner logBuffer
	s := startServer(t, Config{Banner: &banner}, DirLoader(dir))
	writeDef(t, dir, strings.Replace(mockAPI(`{"v": 2}`), "    resources:", "    stages: {dev: {}, beta: {}}\n    resources:", 1))
	if err := s.Reload("test"); err != nil {
		t.Fatal(err)
	}
	if want := "on http://" + s.Addr() + "/beta/\n"; !strings.Contains(banner.String(), want) {
		t.Errorf("banner lacks %q:\n%s", want, banner.String())
	}
	if code, body := get(t, "http://"+s.Addr()+"/beta/hello"); code != 200 || body != `{"v": 2}` {
		t.Errorf("new stage: %d %s", code, body)
	}
}

// TestWatchedDirectoryRemoved checks that losing the watched directory is
// logged, since changes are no longer seen after it.
func TestWatchedDirectoryRemoved(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dist")
	writeDef(t, dir, mockAPI(`{"v": 1}`))
	var log logBuffer
	s := startServer(t, Config{WatchDirs: []string{dir}, WatchMatch: IsManifest, Logger: testLogger(&log)}, DirLoader(dir))
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a warning about the directory", func() bool {
		return strings.Contains(log.String(), `level=WARN msg="a watched directory went away; changes to it are no longer seen (send SIGHUP to reload)" dir=`+dir)
	})
	// What was loaded keeps serving.
	if code, body := get(t, "http://"+s.Addr()+"/dev/hello"); code != 200 || body != `{"v": 1}` {
		t.Errorf("after the directory went away: %d %s", code, body)
	}
}

func TestArtifactPaths(t *testing.T) {
	for in, want := range map[string]string{"dist": "dist", "dist/manifest.json": "dist", "a/b/manifest.json": "a/b"} {
		if got := ArtifactDir(in); got != want {
			t.Errorf("ArtifactDir(%q) = %q", in, got)
		}
	}
	if !IsManifest("/x/dist/manifest.json") || IsManifest("/x/dist/api.json") || IsManifest("/x/dist/.manifest.json.123") {
		t.Errorf("IsManifest")
	}
	// Serving names the manifest as well as the directory.
	dir := t.TempDir()
	digest := writeDef(t, dir, mockAPI(`{}`))
	if _, got, err := DirLoader(filepath.Join(dir, "manifest.json"))(); err != nil || got != digest {
		t.Errorf("DirLoader(manifest.json): %v %v", got, err)
	}
}
