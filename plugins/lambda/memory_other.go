//go:build !linux

package lambda

// watchMemory does nothing where there is no /proc to read resident
// memory from: the memory size is not enforced.
func (i *instance) watchMemory() {}

func (i *instance) sampleMemory() (int64, bool) { return i.maxRSS.Load(), true }

// statmFile is Linux's /proc/PID/statm, which other systems do not have.
type statmFile struct{}
