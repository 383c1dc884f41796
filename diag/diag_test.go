package diag

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
)

func sampleSet() *Set {
	var s Set
	s.Add(Diagnostic{Code: "B", Severity: Warning, Message: "second, at 3:1", Range: At(Pos{"a.cue", 3, 1})})
	s.Add(Diagnostic{Code: "A", Severity: Error, Message: "first: \"quoted\"\nnext line", Range: Range{Start: Pos{"a.cue", 1, 5}, End: Pos{"a.cue", 1, 9}},
		Related: []Related{{Message: "see here", Range: At(Pos{"b.yaml", 2, 2})}}})
	// An exact duplicate is dropped.
	s.Add(Diagnostic{Code: "B", Severity: Warning, Message: "second, at 3:1", Range: At(Pos{"a.cue", 3, 1})})
	s.Add(Diagnostic{Code: "C", Severity: Info, Message: "50% done, a:b", Range: At(Pos{"b.yaml", 1, 1})})
	return &s
}

func TestSortedDeduplicates(t *testing.T) {
	got := sampleSet().Sorted()
	var codes []string
	for _, d := range got {
		codes = append(codes, d.Code)
	}
	if strings.Join(codes, "") != "ABC" {
		t.Errorf("order = %v", codes)
	}
	if (&Set{}).Sorted() == nil {
		t.Error("an empty set must give an empty slice, not nil")
	}
}

func TestTextWithExcerpt(t *testing.T) {
	var b bytes.Buffer
	src := map[string]string{"a.cue": "api: x: {\n\tfoo: 1\n\tbar: 2\n"}
	err := Print(&b, FormatText, sampleSet().Sorted()[:1], Options{
		Excerpt: true,
		Source:  func(f string) ([]byte, bool) { s, ok := src[f]; return []byte(s), ok },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "a.cue:1:5: error: first: \"quoted\"\nnext line [A]\n" +
		"    api: x: {\n" +
		"        ^^^^\n" +
		"\tb.yaml:2:2: see here\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := Print(&b, FormatJSON, sampleSet().Sorted(), Options{Tool: Tool{Name: "gwc", Version: "v1"}}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		FormatVersion int `json:"format_version"`
		Summary       Counts
		Diagnostics   []struct {
			Code     string
			Severity string
			Location struct {
				File  string
				Start struct{ Line, Column int }
				End   *struct{ Line, Column int }
			}
			Related []json.RawMessage
		}
	}
	if err := json.Unmarshal(b.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.FormatVersion != 1 || rep.Summary != (Counts{1, 1, 1}) || len(rep.Diagnostics) != 3 {
		t.Fatalf("report = %+v", rep)
	}
	d := rep.Diagnostics[0]
	if d.Code != "A" || d.Severity != "error" || d.Location.File != "a.cue" || d.Location.Start.Line != 1 || d.Location.End.Column != 9 || len(d.Related) != 1 {
		t.Errorf("first = %+v", d)
	}
	if !strings.Contains(b.String(), `"related": []`) {
		t.Error("an empty related list must be [], not null")
	}
	b.Reset()
	_ = Print(&b, FormatJSON, nil, Options{})
	if !strings.Contains(b.String(), `"diagnostics": []`) {
		t.Errorf("no diagnostics must print [], got %s", b.String())
	}
}

func TestSARIF(t *testing.T) {
	var b bytes.Buffer
	err := Print(&b, FormatSARIF, sampleSet().Sorted(), Options{
		Tool:  Tool{Name: "gwc", Version: "v1", InformationURI: "https://gwc.dev"},
		Rules: []Rule{{ID: "B", Summary: "rule B", HelpURI: "https://gwc.dev/rules/B", Help: "# B", DefaultSeverity: Warning, Category: "style"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Schema  string `json:"$schema"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct {
						ID                   string `json:"id"`
						HelpURI              string `json:"helpUri"`
						DefaultConfiguration *struct{ Level string }
					}
				}
			}
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				RelatedLocations []json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("log = %+v", log)
	}
	run := log.Runs[0]
	rules := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		rules[r.ID] = i
	}
	if len(run.Tool.Driver.Rules) != 3 || run.Tool.Driver.Rules[0].HelpURI != "https://gwc.dev/rules/B" || run.Tool.Driver.Rules[0].DefaultConfiguration.Level != "warning" {
		t.Errorf("rules = %+v", run.Tool.Driver.Rules)
	}
	for _, r := range run.Results {
		if rules[r.RuleID] != r.RuleIndex {
			t.Errorf("result %s has ruleIndex %d, but the rule is at %d", r.RuleID, r.RuleIndex, rules[r.RuleID])
		}
	}
	first := run.Results[0]
	loc := first.Locations[0].PhysicalLocation
	if first.Level != "error" || loc.ArtifactLocation.URI != "a.cue" || loc.Region.StartLine != 1 || loc.Region.EndColumn != 9 || len(first.RelatedLocations) != 1 {
		t.Errorf("first result = %+v", first)
	}
	if run.Results[2].Level != "note" {
		t.Errorf("info must be a SARIF note, got %s", run.Results[2].Level)
	}
}

func TestJUnit(t *testing.T) {
	var b bytes.Buffer
	if err := Print(&b, FormatJUnit, sampleSet().Sorted(), Options{Tool: Tool{Name: "gwc"}, Command: "lint"}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Name != "gwc lint" || doc.Tests != 3 || doc.Failures != 3 || len(doc.Suites) != 2 || doc.Suites[0].Name != "a.cue" {
		t.Errorf("junit = %+v", doc)
	}
	if c := doc.Suites[0].Cases[0]; c.Name != "A a.cue:1:5" || c.Failure.Type != "error" {
		t.Errorf("first case = %+v", c)
	}
}

func TestGitHubEscapes(t *testing.T) {
	var b bytes.Buffer
	if err := Print(&b, FormatGitHub, sampleSet().Sorted(), Options{}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=a.cue,line=1,col=5,endLine=1,endColumn=9,title=A::first: \"quoted\"%0Anext line\n" +
		"::warning file=a.cue,line=3,col=1,title=B::second, at 3:1\n" +
		"::notice file=b.yaml,line=1,col=1,title=C::50%25 done, a:b\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestParseFormatAndSeverity(t *testing.T) {
	for _, f := range Formats {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%s) = %v, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("yaml"); err == nil {
		t.Error("yaml accepted")
	}
	if s, err := ParseSeverity("warn"); err != nil || s != Warning {
		t.Errorf("warn = %v %v", s, err)
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("fatal accepted")
	}
}

// TestSARIFURIsAndVersions: an absolute path must be a file: URI (a
// relative reference starting with / is an error to SARIF validators),
// and the tool version must start with a number (SARIF2005).
func TestSARIFURIsAndVersions(t *testing.T) {
	for in, want := range map[string]string{
		"api.yaml":          "api.yaml",
		"dir/a b.yaml":      "dir/a%20b.yaml",
		"/abs/dir/api.yaml": "file:///abs/dir/api.yaml",
	} {
		if got := sarifURI(in); got != want {
			t.Errorf("sarifURI(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"v1.2.3": "1.2.3", "1.0": "1.0", "dev": "0.0.0-dev", "": ""} {
		if got := sarifVersionOf(in); got != want {
			t.Errorf("sarifVersionOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestExcerptsIndexLines: excerpts come from the right line of each file,
// and a position past the end of a file gets none.
func TestExcerptsIndexLines(t *testing.T) {
	src := map[string]string{"a.yaml": "one\ntwo\n\tthree\n", "b.cue": "x: 1"}
	ds := []Diagnostic{
		{Code: "X", Severity: Warning, Message: "m1", Range: At(Pos{File: "a.yaml", Line: 3, Col: 2})},
		{Code: "X", Severity: Warning, Message: "m2", Range: At(Pos{File: "b.cue", Line: 1, Col: 4})},
		{Code: "X", Severity: Warning, Message: "m3", Range: At(Pos{File: "a.yaml", Line: 9, Col: 1})},
	}
	var b bytes.Buffer
	err := Print(&b, FormatText, ds, Options{Excerpt: true, Source: func(f string) ([]byte, bool) {
		s, ok := src[f]
		return []byte(s), ok
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := "a.yaml:3:2: warning: m1 [X]\n        three\n        ^\n" +
		"b.cue:1:4: warning: m2 [X]\n    x: 1\n       ^\n" +
		"a.yaml:9:1: warning: m3 [X]\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
