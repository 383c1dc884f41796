package lint

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// Options are the inputs of a lint run besides the definition.
type Options struct {
	// Rules is every registered rule; the configuration picks which run.
	Rules []*Rule
	// Config is the merged configuration; nil means the defaults.
	Config *Config
	// Baseline, when set, drops the findings it accepts.
	Baseline *Baseline
}

// Lint runs the enabled rules over the compiled api of def and adds what
// they found to ds, after the configuration's severities and ignores,
// the inline ignores and the baseline have had their say. Malformed
// inline ignores are errors in ds; an ignore that ignores nothing is a
// warning, so that stale ignores do not pile up.
func Lint(def *schema.Definition, api *schema.API, opts Options, ds *diag.Set) {
	cfg := opts.Config
	if cfg == nil {
		cfg = &Config{}
	}
	enabled := cfg.Enabled(opts.Rules)
	byID := map[string]*Rule{}
	for _, r := range opts.Rules {
		byID[r.ID] = r
	}
	found := Run(def, api, enabled)
	directives := Directives(def, opts.Rules, ds)
	var resources *resourceIndex
	resourceOf := func(p diag.Pos) string {
		if resources == nil {
			resources = newResourceIndex(api)
		}
		return resources.at(p)
	}
	var kept []diag.Diagnostic
	for _, d := range found {
		r := byID[d.Code]
		if r != nil {
			if s, ok := cfg.Severity[r.ID]; ok && d.Severity == r.Severity {
				d.Severity = s
			}
			if cfg.ignored(d, r, resourceOf) {
				continue
			}
		}
		if ignoredInline(d, directives) {
			continue
		}
		kept = append(kept, d)
	}
	on := map[string]bool{}
	for _, r := range enabled {
		on[r.ID] = true
	}
	for _, dir := range directives {
		if dir.used || !allOn(dir.Rules, on) {
			continue
		}
		ds.Warnf(dir.At, CodeIgnore, "this ignore of %s matches no finding; remove it", joinIDs(dir.Rules))
	}
	if opts.Baseline != nil {
		kept = opts.Baseline.Filter(kept, def.Source)
	}
	ds.Add(kept...)
}

func ignoredInline(d diag.Diagnostic, directives []*Directive) bool {
	hit := false
	for _, dir := range directives {
		if dir.covers(d) {
			dir.used = true
			hit = true
		}
	}
	return hit
}

func allOn(ids []string, on map[string]bool) bool {
	for _, id := range ids {
		if !on[id] {
			return false
		}
	}
	return true
}

func joinIDs(ids []string) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ","
		}
		s += id
	}
	return s
}

// resourceIndex finds the resource whose definition holds a position, for
// ignores by resource path.
type resourceIndex struct {
	spans []resourceSpan
}

type resourceSpan struct {
	path string
	span span
}

func newResourceIndex(api *schema.API) *resourceIndex {
	x := &resourceIndex{}
	idx := newSpanIndex()
	for _, r := range api.Resources {
		if r.Src == nil || r.Src == api.Src || (api.CORS != nil && r.Src == api.CORS.Src) {
			continue
		}
		x.spans = append(x.spans, resourceSpan{path: r.Path, span: idx.visit(r.Src)})
	}
	return x
}

// at returns the path of the innermost resource whose definition holds p.
// The parents a path implies share its node, so among equal spans the
// longest path is the one written.
func (x *resourceIndex) at(p diag.Pos) string {
	best := ""
	var bestFrom diag.Pos
	for _, rs := range x.spans {
		if rs.span.from.File != p.File || p.Compare(rs.span.from) < 0 || p.Compare(rs.span.to) > 0 {
			continue
		}
		c := rs.span.from.Compare(bestFrom)
		if best == "" || c > 0 || (c == 0 && len(rs.path) > len(best)) {
			best, bestFrom = rs.path, rs.span.from
		}
	}
	return best
}
