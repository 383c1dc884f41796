package runtime

import (
	"bytes"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/internal/javaregex"
)

// modelSet holds the API's models compiled as JSON Schema draft-04, each
// registered under API Gateway's URL so that models refer to each other.
type modelSet struct {
	schemas map[string]*jsonschema.Schema
}

func compileModels(a *artifact.API) (*modelSet, error) {
	set := &modelSet{schemas: map[string]*jsonschema.Schema{}}
	if len(a.Models) == 0 {
		return set, nil
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.UseRegexpEngine(javaFind)
	for _, m := range a.Models {
		doc, err := jsonValue(m.Schema)
		if err != nil {
			return nil, fmt.Errorf("invalid artifact: model %s: %w", m.Name, err)
		}
		if err := c.AddResource(artifact.ModelURL(a.ID, m.Name), doc); err != nil {
			return nil, fmt.Errorf("invalid artifact: model %s: %w", m.Name, err)
		}
	}
	for _, m := range a.Models {
		s, err := c.Compile(artifact.ModelURL(a.ID, m.Name))
		if err != nil {
			return nil, fmt.Errorf("invalid artifact: model %s: %w", m.Name, err)
		}
		set.schemas[m.Name] = s
	}
	return set, nil
}

func (s *modelSet) schema(name string) *jsonschema.Schema { return s.schemas[name] }

// javaFind evaluates a model's pattern keyword with Java's regular
// expressions, anywhere in the string, as API Gateway's validator does.
func javaFind(s string) (jsonschema.Regexp, error) {
	re, err := javaregex.Compile(s)
	if err != nil {
		return nil, err
	}
	return findRegexp{re}, nil
}

type findRegexp struct{ re *javaregex.Regexp }

func (f findRegexp) MatchString(s string) bool { return f.re.Find(s) }
func (f findRegexp) String() string            { return f.re.String() }

// jsonValue converts decoded artifact JSON (json.Number, maps, slices)
// into what the schema compiler expects.
func jsonValue(v any) (any, error) {
	b, err := artifact.Canonical(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

// missingParams returns the required parameters the request lacks (§6.2):
// absent or blank. Header names match case-insensitively.
func (m *Method) missingParams(rq *request) []string {
	var missing []string
	for _, p := range m.required {
		var v string
		var ok bool
		switch p.location {
		case "path":
			v, ok = rq.pathParam(p.name)
		case "querystring":
			v, ok = rq.query.get(p.name)
		case "header":
			v, ok = rq.header.getFold(p.name)
		}
		if !ok || strings.TrimSpace(v) == "" {
			missing = append(missing, p.name)
		}
	}
	return missing
}

// bodyModel selects the model that validates the body (§6.3): the one for
// the request's media type, else $default; none means no validation.
func (m *Method) bodyModel(mediaType string) string {
	if name, ok := m.bodyModels[mediaType]; ok {
		return name
	}
	for ct, name := range m.bodyModels {
		if strings.EqualFold(ct, mediaType) {
			return name
		}
	}
	return m.bodyModels["$default"]
}

// validateBody checks the body against a model. An empty body is validated
// as {} (§6.3). The returned text is $context.error.validationErrorString.
func validateBody(s *jsonschema.Schema, body []byte) (ok bool, details string) {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return false, "[Invalid input: not valid JSON]"
	}
	err = s.Validate(doc)
	if err == nil {
		return true, ""
	}
	ve, isVE := err.(*jsonschema.ValidationError)
	if !isVE {
		return false, "[" + err.Error() + "]"
	}
	var msgs []string
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			msgs = append(msgs, validationMessage(e))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.Strings(msgs)
	return false, "[" + strings.Join(msgs, ", ") + "]"
}

// validationMessage words a validation failure as API Gateway's Java
// validator does (com.github.fge json-schema-validator), for the kinds
// whose wording is known; others fall back to the library's words. The
// exact text AWS returns is uncertain (§6.3); docs/decisions.md says so.
func validationMessage(e *jsonschema.ValidationError) string {
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		return fmt.Sprintf("object has missing required properties (%s)", quotedList(k.Missing))
	case *kind.Type:
		return fmt.Sprintf("instance type (%s) does not match any allowed primitive type (allowed: %s)", k.Got, quotedList(k.Want))
	case *kind.AdditionalProperties:
		return fmt.Sprintf("object instance has properties which are not allowed by the schema: %s", quotedList(k.Properties))
	case *kind.MinLength:
		return fmt.Sprintf("string is too short (length: %d, required minimum: %d)", k.Got, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("string is too long (length: %d, maximum allowed: %d)", k.Got, k.Want)
	case *kind.MinItems:
		return fmt.Sprintf("array is too short: must have at least %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("array is too long: must have at most %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.Minimum:
		return fmt.Sprintf("numeric instance is lower than the required minimum (minimum: %s, found: %s)", ratString(k.Want), ratString(k.Got))
	case *kind.Maximum:
		return fmt.Sprintf("numeric instance is greater than the required maximum (maximum: %s, found: %s)", ratString(k.Want), ratString(k.Got))
	case *kind.Pattern:
		return fmt.Sprintf("ECMA 262 regex \"%s\" does not match input string \"%s\"", k.Want, k.Got)
	case *kind.Enum:
		return fmt.Sprintf("instance value (%v) not found in enum", k.Got)
	}
	return e.ErrorKind.LocalizedString(englishPrinter)
}

// englishPrinter words the library's messages for kinds without a known
// API Gateway wording.
var englishPrinter = message.NewPrinter(language.English)

func quotedList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = `"` + s + `"`
	}
	sort.Strings(q)
	return "[" + strings.Join(q, ",") + "]"
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(6)
}
