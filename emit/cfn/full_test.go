package cfn_test

import (
	"testing"

	"gwc.dev/gwc/emit/cfn"
)

// TestFullAPI emits an API that says everything a definition can and
// checks its template with both validators, with and without the
// optional resources.
func TestFullAPI(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		checkTemplate(t, emitDefinition(t, "testdata/full", cfn.Options{}))
	})
	t.Run("lambda-permissions", func(t *testing.T) {
		checkTemplate(t, emitDefinition(t, "testdata/full", cfn.Options{LambdaPermissions: true}))
	})
}
