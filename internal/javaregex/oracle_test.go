package javaregex

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The differential tests ask real Java for every expected value: the
// oracle in testdata/oracle runs java.util.regex in one long-lived JVM.

// oracle is a running testdata/oracle/Oracle.java.
type oracle struct {
	mu  sync.Mutex
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// javaAnswer is the oracle's verdict on one pattern.
type javaAnswer struct {
	Err string `json:"err"`
	Idx *int   `json:"idx"`
	M   []bool `json:"m"`
	F   []bool `json:"f"`
}

var (
	oracleOnce sync.Once
	theOracle  *oracle
	oracleSkip string
	oracleDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if theOracle != nil {
		theOracle.in.Close()
		theOracle.cmd.Wait()
	}
	if oracleDir != "" {
		os.RemoveAll(oracleDir)
	}
	os.Exit(code)
}

// javaOracle starts the oracle once per test binary, or skips the test when
// no JDK is installed.
func javaOracle(t testing.TB) *oracle {
	t.Helper()
	oracleOnce.Do(func() {
		javac, err1 := exec.LookPath("javac")
		java, err2 := exec.LookPath("java")
		if err1 != nil || err2 != nil {
			oracleSkip = "java and javac are needed for the differential tests"
			return
		}
		dir, err := os.MkdirTemp("", "javaregex-oracle")
		if err != nil {
			oracleSkip = err.Error()
			return
		}
		oracleDir = dir
		if out, err := exec.Command(javac, "-d", dir, filepath.Join("testdata", "oracle", "Oracle.java")).CombinedOutput(); err != nil {
			oracleSkip = fmt.Sprintf("javac: %v: %s", err, out)
			return
		}
		cmd := exec.Command(java, "-Xss8m", "-cp", dir, "Oracle")
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			oracleSkip = err.Error()
			return
		}
		theOracle = &oracle{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}
	})
	if theOracle == nil {
		t.Skip(oracleSkip)
	}
	return theOracle
}

// ask sends a batch of questions and returns Java's answers in order.
func (o *oracle) ask(t testing.TB, cases []diffCase) []javaAnswer {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	var errc = make(chan error, 1)
	go func() {
		w := bufio.NewWriter(o.in)
		for _, c := range cases {
			line, _ := json.Marshal(struct {
				P  string   `json:"p"`
				In []string `json:"in"`
			}{c.pattern, c.inputs})
			w.Write(line)
			w.WriteByte('\n')
		}
		errc <- w.Flush()
	}()
	answers := make([]javaAnswer, len(cases))
	for i := range cases {
		line, err := o.out.ReadBytes('\n')
		if err != nil {
			t.Fatalf("oracle: %v", err)
		}
		if err := json.Unmarshal(line, &answers[i]); err != nil {
			t.Fatalf("oracle answer %q: %v", line, err)
		}
	}
	if err := <-errc; err != nil {
		t.Fatalf("oracle: %v", err)
	}
	return answers
}

// diffCase is one pattern and the inputs to try it on.
type diffCase struct {
	pattern string
	inputs  []string
}

// diffStats counts what a differential run saw.
type diffStats struct {
	patterns, pairs, javaErrors, unsupported int
	byFeature                                map[Feature]int
}

// compareWithJava checks gwc against Java on every case and returns counts.
func compareWithJava(t *testing.T, cases []diffCase) diffStats {
	t.Helper()
	answers := javaOracle(t).ask(t, cases)
	st := diffStats{byFeature: map[Feature]int{}}
	failures := 0
	fail := func(format string, args ...any) {
		failures++
		if failures <= 40 {
			t.Errorf(format, args...)
		}
	}
	for i, c := range cases {
		ja := answers[i]
		st.patterns++
		re, err := Compile(c.pattern)
		var se *SyntaxError
		var ue *UnsupportedError
		switch {
		case ja.Idx != nil && *ja.Idx == -2:
			// Java itself crashed (an internal exception); nothing to compare.
			continue
		case ja.Idx != nil && *ja.Idx == -3:
			// Java compiled the pattern but threw while matching, as Java 17
			// does for [a&&]; gwc must refuse such a pattern.
			if !errors.As(err, &ue) {
				fail("%q: Java throws while matching (%s); gwc: %v", c.pattern, ja.Err, err)
			}
			continue
		case ja.Err != "":
			st.javaErrors++
			switch {
			case errors.As(err, &se):
				if se.Desc != ja.Err || se.Index != *ja.Idx {
					fail("%q: Java: %s at %d; gwc: %s at %d", c.pattern, ja.Err, *ja.Idx, se.Desc, se.Index)
				}
			case err != nil:
				fail("%q: Java: syntax error %q at %d; gwc: %v", c.pattern, ja.Err, *ja.Idx, err)
			default:
				fail("%q: Java: syntax error %q at %d; gwc compiled it to %s", c.pattern, ja.Err, *ja.Idx, re.GoPattern())
			}
		case errors.As(err, &ue):
			st.unsupported++
			st.byFeature[ue.Feature]++
		case err != nil:
			fail("%q: Java compiles it; gwc: %v", c.pattern, err)
		default:
			for j, in := range c.inputs {
				st.pairs++
				if got := re.Matches(in); got != ja.M[j] {
					fail("%q matches(%q): Java %v, gwc %v (Go: %s)", c.pattern, in, ja.M[j], got, re.GoPattern())
				}
				if got := re.Find(in); got != ja.F[j] {
					fail("%q find(%q): Java %v, gwc %v (Go: %s)", c.pattern, in, ja.F[j], got, re.find.String())
				}
			}
		}
	}
	if failures > 40 {
		t.Errorf("... and %d more disagreements", failures-40)
	}
	return st
}

func (st diffStats) String() string {
	var fs []string
	for f, n := range st.byFeature {
		fs = append(fs, fmt.Sprintf("%s: %d", f, n))
	}
	return fmt.Sprintf("%d patterns (%d Java syntax errors, %d unsupported), %d pattern/input pairs compared; unsupported: %s",
		st.patterns, st.javaErrors, st.unsupported, st.pairs, strings.Join(fs, ", "))
}
