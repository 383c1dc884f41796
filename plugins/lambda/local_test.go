package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gwc.dev/gwc/runtime"
)

func TestEchoThroughRuntimeAPI(t *testing.T) {
	r, _ := newRouter(t, Config{Functions: []LocalFunction{fn("echo")}})
	event := `{"resource":"/pets","path":"/pets","httpMethod":"GET","body":"héllo \"x\"","isBase64Encoded":false}`
	res := invoke(t, r, "echo", event)
	if res.FunctionError != "" || string(res.Payload) != event {
		t.Fatalf("got %q (error %q), want the event back", res.Payload, res.FunctionError)
	}
}

// A second call runs on the same warm process: no cold start per call.
func TestWarmInstanceIsReused(t *testing.T) {
	r, _ := newRouter(t, Config{Functions: []LocalFunction{fn("counter")}})
	type count struct{ PID, Invocations int }
	var got []count
	for range 3 {
		var c count
		res := invoke(t, r, "counter", `{}`)
		if err := json.Unmarshal(res.Payload, &c); err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	for i, c := range got {
		if c.PID != got[0].PID || c.Invocations != i+1 {
			t.Fatalf("calls saw %+v, want one process counting 1, 2, 3", got)
		}
	}
}

// The function sees the environment and invocation context Lambda gives
// (runtimes-api and configuration-envvars in the Lambda developer guide).
func TestEnvironmentAndContext(t *testing.T) {
	dir := t.TempDir()
	f := fn("context")
	f.Memory = 256
	f.Dir = dir
	f.Timeout = Duration(7 * time.Second)
	f.Env = map[string]string{"TABLE": "pets", "LANG": "fr_FR.UTF-8"}
	r, _ := newRouter(t, Config{Functions: []LocalFunction{f}, Region: "eu-west-1"})
	arn := "arn:aws:lambda:eu-west-1:123456789012:function:context:live"
	before := time.Now()
	res, err := r.Invoke(context.Background(), &runtime.FunctionCall{ARN: arn, Payload: []byte(`{}`), Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Env         map[string]string
		RequestID   string
		FunctionARN string
		DeadlineMS  int64
		TraceID     string
		Cwd         string
	}
	if err := json.Unmarshal(res.Payload, &a); err != nil {
		t.Fatalf("%s: %v", res.Payload, err)
	}
	want := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        "context",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/context",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_REGION":                      "eu-west-1",
		"AWS_DEFAULT_REGION":              "eu-west-1",
		"_HANDLER":                        "context",
		"LAMBDA_TASK_ROOT":                dir,
		"TZ":                              ":UTC",
		"TABLE":                           "pets",
		"LANG":                            "fr_FR.UTF-8", // LANG is not reserved: the configuration wins
	}
	for k, v := range want {
		if a.Env[k] != v {
			t.Errorf("%s = %q, want %q", k, a.Env[k], v)
		}
	}
	if !regexp.MustCompile(`^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$`).MatchString(a.Env["AWS_LAMBDA_LOG_STREAM_NAME"]) {
		t.Errorf("AWS_LAMBDA_LOG_STREAM_NAME = %q", a.Env["AWS_LAMBDA_LOG_STREAM_NAME"])
	}
	if !regexp.MustCompile(`^127\.0\.0\.1:\d+$`).MatchString(a.Env["AWS_LAMBDA_RUNTIME_API"]) {
		t.Errorf("AWS_LAMBDA_RUNTIME_API = %q", a.Env["AWS_LAMBDA_RUNTIME_API"])
	}
	if a.Cwd != dir {
		t.Errorf("working directory %q, want %q", a.Cwd, dir)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(a.RequestID) {
		t.Errorf("request ID %q is not a UUID", a.RequestID)
	}
	if a.FunctionARN != arn {
		t.Errorf("invoked function ARN %q, want %q", a.FunctionARN, arn)
	}
	if !regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`).MatchString(a.TraceID) {
		t.Errorf("trace ID %q", a.TraceID)
	}
	// The deadline is the function timeout from when the invocation
	// reached the runtime.
	deadline := time.UnixMilli(a.DeadlineMS)
	if deadline.Before(before.Add(7*time.Second).Truncate(time.Millisecond)) || deadline.After(time.Now().Add(7*time.Second)) {
		t.Errorf("deadline %v is not 7s after the invocation (%v)", deadline, before)
	}
}

// A handler's error reaches the caller as Lambda reports it: function
// error Unhandled, with aws-lambda-go's document (for errors.New,
// errorType is the Go type's name, errorString).
func TestHandlerError(t *testing.T) {
	r, _ := newRouter(t, Config{Functions: []LocalFunction{fn("fail")}})
	doc := errorDocOf(t, invoke(t, r, "fail", `{}`))
	if doc["errorMessage"] != "boom" || doc["errorType"] != "errorString" {
		t.Fatalf("got %v", doc)
	}
}

// A panic is reported by the runtime (with its stack) before the process
// exits; the next call gets a new instance.
func TestPanicThenReplacement(t *testing.T) {
	r, logs := newRouter(t, Config{Functions: []LocalFunction{fn("panic")}})
	for i := range 2 {
		doc := errorDocOf(t, invoke(t, r, "panic", `{}`))
		if doc["errorMessage"] != "oh no" {
			t.Fatalf("call %d: got %v", i, doc)
		}
		if st, _ := doc["stackTrace"].([]any); len(st) == 0 {
			t.Fatalf("call %d: no stack trace in %v", i, doc)
		}
	}
	// Both calls ran: the second on a replacement for the first process.
	eventually(t, "the second instance's exit", func() bool { return strings.Contains(logs.String(), "[panic#2] ") })
}

// A process that exits during an invocation fails it with
// Runtime.ExitError; the next call starts a new process.
func TestCrash(t *testing.T) {
	r, _ := newRouter(t, Config{Functions: []LocalFunction{fn("crash")}})
	first := pidOf(t, invoke(t, r, "crash", `{}`))
	doc := errorDocOf(t, invoke(t, r, "crash", `{"exit":3}`))
	if doc["errorType"] != "Runtime.ExitError" ||
		!regexp.MustCompile(`^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$`).MatchString(doc["errorMessage"].(string)) {
		t.Fatalf("got %v", doc)
	}
	if next := pidOf(t, invoke(t, r, "crash", `{}`)); next == first {
		t.Fatalf("the crashed process %d answered again", first)
	}
}

// An invocation that outlives the function timeout is ended, and the
// instance with it, as Lambda does; the caller gets Sandbox.Timedout.
func TestFunctionTimeout(t *testing.T) {
	f := fn("sleep")
	f.Timeout = Duration(300 * time.Millisecond)
	r, logs := newRouter(t, Config{Functions: []LocalFunction{f}})
	first := pidOf(t, invoke(t, r, "sleep", `{"ms":0}`))
	doc := errorDocOf(t, invoke(t, r, "sleep", `{"ms":60000}`))
	if doc["errorType"] != "Sandbox.Timedout" ||
		!regexp.MustCompile(`^RequestId: [0-9a-f-]{36} Error: Task timed out after 0\.30 seconds$`).MatchString(doc["errorMessage"].(string)) {
		t.Fatalf("got %v", doc)
	}
	if next := pidOf(t, invoke(t, r, "sleep", `{"ms":0}`)); next == first {
		t.Fatalf("the timed-out process %d answered again", first)
	}
	eventually(t, "the timed-out process to be gone", func() bool {
		return errors.Is(syscall.Kill(first, 0), syscall.ESRCH)
	})
	if !regexp.MustCompile(`(?m)^\[sleep#1\] \S+Z [0-9a-f-]{36} Task timed out after 0\.30 seconds$`).MatchString(logs.String()) {
		t.Errorf("no timeout line in the log:\n%s", logs)
	}
}

// When the integration timeout passes first, the caller gets
// runtime.ErrTimeout (API Gateway's 504), though the function would
// succeed within its own timeout.
func TestIntegrationTimeout(t *testing.T) {
	f := fn("sleep")
	f.Timeout = Duration(20 * time.Second)
	r, _ := newRouter(t, Config{Functions: []LocalFunction{f}})
	_, err := r.Invoke(context.Background(), &runtime.FunctionCall{
		ARN: testARN + "sleep", Payload: []byte(`{"ms":1000}`), Timeout: 200 * time.Millisecond})
	if !errors.Is(err, runtime.ErrTimeout) {
		t.Fatalf("got %v, want runtime.ErrTimeout", err)
	}
}

// A function that grows past its memory size is killed, and Lambda's
// out-of-memory error reported.
func TestOutOfMemory(t *testing.T) {
	f := fn("oom")
	f.Memory = 64
	f.Timeout = Duration(60 * time.Second)
	r, _ := newRouter(t, Config{Functions: []LocalFunction{f}})
	doc := errorDocOf(t, invoke(t, r, "oom", `{}`))
	if doc["errorType"] != "Runtime.OutOfMemory" ||
		!regexp.MustCompile(`^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$`).MatchString(doc["errorMessage"].(string)) {
		t.Fatalf("got %v", doc)
	}
}

// A process that exits during init fails the invocation that was waiting
// for it with Runtime.ExitError.
func TestInitExit(t *testing.T) {
	r, logs := newRouter(t, Config{Functions: []LocalFunction{fn("initexit")}})
	doc := errorDocOf(t, invoke(t, r, "initexit", `{}`))
	if doc["errorType"] != "Runtime.ExitError" ||
		!regexp.MustCompile(`^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 1$`).MatchString(doc["errorMessage"].(string)) {
		t.Fatalf("got %v", doc)
	}
	// The function's own output reached the log, prefixed.
	if !regexp.MustCompile(`(?m)^\[initexit#1\] \S+ \S+ cannot read configuration$`).MatchString(logs.String()) {
		t.Errorf("the function's output is not in the log:\n%s", logs)
	}
}

// A runtime that reports an init error (POST /runtime/init/error) has its
// document returned, and the next call tries a new instance.
func TestInitError(t *testing.T) {
	r, _ := newRouter(t, Config{Functions: []LocalFunction{fn("initerror")}})
	for range 2 {
		doc := errorDocOf(t, invoke(t, r, "initerror", `{}`))
		if doc["errorType"] != "Runtime.ConfigInvalid" || doc["errorMessage"] != "TABLE_NAME is not set" {
			t.Fatalf("got %v", doc)
		}
	}
}

// A runtime that never asks for an invocation is ended at the init
// timeout.
func TestInitTimeout(t *testing.T) {
	f := fn("sleep")
	f.InitTimeout = Duration(300 * time.Millisecond)
	f.Env = map[string]string{"INIT_SLEEP_MS": "20000"}
	r, _ := newRouter(t, Config{Functions: []LocalFunction{f}})
	doc := errorDocOf(t, invoke(t, r, "sleep", `{}`))
	if doc["errorType"] != "Sandbox.Timedout" ||
		!regexp.MustCompile(`^RequestId: [0-9a-f-]{36} Error: Task timed out after 0\.30 seconds$`).MatchString(doc["errorMessage"].(string)) {
		t.Fatalf("got %v", doc)
	}
}

// A response over Lambda's 6 MB limit fails with
// Function.ResponseSizeTooLarge.
func TestResponseTooLarge(t *testing.T) {
	r, _ := newRouter(t, Config{Functions: []LocalFunction{fn("big")}})
	doc := errorDocOf(t, invoke(t, r, "big", `{"n":7000000}`))
	want := map[string]any{"errorType": "Function.ResponseSizeTooLarge",
		"errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes)."}
	if doc["errorType"] != want["errorType"] || doc["errorMessage"] != want["errorMessage"] {
		t.Fatalf("got %v, want %v", doc, want)
	}
	// Just under the limit is fine (the JSON string's quotes count).
	res := invoke(t, r, "big", `{"n":6291554}`)
	if res.FunctionError != "" || len(res.Payload) != 6291556 {
		t.Fatalf("a 6291556-byte response: error %q, %d bytes", res.FunctionError, len(res.Payload))
	}
}

func TestRequestTooLarge(t *testing.T) {
	r, _ := newRouter(t, Config{Functions: []LocalFunction{fn("echo")}})
	big := `"` + strings.Repeat("x", 6291456) + `"`
	_, err := r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "echo", Payload: []byte(big)})
	if !errors.Is(err, ErrRequestTooLarge) {
		t.Fatalf("6 MB + 2 bytes synchronous: got %v", err)
	}
	event := `"` + strings.Repeat("x", 1048576) + `"`
	_, err = r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "echo", Payload: []byte(event), Async: true})
	if !errors.Is(err, ErrRequestTooLarge) {
		t.Fatalf("1 MB + 2 bytes asynchronous: got %v", err)
	}
}

// A command that cannot be started is Lambda's Runtime.InvalidEntrypoint.
func TestMissingCommand(t *testing.T) {
	r, _ := newRouter(t, Config{Functions: []LocalFunction{{Name: "gone", Command: Argv{bin("no-such-function")}}}})
	doc := errorDocOf(t, invoke(t, r, "gone", `{}`))
	if doc["errorType"] != "Runtime.InvalidEntrypoint" ||
		!regexp.MustCompile(`^RequestId: [0-9a-f-]{36} Error: fork/exec .*no-such-function: no such file or directory$`).MatchString(doc["errorMessage"].(string)) {
		t.Fatalf("got %v", doc)
	}
}

// Parallel calls run on at most Concurrency instances; the rest wait for
// a free one, and all succeed.
func TestConcurrency(t *testing.T) {
	f := fn("sleep")
	f.Concurrency = 3
	r, _ := newRouter(t, Config{Functions: []LocalFunction{f}})
	const calls = 12
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		pids = map[int]int{}
		errs []error
	)
	for range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := r.Invoke(context.Background(), &runtime.FunctionCall{
				ARN: testARN + "sleep", Payload: []byte(`{"ms":100}`), Timeout: 60 * time.Second})
			mu.Lock()
			defer mu.Unlock()
			if err != nil || res.FunctionError != "" {
				errs = append(errs, errors.New(string(res.Payload)))
				return
			}
			var v struct{ PID int }
			json.Unmarshal(res.Payload, &v)
			pids[v.PID]++
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("failed calls: %v", errs)
	}
	n := 0
	for _, c := range pids {
		n += c
	}
	if n != calls || len(pids) > 3 {
		t.Fatalf("%d calls on %d processes %v, want %d calls on at most 3", n, len(pids), pids, calls)
	}
}

// An Event invocation returns at once, with nothing; the function runs.
func TestAsyncInvocation(t *testing.T) {
	r, logs := newRouter(t, Config{Functions: []LocalFunction{fn("counter")}})
	res, err := r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "counter", Payload: []byte(`{}`), Async: true})
	if err != nil || res.FunctionError != "" || len(res.Payload) != 0 {
		t.Fatalf("got %+v, %v; want an empty result", res, err)
	}
	eventually(t, "the event's invocation", func() bool { return hasLine(logs.String(), "[counter#1] invocation 1") })
}

// The platform writes START, END and REPORT lines as CloudWatch shows
// them.
func TestPlatformLogLines(t *testing.T) {
	r, logs := newRouter(t, Config{Functions: []LocalFunction{fn("echo")}})
	invoke(t, r, "echo", `{}`)
	invoke(t, r, "echo", `{}`)
	log := logs.String()
	for _, re := range []string{
		`(?m)^\[echo#1\] START RequestId: [0-9a-f-]{36} Version: \$LATEST$`,
		`(?m)^\[echo#1\] END RequestId: [0-9a-f-]{36}$`,
		// Only the first invocation of an instance has an init duration.
		`^(?s:.*)\[echo#1\] REPORT RequestId: [0-9a-f-]{36}\tDuration: [0-9.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [0-9.]+ ms\n(?s:.*)\[echo#1\] REPORT RequestId: [0-9a-f-]{36}\tDuration: [0-9.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\n`,
	} {
		if !regexp.MustCompile(re).MatchString(log) {
			t.Errorf("log does not match %s:\n%s", re, log)
		}
	}
}

// Close stops the processes; later calls fail.
func TestClose(t *testing.T) {
	r, err := New(Config{Functions: []LocalFunction{fn("crash")}, Log: &syncBuffer{}})
	if err != nil {
		t.Fatal(err)
	}
	pid := pidOf(t, invoke(t, r, "crash", `{}`))
	r.Close()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("process %d still exists after Close (%v)", pid, err)
	}
	if _, err := r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "crash", Payload: []byte(`{}`)}); !errors.Is(err, errClosed) {
		t.Fatalf("call after Close: %v", err)
	}
}

// A call waiting for an instance gives up at its integration timeout.
func TestQueuedCallTimesOut(t *testing.T) {
	f := fn("sleep")
	f.Concurrency = 1
	f.Timeout = Duration(20 * time.Second)
	r, _ := newRouter(t, Config{Functions: []LocalFunction{f}})
	pidOf(t, invoke(t, r, "sleep", `{"ms":0}`)) // warm
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "sleep", Payload: []byte(`{"ms":1500}`), Timeout: 30 * time.Second})
	}()
	// Wait until the only instance is busy.
	eventually(t, "the instance to be busy", func() bool {
		fnc := r.byName["sleep"]
		fnc.mu.Lock()
		defer fnc.mu.Unlock()
		for inst := range fnc.all {
			inst.mu.Lock()
			busy := inst.cur != nil
			inst.mu.Unlock()
			if busy {
				return true
			}
		}
		return false
	})
	_, err := r.Invoke(context.Background(), &runtime.FunctionCall{ARN: testARN + "sleep", Payload: []byte(`{"ms":0}`), Timeout: 100 * time.Millisecond})
	if !errors.Is(err, runtime.ErrTimeout) {
		t.Fatalf("got %v, want runtime.ErrTimeout", err)
	}
	<-done
	// The instance is free again for the next call.
	pidOf(t, invoke(t, r, "sleep", `{"ms":0}`))
}
