package serve

import (
	"fmt"
	"io"
	"log/slog"
	"os"
)

// NewLogger returns the server log: level is debug, info, warn or error,
// format text or json.
func NewLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("unknown log level %q (want debug, info, warn or error)", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("unknown log format %q (want text or json)", format)
}

// OpenAccessLog opens the access log destination named by dest: "-" for
// stdout, "off" (or "") for none, or a file, appended to. The closer is
// nil when there is nothing to close.
func OpenAccessLog(dest string, stdout io.Writer) (io.Writer, io.Closer, error) {
	switch dest {
	case "off", "":
		return nil, nil, nil
	case "-":
		return stdout, nil, nil
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("access log: %w", err)
	}
	return f, f, nil
}
