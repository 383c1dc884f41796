// Command counter is a Lambda function that counts the invocations its
// process served and answers {"pid": …, "invocations": …}: a count above 1
// from the same process is a warm start. It logs each invocation on
// stdout.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

var invocations int

func main() {
	lambda.Start(func(ctx context.Context) (map[string]int, error) {
		invocations++
		fmt.Printf("invocation %d\n", invocations)
		return map[string]int{"pid": os.Getpid(), "invocations": invocations}, nil
	})
}
