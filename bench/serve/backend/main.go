// Command backend is the HTTP backend of the serve load benchmark: every
// configuration (hit directly, behind nginx, Caddy or gwc serve) talks to
// this one. It answers every request, whatever its path and verb, with the
// same small JSON body, after reading the request body; keep-alive is on
// (net/http's default).
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"strconv"
)

// reply is about 100 bytes, like a small API answer.
var reply = []byte(`{"id":"o-1042","status":"accepted","items":2,"total":42.5,"currency":"EUR","backend":"bench-serve"}` + "\n")

func main() {
	addr := flag.String("listen", "127.0.0.1:18080", "address to listen on")
	flag.Parse()
	length := strconv.Itoa(len(reply))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body so that the connection can be reused and a
		// forwarding proxy pays for sending it.
		_, _ = io.Copy(io.Discard, r.Body)
		hd := w.Header()
		hd["Content-Type"] = []string{"application/json"}
		hd["Content-Length"] = []string{length}
		_, _ = w.Write(reply)
	})
	srv := &http.Server{Addr: *addr, Handler: h}
	log.Fatal(srv.ListenAndServe())
}
