package serve

import (
	"encoding/json"
	"net/http"
	"time"
)

// StatusFormatVersion is the version of /-/status's JSON. It changes when
// a field changes meaning or goes away; new fields may appear without it.
const StatusFormatVersion = 1

// Status is the document /-/status serves: what is being served and how
// the last reload went. Arrays are never null.
type Status struct {
	FormatVersion int    `json:"format_version"`
	API           string `json:"api"`
	Digest        string `json:"digest"`
	// Stages are the stages served, sorted, each at /{stage}/ on the
	// listener.
	Stages   []string  `json:"stages"`
	LoadedAt time.Time `json:"loaded_at"`
	// Reloads counts reload attempts, successful or not.
	Reloads int `json:"reloads"`
	// LastReloadError is set when the last reload attempt failed (the
	// artifact above is then an older one, still being served) and
	// cleared by the next successful one.
	LastReloadError *ReloadError `json:"last_reload_error"`
	// Checks are the results of the health checks ("ok" or the error),
	// by name; empty when there are none.
	Checks map[string]string `json:"checks"`
}

// ReloadError describes a failed reload.
type ReloadError struct {
	At      time.Time `json:"at"`
	Message string    `json:"message"`
}

func (s *Server) statusHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		st := s.Status()
		body, err := json.MarshalIndent(st, "", "  ")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(append(body, '\n'))
	})
}
