// Package httpbackend carries out HTTP and HTTP_PROXY integration calls
// for the runtime: a pooled HTTP/1.1 client that sends the request the
// runtime prepared exactly (header names in the case given, no headers of
// its own), enforces the integration timeout and the 10 MB response limit.
package httpbackend

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"gwc.dev/gwc/runtime"
)

// maxReply is API Gateway's response payload limit (§15.1).
const maxReply = 10 << 20

// Backend is a runtime.Backend for HTTP and HTTP_PROXY integrations.
type Backend struct {
	mu         sync.Mutex
	transports map[tlsKey]*http.Transport
	// MaxIdlePerHost bounds the kept-alive connections per backend host.
	MaxIdlePerHost int
}

// tlsKey selects a transport: calls that verify certificates differently
// cannot share connections.
type tlsKey struct {
	insecure   bool
	serverName string
}

// New returns a backend with an empty connection pool.
func New() *Backend {
	return &Backend{transports: map[tlsKey]*http.Transport{}, MaxIdlePerHost: 256}
}

func (b *Backend) transport(k tlsKey) *http.Transport {
	b.mu.Lock()
	defer b.mu.Unlock()
	if t := b.transports[k]; t != nil {
		return t
	}
	t := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        0,
		MaxIdleConnsPerHost: b.MaxIdlePerHost,
		IdleConnTimeout:     90 * time.Second,
		// API Gateway neither asks for compressed answers nor decodes
		// them: what the backend sends is what the mapping sees.
		DisableCompression:    true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 0,
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: k.insecure, ServerName: k.serverName},
		// Backends are spoken to in HTTP/1.1, as API Gateway does.
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	b.transports[k] = t
	return t
}

// Close closes idle connections.
func (b *Backend) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range b.transports {
		t.CloseIdleConnections()
	}
}

// Call sends the request and reads the whole answer.
func (b *Backend) Call(ctx context.Context, c *runtime.Call) (*runtime.Reply, error) {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, c.URL, bytes.NewReader(c.Body))
	if err != nil {
		return nil, err
	}
	if len(c.Body) == 0 {
		// Go then sends Content-Length: 0 for POST, PUT and PATCH only;
		// API Gateway's recorded GET carries it too, which no backend
		// depends on (docs/decisions.md).
		req.Body = http.NoBody
	}
	setHeader(req, c.Header)
	resp, err := b.transport(tlsKey{c.TLSInsecure, c.ServerName}).RoundTrip(req)
	if err != nil {
		return nil, callError(ctx, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxReply+1))
	if err != nil {
		return nil, callError(ctx, err)
	}
	if len(body) > maxReply {
		return nil, runtime.ErrResponseTooLarge
	}
	reply := &runtime.Reply{Status: resp.StatusCode, Body: body}
	for _, name := range sortedNames(resp.Header) {
		for _, v := range resp.Header[name] {
			reply.Header = append(reply.Header, runtime.Field{Name: name, Value: v})
		}
	}
	return reply, nil
}

// setHeader puts the header on the request as given: names keep their
// case (the map is written as it is), Host goes to req.Host, and Go's
// default User-Agent is suppressed when the runtime sends none in
// canonical case.
func setHeader(req *http.Request, h []runtime.Field) {
	for _, f := range h {
		switch {
		case strings.EqualFold(f.Name, "Host"):
			req.Host = f.Value
			continue
		case strings.EqualFold(f.Name, "Content-Length"), strings.EqualFold(f.Name, "Transfer-Encoding"):
			continue
		}
		req.Header[f.Name] = append(req.Header[f.Name], f.Value)
	}
	if _, ok := req.Header["User-Agent"]; !ok {
		req.Header["User-Agent"] = nil
	}
}

// callError maps a failed call to the runtime's errors: the integration
// timeout becomes ErrTimeout, everything else a network error.
func callError(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return runtime.ErrTimeout
	}
	return err
}

func sortedNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
