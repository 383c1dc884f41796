package serve

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watcher reports changes to the files of some directories. Directories
// are watched rather than files because builds and editors replace files
// by renaming new ones over them, which ends a watch on the file itself.
type watcher struct {
	w     *fsnotify.Watcher
	dirs  map[string]bool
	match func(string) bool
	log   *slog.Logger
}

func newWatcher(dirs []string, match func(string) bool, log *slog.Logger) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w := &watcher{w: fw, dirs: map[string]bool{}, match: match, log: log}
	for _, d := range dirs {
		d = filepath.Clean(d)
		if err := fw.Add(d); err != nil {
			fw.Close()
			return nil, fmt.Errorf("watch %s: %w", d, err)
		}
		w.dirs[d] = true
	}
	return w, nil
}

// run calls onChange once the matching files have been quiet for quiet
// after a change, until ctx ends; then it closes the watcher. onChange
// runs on run's goroutine, so changes during it lead to one more call
// after it rather than to two calls at once.
func (w *watcher) run(ctx context.Context, quiet time.Duration, onChange func()) {
	defer w.w.Close()
	timer := time.NewTimer(quiet)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			if w.dirs[filepath.Clean(ev.Name)] && ev.Has(fsnotify.Remove|fsnotify.Rename) {
				w.log.Warn("a watched directory went away; changes to it are no longer seen (send SIGHUP to reload)", "dir", ev.Name)
				continue
			}
			// A change of permissions alone (touch, chmod) changes no
			// content.
			if ev.Op == fsnotify.Chmod || (w.match != nil && !w.match(ev.Name)) {
				continue
			}
			w.log.Debug("file changed", "file", ev.Name, "op", ev.Op.String())
			timer.Reset(quiet)
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			w.log.Warn("watch", "err", err)
		case <-timer.C:
			onChange()
		}
	}
}
