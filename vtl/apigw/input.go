package apigw

import (
	"errors"
	"unsafe"

	"gwc.dev/gwc/vtl"
)

// input is $input. It is part of a pooled renderState: start and end
// bracket each render.
type input struct {
	req *Request

	parsed bool
	doc    vtl.Value // the body, parsed on first use
	docErr error
	body   string // $input.body, made on first use
	arena  *vtl.JSONArena
	text   textBuf // results of $input.json and $util, kept across renders
}

func (in *input) start(req *Request) {
	in.req = req
	in.text.start = len(in.text.buf)
}

func (in *input) end() {
	*in = input{arena: in.arena, text: in.text}
}

// textBuf makes strings by appending their bytes to a buffer that is never
// overwritten: a full buffer is replaced, not reused, so every string made
// stays valid for as long as anything refers to it, across renders, while
// strings share a few allocations.
type textBuf struct {
	buf   []byte
	start int // where the strings of the current render begin in buf
}

// recycle makes the memory of the strings made since start reusable, when
// nothing refers to them; earlier renders' strings may still be referred
// to.
func (b *textBuf) recycle() { b.buf = b.buf[:b.start] }

// textBufSize is the size of a new buffer; a result longer than what
// remains of the buffer is appended anyway, and append moves it.
const textBufSize = 8 << 10

// begin prepares for appending a string of about n bytes and returns
// where it starts.
func (b *textBuf) begin(n int) int {
	if cap(b.buf)-len(b.buf) < n {
		// Earlier renders' strings stay in the old buffer; the new one
		// holds only this render's.
		b.buf, b.start = make([]byte, 0, max(textBufSize, n)), 0
	}
	return len(b.buf)
}

// end returns the string appended since start.
func (b *textBuf) end(start int) string {
	s := b.buf[start:]
	if len(s) == 0 {
		return ""
	}
	return unsafe.String(&s[0], len(s))
}

// emptyBody is what API Gateway shows for an empty payload (recorded:
// $input.body and $input.json('$') of an empty body are "{}").
const emptyBody = "{}"

func (in *input) bodyString() string {
	if len(in.req.Body) == 0 {
		return emptyBody
	}
	if in.body == "" {
		start := in.text.begin(len(in.req.Body))
		in.text.buf = append(in.text.buf, in.req.Body...)
		in.body = in.text.end(start)
	}
	return in.body
}

func (in *input) document() (vtl.Value, error) {
	if !in.parsed {
		in.parsed = true
		b := in.req.Body
		if len(b) == 0 {
			b = []byte(emptyBody)
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
		return vtl.String(in.bodyString()), true
	}
	return vtl.Null, false
}

func (in *input) Call(name string, args []vtl.Value) (vtl.Value, bool, error) {
	switch {
	case name == "getBody" && len(args) == 0:
		return vtl.String(in.bodyString()), true, nil
	case name == "params" && len(args) == 0:
		m := in.arena.NewMap(3)
		m.PutString("path", vtl.MapValue(in.req.Path.toMap(in.arena)))
		m.PutString("querystring", vtl.MapValue(in.req.QueryString.toMap(in.arena)))
		m.PutString("header", vtl.MapValue(in.req.Header.toMap(in.arena)))
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
			start := in.text.begin(256)
			in.text.buf = vtl.AppendJSON(in.text.buf, v)
			return vtl.String(in.text.end(start)), true, nil
		}
		return v, true, nil
	}
	return vtl.Null, false, nil
}

func (in *input) String() string { return "$input" }
