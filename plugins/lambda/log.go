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
// stderr) and writes it whole. A line is held until its newline arrives,
// or until it grows past maxLine. A START line the instance's platform
// log holds goes out first, in the same write.
type lineWriter struct {
	out      *logOutput
	prefix   []byte
	platform *platformLog // nil: no START line to put first
	mu       sync.Mutex
	buf      []byte
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
	if w.platform != nil {
		w.platform.writeAfterStart(w.buf)
	} else {
		w.out.write(w.buf)
	}
	w.buf = w.buf[:0]
}

// platformLog writes an instance's platform lines, the ones Lambda itself
// adds to a function's log (START, END, REPORT, timeouts and exits),
// prefixed like the function's own. The START line of an invocation is
// held until the next line of the instance, the function's or the
// platform's, and goes out in the same write, which keeps it before
// everything the invocation logs: an invocation that logs nothing costs
// one write (START, END and REPORT together) rather than three, and the
// delivery of an event waits for no write at all.
type platformLog struct {
	out    *logOutput
	prefix []byte
	mu     sync.Mutex
	held   bool     // a START line is held
	start  [36]byte // its request ID
	buf    []byte
}

func newPlatformLog(out *logOutput, prefix string) *platformLog {
	return &platformLog{out: out, prefix: []byte(prefix)}
}

// startLine holds the START line of an invocation; a START line still
// held (an invocation that was not delivered after all) is dropped.
func (p *platformLog) startLine(id *[36]byte) {
	if p.out.discard {
		return
	}
	p.mu.Lock()
	p.start, p.held = *id, true
	p.mu.Unlock()
}

// begin locks the log and returns its buffer with the held START line,
// if any; end writes what was appended to it and unlocks the log.
func (p *platformLog) begin() []byte {
	p.mu.Lock()
	b := p.buf[:0]
	if p.held {
		p.held = false
		b = append(b, p.prefix...)
		b = append(b, "START RequestId: "...)
		b = append(b, p.start[:]...)
		b = append(b, " Version: $LATEST\n"...)
	}
	return b
}

func (p *platformLog) end(b []byte) {
	if len(b) > 0 {
		p.out.write(b)
	}
	if cap(b) <= 4<<10 {
		p.buf = b[:0]
	}
	p.mu.Unlock()
}

// line appends one platform line (without its newline) to b.
func (p *platformLog) line(b []byte, s string) []byte {
	b = append(b, p.prefix...)
	b = append(b, s...)
	return append(b, '\n')
}

// writeLine writes one platform line, after a held START line.
func (p *platformLog) writeLine(s string) {
	if p.out.discard {
		return
	}
	p.end(p.line(p.begin(), s))
}

// writeAfterStart writes a line of the function's output (prefixed, with
// its newline), after a held START line, in one write.
func (p *platformLog) writeAfterStart(line []byte) {
	b := p.begin()
	if len(b) == 0 {
		p.out.write(line)
		p.end(b)
		return
	}
	p.end(append(b, line...))
}
