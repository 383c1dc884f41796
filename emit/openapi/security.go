package openapi

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"gwc.dev/gwc/schema"
)

// componentNameRE is what OpenAPI allows as the name of a component.
var componentNameRE = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// securitySchemes writes one scheme per authorizer, named after it, and
// the schemes for API keys and IAM when some method uses them, as AWS's
// exports write them: every scheme is of type apiKey; an authorizer's
// scheme carries x-amazon-apigateway-authorizer, IAM's carries
// x-amazon-apigateway-authtype: awsSigv4, and the API key's is the
// x-api-key header.
func (e *exporter) securitySchemes() openapi3.SecuritySchemes {
	out := openapi3.SecuritySchemes{}
	for _, a := range e.api.Authorizers {
		if !componentNameRE.MatchString(a.Name) {
			e.errorf(a.Src, "authorizer %q cannot be exported: an OpenAPI security scheme name may use only letters, digits, '.', '_' and '-'", a.Name)
			continue
		}
		out[a.Name] = &openapi3.SecuritySchemeRef{Value: authorizerScheme(a)}
	}
	apiKey, iam := false, false
	for _, r := range e.api.Resources {
		for _, m := range r.Methods {
			apiKey = apiKey || m.APIKeyRequired
			iam = iam || m.Authorization == "AWS_IAM"
		}
	}
	if apiKey {
		e.apiKeyScheme = freeName("api_key", out)
		out[e.apiKeyScheme] = &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
			Type: "apiKey", Name: "x-api-key", In: "header",
		}}
	}
	if iam {
		e.iamScheme = freeName("sigv4", out)
		out[e.iamScheme] = &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
			Type: "apiKey", Name: "Authorization", In: "header",
			Extensions: map[string]any{awsExt + "authtype": "awsSigv4"},
		}}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// freeName returns base, or base_2, base_3, ... when an authorizer has
// that name already.
func freeName(base string, taken openapi3.SecuritySchemes) string {
	name := base
	for i := 2; taken[name] != nil; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	return name
}

// authorizerScheme writes an authorizer as AWS's exports do. The scheme's
// name and in say where the identity comes from when it is one header
// (TOKEN and Cognito authorizers, whose identity source the importer
// derives from them) or one header or query string parameter (REQUEST);
// a REQUEST authorizer with several sources names them in identitySource
// and its scheme is the header "Unused".
func authorizerScheme(a *schema.Authorizer) *openapi3.SecurityScheme {
	s := &openapi3.SecurityScheme{Type: "apiKey", Name: "Unused", In: "header", Extensions: map[string]any{}}
	az := map[string]any{"type": strings.ToLower(a.Type)}
	authType := "custom"
	one := ""
	if len(a.IdentitySources) == 1 {
		one = a.IdentitySources[0]
	}
	switch a.Type {
	case "TOKEN", "COGNITO_USER_POOLS":
		if a.Type == "COGNITO_USER_POOLS" {
			authType = "cognito_user_pools"
		}
		if h, ok := strings.CutPrefix(one, "method.request.header."); ok {
			s.Name = h
		} else if len(a.IdentitySources) > 0 {
			az["identitySource"] = strings.Join(a.IdentitySources, ", ")
		}
	default:
		if h, ok := strings.CutPrefix(one, "method.request.header."); ok {
			s.Name = h
		} else if q, ok := strings.CutPrefix(one, "method.request.querystring."); ok {
			s.Name, s.In = q, "query"
		}
		if len(a.IdentitySources) > 0 {
			az["identitySource"] = strings.Join(a.IdentitySources, ", ")
		}
	}
	setString(az, "authorizerUri", a.URI)
	setString(az, "authorizerCredentials", a.Credentials)
	setString(az, "identityValidationExpression", a.IdentityValidationExpression)
	az["authorizerResultTtlInSeconds"] = a.TTL
	if len(a.ProviderARNs) > 0 {
		az["providerARNs"] = a.ProviderARNs
	}
	s.Extensions[awsExt+"authtype"] = authType
	s.Extensions[awsExt+"authorizer"] = az
	return s
}
