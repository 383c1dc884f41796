package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// document encodes the goformation template and decodes it again into
// plain JSON values, putting the real values in place of holds and adding
// the properties goformation lacks. Numbers stay json.Number, so that
// integers stay integers.
func (e *emitter) document() (map[string]any, error) {
	raw, err := json.Marshal(e.tmpl)
	if err != nil {
		return nil, fmt.Errorf("encode template: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode template: %w", err)
	}
	resources, _ := doc["Resources"].(map[string]any)
	for id, props := range e.overlays {
		res, _ := resources[id].(map[string]any)
		if res == nil {
			return nil, fmt.Errorf("property overlay for missing resource %s", id)
		}
		p, _ := res["Properties"].(map[string]any)
		if p == nil {
			p = map[string]any{}
			res["Properties"] = p
		}
		mergeInto(p, props)
	}
	return e.resolveHolds(doc).(map[string]any), nil
}

// resolveHolds replaces every hold in v by the value it stands for.
func (e *emitter) resolveHolds(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			x[k] = e.resolveHolds(val)
		}
	case []any:
		for i, val := range x {
			x[i] = e.resolveHolds(val)
		}
	case string:
		if real, ok := e.holds.lookup(x); ok {
			return e.resolveHolds(real)
		}
	}
	return v
}

// mergeInto copies src into dst, merging nested objects.
func mergeInto(dst, src map[string]any) {
	for k, v := range src {
		if sub, ok := v.(map[string]any); ok {
			if d, ok := dst[k].(map[string]any); ok {
				mergeInto(d, sub)
				continue
			}
		}
		dst[k] = v
	}
}
