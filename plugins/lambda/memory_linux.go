package lambda

import (
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// memoryPoll is how often an instance's resident memory is read. Lambda
// enforces memory with a cgroup; a cgroup needs privileges a developer's
// machine may not grant, so gwc reads the process's resident set size
// instead, which costs one read of a small /proc file per poll.
const memoryPoll = 20 * time.Millisecond

var pageSize = int64(os.Getpagesize())

// watchMemory kills the instance when its resident memory grows past the
// function's memory size, and records the most it used for REPORT lines.
func (i *instance) watchMemory() {
	i.mu.Lock()
	p := i.proc
	i.mu.Unlock()
	if p == nil {
		return
	}
	// The file stays open: rereading it from offset 0 gives the current
	// figures without opening it again.
	f, err := openStatm(p.Pid)
	if err != nil {
		return
	}
	defer f.f.Close()
	i.statm.Store(f)
	t := time.NewTicker(memoryPoll)
	defer t.Stop()
	for {
		rss, ok := i.sampleMemory()
		if !ok {
			return // the process is gone
		}
		if rss > i.f.memLimit {
			i.killFor(killedMemory)
			return
		}
		select {
		case <-i.dead:
			return
		case <-t.C:
		}
	}
}

// sampleMemory reads the instance's resident memory, in bytes, and keeps
// the most it has seen.
func (i *instance) sampleMemory() (int64, bool) {
	f := i.statm.Load()
	if f == nil {
		return 0, false
	}
	pages, ok := f.resident()
	if !ok {
		return 0, false
	}
	rss := pages * pageSize
	for {
		max := i.maxRSS.Load()
		if rss <= max || i.maxRSS.CompareAndSwap(max, rss) {
			return rss, true
		}
	}
}

// statmFile is an open /proc/PID/statm, read by the memory watcher and
// for every REPORT line.
type statmFile struct {
	f    *os.File
	rc   syscall.RawConn
	mu   sync.Mutex
	buf  [128]byte
	n    int
	read func(fd uintptr) bool // reads buf with one pread
}

func openStatm(pid int) (*statmFile, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return nil, err
	}
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	s := &statmFile{f: f, rc: rc}
	s.read = func(fd uintptr) bool {
		s.n, _ = syscall.Pread(int(fd), s.buf[:], 0)
		return true
	}
	return s, nil
}

// resident reads the resident pages. One pread reads the whole file (a
// few numbers); os.File's ReadAt would read a second time to see its end.
// The raw connection keeps the descriptor from being closed, and reused,
// during the read.
func (s *statmFile) resident() (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n = 0
	if s.rc.Read(s.read) != nil || s.n <= 0 {
		return 0, false
	}
	return statmResident(s.buf[:s.n])
}

// statmResident reads the second field of /proc/PID/statm: resident
// pages.
func statmResident(b []byte) (int64, bool) {
	i := 0
	for i < len(b) && b[i] != ' ' {
		i++
	}
	i++
	var v int64
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		v = v*10 + int64(b[i]-'0')
		i++
	}
	return v, i > start
}
