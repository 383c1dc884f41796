//go:build !unix

package lambda

import (
	"os"
	"os/exec"
)

func setProcAttr(cmd *exec.Cmd) {}

// killProcess kills the process: without Unix signals there is no gentle
// way to ask.
func killProcess(p *os.Process, force bool) {
	p.Kill()
}
