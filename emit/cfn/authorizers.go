package cfn

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"gwc.dev/gwc/schema"
)

// authorizers adds every authorizer. Identity sources become AWS's
// comma-separated string; the result TTL applies to Lambda authorizers
// only (TOKEN and REQUEST), so it is left out for Cognito ones.
func (e *emitter) authorizers() {
	for _, a := range e.api.Authorizers {
		id := e.id(authorizerKey(a.Name))
		r := &apigateway.Authorizer{
			Name:                         a.Name,
			Type:                         a.Type,
			RestApiId:                    e.ref(apiID),
			AuthorizerUri:                e.subPtr(a.URI, use{id, "AuthorizerUri", schema.At(a.Src, "uri")}),
			AuthorizerCredentials:        e.subPtr(a.Credentials, use{id, "AuthorizerCredentials", schema.At(a.Src, "credentials")}),
			IdentitySource:               text(strings.Join(a.IdentitySources, ", ")),
			IdentityValidationExpression: text(a.IdentityValidationExpression),
			ProviderARNs:                 e.subAll(sortedUnique(a.ProviderARNs), use{id, "ProviderARNs", schema.At(a.Src, "providerARNs")}),
		}
		if a.Type == "TOKEN" || a.Type == "REQUEST" {
			ttl := a.TTL
			r.AuthorizerResultTtlInSeconds = &ttl
		}
		e.add(id, r)
	}
}

// requestValidators adds every request validator.
func (e *emitter) requestValidators() {
	for _, v := range e.api.RequestValidators {
		body, params := v.Body, v.Params
		e.add(e.id(validatorKey(v.Name)), &apigateway.RequestValidator{
			Name:                      text(v.Name),
			RestApiId:                 e.ref(apiID),
			ValidateRequestBody:       &body,
			ValidateRequestParameters: &params,
		})
	}
}
