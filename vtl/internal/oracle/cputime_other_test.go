//go:build !linux

package oracle_test

// threadCPUTime is unknown outside Linux: the side-by-side benchmark then
// reports wall time only.
func threadCPUTime() (int64, bool) { return 0, false }
