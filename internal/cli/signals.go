package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// notifyShutdown returns a context that ends on SIGINT or SIGTERM. After
// the first signal the default behaviour comes back, so that a second one
// ends the process at once instead of waiting for requests to drain.
func notifyShutdown(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

// notifyReload returns a channel that receives SIGHUP, and the function
// that stops the delivery.
func notifyReload() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	return ch, func() { signal.Stop(ch) }
}
