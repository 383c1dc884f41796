// Package lint is gwc's rule engine. A rule is a value: a stable ID, a
// category, a default severity, a one-line summary, a markdown document
// with a bad and a good example, and a check over the compiled model. The
// rules themselves live in lint/rules; this package runs them, and then
// applies the project's configuration, inline ignores and the baseline as
// filters over what they found.
//
// Rules run over the model that compile normalized (every resource of the
// tree present, defaults applied, CORS expanded), so they see what API
// Gateway will deploy; every node of that model still carries the
// position it was written at, so findings point into the user's own file.
package lint

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// Category groups rules by what a finding costs the user.
type Category string

// The categories.
const (
	// Correctness: the API fails to deploy, or does not behave as written.
	Correctness Category = "correctness"
	// Security: the API works, but exposes more than it should.
	Security Category = "security"
	// Fidelity: the definition says something API Gateway does not do.
	Fidelity Category = "fidelity"
	// Style: legal and working, but harder to read or maintain.
	Style Category = "style"
)

// Categories lists the categories in the order documentation shows them.
var Categories = []Category{Correctness, Security, Fidelity, Style}

// DocsURL is where the rules reference is published; each rule's help URI
// is an anchor in it.
const DocsURL = "https://github.com/gwc-dev/gwc/blob/main/docs/rules.md"

// Rule is one lint rule.
type Rule struct {
	// ID is stable, in UPPER_SNAKE_CASE; users enable, disable and ignore
	// rules by it.
	ID       string
	Category Category
	// Severity is the default severity of the rule's findings.
	Severity diag.Severity
	// Summary says in one line what the rule finds.
	Summary string
	// Doc is the rule's markdown documentation: why it matters, with a bad
	// and a good example.
	Doc string
	// Off marks a rule that runs only when the configuration enables it.
	Off bool
	// Check inspects the API and reports through the pass.
	Check func(*Pass)
}

// HelpURI is the rule's anchor in the published rules reference.
func (r *Rule) HelpURI() string { return DocsURL + "#" + strings.ToLower(r.ID) }

// DiagRule is the rule's metadata as the printers know it.
func (r *Rule) DiagRule() diag.Rule {
	return diag.Rule{
		ID: r.ID, Summary: r.Summary, HelpURI: r.HelpURI(), Help: r.Doc,
		DefaultSeverity: r.Severity, Category: string(r.Category),
	}
}

// Pass is what a rule's check sees: the definition, the compiled API and
// traversal helpers, and Report to say what it found.
type Pass struct {
	Rule *Rule
	// Def is the definition as read, with its files.
	Def *schema.Definition
	// API is the compiled, normalized API.
	API *schema.API
	// Cache is shared by the rules of one run, for results several rules
	// need (parsed templates, regex automata).
	Cache *Cache

	found []diag.Diagnostic
}

// Reportf reports a finding at r with the rule's severity.
func (p *Pass) Reportf(r diag.Range, format string, args ...any) {
	p.ReportSeverityf(p.Rule.Severity, r, format, args...)
}

// ReportSeverityf reports a finding with a severity of the rule's choosing,
// for the rare finding that is weaker than the rule's usual one (an
// analysis that could not decide is information, not a warning).
func (p *Pass) ReportSeverityf(sev diag.Severity, r diag.Range, format string, args ...any) {
	p.found = append(p.found, diag.Diagnostic{
		Code: p.Rule.ID, Severity: sev, Message: fmt.Sprintf(format, args...), Range: r,
	})
}

// ReportRelated reports a finding with a related position, such as the
// other half of an overlap.
func (p *Pass) ReportRelated(r diag.Range, rel []diag.Related, format string, args ...any) {
	p.found = append(p.found, diag.Diagnostic{
		Code: p.Rule.ID, Severity: p.Rule.Severity, Message: fmt.Sprintf(format, args...), Range: r, Related: rel,
	})
}

// Methods yields every method of the API with its resource, in path order.
func (p *Pass) Methods() iter.Seq2[*schema.Resource, *schema.Method] {
	return func(yield func(*schema.Resource, *schema.Method) bool) {
		for _, r := range p.API.Resources {
			for _, m := range r.Methods {
				if !yield(r, m) {
					return
				}
			}
		}
	}
}

// NonProxy yields the methods whose integration maps requests and
// responses itself (MOCK, HTTP and AWS), with the integration.
func (p *Pass) NonProxy() iter.Seq2[*schema.Method, *schema.Integration] {
	return func(yield func(*schema.Method, *schema.Integration) bool) {
		for _, m := range p.Methods() {
			in := m.Integration
			if in == nil || in.Type == "" || in.IsProxy() {
				continue
			}
			if !yield(m, in) {
				return
			}
		}
	}
}

// Generated reports whether a node was made by gwc rather than written by
// the user: CORS expansion and implied resources point at the block that
// caused them. Rules that judge what the user wrote skip such nodes.
func (p *Pass) Generated(n *schema.Node) bool {
	return n == nil || (p.API.CORS != nil && n == p.API.CORS.Src)
}

// Method returns a method of the API by path and verb, or nil.
func (p *Pass) Method(path, verb string) *schema.Method {
	for _, r := range p.API.Resources {
		if r.Path != path {
			continue
		}
		for _, m := range r.Methods {
			if m.Verb == verb {
				return m
			}
		}
	}
	return nil
}

// Resource returns a resource by path, or nil.
func (p *Pass) Resource(path string) *schema.Resource {
	i := slices.IndexFunc(p.API.Resources, func(r *schema.Resource) bool { return r.Path == path })
	if i < 0 {
		return nil
	}
	return p.API.Resources[i]
}

// Cache holds what several rules compute from the same input, so that a
// run computes it once.
type Cache struct {
	values map[string]any
}

// Get returns the value stored under key, computing it with make the first
// time.
func Get[T any](c *Cache, key string, make func() T) T {
	if v, ok := c.values[key]; ok {
		return v.(T)
	}
	v := make()
	if c.values == nil {
		c.values = map[string]any{}
	}
	c.values[key] = v
	return v
}

// Run runs rules over the compiled api of def and returns what they found,
// unfiltered. A rule that panics is reported as an internal error at the
// API rather than taking the run down with it.
func Run(def *schema.Definition, api *schema.API, rules []*Rule) []diag.Diagnostic {
	cache := &Cache{}
	var out []diag.Diagnostic
	for _, r := range rules {
		out = append(out, runOne(def, api, r, cache)...)
	}
	return out
}

func runOne(def *schema.Definition, api *schema.API, r *Rule, cache *Cache) (found []diag.Diagnostic) {
	p := &Pass{Rule: r, Def: def, API: api, Cache: cache}
	defer func() {
		if e := recover(); e != nil {
			found = append(p.found, diag.Diagnostic{
				Code: "INTERNAL", Severity: diag.Error, Range: api.Src.KeyRange(),
				Message: fmt.Sprintf("rule %s failed: %v; please report this", r.ID, e),
			})
		}
	}()
	r.Check(p)
	return p.found
}
