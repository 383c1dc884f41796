package lambda

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"gwc.dev/gwc/runtime"
)

// remote invokes functions through the Lambda Invoke API: AWS itself
// (endpoint empty) or an endpoint that speaks the API.
type remote struct {
	client   *lambdasdk.Client
	endpoint string
	region   string
}

// newRemote builds the Invoke API client. For a loopback endpoint (sam
// local start-lambda, gwc's own Invoke API) it signs with dummy
// credentials, which such endpoints accept, so that no real credentials
// are looked up or leave the machine; for AWS, or any other endpoint, it
// uses the default credential chain (environment, shared files, SSO,
// container and instance roles).
func newRemote(endpoint, region string) (*remote, error) {
	rm := &remote{endpoint: endpoint}
	// An invocation is not idempotent: the client never retries it, as
	// API Gateway does not.
	noRetry := func() aws.Retryer { return aws.NopRetryer{} }
	var cfg aws.Config
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("lambda endpoint %q: want a URL such as http://127.0.0.1:3001", endpoint)
		}
		if region == "" {
			region = DefaultRegion
		}
		if isLoopback(u.Hostname()) {
			cfg = aws.Config{Region: region, Retryer: noRetry,
				Credentials: credentials.NewStaticCredentialsProvider("gwc", "gwc", "")}
		}
	}
	if cfg.Credentials == nil {
		opts := []func(*config.LoadOptions) error{config.WithRetryer(noRetry)}
		if region != "" {
			opts = append(opts, config.WithRegion(region))
		}
		var err error
		cfg, err = config.LoadDefaultConfig(context.Background(), opts...)
		if err != nil {
			return nil, fmt.Errorf("aws configuration: %w", err)
		}
	}
	rm.region = cfg.Region
	rm.client = lambdasdk.NewFromConfig(cfg, func(o *lambdasdk.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	return rm, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// invoke makes one Invoke call. AWS gets the function's ARN as the call
// names it and is called in the function's region; another endpoint gets
// the function's name (and qualifier), since tools such as sam local
// start-lambda know functions by name only.
func (rm *remote) invoke(ctx context.Context, call *runtime.FunctionCall) (*runtime.FunctionResult, error) {
	in := &lambdasdk.InvokeInput{FunctionName: aws.String(call.ARN), Payload: call.Payload}
	var optFns []func(*lambdasdk.Options)
	if rm.endpoint != "" {
		name, qualifier := splitRef(call.ARN)
		in.FunctionName = aws.String(name)
		if qualifier != "" {
			in.Qualifier = aws.String(qualifier)
		}
	} else if region := arnRegion(call.ARN); region != "" && region != rm.region {
		optFns = append(optFns, func(o *lambdasdk.Options) { o.Region = region })
	}
	if call.Async {
		in.InvocationType = types.InvocationTypeEvent
	}
	callCtx := ctx
	if call.Timeout > 0 {
		var cancel context.CancelFunc
		callCtx, cancel = context.WithTimeout(ctx, call.Timeout)
		defer cancel()
	}
	out, err := rm.client.Invoke(callCtx, in, optFns...)
	if err != nil {
		var (
			notFound *types.ResourceNotFoundException
			tooLarge *types.RequestTooLargeException
		)
		switch {
		case errors.As(err, &notFound):
			return nil, fmt.Errorf("%w: %s", runtime.ErrFunctionNotFound, notFound.ErrorMessage())
		case errors.As(err, &tooLarge):
			return nil, fmt.Errorf("%w: %s", ErrRequestTooLarge, tooLarge.ErrorMessage())
		case ctx.Err() == nil && errors.Is(callCtx.Err(), context.DeadlineExceeded):
			return nil, runtime.ErrTimeout
		case ctx.Err() != nil:
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("invoking %s: %w", call.ARN, err)
	}
	res := &runtime.FunctionResult{Payload: out.Payload}
	if out.FunctionError != nil {
		res.FunctionError = *out.FunctionError
	}
	return res, nil
}

// arnRegion is the region of a function ARN, "" for a name.
func arnRegion(arn string) string {
	if !strings.HasPrefix(arn, "arn:") {
		return ""
	}
	p := strings.SplitN(arn, ":", 5)
	if len(p) < 5 {
		return ""
	}
	return p[3]
}
