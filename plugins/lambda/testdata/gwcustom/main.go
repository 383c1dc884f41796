// Command gwcustom is a Lambda function for a custom (AWS) integration:
// it fails with the event's "fail" message, or returns "Pass".
package main

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/lambda"
)

type event struct {
	Fail string `json:"fail"`
}

func main() {
	lambda.Start(func(_ context.Context, ev event) (string, error) {
		if ev.Fail != "" {
			return "", errors.New(ev.Fail)
		}
		return "Pass", nil
	})
}
