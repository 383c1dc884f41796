package diag

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Format names an output format for diagnostics.
type Format string

// The formats every reporting verb accepts with --format.
const (
	FormatText   Format = "text"
	FormatJSON   Format = "json"
	FormatSARIF  Format = "sarif"
	FormatJUnit  Format = "junit"
	FormatGitHub Format = "github"
)

// Formats lists the accepted formats in the order help text shows them.
var Formats = []Format{FormatText, FormatJSON, FormatSARIF, FormatJUnit, FormatGitHub}

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q (want one of %s)", s, strings.Join(names, ", "))
}

// JSONFormatVersion is the version of the JSON output's shape. It changes
// only when a consumer would have to change.
const JSONFormatVersion = 1

// Tool describes the program that produced the diagnostics.
type Tool struct {
	Name           string
	Version        string
	InformationURI string
}

// Rule is what the printers know of a diagnostic code: SARIF lists rules
// with their help, and text output can point at them.
type Rule struct {
	ID              string
	Summary         string // one line
	HelpURI         string
	Help            string // markdown
	DefaultSeverity Severity
	Category        string
}

// Options tunes the printers. The zero value prints plain text without
// source excerpts.
type Options struct {
	Tool  Tool
	Rules []Rule
	// Source returns the bytes of a file named in a diagnostic, for the
	// source excerpt under each text diagnostic. Nil disables excerpts.
	Source func(file string) ([]byte, bool)
	// Excerpt turns on the source line and caret in text output; the CLI
	// sets it when the output is a terminal.
	Excerpt bool
	// Command is the verb that ran, used as the JUnit suite name.
	Command string
}

// Print writes ds in format f. ds should come from Set.Sorted.
func Print(w io.Writer, f Format, ds []Diagnostic, opt Options) error {
	if ds == nil {
		ds = []Diagnostic{}
	}
	switch f {
	case FormatText, "":
		return printText(w, ds, opt)
	case FormatJSON:
		return printJSON(w, ds, opt)
	case FormatSARIF:
		return printSARIF(w, ds, opt)
	case FormatJUnit:
		return printJUnit(w, ds, opt)
	case FormatGitHub:
		return printGitHub(w, ds)
	}
	return fmt.Errorf("unknown format %q", f)
}

func printText(w io.Writer, ds []Diagnostic, opt Options) error {
	var b bytes.Buffer
	lines := lineIndex{source: opt.Source}
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
		if opt.Excerpt && opt.Source != nil {
			writeExcerpt(&b, d.Range, lines.line)
		}
		for _, r := range d.Related {
			fmt.Fprintf(&b, "\t%s: %s\n", r.Range.Start, r.Message)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeExcerpt prints the line a range starts on and a caret under its
// column, as compilers do, so a terminal user sees the mistake in place.
func writeExcerpt(b *bytes.Buffer, r Range, lineOf func(file string, n int) (string, bool)) {
	p := r.Start
	if !p.IsValid() {
		return
	}
	line, ok := lineOf(p.File, p.Line)
	if !ok {
		return
	}
	line = strings.TrimRight(line, "\r")
	b.WriteString("    ")
	b.WriteString(strings.ReplaceAll(line, "\t", "    "))
	b.WriteByte('\n')
	col := p.Col
	if col < 1 {
		col = 1
	}
	if col > len(line)+1 {
		col = len(line) + 1
	}
	pad := strings.Count(line[:col-1], "\t")*4 + (col - 1 - strings.Count(line[:col-1], "\t"))
	b.WriteString("    ")
	b.WriteString(strings.Repeat(" ", pad))
	width := 1
	if r.End.IsValid() && r.End.Line == p.Line && r.End.Col > col {
		width = r.End.Col - col
	}
	b.WriteString(strings.Repeat("^", width))
	b.WriteByte('\n')
}

// lineIndex finds source lines, indexing each file's line starts once, so
// that excerpts of thousands of diagnostics in a large file do not rescan
// it for each.
type lineIndex struct {
	source func(string) ([]byte, bool)
	files  map[string]indexedFile
}

type indexedFile struct {
	src    []byte
	starts []int
}

// line returns line n (1-based) of file, without its line break.
func (x *lineIndex) line(file string, n int) (string, bool) {
	f, ok := x.files[file]
	if !ok {
		src, found := x.source(file)
		if !found {
			return "", false
		}
		f = indexedFile{src: src, starts: []int{0}}
		for i, c := range src {
			if c == '\n' {
				f.starts = append(f.starts, i+1)
			}
		}
		if x.files == nil {
			x.files = map[string]indexedFile{}
		}
		x.files[file] = f
	}
	if n < 1 || n > len(f.starts) {
		return "", false
	}
	end := len(f.src)
	if n < len(f.starts) {
		end = f.starts[n] - 1
	}
	return string(f.src[f.starts[n-1]:end]), true
}

type jsonPos struct {
	Line int `json:"line"`
	Col  int `json:"column"`
}

type jsonRange struct {
	File  string   `json:"file"`
	Start jsonPos  `json:"start"`
	End   *jsonPos `json:"end,omitempty"`
}

type jsonRelated struct {
	Message  string    `json:"message"`
	Location jsonRange `json:"location"`
}

type jsonDiag struct {
	Code     string        `json:"code"`
	Severity string        `json:"severity"`
	Message  string        `json:"message"`
	Location jsonRange     `json:"location"`
	Related  []jsonRelated `json:"related"`
}

type jsonReport struct {
	FormatVersion int        `json:"format_version"`
	Tool          string     `json:"tool"`
	Version       string     `json:"version"`
	Summary       Counts     `json:"summary"`
	Diagnostics   []jsonDiag `json:"diagnostics"`
}

func toJSONRange(r Range) jsonRange {
	out := jsonRange{File: r.Start.File, Start: jsonPos{r.Start.Line, r.Start.Col}}
	if r.End.IsValid() {
		out.End = &jsonPos{r.End.Line, r.End.Col}
	}
	return out
}

func printJSON(w io.Writer, ds []Diagnostic, opt Options) error {
	rep := jsonReport{
		FormatVersion: JSONFormatVersion,
		Tool:          opt.Tool.Name,
		Version:       opt.Tool.Version,
		Summary:       Count(ds),
		Diagnostics:   make([]jsonDiag, 0, len(ds)),
	}
	for _, d := range ds {
		jd := jsonDiag{
			Code:     d.Code,
			Severity: d.Severity.String(),
			Message:  d.Message,
			Location: toJSONRange(d.Range),
			Related:  make([]jsonRelated, 0, len(d.Related)),
		}
		for _, r := range d.Related {
			jd.Related = append(jd.Related, jsonRelated{Message: r.Message, Location: toJSONRange(r.Range)})
		}
		rep.Diagnostics = append(rep.Diagnostics, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// GitHub workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
func printGitHub(w io.Writer, ds []Diagnostic) error {
	var b bytes.Buffer
	for _, d := range ds {
		level := "error"
		switch d.Severity {
		case Warning:
			level = "warning"
		case Info:
			level = "notice"
		}
		var props []string
		p := d.Range.Start
		if p.File != "" {
			props = append(props, "file="+escapeGitHubProperty(p.File))
		}
		if p.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", p.Line))
		}
		if p.Col > 0 {
			props = append(props, fmt.Sprintf("col=%d", p.Col))
		}
		if e := d.Range.End; e.IsValid() {
			props = append(props, fmt.Sprintf("endLine=%d", e.Line))
			if e.Col > 0 && e.Line == p.Line {
				props = append(props, fmt.Sprintf("endColumn=%d", e.Col))
			}
		}
		if d.Code != "" {
			props = append(props, "title="+escapeGitHubProperty(d.Code))
		}
		b.WriteString("::" + level)
		if len(props) > 0 {
			b.WriteString(" " + strings.Join(props, ","))
		}
		b.WriteString("::" + escapeGitHubData(d.Message) + "\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func escapeGitHubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeGitHubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// printJUnit writes one suite per file and one test case per diagnostic.
// Warnings and infos are failures too, so that CI dashboards show them; a
// clean run writes a single passing case so the report is never empty.
func printJUnit(w io.Writer, ds []Diagnostic, opt Options) error {
	name := opt.Tool.Name
	if opt.Command != "" {
		name += " " + opt.Command
	}
	root := junitSuites{Name: name}
	index := map[string]int{}
	for _, d := range ds {
		file := d.Range.Start.File
		if file == "" {
			file = "(definition)"
		}
		i, ok := index[file]
		if !ok {
			i = len(root.Suites)
			index[file] = i
			root.Suites = append(root.Suites, junitSuite{Name: file})
		}
		s := &root.Suites[i]
		caseName := d.Range.Start.String()
		if d.Code != "" {
			caseName = d.Code + " " + caseName
		}
		s.Cases = append(s.Cases, junitCase{
			Name:      caseName,
			ClassName: file,
			Failure: &junitFailure{
				Message: d.Message,
				Type:    d.Severity.String(),
				Text:    d.String(),
			},
		})
		s.Tests++
		s.Failures++
		root.Tests++
		root.Failures++
	}
	if len(root.Suites) == 0 {
		root.Suites = []junitSuite{{Name: name, Tests: 1, Cases: []junitCase{{Name: "no findings", ClassName: name}}}}
		root.Tests = 1
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
