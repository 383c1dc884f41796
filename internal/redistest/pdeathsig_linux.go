package redistest

import (
	"os/exec"
	"syscall"
)

// setParentDeath has the kernel kill the server if the test binary dies
// without running its cleanups (a panic in another goroutine, a timeout),
// so that no redis-server outlives the tests. (The signal comes when the
// thread that started the server ends; Go ends threads only when a
// goroutine locked to one exits, which these tests do not do.)
func setParentDeath(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
