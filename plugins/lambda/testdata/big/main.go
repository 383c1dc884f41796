// Command big is a Lambda function that answers with a JSON string of as
// many bytes as its event asks for ({"n": 7000000}).
package main

import (
	"context"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, event struct{ N int }) (string, error) {
		return strings.Repeat("x", event.N), nil
	})
}
