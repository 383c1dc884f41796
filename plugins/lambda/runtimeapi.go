package lambda

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"time"
)

// The Lambda Runtime API, version 2018-06-01, as an instance's runtime
// sees it at AWS_LAMBDA_RUNTIME_API:
//
//	GET  /2018-06-01/runtime/invocation/next
//	POST /2018-06-01/runtime/invocation/{id}/response
//	POST /2018-06-01/runtime/invocation/{id}/error
//	POST /2018-06-01/runtime/init/error
//
// Answers and their status codes follow AWS's reference for the API
// (runtimes-api in the Lambda developer guide).
//
// The API is served by a small HTTP/1.1 server of its own rather than
// net/http, because it is on the path of every invocation and its shape
// allows a shortcut: a runtime asks for its next invocation and waits,
// and the call that brings one writes the answer on the waiting
// connection itself. Between invocations no goroutine waits on a channel
// and none reads in the background; the connection's goroutine is parked
// in its read of the runtime's next request, which is also how a runtime
// that hangs up is noticed. The server speaks what runtime clients send:
// keep-alive, Content-Length or chunked bodies with trailers (which
// aws-lambda-go uses), Expect: 100-continue, Connection: close.

const apiPrefix = "/2018-06-01/runtime/"

// Headers of the Runtime API.
const (
	hdrErrorType = "Lambda-Runtime-Function-Error-Type"
	// trlErrorBody is the trailer in which a runtime that fails while
	// streaming its response sends the error document, base64-encoded
	// (aws-lambda-go does).
	trlErrorBody = "Lambda-Runtime-Function-Error-Body"
)

// maxHeaderLine bounds a request's header lines. aws-lambda-go sends the
// X-Ray cause of an error, up to 1 MB, in a header.
const maxHeaderLine = 1<<20 + 64<<10

// serve accepts the runtime's connections.
func (i *instance) serve(ln net.Listener) {
	for {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		if tc, ok := nc.(*net.TCPConn); ok {
			tc.SetNoDelay(true)
		}
		c := &rtConn{inst: i, nc: nc, br: bufio.NewReaderSize(nc, 8<<10), bw: bufio.NewWriterSize(nc, 8<<10)}
		i.mu.Lock()
		if i.gone {
			i.mu.Unlock()
			nc.Close()
			return
		}
		i.conns[c] = struct{}{}
		i.mu.Unlock()
		go c.serve()
	}
}

// rtConn is a connection from an instance's runtime.
type rtConn struct {
	inst *instance
	nc   net.Conn
	br   *bufio.Reader
	// wmu serializes writes: the connection's goroutine answers
	// requests, a call delivering an invocation answers a waiting /next.
	wmu sync.Mutex
	bw  *bufio.Writer
	// closeAfterNext ends the connection once the waiting /next is
	// answered: the runtime asked for Connection: close.
	closeAfterNext bool

	// Per request, reused.
	body      []byte
	line      []byte
	scratch   [96]byte // for numbers and trace IDs being written
	errorType string   // Lambda-Runtime-Function-Error-Type, header or trailer
	errorBody string   // Lambda-Runtime-Function-Error-Body trailer
}

// request is what the server needs of a request.
type request struct {
	method, path []byte
	length       int64 // -1: chunked
	chunked      bool
	close        bool
	expect       bool // Expect: 100-continue
	next         bool // it was GET /invocation/next
}

var errBadRequest = errors.New("malformed request")

func (c *rtConn) serve() {
	defer c.close()
	var rq request
	for {
		if err := c.readHeader(&rq); err != nil {
			if errors.Is(err, errBadRequest) {
				c.answer(400, "InvalidRequest", err.Error(), true)
			}
			return
		}
		if !c.route(&rq) {
			return
		}
		// A /next that asked to close the connection may still be
		// waiting: the delivery closes it, and the read then ends.
		if rq.close && !rq.next {
			return
		}
		c.shrink()
	}
}

// close ends the connection and forgets it.
func (c *rtConn) close() {
	i := c.inst
	i.mu.Lock()
	if i.waiter == c {
		i.waiter = nil
	}
	delete(i.conns, c)
	i.mu.Unlock()
	c.nc.Close()
}

// route serves one request; false to end the connection.
func (c *rtConn) route(rq *request) bool {
	p, ok := bytes.CutPrefix(rq.path, []byte(apiPrefix))
	if q := bytes.IndexByte(p, '?'); q >= 0 {
		p = p[:q]
	}
	post := string(rq.method) == "POST"
	switch {
	case !ok:
	case string(p) == "invocation/next":
		if string(rq.method) != "GET" {
			break
		}
		if !c.discardBody(rq) {
			return false
		}
		rq.next = true
		if rq.close {
			c.wmu.Lock()
			c.closeAfterNext = true
			c.wmu.Unlock()
		}
		return c.inst.nextOn(c)
	case string(p) == "init/error" && post:
		return c.serveInitError(rq)
	case bytes.HasPrefix(p, []byte("invocation/")) && post:
		id, what, _ := bytes.Cut(p[len("invocation/"):], []byte("/"))
		switch string(what) {
		case "response":
			return c.serveResult(rq, id, false)
		case "error":
			return c.serveResult(rq, id, true)
		}
	}
	if !c.discardBody(rq) {
		return false
	}
	return c.answer(404, "InvalidPath", "unknown runtime API request "+string(rq.method)+" "+string(rq.path), rq.close)
}

// serveResult takes a function's response (or error) for invocation id.
func (c *rtConn) serveResult(rq *request, id []byte, isError bool) bool {
	tooLarge, err := c.readBody(rq, maxResponse)
	if err != nil {
		return false // the runtime hung up; its exit, if any, is dealt with
	}
	i := c.inst
	inv := i.take(id)
	if inv == nil {
		return c.answer(400, "InvalidRequestID", "invalid request ID "+strconv.Quote(string(id)), rq.close || tooLarge)
	}
	// The instance is free again before its caller learns the result, so
	// that the caller's next call finds it warm; and the runtime has its
	// answer first, so that its next /next is on its way while the
	// caller takes the result.
	i.f.release(i)
	var (
		result  []byte
		funcErr = "Unhandled"
		ok      bool
	)
	switch {
	case tooLarge && !isError:
		ok = c.answer(413, "RequestEntityTooLarge",
			"Exceeded maximum allowed payload size ("+strconv.Itoa(maxResponse)+" bytes).", true)
		result = responseTooLargeDoc()
	case isError:
		ok = c.accepted(rq.close || tooLarge)
		result = c.body
		if tooLarge || len(bytes.TrimSpace(result)) == 0 {
			result = unknownErrorDoc(c.errorType)
		} else {
			result = bytes.Clone(result)
		}
	case c.errorType != "":
		// The runtime failed while sending its response and says so
		// in the trailer.
		ok = c.accepted(rq.close)
		doc, err := base64.StdEncoding.DecodeString(c.errorBody)
		if err != nil || len(doc) == 0 {
			doc = unknownErrorDoc(c.errorType)
		}
		result = doc
	default:
		result = bytes.Clone(c.body)
		ok = c.accepted(rq.close)
		funcErr = ""
	}
	inv.finish(result, funcErr, nil)
	return ok
}

// serveInitError takes a runtime's report that it could not start: the
// invocation waiting for the instance fails with the reported document,
// and the instance is ended, as Lambda ends the execution environment.
func (c *rtConn) serveInitError(rq *request) bool {
	tooLarge, err := c.readBody(rq, maxResponse)
	if err != nil {
		return false
	}
	doc := bytes.Clone(c.body)
	if tooLarge || len(bytes.TrimSpace(doc)) == 0 {
		doc = unknownErrorDoc(c.errorType)
	}
	i := c.inst
	i.mu.Lock()
	if i.inited || i.reason != notKilled {
		i.mu.Unlock()
		return c.answer(403, "InvalidStateTransition", "init error reported after init", rq.close || tooLarge)
	}
	i.initErr = doc
	i.reason = killedInitError
	i.mu.Unlock()
	c.accepted(true)
	i.kill()
	return false
}

// nextOn serves GET /invocation/next: the pending invocation at once,
// else the connection waits for the call that brings one to answer it.
func (i *instance) nextOn(c *rtConn) bool {
	i.mu.Lock()
	if i.gone || i.reason != notKilled {
		i.mu.Unlock()
		return c.answer(500, "Runtime.Shutdown", "the execution environment is shutting down", true)
	}
	i.initDone()
	if inv := i.pending; inv != nil {
		i.pending = nil
		i.startLocked(inv)
		i.mu.Unlock()
		if !c.deliver(inv) {
			i.requeue(inv)
			return false
		}
		return true
	}
	// A runtime waits on one connection; a /next on another means the
	// first was given up.
	i.waiter = c
	i.mu.Unlock()
	return true
}

// deliver writes an invocation as the answer to /next.
func (c *rtConn) deliver(inv *invocation) bool {
	c.inst.platform.startLine(&inv.id)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	w := c.bw
	w.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: ")
	w.Write(inv.id[:])
	w.WriteString("\r\nLambda-Runtime-Deadline-Ms: ")
	w.Write(strconv.AppendInt(c.scratch[:0], inv.deadline.UnixMilli(), 10))
	w.WriteString("\r\nLambda-Runtime-Invoked-Function-Arn: ")
	w.WriteString(inv.arn)
	w.WriteString("\r\nLambda-Runtime-Trace-Id: ")
	w.Write(appendTraceID(c.scratch[:0]))
	if inv.clientContext != "" {
		w.WriteString("\r\nLambda-Runtime-Client-Context: ")
		w.WriteString(inv.clientContext)
	}
	w.WriteString("\r\nContent-Length: ")
	w.Write(strconv.AppendInt(c.scratch[:0], int64(len(inv.payload)), 10))
	if c.closeAfterNext {
		w.WriteString("\r\nConnection: close")
	}
	w.WriteString("\r\n\r\n")
	w.Write(inv.payload)
	err := w.Flush()
	if c.closeAfterNext {
		c.nc.Close()
	}
	return err == nil
}

// accepted answers 202 {"status":"OK"}.
func (c *rtConn) accepted(close bool) bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if close {
		c.bw.WriteString("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n{\"status\":\"OK\"}")
	} else {
		c.bw.WriteString("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}")
	}
	return c.bw.Flush() == nil && !close
}

// answer writes an error document with a status; false when the
// connection is to end.
func (c *rtConn) answer(status int, errorType, message string, close bool) bool {
	doc := errorDoc{ErrorType: errorType, ErrorMessage: message}.bytes()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	w := c.bw
	w.WriteString("HTTP/1.1 ")
	w.WriteString(strconv.Itoa(status))
	w.WriteString(" ")
	w.WriteString(statusText[status])
	w.WriteString("\r\nContent-Type: application/json\r\nContent-Length: ")
	w.WriteString(strconv.Itoa(len(doc)))
	if close {
		w.WriteString("\r\nConnection: close")
	}
	w.WriteString("\r\n\r\n")
	w.Write(doc)
	return w.Flush() == nil && !close
}

var statusText = map[int]string{400: "Bad Request", 403: "Forbidden", 404: "Not Found",
	413: "Request Entity Too Large", 500: "Internal Server Error"}

// readHeader reads a request line and header.
func (c *rtConn) readHeader(rq *request) error {
	// The method and path keep their buffers from request to request.
	*rq = request{method: rq.method[:0], path: rq.path[:0]}
	c.errorType, c.errorBody = "", ""
	line, err := c.readLine()
	if err != nil {
		return err
	}
	// METHOD SP target SP HTTP/1.x
	m, rest, ok1 := bytes.Cut(line, []byte(" "))
	target, proto, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok1 || !ok2 || !bytes.HasPrefix(proto, []byte("HTTP/1.")) {
		return errBadRequest
	}
	// The line is in a reused buffer: keep copies of what is needed.
	rq.method = append(rq.method[:0], m...)
	rq.path = append(rq.path[:0], target...)
	rq.close = string(proto) == "HTTP/1.0"
	for {
		line, err := c.readLine()
		if err != nil {
			return err
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return errBadRequest
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, err := strconv.ParseInt(string(value), 10, 64)
			if err != nil || n < 0 {
				return errBadRequest
			}
			rq.length = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			if !bytes.EqualFold(value, []byte("chunked")) {
				return errBadRequest
			}
			rq.chunked = true
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				rq.close = true
			} else if bytes.EqualFold(value, []byte("keep-alive")) {
				rq.close = false
			}
		case bytes.EqualFold(name, []byte("Expect")):
			rq.expect = bytes.EqualFold(value, []byte("100-continue"))
		case bytes.EqualFold(name, []byte(hdrErrorType)):
			c.errorType = string(value)
		}
	}
	if rq.chunked {
		rq.length = -1
	}
	return nil
}

// readLine reads a line without its CR LF; the result is valid until the
// next read.
func (c *rtConn) readLine() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		// A long line: gather it in the connection's line buffer.
		c.line = append(c.line[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(c.line) > maxHeaderLine {
				return nil, errBadRequest
			}
			line, err = c.br.ReadSlice('\n')
			c.line = append(c.line, line...)
		}
		line = c.line
	}
	if err != nil {
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// readBody reads a request's body into c.body, up to limit bytes;
// tooLarge reports a longer one, which is not read (the connection then
// ends).
func (c *rtConn) readBody(rq *request, limit int) (tooLarge bool, err error) {
	c.body = c.body[:0]
	if rq.expect && (rq.chunked || rq.length > 0) {
		if int(rq.length) > limit {
			return true, nil // no 100 Continue: the body is refused
		}
		c.wmu.Lock()
		c.bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n")
		err := c.bw.Flush()
		c.wmu.Unlock()
		if err != nil {
			return false, err
		}
	}
	if !rq.chunked {
		if rq.length > int64(limit) {
			return true, nil
		}
		c.body = grow(c.body, int(rq.length))
		_, err := io.ReadFull(c.br, c.body)
		return false, err
	}
	for {
		line, err := c.readLine()
		if err != nil {
			return false, err
		}
		if semi := bytes.IndexByte(line, ';'); semi >= 0 {
			line = line[:semi]
		}
		size, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if err != nil || size < 0 {
			return false, errBadRequest
		}
		if size == 0 {
			break
		}
		if int64(len(c.body))+size > int64(limit) {
			return true, nil
		}
		n := len(c.body)
		c.body = grow(c.body, n+int(size))
		if _, err := io.ReadFull(c.br, c.body[n:]); err != nil {
			return false, err
		}
		if crlf, err := c.readLine(); err != nil || len(crlf) != 0 {
			return false, errBadRequest
		}
	}
	// Trailers.
	for {
		line, err := c.readLine()
		if err != nil {
			return false, err
		}
		if len(line) == 0 {
			return false, nil
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte(hdrErrorType)):
			c.errorType = string(value)
		case bytes.EqualFold(name, []byte(trlErrorBody)):
			c.errorBody = string(value)
		}
	}
}

// discardBody skips a body nobody needs; false if the connection is to
// end.
func (c *rtConn) discardBody(rq *request) bool {
	if !rq.chunked && rq.length == 0 {
		return true
	}
	tooLarge, err := c.readBody(rq, 1<<20)
	return err == nil && !tooLarge
}

// grow returns b with length n, reallocating only when it must.
func grow(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	nb := make([]byte, n, max(n, 2*cap(b)))
	copy(nb, b)
	return nb
}

// shrink drops a connection's buffers after a large body, so that an
// instance does not hold on to megabytes between invocations.
func (c *rtConn) shrink() {
	if cap(c.body) > 256<<10 {
		c.body = nil
	}
	if cap(c.line) > 64<<10 {
		c.line = nil
	}
}

// appendTraceID appends an X-Ray trace header for an invocation, as the
// Runtime API passes it (Lambda-Runtime-Trace-Id); not sampled.
func appendTraceID(b []byte) []byte {
	b = append(b, "Root=1-"...)
	b = appendHex(b, uint64(time.Now().Unix()), 8)
	b = append(b, '-')
	b = appendHex(b, randUint64()>>32, 8)
	b = appendHex(b, randUint64(), 16)
	b = append(b, ";Parent="...)
	b = appendHex(b, randUint64(), 16)
	return append(b, ";Sampled=0"...)
}
