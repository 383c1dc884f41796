package schema

import (
	"bytes"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"

	"gwc.dev/gwc/diag"
)

// File is a source file gwc read, with a line table for turning byte
// offsets into line:column positions.
type File struct {
	Name string
	Src  []byte

	once  sync.Once
	lines []int  // byte offset of the start of each line
	ascii []bool // whether each line is all ASCII, where characters are bytes
}

// NewFile wraps the bytes of a file named name.
func NewFile(name string, src []byte) *File { return &File{Name: name, Src: src} }

func (f *File) lineStarts() []int {
	f.once.Do(func() {
		f.lines = append(f.lines, 0)
		ascii := true
		for i, c := range f.Src {
			if c >= 0x80 {
				ascii = false
			}
			if c == '\n' {
				f.lines = append(f.lines, i+1)
				f.ascii = append(f.ascii, ascii)
				ascii = true
			}
		}
		f.ascii = append(f.ascii, ascii)
	})
	return f.lines
}

// Pos turns a byte offset into a position. Columns count bytes, as CUE's do.
func (f *File) Pos(offset int) diag.Pos {
	lines := f.lineStarts()
	i := sort.Search(len(lines), func(i int) bool { return lines[i] > offset }) - 1
	if i < 0 {
		i = 0
	}
	return diag.Pos{File: f.Name, Line: i + 1, Col: offset - lines[i] + 1}
}

// Offset turns a 1-based line and a 1-based column counted in characters
// (as YAML parsers count them) into a byte offset.
func (f *File) Offset(line, charCol int) int {
	lines := f.lineStarts()
	if line < 1 || line > len(lines) {
		return len(f.Src)
	}
	off := lines[line-1]
	if f.ascii[line-1] {
		end := len(f.Src)
		if line < len(lines) {
			end = lines[line] - 1
		}
		return min(off+max(charCol-1, 0), end)
	}
	for c := 1; c < charCol && off < len(f.Src) && f.Src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(f.Src[off:])
		off += size
	}
	return off
}

// PosAt turns a YAML-style line and character column into a position with
// a byte column.
func (f *File) PosAt(line, charCol int) diag.Pos {
	return f.Pos(f.Offset(line, charCol))
}

// TextStyle says how a string is written in its source, which decides how
// offsets inside the string map to offsets in the file.
type TextStyle uint8

// The string styles gwc can map exactly. Others map each line of the value
// to a line of the source, which is close enough for an error pointer.
const (
	StyleQuoted      TextStyle = iota // "..." with backslash escapes (JSON, YAML, CUE)
	StyleCUEMulti                     // CUE """ multi-line string
	StyleBlock                        // YAML literal block (|)
	StylePlain                        // YAML plain or single-quoted, or anything else
	StyleSingleQuote                  // YAML single-quoted ('' escapes a quote)
)

// SourceText locates the token a string value came from.
type SourceText struct {
	File  *File
	Start int // offset of the token's first byte (the opening quote, or the block's first content line)
	End   int // offset just past the token
	Style TextStyle
	// Indent is the number of bytes stripped from each line of a block or
	// CUE multi-line string.
	Indent int

	once sync.Once
	off  []int // source offset of each byte of the decoded string, plus one past the end
}

// Pos maps a byte offset in the decoded string to a position in the file.
func (t *SourceText) Pos(offset int) diag.Pos {
	t.once.Do(t.build)
	if len(t.off) == 0 {
		return t.File.Pos(t.Start)
	}
	if offset < 0 {
		offset = 0
	}
	if offset >= len(t.off) {
		offset = len(t.off) - 1
	}
	return t.File.Pos(t.off[offset])
}

func (t *SourceText) build() {
	raw := t.File.Src[t.Start:min(t.End, len(t.File.Src))]
	switch t.Style {
	case StyleQuoted:
		t.off = mapQuoted(raw, t.Start)
	case StyleCUEMulti:
		t.off = mapIndentedLines(raw, t.Start, t.Indent, true)
	case StyleBlock:
		t.off = mapIndentedLines(raw, t.Start, t.Indent, false)
	case StyleSingleQuote:
		t.off = mapSingleQuoted(raw, t.Start)
	default:
		t.off = mapPlain(raw, t.Start)
	}
}

// mapQuoted walks a double-quoted token, decoding backslash escapes, and
// records where each decoded byte came from.
func mapQuoted(raw []byte, base int) []int {
	var off []int
	i := 0
	if len(raw) > 0 && raw[0] == '"' {
		i = 1
	}
	for i < len(raw) {
		c := raw[i]
		if c == '"' {
			break
		}
		if c != '\\' || i+1 >= len(raw) {
			off = append(off, base+i)
			i++
			continue
		}
		switch raw[i+1] {
		case 'u', 'U', 'x':
			n := map[byte]int{'u': 4, 'U': 8, 'x': 2}[raw[i+1]]
			end := min(i+2+n, len(raw))
			r, err := strconv.ParseUint(string(raw[i+2:end]), 16, 32)
			size := 1
			if err == nil {
				size = utf8.RuneLen(rune(r))
				if size < 0 {
					size = 3
				}
			}
			for range size {
				off = append(off, base+i)
			}
			i = end
		default:
			off = append(off, base+i)
			i += 2
		}
	}
	return append(off, base+i)
}

// mapSingleQuoted maps a YAML single-quoted token, where ” stands for '.
func mapSingleQuoted(raw []byte, base int) []int {
	var off []int
	i := 0
	if len(raw) > 0 && raw[0] == '\'' {
		i = 1
	}
	for i < len(raw) {
		if raw[i] == '\'' {
			if i+1 < len(raw) && raw[i+1] == '\'' {
				off = append(off, base+i)
				i += 2
				continue
			}
			break
		}
		off = append(off, base+i)
		i++
	}
	return append(off, base+i)
}

// mapIndentedLines maps a string whose lines are the source lines minus a
// fixed indentation: a YAML literal block, or a CUE multi-line string
// (whose first line, after the opening quotes, is not part of the value).
func mapIndentedLines(raw []byte, base, indent int, cueMulti bool) []int {
	var off []int
	i := 0
	if cueMulti {
		nl := bytes.IndexByte(raw, '\n')
		if nl < 0 {
			return mapQuoted(raw, base)
		}
		i = nl + 1
	}
	for i < len(raw) {
		// Skip the indentation of this line.
		j := i
		for j < len(raw) && j-i < indent && (raw[j] == ' ' || raw[j] == '\t') {
			j++
		}
		for j < len(raw) && raw[j] != '\n' {
			if cueMulti && raw[j] == '\\' && j+1 < len(raw) {
				off = append(off, base+j)
				j += 2
				continue
			}
			off = append(off, base+j)
			j++
		}
		if j < len(raw) {
			off = append(off, base+j) // the newline
			j++
		}
		i = j
	}
	return append(off, base+len(raw))
}

// mapPlain maps a plain YAML scalar by its characters, folding line breaks
// into single spaces as YAML does.
func mapPlain(raw []byte, base int) []int {
	var off []int
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\n' {
			off = append(off, base+i)
			for i+1 < len(raw) && (raw[i+1] == ' ' || raw[i+1] == '\t') {
				i++
			}
			continue
		}
		off = append(off, base+i)
	}
	return append(off, base+len(raw))
}
