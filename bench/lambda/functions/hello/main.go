// Command hello is the Lambda benchmark's proxy function: a small JSON
// body, the same whatever the request, as bench/lambda/sls/handler.js's
// hello answers.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, _ events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       `{"message":"hello from Lambda"}`,
	}, nil
}

func main() { lambda.Start(handle) }
