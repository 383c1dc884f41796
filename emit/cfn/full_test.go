package cfn_test

import "testing"

// TestFullAPI emits an API that says everything a definition can and
// checks its template with both validators.
func TestFullAPI(t *testing.T) {
	checkTemplate(t, emitDefinition(t, "testdata/full"))
}
