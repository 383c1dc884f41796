package apigw

import (
	"errors"
	"sync"
	"unsafe"

	"gwc.dev/gwc/vtl"
)

// input is $input.
type input struct {
	req *Request

	parsed  bool
	doc     vtl.Value // the body, parsed on first use
	docErr  error
	arena   *vtl.JSONArena
	scratch []byte // append-only buffer of $input.json results
}

// arenas recycle the memory of parsed bodies between renders.
var arenas = sync.Pool{New: func() any { return new(vtl.JSONArena) }}

// release returns the body's memory for reuse, unless the template stored
// part of the body in the $context map, which outlives the render.
func (in *input) release(ctx *vtl.Map) {
	if in.arena == nil {
		return
	}
	if in.arena.Contains(vtl.MapValue(ctx)) {
		return
	}
	in.arena.Reset()
	arenas.Put(in.arena)
	in.arena = nil
}

// emptyBody is what API Gateway shows for an empty payload (recorded:
// $input.body and $input.json('$') of an empty body are "{}").
const emptyBody = "{}"

func (in *input) body() string {
	if len(in.req.Body) == 0 {
		return emptyBody
	}
	return string(in.req.Body)
}

func (in *input) document() (vtl.Value, error) {
	if !in.parsed {
		in.parsed = true
		b := in.req.Body
		if len(b) == 0 {
			b = []byte(emptyBody)
		}
		if in.arena == nil {
			in.arena = arenas.Get().(*vtl.JSONArena)
		}
		v, err := in.arena.Parse(b, true)
		if err != nil {
			in.docErr = errors.New("the body is not valid JSON: " + err.Error())
		} else {
			in.doc = v
		}
	}
	return in.doc, in.docErr
}

func (in *input) Property(name string) (vtl.Value, bool) {
	if name == "body" || name == "Body" {
		return vtl.String(in.body()), true
	}
	return vtl.Null, false
}

func (in *input) Call(name string, args []vtl.Value) (vtl.Value, bool, error) {
	switch {
	case name == "getBody" && len(args) == 0:
		return vtl.String(in.body()), true, nil
	case name == "params" && len(args) == 0:
		m := vtl.NewMap(3)
		m.PutString("path", vtl.MapValue(in.req.Path.toMap()))
		m.PutString("querystring", vtl.MapValue(in.req.QueryString.toMap()))
		m.PutString("header", vtl.MapValue(in.req.Header.toMap()))
		return vtl.MapValue(m), true, nil
	case name == "params" && len(args) == 1:
		if args[0].Kind() != vtl.KindString {
			return vtl.Null, false, nil
		}
		n := args[0].Str()
		if v, ok := in.req.Path.Get(n); ok {
			return vtl.String(v), true, nil
		}
		if v, ok := in.req.QueryString.Get(n); ok {
			return vtl.String(v), true, nil
		}
		if v, ok := in.req.Header.getFold(n); ok {
			return vtl.String(v), true, nil
		}
		return vtl.String(""), true, nil
	case (name == "path" || name == "json") && len(args) == 1:
		if args[0].Kind() != vtl.KindString {
			return vtl.Null, false, nil
		}
		doc, err := in.document()
		if err != nil {
			return vtl.Null, true, err
		}
		v, err := evalPath(doc, args[0].Str())
		if err != nil {
			return vtl.Null, true, err
		}
		if name == "json" {
			// Results share one append-only buffer per render; bytes are
			// never overwritten, so the strings stay valid.
			start := len(in.scratch)
			in.scratch = vtl.AppendJSON(in.scratch, v)
			if cap(in.scratch) > 4096 && start > 0 {
				// Start a new buffer rather than let one grow unbounded.
				in.scratch = vtl.AppendJSON(make([]byte, 0, 1024), v)
				start = 0
			}
			b := in.scratch[start:]
			if len(b) == 0 {
				return vtl.String(""), true, nil
			}
			return vtl.String(unsafe.String(&b[0], len(b))), true, nil
		}
		return v, true, nil
	}
	return vtl.Null, false, nil
}

func (in *input) String() string { return "$input" }
