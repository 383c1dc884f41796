// Package apigw provides API Gateway's mapping-template variables on top of
// the vtl engine: $input, $util, $context and $stageVariables, rendered
// with API Gateway's deviations from stock Velocity 1.7 (a null prints as
// nothing, null equals "", #set of null sets null).
//
// The runtime fills a Request per request and calls Render; Render returns
// the $context.requestOverride and $context.responseOverride values the
// template wrote, for the runtime to apply.
package apigw

import (
	"strings"

	"gwc.dev/gwc/vtl"
)

// Params is an ordered list of parameters (name → value). Header names keep
// the case the client sent.
type Params struct {
	names  []string
	values []string
}

// Add appends a parameter. A repeated name keeps its first position and
// takes the last value, as API Gateway's single-value maps do.
func (p *Params) Add(name, value string) {
	for i, n := range p.names {
		if n == name {
			p.values[i] = value
			return
		}
	}
	p.names = append(p.names, name)
	p.values = append(p.values, value)
}

// Len returns the number of parameters.
func (p *Params) Len() int {
	if p == nil {
		return 0
	}
	return len(p.names)
}

// At returns parameter i.
func (p *Params) At(i int) (name, value string) { return p.names[i], p.values[i] }

// Get returns the value of name (exact match).
func (p *Params) Get(name string) (string, bool) {
	if p == nil {
		return "", false
	}
	for i, n := range p.names {
		if n == name {
			return p.values[i], true
		}
	}
	return "", false
}

// getFold returns the value of name compared case-insensitively, as HTTP
// header names are.
func (p *Params) getFold(name string) (string, bool) {
	if p == nil {
		return "", false
	}
	for i, n := range p.names {
		if strings.EqualFold(n, name) {
			return p.values[i], true
		}
	}
	return "", false
}

// toMap returns the parameters as a map allocated from a, the memory of
// one render.
func (p *Params) toMap(a *vtl.JSONArena) *vtl.Map {
	m := a.NewMap(p.Len())
	for i := 0; i < p.Len(); i++ {
		m.PutString(p.names[i], vtl.String(p.values[i]))
	}
	return m
}

// Request is what one template render sees.
type Request struct {
	// Body is $input.body: the method request body for request templates,
	// the integration response body for response templates.
	Body []byte
	// Path, QueryString and Header are the method request parameters
	// ($input.params()), also in response templates.
	Path, QueryString, Header Params
	// Context is the $context tree. The runtime fills it (requestId,
	// identity, authorizer, ...); Render adds the requestOverride and
	// responseOverride maps when missing. Pass the same map to the request
	// and the response template so that overrides set in one are seen by
	// the other, as on API Gateway. Nil means an empty context.
	Context *vtl.Map
	// StageVariables is $stageVariables.
	StageVariables Params
	// IsResponse marks a response (integration response) template.
	IsResponse bool
	// Limits bound the render; zero fields take vtl's defaults, except
	// that loops always stop at API Gateway's 1,000 iterations unless set.
	Limits vtl.Limits
}

// NewContext returns a $context map with the override maps in place.
func NewContext() *vtl.Map {
	m := vtl.NewMap(8)
	ensureOverrides(m)
	return m
}

// overrideMaps are the maps of $context.requestOverride and
// $context.responseOverride.
type overrideMaps struct {
	reqHeader, reqQuery, reqPath, resp, respHeader *vtl.Map
}

// ensureOverrides adds $context.requestOverride.{header,querystring,path}
// and $context.responseOverride.{header,status} when missing, and returns
// them.
func ensureOverrides(ctx *vtl.Map) overrideMaps {
	var om overrideMaps
	req := childMap(ctx, "requestOverride")
	om.reqHeader = childMap(req, "header")
	om.reqQuery = childMap(req, "querystring")
	om.reqPath = childMap(req, "path")
	om.resp = childMap(ctx, "responseOverride")
	om.respHeader = childMap(om.resp, "header")
	return om
}

func childMap(m *vtl.Map, key string) *vtl.Map {
	if v, ok := m.GetString(key); ok {
		if c := v.Map(); c != nil {
			return c
		}
	}
	c := vtl.NewMap(4)
	m.PutString(key, vtl.MapValue(c))
	return c
}
