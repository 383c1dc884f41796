package runtime

import (
	"fmt"
	"strings"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/internal/mapexpr"
)

// errType is one of API Gateway's 21 gateway response types (§12.1).
type errType int

// The gateway response types, in the artifact's (alphabetical) order.
const (
	errAccessDenied errType = iota
	errAPIConfiguration
	errAuthorizerConfiguration
	errAuthorizerFailure
	errBadRequestBody
	errBadRequestParameters
	errDefault4XX
	errDefault5XX
	errExpiredToken
	errIntegrationFailure
	errIntegrationTimeout
	errInvalidAPIKey
	errInvalidSignature
	errMissingAuthenticationToken
	errQuotaExceeded
	errRequestTooLarge
	errResourceNotFound
	errThrottled
	errUnauthorized
	errUnsupportedMediaType
	errWAFFiltered
	numErrorTypes
)

// errInfo is what API Gateway says for each type by default: the status,
// the message, the x-amzn-ErrorType header, and, for the errors whose
// default body is observed with a space after the colon, that exact body
// (§12.1, "Body byte format").
var errInfo = [numErrorTypes]struct {
	name, errorType, message string
	status                   int
	literal                  string
}{
	errAccessDenied:               {"ACCESS_DENIED", "AccessDeniedException", "User is not authorized to access this resource", 403, ""},
	errAPIConfiguration:           {"API_CONFIGURATION_ERROR", "InternalServerErrorException", "Internal server error", 500, `{"message": "Internal server error"}`},
	errAuthorizerConfiguration:    {"AUTHORIZER_CONFIGURATION_ERROR", "AuthorizerConfigurationException", "", 500, `{"message": null}`},
	errAuthorizerFailure:          {"AUTHORIZER_FAILURE", "AuthorizerFailureException", "Internal server error", 500, `{"message": "Internal server error"}`},
	errBadRequestBody:             {"BAD_REQUEST_BODY", "BadRequestException", "Invalid request body", 400, ""},
	errBadRequestParameters:       {"BAD_REQUEST_PARAMETERS", "BadRequestException", "", 400, ""},
	errDefault4XX:                 {"DEFAULT_4XX", "", "", 400, ""},
	errDefault5XX:                 {"DEFAULT_5XX", "InternalServerErrorException", "Internal server error", 500, `{"message": "Internal server error"}`},
	errExpiredToken:               {"EXPIRED_TOKEN", "ExpiredTokenException", "The security token included in the request is expired", 403, ""},
	errIntegrationFailure:         {"INTEGRATION_FAILURE", "InternalServerErrorException", "Network error communicating with endpoint", 504, `{"message": "Network error communicating with endpoint"}`},
	errIntegrationTimeout:         {"INTEGRATION_TIMEOUT", "InternalServerErrorException", "Endpoint request timed out", 504, `{"message": "Endpoint request timed out"}`},
	errInvalidAPIKey:              {"INVALID_API_KEY", "ForbiddenException", "Forbidden", 403, ""},
	errInvalidSignature:           {"INVALID_SIGNATURE", "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", 403, ""},
	errMissingAuthenticationToken: {"MISSING_AUTHENTICATION_TOKEN", "MissingAuthenticationTokenException", "Missing Authentication Token", 403, ""},
	errQuotaExceeded:              {"QUOTA_EXCEEDED", "LimitExceededException", "Limit Exceeded", 429, ""},
	errRequestTooLarge:            {"REQUEST_TOO_LARGE", "", "HTTP content length exceeded 10485760 bytes.", 413, ""},
	errResourceNotFound:           {"RESOURCE_NOT_FOUND", "", "Not Found", 404, ""},
	errThrottled:                  {"THROTTLED", "TooManyRequestsException", "Too Many Requests", 429, ""},
	errUnauthorized:               {"UNAUTHORIZED", "UnauthorizedException", "Unauthorized", 401, ""},
	errUnsupportedMediaType:       {"UNSUPPORTED_MEDIA_TYPE", "BadRequestException", "Unsupported Media Type", 415, ""},
	errWAFFiltered:                {"WAF_FILTERED", "", "Forbidden", 403, ""},
}

// gatewayError is an error API Gateway answers itself.
type gatewayError struct {
	typ    errType
	status int // the error's own status
	// message is $context.error.message; null makes messageString null.
	message    string
	null       bool
	validation string // $context.error.validationErrorString
	// reason is logged and shown by gwc invoke, never sent to clients.
	reason string
	// errorType replaces the type's x-amzn-ErrorType when set.
	errorType string
}

func newError(t errType, reason string) *gatewayError {
	i := errInfo[t]
	return &gatewayError{typ: t, status: i.status, message: i.message, null: t == errAuthorizerConfiguration, reason: reason}
}

// gatewayResponse is the prepared configuration of one type.
type gatewayResponse struct {
	status    int // 0: the error's own status
	params    []gatewayParam
	templates []gatewayTemplate
	custom    bool // configured by the definition rather than the default
}

type gatewayParam struct {
	header string
	source mapexpr.Expr
}

// gatewayTemplate is a gateway response template: not Velocity, only
// substitution of $context and $stageVariables references (§12.3).
type gatewayTemplate struct {
	contentType string
	parts       []templatePart
}

type templatePart struct {
	text string
	ref  []string // a reference path such as context, error, messageString
}

func (api *API) loadGatewayResponses(a *artifact.API) error {
	byName := map[string]errType{}
	for t := errType(0); t < numErrorTypes; t++ {
		byName[errInfo[t].name] = t
	}
	for _, g := range a.GatewayResponses {
		t, ok := byName[g.Type]
		if !ok {
			return fmt.Errorf("invalid artifact: unknown gateway response type %q", g.Type)
		}
		gr := gatewayResponse{status: g.Status, custom: g.From != "default"}
		for _, p := range g.Params {
			target, err := mapexpr.ParseTarget(p.Target, mapexpr.GatewayResponse)
			if err != nil {
				return fmt.Errorf("invalid artifact: %s: %w", g.Type, err)
			}
			source, err := mapexpr.ParseSource(p.Source, mapexpr.GatewayResponse)
			if err != nil {
				return fmt.Errorf("invalid artifact: %s: %w", g.Type, err)
			}
			if target.Location == "header" {
				gr.params = append(gr.params, gatewayParam{header: target.Name, source: source})
			}
		}
		for _, tm := range g.Templates {
			gr.templates = append(gr.templates, gatewayTemplate{contentType: strings.ToLower(tm.ContentType), parts: parseSubstitution(tm.Text)})
		}
		api.gateway[t] = gr
	}
	return nil
}

// parseSubstitution splits a gateway response template into text and
// $name.name… references.
func parseSubstitution(s string) []templatePart {
	var parts []templatePart
	text := strings.Builder{}
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			text.WriteByte(s[i])
			continue
		}
		j := i + 1
		braced := j < len(s) && s[j] == '{'
		if braced {
			j++
		}
		start := j
		for j < len(s) && (isRefChar(s[j]) || s[j] == '.' && j+1 < len(s) && isRefChar(s[j+1])) {
			j++
		}
		if j == start || braced && (j >= len(s) || s[j] != '}') {
			text.WriteByte('$')
			continue
		}
		if text.Len() > 0 {
			parts = append(parts, templatePart{text: text.String()})
			text.Reset()
		}
		parts = append(parts, templatePart{ref: strings.Split(s[start:j], ".")})
		if braced {
			j++
		}
		i = j - 1
	}
	if text.Len() > 0 {
		parts = append(parts, templatePart{text: text.String()})
	}
	return parts
}

func isRefChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}
