// Command authorizer is the serverless example's TOKEN authorizer:
// "Bearer allow-<user>" is allowed on the whole API, "Bearer deny-…" is
// denied explicitly, anything else is Unauthorized.
package main

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, ev events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	token := strings.TrimPrefix(ev.AuthorizationToken, "Bearer ")
	effect := ""
	switch {
	case strings.HasPrefix(token, "allow-"):
		effect = "Allow"
	case strings.HasPrefix(token, "deny-"):
		effect = "Deny"
	default:
		// The exact message API Gateway turns into a 401.
		return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
	}
	// arn:aws:execute-api:region:account:api/stage/VERB/path: allow every
	// method of the API, so that the cached answer fits any request.
	arn, _, _ := strings.Cut(ev.MethodArn, "/")
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: strings.SplitN(token, "-", 2)[1],
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
			Version: "2012-10-17",
			Statement: []events.IAMPolicyStatement{{
				Action:   []string{"execute-api:Invoke"},
				Effect:   effect,
				Resource: []string{arn + "/*"},
			}},
		},
		Context: map[string]any{"tenant": "acme"},
	}, nil
}

func main() { lambda.Start(handle) }
