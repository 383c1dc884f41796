package cfn_test

import (
	"testing"

	"gwc.dev/gwc/emit/cfn/cfntest"
)

// TestFullAPI emits the API that says everything a definition can and
// checks the template with both validators.
func TestFullAPI(t *testing.T) {
	tmpl := emitCUE(t, "testdata/full")
	b, err := tmpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range tmpl.Warnings() {
		t.Log(w)
	}
	t.Logf("%s", b)
	cfntest.Check(t, b)
}
