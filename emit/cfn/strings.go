package cfn

import (
	"strings"

	"gwc.dev/gwc/diag"
)

// use says where a string goes: the resource's logical ID and property
// path (for Parameter descriptions) and the place in the definition it
// came from (for errors).
type use struct {
	id, prop string
	at       diag.Range
}

// text is a plain optional string: nil when empty. It is for free text
// (descriptions, names, mapping templates), which is never a
// CloudFormation reference.
func text(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// sub is s as the value of a property that may refer to account-dependent
// things: s itself when it has no CloudFormation reference, else an
// Fn::Sub (see sub.go).
func (e *emitter) sub(s string, u use) string {
	return e.substitute(s, false, u)
}

// subVerbatim is sub for a string that is Fn::Sub source already.
func (e *emitter) subVerbatim(s string, u use) string {
	return e.substitute(s, true, u)
}

func (e *emitter) substitute(s string, verbatim bool, u use) string {
	parts, hasRefs, err := parseSub(s, verbatim)
	if err != nil {
		e.errorf(u.at, "%s: %v", u.describe(), err)
		return s
	}
	if !hasRefs {
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(p.text)
		}
		return b.String()
	}
	for _, p := range parts {
		if raw, isParam := e.paramRef(p); isParam {
			if e.params[raw] == nil {
				e.params[raw] = map[string]bool{}
			}
			e.params[raw][u.describe()] = true
		}
	}
	if len(parts) == 1 {
		// Nothing but one reference: a plain Ref or Fn::GetAtt says it
		// more simply than Fn::Sub.
		return e.holds.put(func() any { return e.renderRef(parts[0]) })
	}
	return e.holds.put(func() any { return map[string]any{"Fn::Sub": e.renderSub(parts)} })
}

// renderRef writes a lone reference as Ref or Fn::GetAtt.
func (e *emitter) renderRef(p subPart) any {
	if raw, isParam := e.paramRef(p); isParam {
		return map[string]any{"Ref": e.paramNames[raw]}
	}
	if p.kind == attrRef {
		return map[string]any{"Fn::GetAtt": []any{p.name, p.attr}}
	}
	return map[string]any{"Ref": p.name}
}

// subPtr is sub for optional properties: nil when s is empty.
func (e *emitter) subPtr(s string, u use) *string {
	if s == "" {
		return nil
	}
	v := e.sub(s, u)
	return &v
}

// subAll applies sub to each string of a list.
func (e *emitter) subAll(ss []string, u use) []string {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = e.sub(s, u)
	}
	return out
}

// paramRef reports whether a reference names something outside the
// template, which then becomes a Parameter, and returns it as written.
func (e *emitter) paramRef(p subPart) (string, bool) {
	switch p.kind {
	case nameRef:
		return p.name, !e.resourceIDs[p.name]
	case attrRef:
		return p.text, !e.resourceIDs[p.name]
	}
	return "", false
}

// renderSub writes the Fn::Sub string of parts, once Parameters have
// their names.
func (e *emitter) renderSub(parts []subPart) string {
	var b strings.Builder
	for _, p := range parts {
		if p.kind == literal {
			b.WriteString(p.escaped)
			continue
		}
		b.WriteString("${")
		if raw, isParam := e.paramRef(p); isParam {
			b.WriteString(e.paramNames[raw])
		} else {
			b.WriteString(p.text)
		}
		b.WriteString("}")
	}
	return b.String()
}

func (u use) describe() string {
	if u.prop == "" {
		return u.id
	}
	return u.id + " " + u.prop
}
