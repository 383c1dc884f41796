package runtime

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Backend performs the integration calls of one integration type. The
// runtime prepares each call as API Gateway would send it (URL, headers,
// body); a Backend only carries it out. Plugins implement Backends.
type Backend interface {
	Call(ctx context.Context, c *Call) (*Reply, error)
}

// Field is a header with the name as it is to be sent.
type Field struct{ Name, Value string }

// Call is an integration request, ready to send.
type Call struct {
	// Type is the integration type (HTTP, HTTP_PROXY, …).
	Type   string
	Method string
	URL    string
	Header []Field
	Body   []byte
	// Timeout is the integration timeout; the Backend must give up after
	// it and return ErrTimeout.
	Timeout     time.Duration
	TLSInsecure bool
	ServerName  string
	// async marks an event invocation of a Lambda integration.
	async bool
}

// Reply is what the backend answered.
type Reply struct {
	Status int
	Header []Field
	Body   []byte
}

// ErrTimeout is returned by a Backend whose call took longer than the
// integration timeout: the client gets INTEGRATION_TIMEOUT (504).
var ErrTimeout = errors.New("integration timed out")

// ErrResponseTooLarge is returned by a Backend whose reply body is larger
// than API Gateway's 10 MB limit.
var ErrResponseTooLarge = errors.New("integration response larger than 10 MB")

// header returns the last value of a reply header, case-insensitively.
func (r *Reply) header(name string) (string, bool) {
	for i := len(r.Header) - 1; i >= 0; i-- {
		if strings.EqualFold(r.Header[i].Name, name) {
			return r.Header[i].Value, true
		}
	}
	return "", false
}

func (r *Reply) headers(name string) []string {
	var out []string
	for _, f := range r.Header {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f.Value)
		}
	}
	return out
}
