// Package lambda runs the Lambda functions an API calls, for the runtime's
// Functions interface. A function runs either as a local process that
// speaks the Lambda Runtime API, the protocol every Lambda runtime speaks
// (so a handler built with aws-lambda-go, or any other runtime interface
// client, runs unchanged), or through the Lambda Invoke API at an endpoint:
// AWS itself, or anything that speaks the Invoke API, such as
// sam local start-lambda.
//
// Where functions run is serving configuration, never part of the
// artifact: the Config says which functions are local and where the
// others go.
package lambda

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"gwc.dev/gwc/runtime"
)

// Config says where functions run.
type Config struct {
	// Functions run as local processes.
	Functions []LocalFunction `json:"functions,omitempty" yaml:"functions,omitempty"`
	// Endpoint is the Invoke API endpoint every other function is sent
	// to, such as http://127.0.0.1:3001 for sam local start-lambda.
	Endpoint string `json:"endpoint,omitempty" yaml:"endpoint,omitempty"`
	// AWS sends every other function to AWS Lambda itself, in the
	// function's region, with the default credential chain, when no
	// Endpoint is given. Without it (and without an Endpoint) a function
	// that is not local is not found: a laptop never reaches AWS unless
	// asked to.
	AWS bool `json:"aws,omitempty" yaml:"aws,omitempty"`
	// Region is the region local functions see (AWS_REGION) and the
	// region of the Invoke API endpoint; us-east-1 when empty.
	Region string `json:"region,omitempty" yaml:"region,omitempty"`
	// AccountID completes the ARNs of local functions called by name;
	// 123456789012 when empty.
	AccountID string `json:"account_id,omitempty" yaml:"account_id,omitempty"`
	// Log receives the output of local functions, each line prefixed
	// with the function's name, and the platform's START, END and REPORT
	// lines, as CloudWatch Logs would show them; os.Stderr when nil.
	Log io.Writer `json:"-" yaml:"-"`
}

// LocalFunction is a function run as a local process.
type LocalFunction struct {
	// Name is the function's name, or its full ARN; it matches calls
	// whose ARN names this function, with any qualifier.
	Name string `json:"name" yaml:"name"`
	// Command is the executable and its arguments: the function's
	// bootstrap. A string is split into words as a shell would, without
	// expanding anything.
	Command Argv `json:"command" yaml:"command"`
	// Env is added to the environment Lambda gives a function.
	Env map[string]string `json:"env,omitempty" yaml:"env,omitempty"`
	// Memory is the function's memory size in MB (default 128); an
	// instance whose resident memory grows past it is killed, as Lambda
	// does.
	Memory int `json:"memory,omitempty" yaml:"memory,omitempty"`
	// Timeout is the function's timeout (default 3s, Lambda's default).
	Timeout Duration `json:"timeout,omitempty" yaml:"timeout,omitempty"`
	// InitTimeout bounds an instance's start, until its runtime first
	// asks for an invocation (default 10s, Lambda's init limit).
	InitTimeout Duration `json:"init_timeout,omitempty" yaml:"init_timeout,omitempty"`
	// Concurrency is the most instances that run at once (default 10);
	// calls beyond it wait for a free instance.
	Concurrency int `json:"concurrency,omitempty" yaml:"concurrency,omitempty"`
	// Dir is the working directory and LAMBDA_TASK_ROOT (default: the
	// current directory).
	Dir string `json:"dir,omitempty" yaml:"dir,omitempty"`
	// Handler is the function's handler setting, _HANDLER (default: the
	// command's base name).
	Handler string `json:"handler,omitempty" yaml:"handler,omitempty"`
}

// Defaults for a LocalFunction, Lambda's where Lambda has one.
const (
	DefaultMemory      = 128
	DefaultTimeout     = 3 * time.Second
	DefaultInitTimeout = 10 * time.Second
	DefaultConcurrency = 10
	DefaultRegion      = "us-east-1"
	DefaultAccountID   = "123456789012"
)

// Lambda's payload limits (Invoke API reference): a synchronous request
// and an asynchronous one, and a function's response. The response limit
// is Lambda's own figure, a little above the request's.
const (
	maxSyncRequest  = 6291456
	maxAsyncRequest = 1048576
	maxResponse     = 6291556
)

// ErrRequestTooLarge is returned for an event larger than Lambda accepts
// for the invocation type (6 MB synchronous, 1 MB asynchronous).
// It is the runtime's ErrPayloadTooLarge, so that the runtime answers as
// API Gateway does.
var ErrRequestTooLarge = runtime.ErrPayloadTooLarge

// errClosed is returned once the Router is closed.
var errClosed = errors.New("lambda functions are shut down")

// reservedEnv are the variables Lambda sets itself and refuses in a
// function's configuration (the credentials, which Lambda also reserves,
// are left to the user here: locally there is no execution role).
var reservedEnv = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
}

// Router is a runtime.Functions: it sends each call to the local function
// its ARN names, else to the Invoke API endpoint, else fails it with
// runtime.ErrFunctionNotFound.
type Router struct {
	region, account string
	// byARN and byName index the local functions by their configured
	// full ARN (without qualifier) and by name.
	byARN, byName map[string]*function
	funcs         []*function
	remote        *remote
}

var _ runtime.Functions = (*Router)(nil)

// New checks the configuration and returns a Router. Local functions
// start on their first call; New only checks that their commands can be
// found.
func New(cfg Config) (*Router, error) {
	r := &Router{region: cfg.Region, account: cfg.AccountID,
		byARN: map[string]*function{}, byName: map[string]*function{}}
	if r.region == "" {
		r.region = DefaultRegion
	}
	if r.account == "" {
		r.account = DefaultAccountID
	}
	log := cfg.Log
	if log == nil {
		log = os.Stderr
	}
	out := newLogOutput(log)
	for i := range cfg.Functions {
		fc := cfg.Functions[i]
		if err := normalize(&fc); err != nil {
			return nil, err
		}
		f := newFunction(fc, r, out)
		if strings.Contains(fc.Name, ":function:") {
			key := unqualified(fc.Name)
			if r.byARN[key] != nil {
				return nil, fmt.Errorf("function %s is configured twice", fc.Name)
			}
			r.byARN[key] = f
		} else {
			if r.byName[fc.Name] != nil {
				return nil, fmt.Errorf("function %s is configured twice", fc.Name)
			}
			r.byName[fc.Name] = f
		}
		r.funcs = append(r.funcs, f)
	}
	switch {
	case cfg.Endpoint != "":
		rm, err := newRemote(cfg.Endpoint, cfg.Region)
		if err != nil {
			return nil, err
		}
		r.remote = rm
	case cfg.AWS:
		rm, err := newRemote("", cfg.Region)
		if err != nil {
			return nil, err
		}
		r.remote = rm
	}
	return r, nil
}

// normalize checks a local function's configuration and fills in the
// defaults.
func normalize(fc *LocalFunction) error {
	if fc.Name == "" {
		return errors.New("a local function needs a name")
	}
	name, _ := splitRef(fc.Name)
	if name == "" || strings.HasPrefix(fc.Name, "arn:") && !strings.Contains(fc.Name, ":function:") {
		return fmt.Errorf("function %q: not a function name or ARN", fc.Name)
	}
	if len(fc.Command) == 0 || fc.Command[0] == "" {
		return fmt.Errorf("function %s: no command", fc.Name)
	}
	switch {
	case fc.Memory == 0:
		fc.Memory = DefaultMemory
	case fc.Memory < 0:
		return fmt.Errorf("function %s: memory %d MB is not positive", fc.Name, fc.Memory)
	}
	switch {
	case fc.Timeout == 0:
		fc.Timeout = Duration(DefaultTimeout)
	case fc.Timeout < 0:
		return fmt.Errorf("function %s: negative timeout", fc.Name)
	}
	switch {
	case fc.InitTimeout == 0:
		fc.InitTimeout = Duration(DefaultInitTimeout)
	case fc.InitTimeout < 0:
		return fmt.Errorf("function %s: negative init timeout", fc.Name)
	}
	switch {
	case fc.Concurrency == 0:
		fc.Concurrency = DefaultConcurrency
	case fc.Concurrency < 0:
		return fmt.Errorf("function %s: negative concurrency", fc.Name)
	}
	for k := range fc.Env {
		for _, r := range reservedEnv {
			if k == r {
				return fmt.Errorf("function %s: %s is reserved by Lambda and cannot be set", fc.Name, k)
			}
		}
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return fmt.Errorf("function %s: %q is not an environment variable name", fc.Name, k)
		}
	}
	return nil
}

// Invoke runs one call.
func (r *Router) Invoke(ctx context.Context, call *runtime.FunctionCall) (*runtime.FunctionResult, error) {
	limit := maxSyncRequest
	if call.Async {
		limit = maxAsyncRequest
	}
	if len(call.Payload) > limit {
		return nil, fmt.Errorf("%w: %d bytes (limit %d bytes)", ErrRequestTooLarge, len(call.Payload), limit)
	}
	if f := r.local(call.ARN); f != nil {
		return f.invoke(ctx, call)
	}
	if r.remote != nil {
		return r.remote.invoke(ctx, call)
	}
	return nil, fmt.Errorf("%w: %s (not run locally, and no Lambda endpoint is configured)", runtime.ErrFunctionNotFound, call.ARN)
}

// local returns the local function a reference names: by its full ARN,
// qualifier or not, else by its name.
func (r *Router) local(ref string) *function {
	if len(r.byARN) > 0 && strings.HasPrefix(ref, "arn:") {
		if f := r.byARN[ref]; f != nil {
			return f
		}
		if f := r.byARN[unqualified(ref)]; f != nil {
			return f
		}
	}
	name, _ := splitRef(ref)
	return r.byName[name]
}

// Close stops every local instance: SIGTERM, then SIGKILL after a grace
// period. Calls waiting for an instance fail.
func (r *Router) Close() error {
	done := make(chan struct{}, len(r.funcs))
	for _, f := range r.funcs {
		go func() {
			f.close()
			done <- struct{}{}
		}()
	}
	for range r.funcs {
		<-done
	}
	return nil
}

// splitRef splits a function reference (a name, a partial ARN
// account:function:name or a full ARN, each optionally followed by
// :qualifier) into the function's name and the qualifier.
func splitRef(ref string) (name, qualifier string) {
	if i := strings.Index(ref, ":function:"); i >= 0 {
		ref = ref[i+len(":function:"):]
	}
	name, qualifier, _ = strings.Cut(ref, ":")
	return name, qualifier
}

// unqualified is a function ARN without its qualifier.
func unqualified(arn string) string {
	i := strings.Index(arn, ":function:")
	if i < 0 {
		return arn
	}
	j := strings.IndexByte(arn[i+len(":function:"):], ':')
	if j < 0 {
		return arn
	}
	return arn[:i+len(":function:")+j]
}

// Duration is a time.Duration that reads and writes as text: "3s",
// "500ms", or a number of seconds.
type Duration time.Duration

// String formats the duration as time.Duration does.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText writes the duration as time.Duration formats it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads "3s", "1m30s" or a bare number of seconds.
func (d *Duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		*d = Duration(f * float64(time.Second))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: want a number of seconds or a duration such as 3s", s)
	}
	*d = Duration(v)
	return nil
}

// UnmarshalJSON reads a JSON number of seconds or a string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		s, err := strconv.Unquote(string(b))
		if err != nil {
			return err
		}
		return d.UnmarshalText([]byte(s))
	}
	return d.UnmarshalText(b)
}
