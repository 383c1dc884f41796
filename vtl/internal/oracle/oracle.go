// Package oracle runs the reference engines gwc's template engine is tested
// against: Apache Velocity 1.7 and Jayway JsonPath, in one long-lived JVM
// (Oracle.java in this directory), for differential tests.
//
// The JVM side needs java, javac and the Debian packages velocity and
// libjsonpath-java. When any is missing, Start returns an error saying
// which, and tests skip.
package oracle

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

//go:embed Oracle.java
var javaSource []byte

// jars are the class path entries, looked up in JarDir.
var jars = []string{
	"velocity.jar", "commons-collections3.jar", "commons-lang.jar", "json-path.jar",
	"json-smart.jar", "accessors-smart.jar", "asm.jar", "slf4j-api.jar", "slf4j-nop.jar",
}

// JarDir is where Debian installs Java libraries.
const JarDir = "/usr/share/java"

// Oracle is a running reference JVM. Its methods are safe for concurrent
// use; requests are serialized.
type Oracle struct {
	mu  sync.Mutex
	cmd *exec.Cmd
	in  *bufio.Writer
	out *bufio.Reader
}

// Request is one request to the JVM.
type Request struct {
	Op       string         `json:"op"`
	Template string         `json:"template,omitempty"`
	Context  map[string]any `json:"context,omitempty"`
	Path     string         `json:"path,omitempty"`
	Doc      string         `json:"doc,omitempty"`
	S        string         `json:"s,omitempty"`
	Body     string         `json:"body,omitempty"`
	N        int            `json:"iterations,omitempty"`
}

// Response is the JVM's answer.
type Response struct {
	OK      bool   `json:"ok"`
	Out     string `json:"out"`
	Error   string `json:"error"`
	Str     string `json:"str"`
	JSON    string `json:"json"`
	Type    string `json:"type"`
	NsPerOp int64  `json:"nsPerOp"`
	// CPUNsPerOp is the CPU time of the benchmarking thread per render.
	CPUNsPerOp int64 `json:"cpuNsPerOp"`
}

// Start compiles the harness (cached by source hash) and starts the JVM.
func Start() (*Oracle, error) {
	for _, tool := range []string{"java", "javac"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("%s not found (install a JDK)", tool)
		}
	}
	var cp []string
	for _, j := range jars {
		p := filepath.Join(JarDir, j)
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%s missing (apt-get install velocity libjsonpath-java)", p)
		}
		cp = append(cp, p)
	}
	sum := sha256.Sum256(javaSource)
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "gwc-vtl-oracle", hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(filepath.Join(dir, "Oracle.class")); err != nil {
		if err := compile(dir, cp); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command("java", "-Xss4m", "-cp", dir+string(os.PathListSeparator)+strings.Join(cp, string(os.PathListSeparator)), "Oracle")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &Oracle{cmd: cmd, in: bufio.NewWriter(stdin), out: bufio.NewReaderSize(stdout, 1<<20)}, nil
}

func compile(dir string, cp []string) error {
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "build-")
	if err != nil {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return err
		}
		if tmp, err = os.MkdirTemp(filepath.Dir(dir), "build-"); err != nil {
			return err
		}
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "Oracle.java")
	if err := os.WriteFile(src, javaSource, 0o644); err != nil {
		return err
	}
	out, err := exec.Command("javac", "-nowarn", "-d", tmp, "-cp", strings.Join(cp, string(os.PathListSeparator)), src).CombinedOutput()
	if err != nil {
		return fmt.Errorf("javac: %v\n%s", err, out)
	}
	os.Remove(src)
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, os.ErrExist) {
		if _, statErr := os.Stat(filepath.Join(dir, "Oracle.class")); statErr != nil {
			return err
		}
	}
	return nil
}

// Do sends requests and returns the responses in order. Requests are
// pipelined: a writer goroutine feeds the JVM while responses are read.
func (o *Oracle) Do(reqs []Request) ([]Response, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	werr := make(chan error, 1)
	go func() {
		enc := json.NewEncoder(o.in)
		enc.SetEscapeHTML(false)
		for i := range reqs {
			if err := enc.Encode(&reqs[i]); err != nil {
				werr <- err
				return
			}
		}
		werr <- o.in.Flush()
	}()
	resps := make([]Response, len(reqs))
	for i := range resps {
		line, err := o.out.ReadBytes('\n')
		if err != nil {
			return nil, fmt.Errorf("oracle: reading response %d: %w", i, err)
		}
		if err := json.Unmarshal(line, &resps[i]); err != nil {
			return nil, fmt.Errorf("oracle: response %d: %w", i, err)
		}
	}
	if err := <-werr; err != nil {
		return nil, err
	}
	return resps, nil
}

// Velocity renders one template with Velocity 1.7.
func (o *Oracle) Velocity(template string, context map[string]any) (Response, error) {
	r, err := o.Do([]Request{{Op: "vtl", Template: template, Context: context}})
	if err != nil {
		return Response{}, err
	}
	return r[0], nil
}

// Close stops the JVM.
func (o *Oracle) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if c, ok := any(o.in).(io.Closer); ok {
		c.Close()
	}
	o.cmd.Process.Kill()
	return o.cmd.Wait()
}
