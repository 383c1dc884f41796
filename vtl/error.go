// Package vtl is a Velocity Template Language engine with the semantics of
// Apache Velocity 1.7, the engine behind AWS API Gateway mapping templates.
//
// A template is parsed once with Parse into an immutable *Template that many
// goroutines may render at the same time. Rendering runs in a sandbox: loops,
// macro recursion, #evaluate nesting, output size and total work are bounded,
// so no template can hang or crash the process. The package imports only the
// standard library.
package vtl

import "fmt"

// Error is a positioned parse or render error. Line and Col are 1-based, Col
// counting bytes of the template text; Offset is the byte offset into the
// template source, so callers can map the position back into the file the
// template came from.
type Error struct {
	Name   string // template name given to Parse
	Line   int
	Col    int
	Offset int
	Msg    string // lower case, no trailing period
}

// Error formats the error as "name:line:col: msg".
func (e *Error) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Col, e.Msg)
}

// newError builds an Error at byte offset off of src.
func newError(name, src string, off int, format string, args ...any) *Error {
	line, col := position(src, off)
	return &Error{Name: name, Line: line, Col: col, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// position converts a byte offset into a 1-based line and byte column.
// A "\r\n" pair or a lone "\r" ends a line as "\n" does, as in Velocity.
func position(src string, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	line, start := 1, 0
	for i := 0; i < off; i++ {
		switch src[i] {
		case '\n':
			line++
			start = i + 1
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				continue
			}
			line++
			start = i + 1
		}
	}
	return line, off - start + 1
}
