package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gwc.dev/gwc/diag"
)

// DefaultBaseline is the baseline file gwc lint --baseline-write writes when
// neither the command line nor the configuration names one.
const DefaultBaseline = "gwc-baseline.json"

// BaselineFormatVersion is the version of the baseline file's shape.
const BaselineFormatVersion = 1

// Baseline records the findings of an API that a team accepts for now, so
// that gwc lint reports only new ones. A finding is known by its rule, its
// file, its message and the text of the line it is on, not by its line
// number, so that editing elsewhere in the file does not bring it back.
type Baseline struct {
	FormatVersion int             `json:"format_version"`
	Findings      []BaselineEntry `json:"findings"`

	// dir is the directory of the baseline file; files in entries are
	// relative to it.
	dir string
}

// BaselineEntry is one accepted finding, Count times over.
type BaselineEntry struct {
	Rule    string `json:"rule"`
	File    string `json:"file"`
	Message string `json:"message"`
	Line    string `json:"line"`
	Count   int    `json:"count"`
}

type baselineKey struct{ rule, file, message, line string }

// ReadBaseline reads a baseline file.
func ReadBaseline(name string) (*Baseline, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s: %v", name, err)
	}
	if b.FormatVersion != BaselineFormatVersion {
		return nil, fmt.Errorf("baseline %s has format_version %d; this gwc reads version %d", name, b.FormatVersion, BaselineFormatVersion)
	}
	b.dir = filepath.Dir(name)
	return &b, nil
}

// NewBaseline records ds as a baseline to be written to name.
func NewBaseline(name string, ds []diag.Diagnostic, source func(string) ([]byte, bool)) *Baseline {
	b := &Baseline{FormatVersion: BaselineFormatVersion, Findings: []BaselineEntry{}, dir: filepath.Dir(name)}
	counts := map[baselineKey]int{}
	for _, d := range ds {
		counts[b.key(d, source)]++
	}
	for k, n := range counts {
		b.Findings = append(b.Findings, BaselineEntry{Rule: k.rule, File: k.file, Message: k.message, Line: k.line, Count: n})
	}
	slices.SortFunc(b.Findings, func(x, y BaselineEntry) int {
		return strings.Compare(x.File+"\x00"+x.Rule+"\x00"+x.Message+"\x00"+x.Line, y.File+"\x00"+y.Rule+"\x00"+y.Message+"\x00"+y.Line)
	})
	return b
}

// Write writes the baseline as indented JSON.
func (b *Baseline) Write(name string) error {
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append(out, '\n'), 0o644)
}

func (b *Baseline) key(d diag.Diagnostic, source func(string) ([]byte, bool)) baselineKey {
	file := filepath.ToSlash(d.Range.Start.File)
	if file != "" {
		if rel, err := filepath.Rel(b.dir, file); err == nil {
			file = filepath.ToSlash(rel)
		}
	}
	line := ""
	if source != nil {
		if src, ok := source(d.Range.Start.File); ok {
			line = lineText(src, d.Range.Start.Line)
		}
	}
	return baselineKey{rule: d.Code, file: file, message: d.Message, line: line}
}

func lineText(src []byte, n int) string {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSpace(string(src))
}

// Filter drops the findings the baseline accepts, each entry at most Count
// times, and returns the rest.
func (b *Baseline) Filter(ds []diag.Diagnostic, source func(string) ([]byte, bool)) []diag.Diagnostic {
	left := map[baselineKey]int{}
	for _, e := range b.Findings {
		left[baselineKey{e.Rule, e.File, e.Message, e.Line}] += e.Count
	}
	var out []diag.Diagnostic
	for _, d := range ds {
		k := b.key(d, source)
		if left[k] > 0 {
			left[k]--
			continue
		}
		out = append(out, d)
	}
	return out
}
