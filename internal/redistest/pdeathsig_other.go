//go:build !linux

package redistest

import "os/exec"

// setParentDeath does nothing where the kernel offers no parent-death
// signal: the test's cleanup is then the only thing that stops the server.
func setParentDeath(cmd *exec.Cmd) {}
