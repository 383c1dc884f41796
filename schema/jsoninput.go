package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// parseJSON reads a JSON document into a tree with positions. JSON is
// YAML, and ParseYAML could read it, but OpenAPI documents are often large
// JSON files, and this reader is many times faster. Anything it cannot
// read is handed to the YAML reader, which reports the error.
func parseJSON(f *File) (*Node, error) {
	r := jsonReader{f: f, dec: json.NewDecoder(bytes.NewReader(f.Src))}
	r.dec.UseNumber()
	n, err := r.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := r.dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return n, nil
}

// looksLikeJSON reports whether a document starts like JSON.
func looksLikeJSON(src []byte) bool {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	src = bytes.TrimLeft(src, " \t\r\n")
	return len(src) > 0 && (src[0] == '{' || src[0] == '[')
}

type jsonReader struct {
	f   *File
	dec *json.Decoder
}

// start returns the offset where the next value begins: the decoder
// stops after a token, before the separators that follow it.
func (r *jsonReader) start() int {
	off := int(r.dec.InputOffset())
	src := r.f.Src
	for off < len(src) {
		switch src[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (r *jsonReader) value(depth int) (*Node, error) {
	if depth > maxYAMLDepth {
		return nil, errors.New("too deep")
	}
	off := r.start()
	pos := r.f.Pos(off)
	tok, err := r.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := NewMap(pos)
			for r.dec.More() {
				koff := r.start()
				ktok, err := r.dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := ktok.(string)
				if m.Get(key) != nil {
					return nil, errors.New("duplicate key")
				}
				child, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				child.KeyPos = r.f.Pos(koff)
				m.Set(key, child)
			}
			if _, err := r.dec.Token(); err != nil {
				return nil, err
			}
			return m, nil
		case '[':
			l := NewList(pos)
			for r.dec.More() {
				child, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				l.Append(child)
			}
			if _, err := r.dec.Token(); err != nil {
				return nil, err
			}
			return l, nil
		}
	case string:
		n := NewString(t, pos)
		n.Text = &SourceText{File: r.f, Start: off, End: int(r.dec.InputOffset()), Style: StyleQuoted}
		return n, nil
	case json.Number:
		return NewNumber(t.String(), pos), nil
	case bool:
		return NewBool(t, pos), nil
	case nil:
		return &Node{Kind: NullKind, Pos: pos}, nil
	}
	return nil, errors.New("unexpected token")
}
