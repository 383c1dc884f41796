package lambda

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gwc.dev/gwc/runtime"
)

// A local function runs as instances: processes of its command, each
// with a Runtime API server of its own on 127.0.0.1 (a runtime client
// knows only AWS_LAMBDA_RUNTIME_API=host:port, so the address is what
// tells instances apart). Instances start on demand (a cold start) and
// stay warm between invocations; at most Concurrency run at once, and
// calls beyond that wait for one to become free.
//
// An invocation is owned by exactly one place at a time: the instance's
// pending slot (handed over, not yet taken by the runtime's /next), its
// current slot (taken, running), or nobody once finished. Whoever takes it
// out of a slot, under the instance's lock, finishes it, so each
// invocation is finished exactly once whatever races with what: its
// response, its error, a timeout, the process's exit.

// function is a local function and its instances.
type function struct {
	cfg      LocalFunction
	name     string // the function's name (cfg.Name may be an ARN)
	region   string
	account  string
	out      *logOutput
	env      []string // the environment, but for per-instance variables
	memLimit int64    // bytes
	timeout  time.Duration

	mu      sync.Mutex
	idle    []*instance // warm and free, most recently used last
	live    int         // instances started and not yet exited
	all     map[*instance]struct{}
	waiters []chan *instance // calls waiting for an instance, oldest first
	seq     int
	closed  bool

	invocations sync.Pool
}

func newFunction(fc LocalFunction, r *Router, out *logOutput) *function {
	name, _ := splitRef(fc.Name)
	f := &function{cfg: fc, name: name, region: r.region, account: r.account, out: out,
		memLimit: int64(fc.Memory) << 20, timeout: time.Duration(fc.Timeout),
		all: map[*instance]struct{}{}}
	if strings.HasPrefix(fc.Name, "arn:") {
		// arn:partition:lambda:region:account:function:name
		if p := strings.Split(fc.Name, ":"); len(p) >= 7 {
			if p[3] != "" {
				f.region = p[3]
			}
			if p[4] != "" {
				f.account = p[4]
			}
		}
	}
	f.env = f.environment()
	return f
}

// environment is what Lambda gives a function (less the per-instance
// AWS_LAMBDA_RUNTIME_API and log stream), on top of the few host
// variables a process needs to run here at all (PATH, HOME, temporary
// directory) and the host's AWS credentials, which stand in for the
// execution role's; then the configured variables.
func (f *function) environment() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "USER", "TMPDIR", "SYSTEMROOT",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	root := f.cfg.Dir
	if root == "" {
		root, _ = os.Getwd()
	}
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	handler := f.cfg.Handler
	if handler == "" {
		handler = filepath.Base(f.cfg.Command[0])
	}
	env = append(env,
		"AWS_LAMBDA_FUNCTION_NAME="+f.name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE="+strconv.Itoa(f.cfg.Memory),
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/"+f.name,
		"AWS_REGION="+f.region,
		"AWS_DEFAULT_REGION="+f.region,
		"_HANDLER="+handler,
		"LAMBDA_TASK_ROOT="+root,
		"LANG=en_US.UTF-8",
		"TZ=:UTC",
	)
	// Later entries win (os/exec keeps the last of duplicates).
	for _, k := range slices.Sorted(maps.Keys(f.cfg.Env)) {
		env = append(env, k+"="+f.cfg.Env[k])
	}
	return env
}

// invocation is one call on its way through an instance.
type invocation struct {
	id      [36]byte // the request ID, a UUID
	arn     string   // the ARN the runtime is told was invoked
	payload []byte   // a copy of the event: the caller may reuse its own
	// clientContext is the Invoke API's client context (JSON), passed
	// on as Lambda-Runtime-Client-Context.
	clientContext string

	deadline time.Time // set when the runtime takes it

	done    chan struct{} // receives once, when finished
	result  []byte
	funcErr string
	err     error
	retry   bool // finished without running: send it to another instance

	timer *time.Timer // the caller's integration timeout
}

func (f *function) newInvocation(arn string, payload []byte) *invocation {
	inv, _ := f.invocations.Get().(*invocation)
	if inv == nil {
		inv = &invocation{done: make(chan struct{}, 1), timer: time.NewTimer(time.Hour)}
		inv.timer.Stop()
	}
	newRequestID(&inv.id)
	inv.arn = arn
	if !strings.HasPrefix(arn, "arn:") {
		name, q := splitRef(arn)
		inv.arn = "arn:aws:lambda:" + f.region + ":" + f.account + ":function:" + name
		if q != "" {
			inv.arn += ":" + q
		}
	}
	inv.payload = append(inv.payload[:0], payload...)
	return inv
}

// recycle returns a finished invocation whose caller is done with it.
func (f *function) recycle(inv *invocation) {
	inv.timer.Stop()
	inv.clientContext, inv.result, inv.funcErr, inv.err, inv.retry = "", nil, "", nil, false
	if cap(inv.payload) > 64<<10 {
		inv.payload = nil // do not keep large events around
	}
	f.invocations.Put(inv)
}

func (inv *invocation) finish(result []byte, funcErr string, err error) {
	inv.result, inv.funcErr, inv.err = result, funcErr, err
	inv.done <- struct{}{}
}

func (inv *invocation) again() {
	inv.retry = true
	inv.done <- struct{}{}
}

// invoke runs a call on an instance.
func (f *function) invoke(ctx context.Context, call *runtime.FunctionCall) (*runtime.FunctionResult, error) {
	return f.run(ctx, f.newInvocation(call.ARN, call.Payload), call.Async, call.Timeout)
}

// run runs an invocation: an Event one in the background, a synchronous
// one until it is finished or the integration timeout passes. Past the
// integration timeout the function still runs to its end, as on AWS,
// where API Gateway gives up but Lambda does not.
func (f *function) run(ctx context.Context, inv *invocation, async bool, timeout time.Duration) (*runtime.FunctionResult, error) {
	if async {
		// Nobody waits for an event's result: a failure is only logged.
		id := inv.id
		go func() {
			res, err := f.wait(context.Background(), inv, nil)
			switch {
			case err != nil && !errors.Is(err, errClosed):
				f.out.write([]byte(fmt.Sprintf("[%s] event invocation %s failed: %v\n", f.name, id[:], err)))
			case err == nil && res.FunctionError != "":
				f.out.write([]byte(fmt.Sprintf("[%s] event invocation %s failed: %s\n", f.name, id[:], res.Payload)))
			}
		}()
		return &runtime.FunctionResult{}, nil
	}
	var expire <-chan time.Time
	if timeout > 0 {
		inv.timer.Reset(timeout)
		expire = inv.timer.C
	}
	return f.wait(ctx, inv, expire)
}

func (f *function) wait(ctx context.Context, inv *invocation, expire <-chan time.Time) (*runtime.FunctionResult, error) {
	for {
		inst, err := f.acquire(ctx, expire)
		if err != nil {
			var se *startError
			if errors.As(err, &se) {
				res := &runtime.FunctionResult{Payload: entrypointDoc(string(inv.id[:]), se.err), FunctionError: "Unhandled"}
				f.recycle(inv)
				return res, nil
			}
			f.recycle(inv)
			return nil, err
		}
		if !inst.assign(inv) {
			continue // it died meanwhile
		}
		select {
		case <-inv.done:
		case <-expire:
			return nil, runtime.ErrTimeout // the invocation is left to finish
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if inv.retry {
			inv.retry = false
			continue
		}
		if inv.err != nil {
			err := inv.err
			f.recycle(inv)
			return nil, err
		}
		res := &runtime.FunctionResult{Payload: inv.result, FunctionError: inv.funcErr}
		f.recycle(inv)
		return res, nil
	}
}

// startError is a command that could not be started.
type startError struct{ err error }

func (e *startError) Error() string { return e.err.Error() }

// acquire returns a free warm instance, else starts one, else waits for
// one.
func (f *function) acquire(ctx context.Context, expire <-chan time.Time) (*instance, error) {
	for {
		f.mu.Lock()
		if f.closed {
			f.mu.Unlock()
			return nil, errClosed
		}
		if n := len(f.idle); n > 0 {
			inst := f.idle[n-1]
			f.idle[n-1] = nil
			f.idle = f.idle[:n-1]
			f.mu.Unlock()
			return inst, nil
		}
		if f.live < f.cfg.Concurrency {
			f.live++
			f.seq++
			inst := newInstance(f, f.seq)
			f.all[inst] = struct{}{}
			f.mu.Unlock()
			if err := inst.start(); err != nil {
				f.remove(inst)
				return nil, err
			}
			return inst, nil
		}
		w := make(chan *instance, 1)
		f.waiters = append(f.waiters, w)
		f.mu.Unlock()
		select {
		case inst := <-w:
			if inst != nil {
				return inst, nil
			}
			// An instance exited: there is room to start one.
		case <-expire:
			f.dropWaiter(w)
			return nil, runtime.ErrTimeout
		case <-ctx.Done():
			f.dropWaiter(w)
			return nil, ctx.Err()
		}
	}
}

// dropWaiter takes back a waiting call that gave up; whatever was handed
// to it meanwhile goes to the next one.
func (f *function) dropWaiter(w chan *instance) {
	f.mu.Lock()
	for i, x := range f.waiters {
		if x == w {
			f.waiters = append(f.waiters[:i], f.waiters[i+1:]...)
			f.mu.Unlock()
			return
		}
	}
	f.mu.Unlock()
	if inst := <-w; inst != nil {
		f.release(inst)
	} else {
		f.wakeOne()
	}
}

// release makes an instance free: the oldest waiting call gets it, else
// it joins the warm ones.
func (f *function) release(inst *instance) {
	f.mu.Lock()
	if len(f.waiters) > 0 {
		w := f.waiters[0]
		f.waiters = f.waiters[1:]
		f.mu.Unlock()
		w <- inst
		return
	}
	f.idle = append(f.idle, inst)
	f.mu.Unlock()
}

// remove forgets an instance that exited (or never started), and lets a
// waiting call start another.
func (f *function) remove(inst *instance) {
	f.mu.Lock()
	f.live--
	delete(f.all, inst)
	for i, x := range f.idle {
		if x == inst {
			f.idle = append(f.idle[:i], f.idle[i+1:]...)
			break
		}
	}
	f.mu.Unlock()
	f.wakeOne()
}

func (f *function) wakeOne() {
	f.mu.Lock()
	if len(f.waiters) == 0 {
		f.mu.Unlock()
		return
	}
	w := f.waiters[0]
	f.waiters = f.waiters[1:]
	f.mu.Unlock()
	w <- nil
}

// shutdownGrace is how long an instance has to exit after SIGTERM.
const shutdownGrace = 2 * time.Second

// close stops every instance and fails the calls waiting for one.
func (f *function) close() {
	f.mu.Lock()
	f.closed = true
	waiters := f.waiters
	f.waiters = nil
	insts := make([]*instance, 0, len(f.all))
	for inst := range f.all {
		insts = append(insts, inst)
	}
	f.mu.Unlock()
	for _, w := range waiters {
		w <- nil // they try again and find the function closed
	}
	var wg sync.WaitGroup
	for _, inst := range insts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inst.stop(shutdownGrace)
		}()
	}
	wg.Wait()
}

// killReason is why gwc ended an instance.
type killReason int

const (
	notKilled killReason = iota
	killedTimeout
	killedInitTimeout
	killedInitError
	killedMemory
	killedClose
)

// instance is one process of a local function.
type instance struct {
	f        *function
	seq      int
	ln       net.Listener
	cmd      *exec.Cmd // set before the process starts, then only read by wait
	stdout   *lineWriter
	stderr   *lineWriter
	platform *platformLog // the platform's own lines (START, END, REPORT, …)
	started  time.Time    // when the process was started (under mu)

	dead   chan struct{} // closed when the process has exited
	exited chan struct{} // closed when the exit has been dealt with

	timer     *time.Timer // the function timeout of the current invocation
	initTimer *time.Timer // the init timeout (under mu); nil when init was over first
	maxRSS    atomic.Int64
	statm     atomic.Pointer[statmFile] // /proc/PID/statm, where there is one

	mu       sync.Mutex
	proc     *os.Process // once started
	conns    map[*rtConn]struct{}
	waiter   *rtConn // the connection waiting in /next, if any
	pending  *invocation
	cur      *invocation
	curStart time.Time
	inited   bool // the runtime has asked for an invocation
	initDur  time.Duration
	reported bool // the init duration is in a REPORT line
	gone     bool // the process has exited
	reason   killReason
	initErr  []byte // the document of a reported init error
}

func newInstance(f *function, seq int) *instance {
	prefix := "[" + f.name + "#" + strconv.Itoa(seq) + "] "
	platform := newPlatformLog(f.out, prefix)
	inst := &instance{f: f, seq: seq,
		stdout: newLineWriter(f.out, prefix), stderr: newLineWriter(f.out, prefix),
		platform: platform,
		conns:    map[*rtConn]struct{}{}, dead: make(chan struct{}), exited: make(chan struct{})}
	inst.stdout.platform, inst.stderr.platform = platform, platform
	inst.timer = time.AfterFunc(time.Hour, inst.onTimeout)
	inst.timer.Stop()
	return inst
}

// start opens the instance's Runtime API and starts its process.
func (i *instance) start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		i.markGone()
		return fmt.Errorf("function %s: runtime API listener: %w", i.f.name, err)
	}
	i.ln = ln
	go i.serve(ln)

	cfg := &i.f.cfg
	cmd := exec.Command(cfg.Command[0], cfg.Command[1:]...)
	cmd.Dir = cfg.Dir
	cmd.Env = append(i.f.env[:len(i.f.env):len(i.f.env)],
		"AWS_LAMBDA_RUNTIME_API="+ln.Addr().String(),
		"AWS_LAMBDA_LOG_STREAM_NAME="+logStreamName(),
	)
	cmd.Stdout, cmd.Stderr = i.stdout, i.stderr
	// Output copying must not hold up noticing the exit when a child
	// process keeps the pipes open.
	cmd.WaitDelay = 500 * time.Millisecond
	setProcAttr(cmd)
	i.cmd = cmd
	// The runtime may ask for its first invocation (initDone, under mu)
	// before Start returns here: the init clock and timer are set under
	// mu too, and no timer is started for an init already over.
	i.mu.Lock()
	i.started = time.Now()
	i.mu.Unlock()
	if err := cmd.Start(); err != nil {
		ln.Close()
		i.markGone()
		return &startError{err}
	}
	i.mu.Lock()
	if !i.inited {
		i.initTimer = time.AfterFunc(time.Duration(cfg.InitTimeout), i.onInitTimeout)
	}
	i.proc = cmd.Process
	closing := i.reason == killedClose
	i.mu.Unlock()
	if closing {
		i.kill()
	}
	go i.watchMemory()
	go i.wait()
	return nil
}

// markGone ends an instance whose process never ran.
func (i *instance) markGone() {
	i.mu.Lock()
	i.gone = true
	i.mu.Unlock()
	close(i.dead)
	close(i.exited)
}

// assign hands the instance an invocation; false when the instance is
// ending. When the runtime is already waiting in /next, the invocation is
// written to it from here; else it waits for the runtime's /next.
func (i *instance) assign(inv *invocation) bool {
	i.mu.Lock()
	if i.gone || i.reason != notKilled {
		i.mu.Unlock()
		return false
	}
	if c := i.waiter; c != nil {
		i.waiter = nil
		i.startLocked(inv)
		i.mu.Unlock()
		if !c.deliver(inv) {
			i.requeue(inv)
		}
		return true
	}
	i.pending = inv
	i.mu.Unlock()
	return true
}

// startLocked makes an invocation current: its function timeout starts.
func (i *instance) startLocked(inv *invocation) {
	i.cur = inv
	now := time.Now()
	i.curStart = now
	inv.deadline = now.Add(i.f.timeout)
	i.timer.Reset(i.f.timeout)
}

// requeue takes back an invocation whose delivery failed (the runtime's
// connection broke): it waits for the runtime's next /next, or, if the
// process is dying, goes to another instance.
func (i *instance) requeue(inv *invocation) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.cur == inv {
		i.cur = nil
		i.timer.Stop()
		i.pending = inv
	}
}

// initDone notes that the runtime asked for its first invocation: init is
// over.
func (i *instance) initDone() {
	if !i.inited {
		i.inited = true
		i.initDur = time.Since(i.started)
		if i.initTimer != nil {
			i.initTimer.Stop()
		}
	}
}

// take removes the current invocation if its ID is id (the runtime's
// response or error for it).
func (i *instance) take(id []byte) *invocation {
	i.mu.Lock()
	inv := i.cur
	if inv == nil || string(inv.id[:]) != string(id) {
		i.mu.Unlock()
		return nil
	}
	i.cur = nil
	i.timer.Stop()
	start := i.curStart
	initDur := time.Duration(0)
	if !i.reported {
		i.reported = true
		initDur = i.initDur
	}
	i.mu.Unlock()
	i.report(&inv.id, start, initDur, "")
	return inv
}

// report writes the END and REPORT lines of an invocation, after note (a
// platform line saying how it failed) when there is one, in one write.
func (i *instance) report(id *[36]byte, start time.Time, initDur time.Duration, note string) {
	if i.f.out.discard {
		return
	}
	d := time.Since(start)
	i.sampleMemory()
	p := i.platform
	b := p.begin()
	if note != "" {
		b = p.line(b, note)
	}
	b = append(b, p.prefix...)
	b = append(b, "END RequestId: "...)
	b = append(b, id[:]...)
	b = append(b, '\n')
	b = append(b, p.prefix...)
	b = append(b, "REPORT RequestId: "...)
	b = append(b, id[:]...)
	b = append(b, "\tDuration: "...)
	b = strconv.AppendFloat(b, float64(d)/float64(time.Millisecond), 'f', 2, 64)
	b = append(b, " ms\tBilled Duration: "...)
	b = strconv.AppendInt(b, int64((d+time.Millisecond-1)/time.Millisecond), 10)
	b = append(b, " ms\tMemory Size: "...)
	b = strconv.AppendInt(b, int64(i.f.cfg.Memory), 10)
	b = append(b, " MB\tMax Memory Used: "...)
	b = strconv.AppendInt(b, (i.maxRSS.Load()+(1<<20)-1)>>20, 10)
	b = append(b, " MB"...)
	if initDur > 0 {
		b = append(b, "\tInit Duration: "...)
		b = strconv.AppendFloat(b, float64(initDur)/float64(time.Millisecond), 'f', 2, 64)
		b = append(b, " ms"...)
	}
	p.end(append(b, '\n'))
}

// onTimeout ends an invocation that outlived the function's timeout: the
// instance is killed, as Lambda kills the execution environment.
func (i *instance) onTimeout() {
	i.mu.Lock()
	inv := i.cur
	// A timer that fired for an invocation since finished finds another
	// one current, not yet at its deadline.
	if inv == nil || i.reason != notKilled || time.Now().Before(inv.deadline) {
		i.mu.Unlock()
		return
	}
	i.cur = nil
	i.reason = killedTimeout
	start := i.curStart
	i.mu.Unlock()
	i.report(&inv.id, start, 0, fmt.Sprintf("%s %s Task timed out after %.2f seconds",
		time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), inv.id[:], i.f.timeout.Seconds()))
	inv.finish(timeoutDoc(string(inv.id[:]), i.f.timeout), "Unhandled", nil)
	i.kill()
}

// onInitTimeout ends an instance whose runtime did not ask for an
// invocation within the init timeout.
func (i *instance) onInitTimeout() {
	i.mu.Lock()
	if i.inited || i.reason != notKilled || i.gone {
		i.mu.Unlock()
		return
	}
	i.reason = killedInitTimeout
	i.mu.Unlock()
	i.kill()
}

// killFor kills the instance for a reason, unless it is already ending.
func (i *instance) killFor(r killReason) {
	i.mu.Lock()
	if i.gone || i.reason != notKilled {
		i.mu.Unlock()
		return
	}
	i.reason = r
	i.mu.Unlock()
	i.kill()
}

// kill ends the process and its children at once.
func (i *instance) kill() {
	i.mu.Lock()
	p := i.proc
	if i.gone {
		p = nil
	}
	i.mu.Unlock()
	if p != nil {
		killProcess(p, true)
	}
}

// stop asks the process to end (SIGTERM), and kills it after grace.
func (i *instance) stop(grace time.Duration) {
	i.mu.Lock()
	if i.reason == notKilled {
		i.reason = killedClose
	}
	p := i.proc
	if i.gone {
		p = nil
	}
	i.mu.Unlock()
	if p != nil {
		killProcess(p, false)
		t := time.NewTimer(grace)
		select {
		case <-i.dead:
		case <-t.C:
			i.kill()
		}
		t.Stop()
	}
	<-i.exited
}

// wait deals with the process's exit: whatever invocation the instance
// held fails as Lambda reports it, or goes to another instance when it
// never ran.
func (i *instance) wait() {
	i.cmd.Wait()
	how := "exit status -1"
	if ps := i.cmd.ProcessState; ps != nil {
		how = ps.String() // "exit status 2", "signal: killed": Lambda's words too
	}
	i.mu.Lock()
	i.gone = true
	cur, pending := i.cur, i.pending
	i.cur, i.pending = nil, nil
	reason, inited, initErr := i.reason, i.inited, i.initErr
	start := i.curStart
	initTimer := i.initTimer
	i.mu.Unlock()
	close(i.dead)
	i.timer.Stop()
	if initTimer != nil {
		initTimer.Stop()
	}
	i.ln.Close()
	i.mu.Lock()
	for c := range i.conns {
		c.nc.Close()
	}
	i.mu.Unlock()
	i.stdout.Flush()
	i.stderr.Flush()
	i.f.remove(i)

	doc := func(id string) []byte {
		switch reason {
		case killedMemory:
			return oomDoc(id, how)
		case killedInitTimeout:
			return timeoutDoc(id, time.Duration(i.f.cfg.InitTimeout))
		case killedInitError:
			return initErr
		}
		return exitDoc(id, how)
	}
	if cur != nil {
		if reason == killedClose {
			cur.finish(nil, "", errClosed)
		} else {
			i.report(&cur.id, start, 0, "RequestId: "+string(cur.id[:])+" Error: Runtime exited with error: "+how)
			cur.finish(doc(string(cur.id[:])), "Unhandled", nil)
		}
	}
	if pending != nil {
		switch {
		case reason == killedClose:
			pending.finish(nil, "", errClosed)
		case !inited:
			// The instance died starting: its first invocation is
			// where Lambda reports the failed init.
			if reason != killedInitError {
				i.platform.writeLine("RequestId: " + string(pending.id[:]) + " Error: Runtime exited with error: " + how)
			}
			pending.finish(doc(string(pending.id[:])), "Unhandled", nil)
		default:
			pending.again()
		}
	}
	close(i.exited)
}

// newRequestID writes a random version 4 UUID, Lambda's request ID form.
func newRequestID(b *[36]byte) {
	hi, lo := randUint64(), randUint64()
	hi = hi&^(0xf<<12) | 4<<12   // version 4
	lo = lo&^(0x3<<62) | 0x2<<62 // RFC 4122 variant
	const hexd = "0123456789abcdef"
	j := 0
	for k := 0; k < 16; k++ {
		if k == 4 || k == 6 || k == 8 || k == 10 {
			b[j] = '-'
			j++
		}
		var v byte
		if k < 8 {
			v = byte(hi >> (56 - 8*k))
		} else {
			v = byte(lo >> (56 - 8*(k-8)))
		}
		b[j], b[j+1] = hexd[v>>4], hexd[v&0xf]
		j += 2
	}
}

// randUint64 is math/rand/v2's: IDs need to be unique, not secret.
func randUint64() uint64 { return rand.Uint64() }

func appendHex(b []byte, v uint64, digits int) []byte {
	const hexd = "0123456789abcdef"
	for k := digits - 1; k >= 0; k-- {
		b = append(b, hexd[(v>>(4*k))&0xf])
	}
	return b
}

// logStreamName is a log stream name of Lambda's form,
// 2006/01/02/[$LATEST]<32 hex digits>.
func logStreamName() string {
	b := []byte(time.Now().UTC().Format("2006/01/02") + "/[$LATEST]")
	b = appendHex(b, randUint64(), 16)
	b = appendHex(b, randUint64(), 16)
	return string(b)
}
