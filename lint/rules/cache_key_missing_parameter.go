package rules

import (
	"slices"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var cacheKeyMissingParameter = &lint.Rule{
	ID:       "CACHE_KEY_MISSING_PARAMETER",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A cached method whose query string or header parameters are not part of the cache key, so callers get each other's responses",
	Check:    checkCacheKeys,
}

func checkCacheKeys(p *lint.Pass) {
	for r, m := range p.Methods() {
		in := m.Integration
		if in == nil || p.Generated(m.Src) {
			continue
		}
		stages := cachingStages(p.API, r.Path, m.Verb)
		if len(stages) == 0 {
			continue
		}
		for _, rp := range m.RequestParams {
			if rp.Location == "path" || slices.Contains(in.CacheKeyParameters, rp.Expr()) {
				continue
			}
			if p.Generated(rp.Src) || rp.Src == m.Src {
				continue
			}
			p.Reportf(rp.Src.KeyRange(), "%s %s is cached on stage %s, but %s is not in the integration's cacheKeyParameters: a response for one value is served for every other value until it expires; add %s to cacheKeyParameters",
				m.Verb, r.Path, strings.Join(stages, ", "), rp.Expr(), rp.Expr())
		}
	}
}

// cachingStages returns the stages that cache a method: a cache cluster,
// and caching turned on for the method by its own setting or by */*.
// GET is cached by */* caching; other verbs only by their own setting.
func cachingStages(a *schema.API, path, verb string) []string {
	var out []string
	for _, s := range a.Stages {
		if !s.CacheClusterEnabled {
			continue
		}
		on := false
		for _, ms := range s.MethodSettings {
			if ms.CachingEnabled == nil {
				continue
			}
			switch {
			case ms.ResourcePath == path && (ms.Verb == verb || ms.Verb == "*"):
				on = *ms.CachingEnabled
			case ms.ResourcePath == "*" && verb == "GET" && !hasOwnCaching(s, path, verb):
				on = *ms.CachingEnabled
			}
		}
		if on {
			out = append(out, s.Name)
		}
	}
	return out
}

func hasOwnCaching(s *schema.Stage, path, verb string) bool {
	for _, ms := range s.MethodSettings {
		if ms.ResourcePath == path && (ms.Verb == verb || ms.Verb == "*") && ms.CachingEnabled != nil {
			return true
		}
	}
	return false
}
