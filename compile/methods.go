package compile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// NoValidator, as a method's validator, turns the API's default validator
// off for that method.
const NoValidator = "NONE"

// method normalizes and checks one method and its integration.
func (c *compiler) method(r *schema.Resource, m *schema.Method) {
	c.authorization(m)
	c.requestParams(r, m)
	c.validator(m)
	for _, cm := range m.RequestModels {
		if _, ok := c.models[cm.Model]; !ok {
			c.errorf(cm.Src.Range(), CodeUndefined, "invalid model identifier specified: %s (no model of that name)%s", cm.Model, c.suggestModel(cm.Model))
		}
	}
	c.methodResponses(m)
	c.integration(r, m)
}

func (c *compiler) suggestModel(name string) string {
	names := make([]string, 0, len(c.models))
	for n := range c.models {
		names = append(names, n)
	}
	return suggest(name, names)
}

// suggest returns "; did you mean X?" when a candidate is close to name.
func suggest(name string, candidates []string) string {
	if best := schema.Closest(name, candidates); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// authorization derives the authorization type from the authorizer and
// checks that the two agree, as PutMethod does.
func (c *compiler) authorization(m *schema.Method) {
	at := schema.At(m.Src, "authorization")
	if m.Authorizer != "" {
		a, ok := c.authorizers[m.Authorizer]
		if !ok {
			names := make([]string, 0, len(c.authorizers))
			for n := range c.authorizers {
				names = append(names, n)
			}
			c.errorf(schema.At(m.Src, "authorizer"), CodeUndefined,
				"invalid authorizer ID specified: no authorizer named %q%s", m.Authorizer, suggest(m.Authorizer, names))
			return
		}
		want := "CUSTOM"
		if a.Type == "COGNITO_USER_POOLS" {
			want = "COGNITO_USER_POOLS"
		}
		switch m.Authorization {
		case "":
			m.Authorization = want
		case want:
		default:
			c.errorf(at, CodeAuthorization,
				"authorization %s does not fit authorizer %q, a %s authorizer: use %s (or leave authorization out)",
				m.Authorization, m.Authorizer, a.Type, want)
		}
	} else {
		switch m.Authorization {
		case "":
			m.Authorization = "NONE"
		case "CUSTOM", "COGNITO_USER_POOLS":
			c.errorf(at, CodeAuthorization,
				"invalid authorizer ID specified: setting the authorization type to %s requires an authorizer", m.Authorization)
		}
	}
	if len(m.Scopes) > 0 && m.Authorization != "COGNITO_USER_POOLS" {
		c.warnf(schema.At(m.Src, "scopes"), CodeAuthorization,
			"scopes apply only to COGNITO_USER_POOLS authorization; with %s API Gateway ignores them", m.Authorization)
	}
}

// requestParams declares the resource's path parameters on the method
// (API Gateway needs them declared before mappings can use them, and a
// routed request always has them) and enforces unique names across
// locations.
func (c *compiler) requestParams(r *schema.Resource, m *schema.Method) {
	for _, name := range c.pathParams(r) {
		if !slices.ContainsFunc(m.RequestParams, func(p *schema.RequestParam) bool {
			return p.Location == "path" && p.Name == name
		}) {
			m.RequestParams = append(m.RequestParams, &schema.RequestParam{Src: m.Src, Location: "path", Name: name, Required: true})
		}
	}
	byName := map[string]*schema.RequestParam{}
	for _, p := range m.RequestParams {
		if prev, ok := byName[p.Name]; ok && prev.Location != p.Location {
			c.ds.Add(diag.Diagnostic{
				Code: CodeParameterReused, Severity: diag.Error, Range: p.Src.KeyRange(),
				Message: fmt.Sprintf("parameter names must be unique across querystring, header and path: %q is both %s and %s",
					p.Name, prev.Location, p.Location),
				Related: []diag.Related{{Message: "the other declaration", Range: prev.Src.KeyRange()}},
			})
			continue
		}
		byName[p.Name] = p
	}
	slices.SortFunc(m.RequestParams, func(a, b *schema.RequestParam) int {
		return strings.Compare(a.Expr(), b.Expr())
	})
}

func (c *compiler) validator(m *schema.Method) {
	at := schema.At(m.Src, "request", "validator")
	switch m.Validator {
	case NoValidator:
		m.Validator = ""
		return
	case "":
		m.Validator = c.api.DefaultValidator
		at = schema.At(c.api.Src, "requestValidator")
	}
	if m.Validator == "" {
		return
	}
	if _, ok := c.validators[m.Validator]; !ok {
		names := make([]string, 0, len(c.validators))
		for n := range c.validators {
			names = append(names, n)
		}
		c.errorf(at, CodeUndefined, "invalid request validator identifier specified: no validator named %q%s", m.Validator, suggest(m.Validator, names))
		m.Validator = ""
	}
}

// methodResponses checks the models of method responses.
func (c *compiler) methodResponses(m *schema.Method) {
	for _, mr := range m.Responses {
		for _, cm := range mr.Models {
			if _, ok := c.models[cm.Model]; !ok {
				c.errorf(cm.Src.Range(), CodeUndefined, "invalid model identifier specified: %s (no model of that name)%s", cm.Model, c.suggestModel(cm.Model))
			}
		}
		slices.SortFunc(mr.Headers, func(a, b *schema.ResponseHeader) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(mr.Models, func(a, b *schema.ContentModel) int { return strings.Compare(a.ContentType, b.ContentType) })
	}
	slices.SortFunc(m.Responses, func(a, b *schema.MethodResponse) int { return a.Status - b.Status })
}

// responseFor returns the method response for a status.
func responseFor(m *schema.Method, status int) *schema.MethodResponse {
	for _, mr := range m.Responses {
		if mr.Status == status {
			return mr
		}
	}
	return nil
}

// declaredParam reports whether the method declares the parameter a
// method.request.<loc>.<name> expression reads. Multi-value locations read
// the single-value declaration.
func declaredParam(m *schema.Method, loc, name string) bool {
	loc = strings.TrimPrefix(loc, "multivalue")
	if loc == "querystring" || loc == "header" || loc == "path" {
		for _, p := range m.RequestParams {
			if p.Location == loc && p.Name == name {
				return true
			}
		}
	}
	return false
}

func statusText(s int) string { return strconv.Itoa(s) }
