//go:build unix

package cli

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// TestSignals sends the test process the signals gwc serve handles, each
// only while it is being caught, so that none can end the process.
func TestSignals(t *testing.T) {
	hup, stopHup := notifyReload()
	defer stopHup()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case sig := <-hup:
		if sig != syscall.SIGHUP {
			t.Errorf("got %v", sig)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("SIGHUP did not arrive")
	}

	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		ctx, stop := notifyShutdown(context.Background())
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Second):
			t.Fatalf("%v did not end the context", sig)
		}
		stop()
	}
}
