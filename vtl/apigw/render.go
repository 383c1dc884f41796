package apigw

import (
	"io"
	"strconv"
	"strings"
	"sync"

	"gwc.dev/gwc/vtl"
)

// Overrides are the $context.requestOverride and $context.responseOverride
// values a template set, in the order it set them.
type Overrides struct {
	RequestHeader      Params
	RequestQueryString Params
	RequestPath        Params
	ResponseHeader     Params
	// ResponseStatus is $context.responseOverride.status when the template
	// set it to an integer from 100 to 599 (or a string holding one); 0
	// otherwise. API Gateway's handling of other values is unknown, so they
	// are ignored, as LocalStack ignores them.
	ResponseStatus int
}

var contexts = sync.Pool{New: func() any { return vtl.NewContext() }}

var utilValue = vtl.ObjectValue(util{})

// Render renders t for req and writes the output to w. The error is a
// *vtl.Error positioned in the template, or w's error.
func Render(t *vtl.Template, req *Request, w io.Writer) (Overrides, error) {
	ctx := contexts.Get().(*vtl.Context)
	defer func() {
		ctx.Reset()
		contexts.Put(ctx)
	}()
	ctx.APIGateway = true
	ctx.Limits = req.Limits
	if ctx.Limits.MaxLoopIterations == 0 {
		ctx.Limits.MaxLoopIterations = 1000
	}
	cm := req.Context
	if cm == nil {
		cm = vtl.NewMap(2)
	}
	ensureOverrides(cm)
	in := &input{req: req}
	ctx.Set("input", vtl.ObjectValue(in))
	ctx.Set("util", utilValue)
	ctx.Set("context", vtl.MapValue(cm))
	ctx.Set("stageVariables", vtl.MapValue(req.StageVariables.toMap()))
	err := t.Render(w, ctx)
	var o Overrides
	if err == nil {
		o = readOverrides(cm)
	}
	in.release(cm)
	return o, err
}

// readOverrides collects the override maps after a render.
func readOverrides(cm *vtl.Map) Overrides {
	var o Overrides
	req := childMap(cm, "requestOverride")
	collect(&o.RequestHeader, childMap(req, "header"))
	collect(&o.RequestQueryString, childMap(req, "querystring"))
	collect(&o.RequestPath, childMap(req, "path"))
	resp := childMap(cm, "responseOverride")
	collect(&o.ResponseHeader, childMap(resp, "header"))
	if v, ok := resp.GetString("status"); ok {
		o.ResponseStatus = statusOf(v)
	}
	return o
}

func collect(p *Params, m *vtl.Map) {
	for i := 0; i < m.Len(); i++ {
		k, v := m.Entry(i)
		if v.IsNull() {
			continue
		}
		name := k.Str()
		if k.Kind() != vtl.KindString {
			name = k.String()
		}
		// Clone: the value may point into the body's memory, which is
		// reused after the render.
		p.Add(strings.Clone(name), strings.Clone(v.String()))
	}
}

func statusOf(v vtl.Value) int {
	var n int64
	switch v.Kind() {
	case vtl.KindInt, vtl.KindLong:
		n = v.Int64()
	case vtl.KindString:
		i, err := strconv.Atoi(strings.TrimSpace(v.Str()))
		if err != nil {
			return 0
		}
		n = int64(i)
	default:
		return 0
	}
	if n < 100 || n > 599 {
		return 0
	}
	return int(n)
}
