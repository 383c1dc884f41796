package runtime

import (
	"context"
	"errors"
	"time"
)

// The interfaces below are what the runtime needs from the world outside
// the artifact: running Lambda functions, verifying tokens and signatures,
// and keeping usage-plan state. Plugins implement them (plugins/…); the
// command line wires them in one place. The runtime keeps API Gateway's
// own logic (events, policies, caching, throttling order, answers) and
// asks plugins only for what differs between a laptop and AWS.

// Functions invokes Lambda functions: AWS_PROXY and AWS integrations and
// Lambda authorizers.
type Functions interface {
	Invoke(ctx context.Context, call *FunctionCall) (*FunctionResult, error)
}

// FunctionCall is one synchronous (or, with Async, event) invocation.
type FunctionCall struct {
	// ARN is the function's ARN as the integration or authorizer URI
	// names it, stage variables substituted:
	// arn:aws:lambda:us-east-1:123456789012:function:name[:qualifier].
	ARN string
	// Payload is the event, JSON.
	Payload []byte
	// SourceARN is the execute-api ARN API Gateway invokes as
	// (X-Amz-Source-Arn).
	SourceARN string
	// Async asks for an Event invocation (X-Amz-Invocation-Type: Event):
	// the function runs, nobody waits for its result.
	Async bool
	// Timeout bounds the invocation; past it the Functions return
	// ErrTimeout.
	Timeout time.Duration
}

// FunctionResult is what an invocation returned.
type FunctionResult struct {
	// Payload is the function's result, or its error document
	// ({"errorMessage": …, "errorType": …}) when it failed.
	Payload []byte
	// FunctionError is "Unhandled" or "Handled" when the function failed
	// (the X-Amz-Function-Error header of the Invoke API), "" otherwise.
	FunctionError string
}

// ErrPayloadTooLarge is returned for an event larger than Lambda accepts
// (6 MB synchronous): a Lambda proxy integration answers 502, a custom one
// 500 (§15.1).
var ErrPayloadTooLarge = errors.New("payload is too large for the invocation type")

// ErrFunctionNotFound is returned for a function that is not configured
// or does not exist: API Gateway answers 500.
var ErrFunctionNotFound = errors.New("function not found")

// TokenVerifier verifies JSON Web Tokens issued by Cognito user pools.
type TokenVerifier interface {
	// VerifyToken checks a token's signature against the keys of the
	// user pools named by providerARNs, its expiry and its issuer (one of
	// the pools), and returns its claims. Any failure is an error; the
	// runtime answers 401 whatever it is.
	VerifyToken(ctx context.Context, token string, providerARNs []string) (map[string]any, error)
}

// SignatureVerifier verifies AWS Signature Version 4 on requests to
// AWS_IAM methods.
type SignatureVerifier interface {
	VerifySignature(ctx context.Context, r *SignedRequest) (*Caller, error)
}

// SignedRequest is a request as SigV4 signed it.
type SignedRequest struct {
	Method string
	// Path is the raw request path, stage included; RawQuery the raw
	// query string.
	Path, RawQuery string
	// Header holds the request's header, names as the client wrote them.
	Header []Field
	Body   []byte
	// Region and Service are what the signature must be scoped to.
	Region, Service string
	Now             time.Time
}

// Caller is who signed a request, for $context.identity.
type Caller struct {
	AccountID, Caller, User, UserARN, AccessKey, PrincipalOrgID string
}

// The errors a SignatureVerifier returns, each with API Gateway's answer
// (§4.2): a signature that does not match (INVALID_SIGNATURE), an expired
// one (EXPIRED_TOKEN), and an access key nobody knows (403 with the
// security-token message).
var (
	ErrSignatureMismatch = errors.New("the request signature does not match")
	ErrSignatureExpired  = errors.New("the signature has expired")
	ErrUnknownAccessKey  = errors.New("the access key is not known")
)

// UsageStore keeps the state of throttles and quotas. The in-memory store
// serves one process; a shared store (Redis) lets several gwc serve
// processes enforce one usage plan exactly.
type UsageStore interface {
	// Allow takes one token from the bucket named key, which holds at
	// most burst tokens and refills at rate tokens per second, and
	// reports whether there was one.
	Allow(ctx context.Context, key string, rate float64, burst int, now time.Time) (bool, error)
	// Count counts one request against the quota named key (which names
	// its period), allowing limit requests; the count may be forgotten
	// after expires. It reports whether the request is within the limit;
	// a request over it is not counted.
	Count(ctx context.Context, key string, limit int64, expires time.Time) (bool, error)
}
