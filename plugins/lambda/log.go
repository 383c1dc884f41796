package lambda

import (
	"bytes"
	"io"
	"sync"
)

// logOutput is the writer every local function logs to. Lines are written
// whole, one Write each, so that lines of concurrent instances never
// interleave.
type logOutput struct {
	mu      sync.Mutex
	w       io.Writer
	discard bool
}

func newLogOutput(w io.Writer) *logOutput {
	return &logOutput{w: w, discard: w == io.Discard}
}

func (o *logOutput) write(b []byte) {
	o.mu.Lock()
	o.w.Write(b)
	o.mu.Unlock()
}

// lineWriter prefixes each line of one stream (an instance's stdout or
// stderr, or the platform's own lines) and writes it whole. A line is
// held until its newline arrives, or until it grows past maxLine.
type lineWriter struct {
	out    *logOutput
	prefix []byte
	mu     sync.Mutex
	buf    []byte
}

const maxLine = 64 << 10

func newLineWriter(out *logOutput, prefix string) *lineWriter {
	return &lineWriter{out: out, prefix: []byte(prefix)}
}

func (w *lineWriter) Write(p []byte) (int, error) {
	if w.out.discard {
		return len(p), nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		if len(w.buf) == 0 {
			w.buf = append(w.buf, w.prefix...)
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.buf = append(w.buf, p...)
			if len(w.buf) >= maxLine {
				w.buf = append(w.buf, '\n')
				w.flushLocked()
			}
			break
		}
		w.buf = append(w.buf, p[:i+1]...)
		p = p[i+1:]
		w.flushLocked()
	}
	return n, nil
}

// Flush writes a last line that has no newline.
func (w *lineWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 {
		w.buf = append(w.buf, '\n')
		w.flushLocked()
	}
}

func (w *lineWriter) flushLocked() {
	w.out.write(w.buf)
	w.buf = w.buf[:0]
}
