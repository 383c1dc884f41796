package cfn

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
)

// goformation types every property, so an intrinsic function cannot be
// put where the type says string, a boolean where it says string (method
// request parameters), or an empty tag value (omitted by omitempty). A
// hold stands in for such a value: a string no definition can contain,
// replaced by the real value when the template is encoded.
//
// goformation's own encoding of intrinsics (base64 JSON in strings) is not
// used: its Template.JSON also resolves intrinsic-looking keys anywhere in
// the template, so that a model with a property named "Ref" would lose it,
// and any base64 string that decodes to one would turn into a function.
//
// Holds are resolved lazily, after every Parameter has its final name. The
// nonce makes a hold impossible to guess; it never reaches the output, so
// the output stays deterministic.
type holds struct {
	prefix string
	values []func() any
}

func newHolds() *holds {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return &holds{prefix: "\x00gwc-hold-" + hex.EncodeToString(b[:]) + "-"}
}

// put returns the stand-in for the value v will compute.
func (h *holds) put(v func() any) string {
	h.values = append(h.values, v)
	return h.prefix + strconv.Itoa(len(h.values)-1) + "\x00"
}

// value returns a fixed value's stand-in.
func (h *holds) value(v any) string {
	return h.put(func() any { return v })
}

// lookup returns the value s stands in for, if it is a hold.
func (h *holds) lookup(s string) (any, bool) {
	rest, ok := strings.CutPrefix(s, h.prefix)
	if !ok {
		return nil, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(rest, "\x00"))
	if err != nil || n < 0 || n >= len(h.values) {
		return nil, false
	}
	return h.values[n](), true
}

// ref is a Ref to the resource id.
func (e *emitter) ref(id string) string {
	return e.holds.value(map[string]any{"Ref": id})
}

// getAtt is an Fn::GetAtt of the resource id.
func (e *emitter) getAtt(id, attr string) string {
	return e.holds.value(map[string]any{"Fn::GetAtt": []any{id, attr}})
}

// boolean is a JSON boolean where goformation has a string.
func (e *emitter) boolean(b bool) string {
	return e.holds.value(b)
}

// exact is s kept exactly, even where goformation would drop "" as empty.
func (e *emitter) exact(s string) string {
	return e.holds.value(s)
}
