// Command oom is a Lambda function that allocates memory, and touches it,
// in steps until it holds 512 MB (a bound that keeps a failed test from
// hurting the machine), then sleeps.
package main

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

var held [][]byte

func main() {
	lambda.Start(func(ctx context.Context) (string, error) {
		for len(held) < 64 {
			b := make([]byte, 8<<20)
			for i := range b {
				b[i] = byte(i)
			}
			held = append(held, b)
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Minute)
		return "survived", nil
	})
}
