package oracle_test

import "syscall"

// threadCPUTime returns the CPU time, in nanoseconds, the calling thread
// has used.
func threadCPUTime() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
