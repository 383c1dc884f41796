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

// TestTemplateStageVariables: templates see the stage's variables, with
// the serving options' overrides (§8.5, §14.2).
func TestTemplateStageVariables(t *testing.T) {
	api := loadYAML(t, `
stages: {dev: {variables: {a: one, b: two}}, prod: {variables: {a: uno}}}
resources:
  /v:
    GET:
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200, templates: {application/json: "$stageVariables.a ${stageVariables.b} $stageVariables['c']|$!stageVariables.d"}}}
      responses: {"200": {}}
`, runtime.Options{StageVariables: map[string]string{"c": "three"}})
	for target, want := range map[string]string{"/dev/v": "one two three|", "/prod/v": "uno  three|"} {
		if r := invoke(t, api, "GET", target, ""); string(r.Body) != want {
			t.Errorf("%s: %q, want %q", target, r.Body, want)
		}
	}
}
