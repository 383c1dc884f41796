package lambda

import (
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gwc.dev/gwc/runtime"
)

// BenchmarkWarmInvoke measures a warm local call: the event goes to a
// running aws-lambda-go echo function through the Runtime API and its
// result comes back. The time includes the function's own side (its
// runtime client and handler); allocations are gwc's only (the function
// is another process).
func BenchmarkWarmInvoke(b *testing.B) {
	r, _ := newRouter(b, Config{Functions: []LocalFunction{fn("echo")}, Log: io.Discard})
	// An API Gateway proxy event of typical size (about 1 KB).
	event := []byte(`{"resource":"/pets/{petId}","path":"/pets/42","httpMethod":"GET","headers":{"Accept":"*/*","Host":"abc.execute-api.us-east-1.amazonaws.com","User-Agent":"curl/8.5.0","X-Amzn-Trace-Id":"Root=1-65f0c0de-0123456789abcdef01234567","X-Forwarded-For":"203.0.113.7","X-Forwarded-Port":"443","X-Forwarded-Proto":"https"},"multiValueHeaders":{"Accept":["*/*"],"Host":["abc.execute-api.us-east-1.amazonaws.com"],"User-Agent":["curl/8.5.0"]},"queryStringParameters":null,"multiValueQueryStringParameters":null,"pathParameters":{"petId":"42"},"stageVariables":null,"requestContext":{"accountId":"123456789012","apiId":"abc","domainName":"abc.execute-api.us-east-1.amazonaws.com","extendedRequestId":"UgTtUF3zoAMEbHQ=","httpMethod":"GET","identity":{"sourceIp":"203.0.113.7","userAgent":"curl/8.5.0"},"path":"/dev/pets/42","protocol":"HTTP/1.1","requestId":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0","requestTime":"12/Mar/2024:10:00:00 +0000","requestTimeEpoch":1710237600000,"resourceId":"x1y2z3","resourcePath":"/pets/{petId}","stage":"dev"},"body":null,"isBase64Encoded":false}`)
	call := &runtime.FunctionCall{ARN: testARN + "echo", Payload: event, Timeout: 29 * time.Second}
	ctx := context.Background()
	if res, err := r.Invoke(ctx, call); err != nil || res.FunctionError != "" {
		b.Fatalf("%v %s", err, res.Payload)
	}
	var inst *instance
	for i := range r.funcs[0].all {
		inst = i
	}
	fnPID := inst.proc.Pid
	b.ReportAllocs()
	b.ResetTimer()
	// CPU time, unlike wall time, does not depend on what else the
	// machine is running: gwc's own (this process) and the function's
	// (its process), per call.
	selfCPU, fnCPU := cpuTime(b, "self"), cpuTime(b, strconv.Itoa(fnPID))
	n := 0
	for b.Loop() {
		res, err := r.Invoke(ctx, call)
		if err != nil || len(res.Payload) != len(event) {
			b.Fatalf("%v", err)
		}
		n++
	}
	selfCPU, fnCPU = cpuTime(b, "self")-selfCPU, cpuTime(b, strconv.Itoa(fnPID))-fnCPU
	b.StopTimer()
	b.ReportMetric(float64(selfCPU)/float64(n), "gwc-cpu-ns/op")
	b.ReportMetric(float64(fnCPU)/float64(n), "fn-cpu-ns/op")
	if n := len(r.funcs[0].all); n != 1 {
		b.Fatalf("%d instances ran, want the one warm instance", n)
	}
}

// cpuTime is the CPU time a process has used, in nanoseconds: the sum of
// its threads' /proc/PID/task/TID/schedstat (their first field).
func cpuTime(b *testing.B, pid string) int64 {
	tasks, err := os.ReadDir("/proc/" + pid + "/task")
	if err != nil {
		b.Skip("no /proc/PID/task here")
	}
	var sum int64
	for _, t := range tasks {
		data, err := os.ReadFile("/proc/" + pid + "/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread is gone
		}
		f, _, _ := strings.Cut(string(data), " ")
		v, _ := strconv.ParseInt(f, 10, 64)
		sum += v
	}
	return sum
}
