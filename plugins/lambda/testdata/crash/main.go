// Command crash is a Lambda function whose process exits with the status
// its event names ({"exit": 3}), or answers {"pid": …} when it names none.
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, event struct{ Exit int }) (map[string]int, error) {
		if event.Exit != 0 {
			os.Exit(event.Exit)
		}
		return map[string]int{"pid": os.Getpid()}, nil
	})
}
