package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var cacheInvalidationUnauthorized = &lint.Rule{
	ID:       "CACHE_INVALIDATION_UNAUTHORIZED",
	Category: lint.Security,
	Severity: diag.Warning,
	Summary:  "Response caching that lets any client flush the cache with Cache-Control: max-age=0",
	Check: func(p *lint.Pass) {
		for _, s := range declaredStages(p) {
			if !s.CacheClusterEnabled {
				continue
			}
			for _, ms := range s.MethodSettings {
				if ms.CachingEnabled != nil && *ms.CachingEnabled && ms.CacheRequireAuth != nil && !*ms.CacheRequireAuth {
					p.Reportf(schema.At(ms.Src, "caching", "requireAuthorization"), "stage %s lets any client invalidate cached responses of %q with Cache-Control: max-age=0, which turns the cache off for anyone who asks and sends every request to the backend; set requireAuthorization: true", s.Name, ms.Src.Key)
				}
			}
		}
	},
}
