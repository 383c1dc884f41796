package rules

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var cacheUnencrypted = &lint.Rule{
	ID:       "CACHE_UNENCRYPTED",
	Category: lint.Security,
	Severity: diag.Info,
	Summary:  "Response caching without encryption of the cached data",
	Check: func(p *lint.Pass) {
		for _, s := range declaredStages(p) {
			if !s.CacheClusterEnabled {
				continue
			}
			for _, ms := range s.MethodSettings {
				if ms.CachingEnabled != nil && *ms.CachingEnabled && (ms.CacheEncrypted == nil || !*ms.CacheEncrypted) {
					p.Reportf(schema.At(ms.Src, "caching", "enabled"), "stage %s caches responses of %q unencrypted; cached responses often hold personal data: set caching: {encrypted: true}", s.Name, ms.Src.Key)
				}
			}
		}
	},
}
