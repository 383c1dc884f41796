package apigw_test

import (
	"errors"
	"strings"
	"testing"

	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/apigw"
)

func TestEscapeJavaScriptQuirks(t *testing.T) {
	for in, want := range map[string]string{
		`it's`:      `it\'s`, // spec §8.3, recorded by users
		`"q"`:       `\"q\"`,
		"a\nb\tc\\": `a\nb\tc\\`,
		"a/b":       `a\/b`,
		"é€":        `\u00E9\u20AC`,
		"\x01":      `\u0001`,
	} {
		if got := apigw.EscapeJavaScript(in); got != want {
			t.Errorf("EscapeJavaScript(%q) = %q, want %q", in, got, want)
		}
	}
	// The AWS docs' workaround for the invalid \' in JSON.
	got, _ := render(t, `$util.escapeJavaScript($input.path('$.s')).replaceAll("\\'","'")`, &apigw.Request{Body: []byte(`{"s":"it's"}`)})
	if got != `it's` {
		t.Errorf("replaceAll workaround: got %q", got)
	}
}

func TestUtilFunctions(t *testing.T) {
	for _, tc := range []struct{ tmpl, want string }{
		{`$util.urlDecode("a+b%20c%C3%A9")`, `a b cé`},
		{`$util.base64Encode("hello é")`, `aGVsbG8gw6k=`},
		{`$util.base64Decode("aGVsbG8gw6k=")`, `hello é`},
		{`$util.base64Decode("aGVsbG8")`, `hello`},
		// AWS docs (handle-errors-in-lambda-integration): parseJson of a stringified error.
		{`#set($o = $util.parseJson($input.path('$.errorMessage')))$o.key2.arr[0] $o.key1`, `1 var1`},
		{`$util.parseJson('[1,{"a":2}]')`, `[1,{"a":2}]`},
		{`$util.urlEncode("ü &=/")`, `%C3%BC+%26%3D%2F`},
	} {
		got, _ := render(t, tc.tmpl, &apigw.Request{Body: []byte(`{"errorMessage":"{\"key1\":\"var1\",\"key2\":{\"arr\":[1,2,3]}}"}`)})
		if got != tc.want {
			t.Errorf("%s = %q, want %q", tc.tmpl, got, tc.want)
		}
	}
	tp, _ := vtl.Parse("t", `$util.urlDecode("%zz")`)
	if _, err := apigw.Render(tp, &apigw.Request{}, &strings.Builder{}); err == nil {
		t.Error("urlDecode of a malformed escape should fail")
	}
}

func TestInputParams(t *testing.T) {
	req := &apigw.Request{}
	req.Path.Add("id", "from-path")
	req.QueryString.Add("id", "from-query")
	req.QueryString.Add("q", "x")
	req.Header.Add("X-Trace", "t1")
	req.Header.Add("id", "from-header")
	for _, tc := range []struct{ tmpl, want string }{
		{`$input.params('id')`, `from-path`}, // path first
		{`$input.params('q')`, `x`},          // then the query string
		{`$input.params('x-trace')`, `t1`},   // headers match in any case
		{`[$input.params('none')]`, `[]`},    // empty string when absent
		{`$input.params().header.get('X-Trace')`, `t1`},
		{`[$input.params().header.get('x-trace')]`, `[]`}, // the map keeps the client's case
		{`$input.params()`, `{path={id=from-path}, querystring={id=from-query, q=x}, header={X-Trace=t1, id=from-header}}`},
		{`#foreach($h in $input.params().header.keySet())$h=$input.params().header.get($h);#end`, `X-Trace=t1;id=from-header;`},
	} {
		got, _ := render(t, tc.tmpl, req)
		if got != tc.want {
			t.Errorf("%s = %q, want %q", tc.tmpl, got, tc.want)
		}
	}
}

func TestInputJSONMissingIsNull(t *testing.T) {
	got, _ := render(t, `{"x": $input.json('$.missing'), "y": $input.json('$.a')}`, &apigw.Request{Body: []byte(`{"a":"s/t"}`)})
	if want := `{"x": null, "y": "s\/t"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestOverrides follows the AWS docs (apigateway-override-request-response-parameters)
// and the LocalStack snapshots recorded on AWS (spec §8.4).
func TestOverrides(t *testing.T) {
	req := &apigw.Request{Body: []byte(`{}`)}
	req.QueryString.Add("name", "q1")
	tmpl := `#set($name = "myQuery")
#set($context.requestOverride.header.header1 = "h1")
#set($context.requestOverride.querystring[$name] = "bar")
$context.requestOverride.querystring.put("other", "putBar")
#set($context.requestOverride.path.petId = 42)
#set($context.responseOverride.status = 444)
#set($context.responseOverride.header["X-Resp"] = "r")
#set($context.responseOverride.custom = "kept")
done`
	ctx := apigw.NewContext()
	req.Context = ctx
	got, o := render(t, tmpl, req)
	if got != "\ndone" { // the line of the put() call keeps its newline
		t.Errorf("output %q", got)
	}
	check := func(what string, p apigw.Params, want string) {
		var parts []string
		for i := 0; i < p.Len(); i++ {
			n, v := p.At(i)
			parts = append(parts, n+"="+v)
		}
		if g := strings.Join(parts, ","); g != want {
			t.Errorf("%s = %s, want %s", what, g, want)
		}
	}
	check("request headers", o.RequestHeader, "header1=h1")
	check("request query string", o.RequestQueryString, "myQuery=bar,other=putBar")
	check("request path", o.RequestPath, "petId=42")
	check("response headers", o.ResponseHeader, "X-Resp=r")
	if o.ResponseStatus != 444 {
		t.Errorf("status %d, want 444", o.ResponseStatus)
	}
	// The response template sees what the request template set.
	got, o = render(t, `$context.requestOverride.path.petId $context.responseOverride.custom`, &apigw.Request{Context: ctx, IsResponse: true})
	if got != "42 kept" || o.ResponseStatus != 444 {
		t.Errorf("response template: %q, status %d", got, o.ResponseStatus)
	}
	for v, want := range map[string]int{`"202"`: 202, `99`: 0, `"abc"`: 0, `600`: 0, `200`: 200} {
		_, o := render(t, `#set($context.responseOverride.status = `+v+`)`, &apigw.Request{})
		if o.ResponseStatus != want {
			t.Errorf("status %s: got %d, want %d", v, o.ResponseStatus, want)
		}
	}
}

// TestAWSDocExamples renders examples of the API Gateway developer guide
// (api-gateway-mapping-template-reference, models-mappings-examples).
func TestAWSDocExamples(t *testing.T) {
	body := `[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]`
	tmpl := `#set($inputRoot = $input.path('$'))
[
#foreach($elem in $inputRoot)
  {
    "description" : "Item $elem.id is a $elem.type.",
    "askingPrice" : $elem.price
  }#if($foreach.hasNext),#end

#end
]`
	want := `[
  {
    "description" : "Item 1 is a dog.",
    "askingPrice" : 249.99
  },
  {
    "description" : "Item 2 is a cat.",
    "askingPrice" : 124.99
  },
  {
    "description" : "Item 3 is a fish.",
    "askingPrice" : 0.99
  }
]`
	got, _ := render(t, tmpl, &apigw.Request{Body: []byte(body)})
	if got != want {
		t.Errorf("pets example:\n%s\nwant\n%s", got, want)
	}

	// $input.path('$.things').size() and toString().contains (spec §8.1).
	got, _ = render(t, `$input.path('$.things').size() #if($input.path('$').toString().contains("error"))E#end`, &apigw.Request{Body: []byte(`{"things":{"a":1,"b":2},"x":"error"}`)})
	if got != "2 E" {
		t.Errorf("size/contains example: %q", got)
	}

	// $stageVariables forms (spec §8.5).
	req := &apigw.Request{}
	req.StageVariables.Add("url", "example.com")
	got, _ = render(t, `$stageVariables.url ${stageVariables['url']} $stageVariables['url'] [$stageVariables.none]`, req)
	if got != "example.com example.com example.com []" {
		t.Errorf("stage variables: %q", got)
	}

	// $context variables, from a context the runtime filled.
	ctx := apigw.NewContext()
	ctx.PutString("requestId", vtl.String("r-1"))
	ctx.PutString("requestTimeEpoch", vtl.Long(1583349317135))
	auth := vtl.NewMap(1)
	auth.PutString("principalId", vtl.String("user|a1"))
	ctx.PutString("authorizer", vtl.MapValue(auth))
	got, _ = render(t, `$context.requestId $context.requestTimeEpoch $context.authorizer.principalId $context["requestId"]`, &apigw.Request{Context: ctx})
	if got != "r-1 1583349317135 user|a1 r-1" {
		t.Errorf("context: %q", got)
	}
}

func TestParseInput(t *testing.T) {
	req, err := apigw.ParseInput([]byte(`{"body": "{\"a\":1}", "params": {"path": {"id": "7"}, "header": {"B": "2", "A": "1"}}, "context": {"stage": "dev", "n": 3}, "stageVariables": {"v": "x"}}`))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := render(t, `$input.path('$.a') $input.params('id') $input.params().header $context.stage $context.n $stageVariables.v`, req)
	if got != "1 7 {B=2, A=1} dev 3 x" {
		t.Errorf("got %q", got)
	}
	req, err = apigw.ParseInput([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := render(t, `$input.body`, req); got != "{}" {
		t.Errorf("empty input body: %q", got)
	}
	// Each error points at the offending key or value: the offset is
	// where the text after the last "^" starts.
	for _, c := range []struct{ in, want string }{
		{`^[]`, "want a JSON object, got an array"},
		{`{"body": ^1}`, "body: want a string or null, got a number"},
		{`{"params": {"path": {}, ^"cookie": {}}}`, `params: unknown location "cookie" (want path, querystring or header)`},
		{`{"params": {"path": {"id": "1", "n": ^1}}}`, "params.path.n: want a string, got a number"},
		{`{"params": {"querystring": ^[]}}`, "params.querystring: want an object, got an array"},
		{`{"stageVariables": {"a": ^true}}`, "stageVariables.a: want a string, got a boolean"},
		{`{"context": ^"x"}`, "context: want an object, got a string"},
		{"{\n  \"body\": \"\",\n  ^\"bodyy\": \"\"}", `unknown field "bodyy" (want body, params, context or stageVariables)`},
		{`{"body": "x",^}`, "invalid JSON: expected a string key"},
	} {
		off := strings.LastIndex(c.in, "^")
		in := strings.ReplaceAll(c.in, "^", "")
		_, err := apigw.ParseInput([]byte(in))
		var ie *apigw.InputError
		if !errors.As(err, &ie) || ie.Msg != c.want || ie.Offset != off {
			t.Errorf("ParseInput(%s) = %#v, want %q at offset %d", in, err, c.want, off)
		}
	}
	// Null stands for an absent field.
	if _, err := apigw.ParseInput([]byte(`{"body": null, "params": null, "context": null, "stageVariables": null}`)); err != nil {
		t.Errorf("null fields: %v", err)
	}
}

// TestBodyMemoryReuseIsSafe stores part of the body in $context, which
// outlives the render, then renders other bodies: the stored value must not
// change when the body's memory is recycled.
func TestBodyMemoryReuseIsSafe(t *testing.T) {
	ctx := apigw.NewContext()
	_, o := render(t, `#set($context.kept = $input.path('$.a'))#set($context.list = [$input.path('$.b')])#set($context.responseOverride.header.h = $input.path('$.c'))`, &apigw.Request{Context: ctx, Body: []byte(`{"a":{"x":"one"},"b":{"y":"two"},"c":"three"}`)})
	ctx2 := apigw.NewContext()
	_, o2 := render(t, `#set($context.s = $input.path('$.s'))#set($context.requestOverride.header.h = $input.path('$.s'))`, &apigw.Request{Context: ctx2, Body: []byte(`{"s":"four"}`)})
	for i := 0; i < 20; i++ {
		render(t, `$input.path('$')`, &apigw.Request{Body: []byte(`{"a":{"x":"zzz"},"b":{"y":"www"},"c":"xxxxx","s":"yyyy"}`)})
	}
	got, _ := render(t, `$context.kept $context.list`, &apigw.Request{Context: ctx})
	if got != `{x=one} [{y=two}]` {
		t.Errorf("context value changed to %s", got)
	}
	got, _ = render(t, `$context.s`, &apigw.Request{Context: ctx2})
	if got != `four` {
		t.Errorf("context string changed to %s", got)
	}
	if _, v := o.ResponseHeader.At(0); v != "three" {
		t.Errorf("override changed to %s", v)
	}
	if _, v := o2.RequestHeader.At(0); v != "four" {
		t.Errorf("override changed to %s", v)
	}
}

// TestScratchContext: without a caller's $context, each render starts
// from an empty one; what a template set there is gone for the next.
func TestScratchContext(t *testing.T) {
	set, err := vtl.Parse("set", `#set($context.responseOverride.status = 404)#set($context.responseOverride.header.X = "1")#set($context.requestOverride.querystring.q = "v")#set($context.custom = "kept?")#set($context.requestOverride = {})`)
	if err != nil {
		t.Fatal(err)
	}
	read, err := vtl.Parse("read", `[$!context.custom][$!context.requestOverride.querystring.q][$!context.responseOverride.status]`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		var b strings.Builder
		ov, err := apigw.Render(set, &apigw.Request{}, &b)
		if err != nil {
			t.Fatal(err)
		}
		if ov.ResponseStatus != 404 || ov.ResponseHeader.Len() != 1 {
			t.Errorf("round %d: overrides %+v", i, ov)
		}
		b.Reset()
		ov, err = apigw.Render(read, &apigw.Request{}, &b)
		if err != nil {
			t.Fatal(err)
		}
		if b.String() != "[][][]" || ov.ResponseStatus != 0 || ov.ResponseHeader.Len() != 0 || ov.RequestQueryString.Len() != 0 {
			t.Errorf("round %d: the next render saw %q, overrides %+v", i, b.String(), ov)
		}
	}
}
