// Command context is a Lambda function that answers with what Lambda gave
// it: its environment, its invocation context and its deadline.
package main

import (
	"context"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type answer struct {
	Env           map[string]string `json:"env"`
	RequestID     string            `json:"requestId"`
	FunctionARN   string            `json:"functionArn"`
	DeadlineMS    int64             `json:"deadlineMs"`
	TraceID       string            `json:"traceId"`
	ClientContext map[string]string `json:"clientContext"`
	Cwd           string            `json:"cwd"`
}

func main() {
	lambda.Start(func(ctx context.Context) (*answer, error) {
		a := &answer{Env: map[string]string{}}
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			a.Env[k] = v
		}
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			a.RequestID = lc.AwsRequestID
			a.FunctionARN = lc.InvokedFunctionArn
			a.ClientContext = lc.ClientContext.Custom
		}
		if d, ok := ctx.Deadline(); ok {
			a.DeadlineMS = d.UnixMilli()
		}
		a.TraceID, _ = ctx.Value("x-amzn-trace-id").(string)
		a.Cwd, _ = os.Getwd()
		return a, nil
	})
}
