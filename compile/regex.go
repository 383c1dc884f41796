package compile

import (
	"regexp"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// checkJavaRegex reports whether a pattern that API Gateway evaluates with
// Java's java.util.regex is valid and can be evaluated here.
func checkJavaRegex(pattern string) error {
	_, err := regexp.Compile(pattern)
	return err
}

// javaRegexpEngine evaluates the pattern keyword of models as API
// Gateway's Java validator does.
func javaRegexpEngine(s string) (jsonschema.Regexp, error) {
	return regexp.Compile(s)
}
