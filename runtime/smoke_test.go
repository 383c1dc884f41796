package runtime_test

import (
	"testing"

	"gwc.dev/gwc/runtime"
)

func TestSmokeMock(t *testing.T) {
	api := loadYAML(t, "resources:\n  /a:"+mockOK, runtime.Options{})
	r := invoke(t, api, "GET", "/dev/a", "")
	if r.Status != 200 || string(r.Body) != `{"ok": true}` {
		t.Fatalf("got %d %q\n%s", r.Status, r.Body, logText(r))
	}
	t.Logf("%v\n%s", r.Header, logText(r))
}
