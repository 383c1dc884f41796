// Command gwproxy is a Lambda proxy function for the gateway tests: it
// answers 201 with the path, the query and the authorizer's principal.
package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{
			StatusCode:        201,
			MultiValueHeaders: map[string][]string{"X-Multi": {"a", "b"}},
			Body:              fmt.Sprintf("%s %s %v %v", req.HTTPMethod, req.Path, req.QueryStringParameters["q"], req.RequestContext.Authorizer["principalId"]),
		}, nil
	})
}
