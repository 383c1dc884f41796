//go:build unix

package lambda

import (
	"os"
	"os/exec"
	"syscall"
)

// setProcAttr starts the function in a process group of its own, so that
// a kill reaches the processes it starts too.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killProcess sends SIGKILL (force) or SIGTERM to the process's group.
func killProcess(p *os.Process, force bool) {
	sig := syscall.SIGTERM
	if force {
		sig = syscall.SIGKILL
	}
	// The group first: its leader's ID names it. Then the leader through
	// os.Process, which knows whether it has been reaped.
	syscall.Kill(-p.Pid, sig)
	p.Signal(sig)
}
