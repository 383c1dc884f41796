package apigw_test

import (
	"bytes"
	"strings"
	"testing"

	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/apigw"
)

// FuzzRender renders API Gateway templates over arbitrary bodies and JSONPath
// expressions: no panic, no error other than a positioned *vtl.Error.
func FuzzRender(f *testing.F) {
	f.Add(`{"a":[1,{"b":"x"}]}`, `$.a[1].b`, `#set($r = $input.path('$'))$r $input.json($stageVariables.p) $util.escapeJavaScript($input.path($stageVariables.p))`)
	f.Add(`[]`, `$..*`, `$input.path($stageVariables.p).size() #foreach($x in $input.path($stageVariables.p))$x#end`)
	f.Add(``, `$[?(@.a > 1)]`, `$input.json($stageVariables.p) $util.parseJson($input.body)`)
	f.Add(`{"s":"a'b"}`, `$.s`, `#set($context.responseOverride.status = $input.path($stageVariables.p))$util.urlDecode($input.path($stageVariables.p))`)
	f.Fuzz(func(t *testing.T, body, path, tmpl string) {
		tp, err := vtl.Parse("f", tmpl)
		if err != nil {
			return
		}
		req := &apigw.Request{Body: []byte(body), Limits: vtl.Limits{MaxSteps: 20000, MaxOutputBytes: 1 << 16}}
		req.StageVariables.Add("p", path)
		var b bytes.Buffer
		_, err = apigw.Render(tp, req, &b)
		if err == nil {
			return
		}
		if strings.Contains(err.Error(), "internal error") {
			t.Fatalf("panic: %v", err)
		}
		if _, ok := err.(*vtl.Error); !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
	})
}
