// Command panic is a Lambda function whose handler panics.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context) error {
		panic("oh no")
	})
}
