package apigw

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"gwc.dev/gwc/vtl"
)

// InputError is a problem with the input file of `gwc render`. Offset is
// the byte offset in the file the problem is at, for a line and column.
type InputError struct {
	Offset int
	Msg    string // lower case, no trailing period
}

func (e *InputError) Error() string { return fmt.Sprintf("input: offset %d: %s", e.Offset, e.Msg) }

// ParseInput reads the input file of `gwc render`:
//
//	{"body": string or null,
//	 "params": {"path": {}, "querystring": {}, "header": {}},
//	 "context": {...}, "stageVariables": {...}}
//
// Absent fields mean empty. Parameter and stage variable values must be
// strings; the context may hold any JSON. Key order is kept. The error is
// an *InputError.
func ParseInput(data []byte) (*Request, error) {
	doc, err := vtl.ParseJSON(data, true)
	if err != nil {
		var je *vtl.JSONError
		if errors.As(err, &je) {
			return nil, &InputError{Offset: je.Offset, Msg: "invalid JSON: " + je.Msg}
		}
		return nil, &InputError{Msg: err.Error()}
	}
	// The document is valid JSON; locating keys in its text is only needed
	// to point at a problem.
	at := func(path ...string) int { return locate(data, path) }
	top := doc.Map()
	if top == nil {
		return nil, &InputError{Offset: at(), Msg: "want a JSON object, got " + kindName(doc)}
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
				return nil, &InputError{Offset: at(key), Msg: "body: want a string or null, got " + kindName(v)}
			}
		case "params":
			m := v.Map()
			if m == nil {
				if v.IsNull() {
					continue
				}
				return nil, &InputError{Offset: at(key), Msg: "params: want an object, got " + kindName(v)}
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
					return nil, &InputError{Offset: keyOffset(data, []string{key}, pk.Str()),
						Msg: fmt.Sprintf("params: unknown location %q (want path, querystring or header)", pk.Str())}
				}
				if err := stringMap(data, dst, pv, key, pk.Str()); err != nil {
					return nil, err
				}
			}
		case "context":
			m := v.Map()
			if m == nil {
				if v.IsNull() {
					continue
				}
				return nil, &InputError{Offset: at(key), Msg: "context: want an object, got " + kindName(v)}
			}
			ensureOverrides(m)
			req.Context = m
		case "stageVariables":
			if err := stringMap(data, &req.StageVariables, v, key); err != nil {
				return nil, err
			}
		default:
			return nil, &InputError{Offset: keyOffset(data, nil, key),
				Msg: fmt.Sprintf("unknown field %q (want body, params, context or stageVariables)", key)}
		}
	}
	return req, nil
}

// stringMap adds the members of the object v, found at path in data, to
// dst; every value must be a string.
func stringMap(data []byte, dst *Params, v vtl.Value, path ...string) error {
	where := joinPath(path)
	m := v.Map()
	if m == nil {
		if v.IsNull() {
			return nil
		}
		return &InputError{Offset: locate(data, path), Msg: where + ": want an object, got " + kindName(v)}
	}
	for i := 0; i < m.Len(); i++ {
		k, x := m.Entry(i)
		if x.Kind() != vtl.KindString {
			return &InputError{Offset: locate(data, append(path, k.Str())),
				Msg: fmt.Sprintf("%s.%s: want a string, got %s", where, k.Str(), kindName(x))}
		}
		dst.Add(k.Str(), x.Str())
	}
	return nil
}

func joinPath(path []string) string {
	s := ""
	for i, p := range path {
		if i > 0 {
			s += "."
		}
		s += p
	}
	return s
}

// locate returns the offset of the value at path (a chain of object keys)
// in the valid JSON document data, or of the deepest part of path found.
// A repeated key is found at its first occurrence.
func locate(data []byte, path []string) int {
	off, _ := find(data, path, "")
	return off
}

// keyOffset returns the offset of the key named key in the object at path.
func keyOffset(data []byte, path []string, key string) int {
	off, _ := find(data, path, key)
	return off
}

// find walks data along path with encoding/json's tokenizer, which reports
// offsets, and returns the offset of the value at path, or of the key
// named key inside it when key is not empty.
func find(data []byte, path []string, key string) (int, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	off := skipSeparators(data, 0)
	steps := path
	if key != "" {
		steps = append(append([]string(nil), path...), key)
	}
	for i, want := range steps {
		tok, err := dec.Token()
		if err != nil || tok != json.Delim('{') {
			return off, false
		}
		found := false
		for dec.More() {
			keyStart := skipSeparators(data, int(dec.InputOffset()))
			tok, err := dec.Token()
			if err != nil {
				return off, false
			}
			if tok == want {
				if key != "" && i == len(steps)-1 {
					return keyStart, true
				}
				off = skipSeparators(data, int(dec.InputOffset()))
				found = true
				break
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return off, false
			}
		}
		if !found {
			return off, false
		}
	}
	return off, true
}

// skipSeparators skips the whitespace, colons and commas between tokens.
func skipSeparators(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r', ':', ',':
			i++
			continue
		}
		break
	}
	return i
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
