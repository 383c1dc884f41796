package diag

import (
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// SARIF 2.1.0 is a frozen OASIS standard, and gwc needs only the small part
// of it that code-scanning services read: a tool with its rules, and
// results with locations. These types model just that part, so that diag
// keeps to the standard library as the design asks.
//
// Reference: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
)

type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string                `json:"name"`
	Version        string                `json:"version,omitempty"`
	InformationURI string                `json:"informationUri,omitempty"`
	Rules          []sarifReportingDescr `json:"rules"`
}

type sarifReportingDescr struct {
	ID                   string           `json:"id"`
	Name                 string           `json:"name,omitempty"`
	ShortDescription     *sarifText       `json:"shortDescription,omitempty"`
	FullDescription      *sarifText       `json:"fullDescription,omitempty"`
	HelpURI              string           `json:"helpUri,omitempty"`
	Help                 *sarifHelp       `json:"help,omitempty"`
	DefaultConfiguration *sarifRuleConfig `json:"defaultConfiguration,omitempty"`
	Properties           map[string]any   `json:"properties,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        *int            `json:"ruleIndex,omitempty"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	Message          *sarifText             `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

func sarifPhysical(r Range) *sarifPhysicalLocation {
	if r.Start.File == "" {
		return nil
	}
	loc := &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: sarifURI(r.Start.File)}}
	if r.Start.Line > 0 {
		reg := &sarifRegion{StartLine: r.Start.Line, StartColumn: r.Start.Col}
		if r.End.IsValid() && r.End.File == r.Start.File && r.End.Compare(r.Start) > 0 {
			reg.EndLine = r.End.Line
			reg.EndColumn = r.End.Col
		}
		loc.Region = reg
	}
	return loc
}

// sarifURI turns a file name into the relative URI reference SARIF wants:
// forward slashes, and percent-encoding of the characters a URI cannot hold.
// An absolute path becomes a file: URI, since a relative reference that
// starts with a slash does not combine with a base URI.
func sarifURI(file string) string {
	file = filepath.ToSlash(file)
	prefix := ""
	if filepath.IsAbs(file) || strings.HasPrefix(file, "/") {
		prefix = "file://"
		if !strings.HasPrefix(file, "/") {
			prefix += "/" // a Windows drive letter
		}
	}
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; i < len(file); i++ {
		c := file[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"%<>\^`+"`{|}#?[]", c) >= 0 {
			b.WriteString("%" + strings.ToUpper(hex2(c)))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

func printSARIF(w io.Writer, ds []Diagnostic, opt Options) error {
	rules := slices.Clone(opt.Rules)
	known := map[string]int{}
	for i, r := range rules {
		known[r.ID] = i
	}
	// Codes without registered metadata (compile checks) still get a rule
	// entry, so every result's ruleIndex resolves.
	for _, d := range ds {
		if _, ok := known[d.Code]; !ok && d.Code != "" {
			known[d.Code] = len(rules)
			rules = append(rules, Rule{ID: d.Code})
		}
	}
	driver := sarifDriver{
		Name:           opt.Tool.Name,
		Version:        sarifVersionOf(opt.Tool.Version),
		InformationURI: opt.Tool.InformationURI,
		Rules:          make([]sarifReportingDescr, 0, len(rules)),
	}
	for _, r := range rules {
		rd := sarifReportingDescr{ID: r.ID, HelpURI: r.HelpURI}
		if r.Summary != "" {
			rd.ShortDescription = &sarifText{Text: r.Summary}
		}
		if r.Help != "" {
			rd.Help = &sarifHelp{Text: r.Summary, Markdown: r.Help}
			if rd.Help.Text == "" {
				rd.Help.Text = r.ID
			}
		}
		if r.DefaultSeverity != 0 {
			rd.DefaultConfiguration = &sarifRuleConfig{Level: sarifLevel(r.DefaultSeverity)}
		}
		if r.Category != "" {
			rd.Properties = map[string]any{"tags": []string{r.Category}}
		}
		driver.Rules = append(driver.Rules, rd)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "unicodeCodePoints", Results: make([]sarifResult, 0, len(ds))}
	for _, d := range ds {
		res := sarifResult{
			RuleID:    d.Code,
			Level:     sarifLevel(d.Severity),
			Message:   sarifText{Text: d.Message},
			Locations: []sarifLocation{},
		}
		if i, ok := known[d.Code]; ok {
			res.RuleIndex = &i
		}
		if pl := sarifPhysical(d.Range); pl != nil {
			res.Locations = append(res.Locations, sarifLocation{PhysicalLocation: pl})
		}
		for i, r := range d.Related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: sarifPhysical(r.Range),
				Message:          &sarifText{Text: r.Message},
			})
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Version: sarifVersion, Schema: sarifSchema, Runs: []sarifRun{run}})
}

// sarifVersionOf makes a tool version start with a number, as SARIF
// consumers compare versions numerically: v1.2.3 is 1.2.3, and a
// development build "dev" is 0.0.0-dev.
func sarifVersionOf(v string) string {
	v = strings.TrimPrefix(v, "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		if v == "" {
			return ""
		}
		return "0.0.0-" + v
	}
	return v
}
