package lambda

import (
	"encoding/json"
	"fmt"
	"time"
)

// The error documents below are the ones Lambda itself returns (with
// X-Amz-Function-Error: Unhandled) when the platform, not the function,
// ends an invocation. Their types and wording follow what Lambda's Invoke
// API answers, as recorded in published aws lambda invoke output; see
// docs/lambda.md for the sources and what remains uncertain.

// errorDoc is {"errorType": …, "errorMessage": …}, in the order Lambda
// writes platform errors.
type errorDoc struct {
	ErrorType    string `json:"errorType"`
	ErrorMessage string `json:"errorMessage"`
}

func (d errorDoc) bytes() []byte {
	b, _ := json.Marshal(d)
	return b
}

// timeoutDoc is Lambda's answer for an invocation that outlived the
// function's timeout: the instance is killed.
func timeoutDoc(id string, d time.Duration) []byte {
	return errorDoc{"Sandbox.Timedout",
		fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", id, d.Seconds())}.bytes()
}

// exitDoc is Lambda's answer when the runtime process exits during an
// invocation (or during init): how is the process state as Go prints it
// ("exit status 2", "signal: killed"), which is also how Lambda words it.
func exitDoc(id, how string) []byte {
	return errorDoc{"Runtime.ExitError",
		fmt.Sprintf("RequestId: %s Error: Runtime exited with error: %s", id, how)}.bytes()
}

// oomDoc is Lambda's answer when the instance ran out of memory: the
// process is killed, and Lambda reports the kill under its own type.
func oomDoc(id, how string) []byte {
	return errorDoc{"Runtime.OutOfMemory",
		fmt.Sprintf("RequestId: %s Error: Runtime exited with error: %s", id, how)}.bytes()
}

// entrypointDoc is Lambda's answer when the function's bootstrap cannot be
// started at all.
func entrypointDoc(id string, err error) []byte {
	return errorDoc{"Runtime.InvalidEntrypoint",
		fmt.Sprintf("RequestId: %s Error: %v", id, err)}.bytes()
}

// responseTooLargeDoc is Lambda's answer for a function response over
// the 6 MB limit.
func responseTooLargeDoc() []byte {
	return []byte(fmt.Sprintf(`{"errorMessage":"Response payload size exceeded maximum allowed payload size (%d bytes).","errorType":"Function.ResponseSizeTooLarge"}`, maxResponse))
}

// unknownErrorDoc stands for an error a runtime reported without a body.
func unknownErrorDoc(errorType string) []byte {
	if errorType == "" {
		errorType = "Runtime.Unknown"
	}
	return errorDoc{errorType, "Unknown application error occurred"}.bytes()
}
