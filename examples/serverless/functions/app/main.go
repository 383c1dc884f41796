// Command app is the serverless example's Lambda proxy function: it
// answers with what API Gateway told it about the request.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	out := map[string]any{
		"message":  "hello from Lambda",
		"resource": req.Resource,
		"path":     req.Path,
		"method":   req.HTTPMethod,
	}
	if p := req.RequestContext.Authorizer["principalId"]; p != nil {
		out["principal"] = p
		out["tenant"] = req.RequestContext.Authorizer["tenant"]
	}
	if id := req.RequestContext.Identity.APIKeyID; id != "" {
		out["apiKeyId"] = id
	}
	body, err := json.Marshal(out)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return events.APIGatewayProxyResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}, nil
}

func main() { lambda.Start(handle) }
