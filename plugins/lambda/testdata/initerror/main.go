// Command initerror is a minimal custom runtime, written against the
// Runtime API directly as runtimes other than aws-lambda-go are, that
// reports an init error (POST /runtime/init/error) and exits.
package main

import (
	"net/http"
	"os"
	"strings"
)

func main() {
	req, _ := http.NewRequest("POST", "http://"+os.Getenv("AWS_LAMBDA_RUNTIME_API")+"/2018-06-01/runtime/init/error",
		strings.NewReader(`{"errorMessage":"TABLE_NAME is not set","errorType":"Runtime.ConfigInvalid","stackTrace":[]}`))
	req.Header.Set("Lambda-Runtime-Function-Error-Type", "Runtime.ConfigInvalid")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		os.Exit(2)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		os.Exit(3)
	}
	os.Exit(1)
}
