// Command sleep is a Lambda function that sleeps as long as its event
// says ({"ms": 500}) and answers {"pid": …}. INIT_SLEEP_MS makes its init
// that slow.
package main

import (
	"context"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	if ms, _ := strconv.Atoi(os.Getenv("INIT_SLEEP_MS")); ms > 0 {
		time.Sleep(time.Duration(ms) * time.Millisecond)
	}
	lambda.Start(func(ctx context.Context, event struct{ MS int }) (map[string]int, error) {
		time.Sleep(time.Duration(event.MS) * time.Millisecond)
		return map[string]int{"pid": os.Getpid()}, nil
	})
}
