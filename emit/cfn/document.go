package cfn

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// JSON documents (a resource policy, a model's schema) are written as
// objects, which read best in a template. CloudFormation, though, reads
// any object key "Ref" or "Fn::..." as an intrinsic function, wherever it
// is: a model with a property named "Ref" would break the template. Such
// a document is written as a JSON string instead, which both properties
// accept.

// policy prepares a resource policy: every string in it may refer to
// account-dependent things, as other ARNs do.
func (e *emitter) policy(v any, u use) any {
	if hasIntrinsicKey(v) {
		text, err := canonicalJSON(v)
		if err != nil {
			e.errorf(u.at, "%s: %v", u.describe(), err)
			return nil
		}
		return e.sub(text, u)
	}
	return e.mapStrings(v, func(s string) any { return e.sub(s, u) })
}

// mapStrings copies a JSON value, replacing every string (not keys) by f.
func (e *emitter) mapStrings(v any, f func(string) any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = e.mapStrings(val, f)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = e.mapStrings(val, f)
		}
		return out
	case string:
		return f(x)
	}
	return v
}

// hasIntrinsicKey reports whether any object in v has a key CloudFormation
// would take for an intrinsic function.
func hasIntrinsicKey(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "Ref" || strings.HasPrefix(k, "Fn::") || hasIntrinsicKey(val) {
				return true
			}
		}
	case []any:
		return slices.ContainsFunc(x, hasIntrinsicKey)
	}
	return false
}

// canonicalJSON encodes v compactly with sorted keys, leaving <, > and &
// as they are.
func canonicalJSON(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
