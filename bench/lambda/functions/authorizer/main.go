// Command authorizer is the Lambda benchmark's TOKEN authorizer: it
// allows every token on every method of the API (its ARN with /*), so
// that API Gateway's cached result fits every later request with the same
// token, as bench/lambda/sls/handler.js's authorizer does.
package main

import (
	"context"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, ev events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	// arn:aws:execute-api:region:account:api-id/stage/VERB/path
	api, _, _ := strings.Cut(ev.MethodArn, "/")
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: "bench-user",
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
			Version: "2012-10-17",
			Statement: []events.IAMPolicyStatement{{
				Action:   []string{"execute-api:Invoke"},
				Effect:   "Allow",
				Resource: []string{api + "/*"},
			}},
		},
	}, nil
}

func main() { lambda.Start(handle) }
