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

// Render renders t for req and writes the output to w. The error is a
// *vtl.Error positioned in the template, or w's error.
//
// Everything a render needs (the vtl Context, $input, $util, the memory of
// the parsed body and of the results of $input.json and $util) comes from
// a pool and goes back to it afterwards, so that rendering a request
// allocates next to nothing. What a template stores in the $context map
// outlives the render: memory it refers to is never reused.
func Render(t *vtl.Template, req *Request, w io.Writer) (Overrides, error) {
	st := states.Get().(*renderState)
	ctx := st.ctx
	ctx.APIGateway = true
	ctx.Limits = req.Limits
	if ctx.Limits.MaxLoopIterations == 0 {
		ctx.Limits.MaxLoopIterations = 1000
	}
	cm := req.Context
	scratch := cm == nil
	if scratch {
		// Nobody sees this $context after the render: the state's own,
		// emptied afterwards, saves building six maps per render.
		cm = st.scratch.get()
	}
	om := ensureOverrides(cm)
	st.in.start(req)
	ctx.Set("input", st.inputValue)
	ctx.Set("util", st.utilValue)
	ctx.Set("context", vtl.MapValue(cm))
	ctx.Set("stageVariables", vtl.MapValue(req.StageVariables.toMap(st.in.arena)))
	err := t.Render(w, ctx)
	var o Overrides
	if err == nil {
		if ctx.Stored() {
			// The template may have replaced the maps.
			om = ensureOverrides(cm)
		}
		o = readOverrides(om)
	}
	ctx.Reset()
	if scratch {
		st.scratch.reset()
	}
	st.release(cm)
	return o, err
}

// scratchContext is a $context map with its override maps, reused by the
// renders of one state when the caller gives none.
type scratchContext struct {
	top, req *vtl.Map
	om       overrideMaps
}

func (s *scratchContext) get() *vtl.Map {
	if s.top == nil {
		s.top = vtl.NewMap(2)
		s.om = ensureOverrides(s.top)
		v, _ := s.top.GetString("requestOverride")
		s.req = v.Map()
		return s.top
	}
	return s.top
}

// reset empties every map, whatever the template put in them, and puts
// the override maps back in place.
func (s *scratchContext) reset() {
	for _, m := range []*vtl.Map{s.top, s.req, s.om.reqHeader, s.om.reqQuery, s.om.reqPath, s.om.resp, s.om.respHeader} {
		m.Clear()
	}
	s.top.PutString("requestOverride", vtl.MapValue(s.req))
	s.top.PutString("responseOverride", vtl.MapValue(s.om.resp))
	s.req.PutString("header", vtl.MapValue(s.om.reqHeader))
	s.req.PutString("querystring", vtl.MapValue(s.om.reqQuery))
	s.req.PutString("path", vtl.MapValue(s.om.reqPath))
	s.om.resp.PutString("header", vtl.MapValue(s.om.respHeader))
}

// renderState is what one render needs, kept in a pool between renders.
type renderState struct {
	scratch    scratchContext
	ctx        *vtl.Context
	in         input
	util       util
	inputValue vtl.Value // $input, boxed once
	utilValue  vtl.Value // $util, boxed once
}

var states = sync.Pool{New: func() any { return newRenderState() }}

func newRenderState() *renderState {
	st := &renderState{ctx: vtl.NewContext()}
	st.in.arena = new(vtl.JSONArena)
	st.util.text = &st.in.text
	st.inputValue = vtl.ObjectValue(&st.in)
	st.utilValue = vtl.ObjectValue(&st.util)
	return st
}

// release returns st to the pool once the render is over. Memory the
// $context map still refers to is left to the garbage collector: an arena
// holding part of the body gets replaced, and a state whose $input or
// $util the template stored is not reused at all, since a later render
// would change what they show.
func (st *renderState) release(cm *vtl.Map) {
	in := &st.in
	arenaKept, objectKept := false, false
	// Before the render nothing in $context referred to st (a state whose
	// memory a template kept is never reused), and only a store can have
	// changed that.
	if st.ctx.Stored() {
		vtl.Reaches(vtl.MapValue(cm), func(v vtl.Value) bool {
			switch {
			case v.Kind() == vtl.KindObject:
				if o := v.Object(); o == vtl.Object(in) || o == vtl.Object(&st.util) {
					objectKept = true
				}
			case !arenaKept && in.arena.Owns(v):
				arenaKept = true
			}
			return objectKept
		})
	}
	if objectKept {
		return
	}
	if arenaKept {
		in.arena = new(vtl.JSONArena)
	} else {
		in.arena.Reset()
	}
	if !st.ctx.Stored() {
		// Nothing outside the render can refer to the strings it made.
		st.ctx.Recycle()
		in.text.recycle()
	}
	in.end()
	states.Put(st)
}

// readOverrides collects the override maps after a render.
func readOverrides(om overrideMaps) Overrides {
	var o Overrides
	collect(&o.RequestHeader, om.reqHeader)
	collect(&o.RequestQueryString, om.reqQuery)
	collect(&o.RequestPath, om.reqPath)
	collect(&o.ResponseHeader, om.respHeader)
	if v, ok := om.resp.GetString("status"); ok {
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
