package apigw

import (
	"fmt"

	"gwc.dev/gwc/vtl"
)

// ParseInput reads the input file of `gwc render`:
//
//	{"body": string or null,
//	 "params": {"path": {}, "querystring": {}, "header": {}},
//	 "context": {...}, "stageVariables": {...}}
//
// Absent fields mean empty. Parameter and stage variable values must be
// strings; the context may hold any JSON. Key order is kept.
func ParseInput(data []byte) (*Request, error) {
	doc, err := vtl.ParseJSON(data, true)
	if err != nil {
		return nil, fmt.Errorf("input: %v", err)
	}
	top := doc.Map()
	if top == nil {
		return nil, fmt.Errorf("input: want a JSON object, got %s", kindName(doc))
	}
	req := &Request{Context: NewContext()}
	for i := 0; i < top.Len(); i++ {
		k, v := top.Entry(i)
		switch key := k.Str(); key {
		case "body":
			switch v.Kind() {
			case vtl.KindNull:
			case vtl.KindString:
				req.Body = []byte(v.Str())
			default:
				return nil, fmt.Errorf("input: body: want a string or null, got %s", kindName(v))
			}
		case "params":
			m := v.Map()
			if m == nil {
				return nil, fmt.Errorf("input: params: want an object, got %s", kindName(v))
			}
			for j := 0; j < m.Len(); j++ {
				pk, pv := m.Entry(j)
				var dst *Params
				switch pk.Str() {
				case "path":
					dst = &req.Path
				case "querystring":
					dst = &req.QueryString
				case "header":
					dst = &req.Header
				default:
					return nil, fmt.Errorf("input: params: unknown location %q (want path, querystring or header)", pk.Str())
				}
				if err := stringMap(dst, pv, "params."+pk.Str()); err != nil {
					return nil, err
				}
			}
		case "context":
			m := v.Map()
			if m == nil {
				return nil, fmt.Errorf("input: context: want an object, got %s", kindName(v))
			}
			ensureOverrides(m)
			req.Context = m
		case "stageVariables":
			if err := stringMap(&req.StageVariables, v, "stageVariables"); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("input: unknown field %q (want body, params, context or stageVariables)", key)
		}
	}
	return req, nil
}

func stringMap(dst *Params, v vtl.Value, where string) error {
	m := v.Map()
	if m == nil {
		if v.IsNull() {
			return nil
		}
		return fmt.Errorf("input: %s: want an object, got %s", where, kindName(v))
	}
	for i := 0; i < m.Len(); i++ {
		k, x := m.Entry(i)
		if x.Kind() != vtl.KindString {
			return fmt.Errorf("input: %s.%s: want a string, got %s", where, k.Str(), kindName(x))
		}
		dst.Add(k.Str(), x.Str())
	}
	return nil
}

func kindName(v vtl.Value) string {
	switch v.Kind() {
	case vtl.KindNull:
		return "null"
	case vtl.KindString:
		return "a string"
	case vtl.KindBool:
		return "a boolean"
	case vtl.KindList:
		return "an array"
	case vtl.KindMap:
		return "an object"
	}
	return "a number"
}
