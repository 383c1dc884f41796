package lint

import (
	"fmt"
	"strings"
)

// Explain is what gwc explain prints for a rule: its metadata, then its
// documentation.
func Explain(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n\n", r.ID, r.Summary)
	fmt.Fprintf(&b, "Category: %s. Default severity: %s.", r.Category, r.Severity)
	if r.Off {
		b.WriteString(" Off unless enabled (lint: enable: [" + r.ID + "]).")
	}
	b.WriteString("\n\n")
	b.WriteString(strings.TrimSpace(r.Doc))
	b.WriteString("\n")
	return b.String()
}

// Reference renders the rules reference (docs/rules.md): header, an index
// by category, then each rule's documentation.
func Reference(header string, rules []*Rule) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(header))
	b.WriteString("\n\n")
	for _, c := range Categories {
		var in []*Rule
		for _, r := range rules {
			if r.Category == c {
				in = append(in, r)
			}
		}
		if len(in) == 0 {
			continue
		}
		fmt.Fprintf(&b, "## %s%s\n\n| rule | severity | summary |\n|---|---|---|\n", strings.ToUpper(string(c[:1])), c[1:])
		for _, r := range in {
			sev := r.Severity.String()
			if r.Off {
				sev += " (off by default)"
			}
			fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", r.ID, strings.ToLower(r.ID), sev, escapeTable(r.Summary))
		}
		b.WriteString("\n")
	}
	b.WriteString("## Rules\n\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "### %s\n\n%s\n\n*%s, %s", r.ID, r.Summary, r.Category, r.Severity)
		if r.Off {
			b.WriteString(", off by default")
		}
		b.WriteString(".*\n\n")
		b.WriteString(shiftHeadings(strings.TrimSpace(r.Doc)))
		b.WriteString("\n\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func escapeTable(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// shiftHeadings moves a rule document's "## " headings down two levels so
// they nest under the rule's heading in the reference.
func shiftHeadings(doc string) string {
	lines := strings.Split(doc, "\n")
	fence := false
	for i, l := range lines {
		if strings.HasPrefix(l, "```") {
			fence = !fence
		}
		if !fence && strings.HasPrefix(l, "#") {
			lines[i] = "##" + l
		}
	}
	return strings.Join(lines, "\n")
}
