package runtime

import (
	"fmt"
	"strings"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/internal/draft4"
)

// modelSet holds the API's models compiled as JSON Schema draft-04 by
// internal/draft4, each registered under API Gateway's URL so that models
// refer to each other. draft4 validates a body without decoding it into
// Go values, with Java's regular expressions and the Java validator's
// wording, in a small fraction of a general library's time.
type modelSet struct {
	schemas map[string]*draft4.Schema
}

func compileModels(a *artifact.API) (*modelSet, error) {
	set := &modelSet{schemas: map[string]*draft4.Schema{}}
	if len(a.Models) == 0 {
		return set, nil
	}
	c := draft4.NewCompiler()
	for _, m := range a.Models {
		doc, err := artifact.Canonical(m.Schema)
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

func (s *modelSet) schema(name string) *draft4.Schema { return s.schemas[name] }

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

// validateBody checks the body against a model (an empty body is
// validated as {}, §6.3). The returned text is
// $context.error.validationErrorString.
func validateBody(s *draft4.Schema, body []byte) (ok bool, details string) {
	if s.Valid(body) {
		return true, ""
	}
	r := s.Validate(body)
	return r.Valid, r.Details()
}
