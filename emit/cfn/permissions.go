package cfn

import (
	"regexp"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/lambda"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// lambdaURIRE matches a Lambda invocation URI and captures the function:
// arn:{partition}:apigateway:{region}:lambda:path/2015-03-31/functions/{function}/invocations
// (or the response-streaming form).
var lambdaURIRE = regexp.MustCompile(`:lambda:path/\d{4}-\d{2}-\d{2}/functions/(.+)/(?:invocations|response-streaming-invocations)$`)

// lambdaCall is a Lambda function the API invokes with API Gateway's own
// identity (no credentials), which therefore needs a resource-based
// permission.
type lambdaCall struct {
	function string
	at       diag.Range
}

// lambdaCalls lists the functions that need a permission, once each, in
// order. A function chosen by a stage variable cannot be granted in the
// template; it is reported instead.
func (e *emitter) lambdaCalls() []lambdaCall {
	if !e.opts.LambdaPermissions {
		return nil
	}
	seen := map[string]bool{}
	var out []lambdaCall
	add := func(uri, credentials string, at diag.Range) {
		m := lambdaURIRE.FindStringSubmatch(uri)
		if m == nil || credentials != "" || seen[m[1]] {
			return
		}
		seen[m[1]] = true
		if strings.Contains(m[1], "${stageVariables.") {
			e.warnf(at, "the Lambda function %s depends on a stage variable, so the template cannot grant API Gateway permission to invoke it; grant it for each function the stages name", m[1])
			return
		}
		out = append(out, lambdaCall{function: m[1], at: at})
	}
	for _, r := range e.api.Resources {
		for _, m := range r.Methods {
			if in := m.Integration; in != nil && (in.Type == schema.AWS || in.Type == schema.AWSProxy) {
				add(in.URI, in.Credentials, schema.At(in.Src, "uri"))
			}
		}
	}
	for _, a := range e.api.Authorizers {
		add(a.URI, a.Credentials, schema.At(a.Src, "uri"))
	}
	slices.SortFunc(out, func(a, b lambdaCall) int { return strings.Compare(a.function, b.function) })
	return out
}

func lambdaPermissionKey(function string) string { return "lambdapermission " + function }

// lambdaPermissionBase names a permission after its function: the part
// after "function:" in an ARN, or the placeholder that stands for it.
func lambdaPermissionBase(function string) string {
	name := function
	if _, after, ok := strings.Cut(function, ":function:"); ok {
		name = after
	}
	return "LambdaPermission" + pascal(name)
}

// lambdaPermissions lets API Gateway invoke each function the API calls
// without credentials of its own, from any stage, method or authorizer of
// this API.
func (e *emitter) lambdaPermissions() {
	for _, c := range e.lambda {
		id := e.id(lambdaPermissionKey(c.function))
		e.add(id, &lambda.Permission{
			Action:       "lambda:InvokeFunction",
			FunctionName: e.sub(c.function, use{id, "FunctionName", c.at}),
			Principal:    "apigateway.amazonaws.com",
			SourceArn:    text(e.sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${"+apiID+"}/*", use{id: id})),
		})
	}
}
