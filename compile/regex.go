package compile

import (
	"errors"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/javaregex"
)

// checkJavaRegex checks a pattern that API Gateway evaluates with Java's
// java.util.regex: a syntax error is an error, as AWS rejects it; a valid
// pattern that gwc cannot evaluate exactly is a warning naming the
// construct, since AWS accepts it but gwc serve refuses to run it.
//
// The same few patterns recur on every method of an API, so each is
// compiled once per compilation.
func (c *compiler) checkJavaRegex(at diag.Range, what, pattern string) {
	err, seen := c.regexErrs[pattern]
	if !seen {
		_, err = javaregex.Compile(pattern)
		c.regexErrs[pattern] = err
	}
	var syn *javaregex.SyntaxError
	var unsupported *javaregex.UnsupportedError
	switch {
	case err == nil:
	case errors.As(err, &syn):
		c.errorf(at, CodeInvalidRegex, "invalid %s %q: %v", what, pattern, err)
	case errors.As(err, &unsupported):
		c.warnf(at, CodeInvalidRegex, "%s %q uses %s, which Java accepts but gwc cannot evaluate; gwc serve answers such methods with a 500", what, pattern, unsupported.Feature)
	default:
		c.errorf(at, CodeInvalidRegex, "invalid %s %q: %v", what, pattern, err)
	}
}

// javaRegexpEngine evaluates the pattern keyword of models as API
// Gateway's Java validator does: Java syntax, found anywhere in the string.
func javaRegexpEngine(s string) (jsonschema.Regexp, error) {
	re, err := javaregex.Compile(s)
	if err != nil {
		return nil, err
	}
	return findRegexp{re}, nil
}

type findRegexp struct{ re *javaregex.Regexp }

func (f findRegexp) MatchString(s string) bool { return f.re.Find(s) }
func (f findRegexp) String() string            { return f.re.String() }
