package vtl

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Template is a parsed template. It is immutable and safe for concurrent
// rendering.
type Template struct {
	name   string
	src    string
	nodes  []node
	macros map[string]*macroDef
	slots  *slotTable

	evalMu    sync.Mutex
	evalCache map[string]*evaluated // #evaluate'd sources, bounded
}

type evaluated struct {
	nodes  []node
	macros map[string]*macroDef
}

const evalCacheMax = 64

// Parse parses a template. name is used in error messages. A syntax error
// is a *Error.
func Parse(name, src string) (*Template, error) {
	t := &Template{name: name, src: src, macros: map[string]*macroDef{}, slots: &slotTable{index: map[string]int{}}}
	nodes, err := parseTemplate(name, src, 0, src, t.macros, t.slots)
	if err != nil {
		return nil, err
	}
	t.nodes = nodes
	return t, nil
}

// Name returns the name given to Parse.
func (t *Template) Name() string { return t.name }

// Source returns the template text.
func (t *Template) Source() string { return t.src }

// parseEvaluated parses the text of an #evaluate, caching a bounded number
// of distinct texts.
func (t *Template) parseEvaluated(src string) (*evaluated, *Error) {
	t.evalMu.Lock()
	e := t.evalCache[src]
	t.evalMu.Unlock()
	if e != nil {
		return e, nil
	}
	// The text may live in memory a later render reuses (the body, or
	// a string the template built), and the nodes keep pieces of it.
	src = strings.Clone(src)
	e = &evaluated{macros: map[string]*macroDef{}}
	nodes, err := parseTemplate("#evaluate", src, 0, src, e.macros, nil)
	if err != nil {
		return nil, err
	}
	e.nodes = nodes
	t.evalMu.Lock()
	if t.evalCache == nil {
		t.evalCache = map[string]*evaluated{}
	}
	if len(t.evalCache) < evalCacheMax {
		t.evalCache[src] = e
	}
	t.evalMu.Unlock()
	return e, nil
}

// Render renders t with the variables of ctx and writes the output to w.
// On error nothing is written and the error is a *Error positioned in the
// template, or the error returned by w.
func (t *Template) Render(w io.Writer, ctx *Context) error {
	out, err := t.render(ctx)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// RenderString renders t to a string.
func (t *Template) RenderString(ctx *Context) (string, error) {
	out, err := t.render(ctx)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// render returns the output, which aliases ctx's buffer until the next
// render with ctx.
func (t *Template) render(ctx *Context) (out []byte, err error) {
	n := len(t.slots.index)
	if cap(ctx.slotCache) < n {
		ctx.slotCache = make([]int32, n)
		ctx.slotOwner = nil
	}
	cache := ctx.slotCache[:n]
	if ctx.slotOwner != t || ctx.slotGen != ctx.gen {
		clear(cache)
		ctx.slotOwner, ctx.slotGen = t, ctx.gen
	}
	ctx.stored = false
	if cap(ctx.siteCache) < t.slots.sites {
		// Entries are only hints, checked before use, so they need no
		// clearing between renders or templates.
		ctx.siteCache = make([]int32, t.slots.sites)
	}
	// The renderer lives in the Context so that its stacks, its string
	// buffer and its spare loop scopes serve render after render.
	r := &ctx.r
	*r = renderer{
		t: t, ctx: ctx, lim: ctx.Limits.withDefaults(), out: ctx.buf[:0], cache: cache,
		macros: r.macros[:0], args: r.args[:0], strings: r.strings, scopes: r.scopes,
		sites: ctx.siteCache[:t.slots.sites],
	}
	r.strings.start = len(r.strings.buf)
	defer func() {
		// Rendering is written not to panic; this is the last line of
		// defence that keeps a bug from taking the process down.
		if p := recover(); p != nil {
			out, err = nil, newError(t.name, t.src, 0, "internal error while rendering: %v", p)
		}
	}()
	err = r.render(t.nodes)
	ctx.buf = r.out
	switch sig := err.(type) {
	case nil, stopSignal:
	case breakSignal:
		if sig.target != nil {
			return nil, newError(t.name, t.src, 0, "#break names a loop that is not running")
		}
	default:
		var e *Error
		if !errors.As(err, &e) {
			return nil, fmt.Errorf("vtl: %w", err)
		}
		return nil, err
	}
	return r.out, nil
}
