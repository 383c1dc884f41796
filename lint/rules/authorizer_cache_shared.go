package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var authorizerCacheShared = &lint.Rule{
	ID:       "AUTHORIZER_CACHE_SHARED",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "A caching Lambda authorizer shared by several methods, whose cached policy then decides for methods it was not built for",
	Check:    checkAuthorizerCache,
}

func checkAuthorizerCache(p *lint.Pass) {
	users := map[string][]string{}
	for r, m := range p.Methods() {
		if m.Authorizer != "" {
			users[m.Authorizer] = append(users[m.Authorizer], m.Verb+" "+r.Path)
		}
	}
	for _, a := range p.API.Authorizers {
		if a.TTL == 0 || a.Type == "COGNITO_USER_POOLS" || len(users[a.Name]) < 2 || perMethodKey(a) {
			continue
		}
		at := schema.At(a.Src, "ttl")
		p.Reportf(at, "authorizer %s caches its result for %d s by identity only, and %d methods use it (%s, ...): a policy that allows only the event's methodArn, as many examples return, is reused for the caller's next call to another method, which then gets 403; return a policy covering every method (arn:...:api-id/stage/*/*), or set ttl: 0, or add context.resourcePath and context.httpMethod to a REQUEST authorizer's identity sources",
			a.Name, a.TTL, len(users[a.Name]), strings.Join(users[a.Name][:2], ", "))
	}
}

// perMethodKey reports whether a REQUEST authorizer's cache key includes
// the method, so that cached results are per method.
func perMethodKey(a *schema.Authorizer) bool {
	if a.Type != "REQUEST" {
		return false
	}
	for _, s := range a.IdentitySources {
		if s == "context.resourcePath" || s == "context.resourceId" || s == "context.path" {
			return true
		}
	}
	return false
}
