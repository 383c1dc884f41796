package rules

import (
	"regexp"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

// templateSite is a mapping template with the method it belongs to.
type templateSite struct {
	t *schema.Template
	r *schema.Resource
	m *schema.Method
	// response is set for integration-response templates.
	response *schema.IntegrationResponse
}

// templateSites yields the request and integration-response templates of
// every non-proxy method the user wrote.
func templateSites(p *lint.Pass) []templateSite {
	var out []templateSite
	for r, m := range p.Methods() {
		in := m.Integration
		if in == nil || in.IsProxy() {
			continue
		}
		for _, t := range in.RequestTemplates {
			if !p.Generated(t.Src) {
				out = append(out, templateSite{t: t, r: r, m: m})
			}
		}
		for _, ir := range in.Responses {
			for _, t := range ir.Templates {
				if !p.Generated(t.Src) {
					out = append(out, templateSite{t: t, r: r, m: m, response: ir})
				}
			}
		}
	}
	return out
}

// templatePos maps a byte offset in a template to the file.
func templatePos(t *schema.Template, offset int) diag.Range {
	if t.Src != nil && t.Src.Text != nil {
		return diag.At(t.Src.Text.Pos(offset))
	}
	return t.Src.Range()
}

// vtlCall is a call with one literal string argument found in a template.
type vtlCall struct {
	// fn is params, path, json, or header/querystring/path.get for
	// $input.params().<location>.get.
	fn  string
	arg string
	// offset is where the argument starts in the template.
	offset int
}

var (
	vtlCommentRE = regexp.MustCompile(`(?s)#\*.*?\*#|##[^\n]*`)
	inputCallRE  = regexp.MustCompile(`\$!?\{?input\.(params|path|json)\(\s*(?:'([^']*)'|"([^"]*)")\s*\)`)
	locParamRE   = regexp.MustCompile(`\$!?\{?input\.params\(\s*\)\s*\.\s*(header|querystring|path)\s*\.\s*get\(\s*(?:'([^']*)'|"([^"]*)")\s*\)`)
	refInStrRE   = regexp.MustCompile(`\$!?\{?[A-Za-z]`)
)

// inputCalls finds the $input calls of a template whose argument is a
// literal. Comments are blanked first (keeping offsets), and a
// double-quoted argument with a reference in it is skipped: Velocity
// interpolates it, so its value is not known here. Escaped references
// (\$input) print text and are skipped too.
func inputCalls(c *lint.Cache, text string) []vtlCall {
	return lint.Get(c, "calls:"+text, func() []vtlCall {
		if !strings.Contains(text, "input.") {
			return nil
		}
		clean := vtlCommentRE.ReplaceAllStringFunc(text, func(s string) string { return strings.Repeat(" ", len(s)) })
		var out []vtlCall
		add := func(fn string, m []int) {
			if m[0] > 0 && clean[m[0]-1] == '\\' {
				return
			}
			argAt, arg := m[len(m)-4], ""
			if argAt >= 0 {
				arg = clean[argAt:m[len(m)-3]]
			} else {
				argAt = m[len(m)-2]
				arg = clean[argAt:m[len(m)-1]]
				if refInStrRE.MatchString(arg) {
					return
				}
			}
			out = append(out, vtlCall{fn: fn, arg: arg, offset: argAt})
		}
		for _, m := range inputCallRE.FindAllStringSubmatchIndex(clean, -1) {
			add(clean[m[2]:m[3]], m)
		}
		for _, m := range locParamRE.FindAllStringSubmatchIndex(clean, -1) {
			add(clean[m[2]:m[3]]+".get", m)
		}
		return out
	})
}
