// Command initexit is a Lambda function that fails during init: it exits
// before it starts its handler, as a function does when, say, its
// configuration is missing.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	log.Fatal("cannot read configuration")
	lambda.Start(func(ctx context.Context) error { return nil })
}
