package runtime

import "testing"

func TestSmokeMock(t *testing.T) {
	api := loadYAML(t, "resources:\n  /a:"+mockOK, Options{})
	r := invoke(t, api, "GET", "/dev/a", "")
	if r.Status != 200 || string(r.Body) != `{"ok": true}` {
		t.Fatalf("got %d %q\n%s", r.Status, r.Body, r.logText())
	}
	t.Logf("%v\n%s", r.Header, r.logText())
}
