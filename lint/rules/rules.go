// Package rules holds gwc's lint rules, one file per rule with its
// documentation beside it (RULE_ID in lower case, .md) and its cases under
// testdata/RULE_ID. All lists them; nothing registers itself.
package rules

import (
	"embed"
	"strings"

	"gwc.dev/gwc/lint"
)

//go:embed *.md
var docs embed.FS

// all is every rule, in the order the reference lists them within a
// category.
var all = []*lint.Rule{
	selectionPatternUnreachable,
	selectionPatternOverlap,
	selectionPatternNeverMatches,
	lambdaSelectionSubject,
	missingDefaultResponse,
	selectionPatternGlob,
	selectionPatternDotNewline,
	selectionPatternRedundantAnchor,
	javaRegexDialect,
	passthroughUnsupportedMediaType,
	passthroughWhenNoMatch,
	templateUndeclaredParameter,
	templateInvalidJSONPath,
	methodResponseUnreachable,
	responseHeaderNeverSet,
	responseTemplatesNoJSON,
	responseContentTypeUnmapped,
	remappedResponseHeader,
	forbiddenRequestHeaderMapping,
	mockWithoutStatusCode,
	preflightAuthorized,
	gatewayResponseNoCORS,
	corsWildcardCredentials,
	authorizerHeaderNotAllowed,
	proxySiblingFallthrough,
	rootProxyWithoutRootMethod,
	pingPathReserved,
	authorizerCacheShared,
	apiKeyWithoutUsagePlan,
	apiKeySourceWithoutAuthorizer,
	stageVariableUndefined,
	timeoutAboveQuota,
	serviceQuota,
	methodSettingEmpty,
	cacheKeyMissingParameter,
	unvalidatedRequest,
	validatorWithoutEffect,
	writeWithoutAuthorization,
	stageLoggingOff,
	stageMetricsOff,
	stageNoThrottling,
	dataTraceEnabled,
	cacheUnencrypted,
	cacheInvalidationUnauthorized,
	plaintextHTTPBackend,
	tlsVerificationDisabled,
	domainTLS10,
	unusedDefinition,
}

// All returns every rule, each with its documentation.
func All() []*lint.Rule {
	for _, r := range all {
		if r.Doc == "" {
			b, err := docs.ReadFile(strings.ToLower(r.ID) + ".md")
			if err == nil {
				r.Doc = string(b)
			}
		}
	}
	return all
}

// ByID returns the rule with an ID, or nil.
func ByID(id string) *lint.Rule {
	for _, r := range All() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
