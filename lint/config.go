package lint

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// CodeConfig is the diagnostic code of a configuration gwc cannot use.
const CodeConfig = "LINT_CONFIG"

// ConfigFile is the name of the project file gwc lint looks for.
const ConfigFile = "gwc.yaml"

// Config is the lint configuration of a project: from a gwc.yaml file,
// from the definition's own lint block, or both (the definition's block
// applies last).
type Config struct {
	// Enable and Disable name rules or categories ("all" for every rule).
	Enable, Disable []Selector
	// Severity overrides rules' default severities.
	Severity map[string]diag.Severity
	// Ignore drops findings in matching files.
	Ignore []IgnoreFiles
	// Baseline is the baseline file's path, relative to the working
	// directory; "" when the configuration names none.
	Baseline string
}

// Selector names a rule, a category, or every rule.
type Selector struct {
	Name  string
	Range diag.Range
}

// IgnoreFiles drops the findings of some rules (all when Rules is empty)
// in files that match one of Globs, or under resources whose path matches
// one of Paths.
type IgnoreFiles struct {
	// Globs are slash-separated and relative to the working directory.
	Globs []string
	// Paths are resource path globs, such as /legacy/** or /v1/*/items.
	Paths []string
	Rules []Selector
}

// FindConfig looks for gwc.yaml in dir and its parents, stopping at the
// root of a repository (a directory holding .git). It returns "" when
// there is none.
func FindConfig(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(abs, ConfigFile)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
		if _, err := os.Stat(filepath.Join(abs, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return ""
		}
		abs = parent
	}
}

// ReadConfigFile reads a gwc.yaml file. Problems with its content go to ds
// at their place in the file; the error is for a file that cannot be read.
func ReadConfigFile(name string, rules []*Rule, ds *diag.Set) (*Config, *schema.File, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	display := displayName(name)
	f := schema.NewFile(display, src)
	doc, err := schema.ParseYAML(f)
	if err != nil {
		var p *schema.Problem
		if errors.As(err, &p) {
			ds.Errorf(p.Range, CodeConfig, "%s", p.Msg)
		} else {
			ds.Errorf(diag.At(diag.Pos{File: display, Line: 1, Col: 1}), CodeConfig, "%v", err)
		}
		return nil, f, nil
	}
	if doc.Kind == schema.NullKind {
		return &Config{}, f, nil
	}
	if doc.Kind != schema.MapKind {
		ds.Errorf(doc.Range(), CodeConfig, "%s holds a map with a lint key, not %s", ConfigFile, doc.Kind)
		return nil, f, nil
	}
	for _, e := range doc.Entries {
		if e.Key != "lint" {
			ds.Errorf(e.KeyRange(), CodeConfig, "unknown key %q in %s; gwc reads only lint here", e.Key, ConfigFile)
		}
	}
	cfg := ParseConfig(doc.Get("lint"), filepath.Dir(name), rules, ds)
	return cfg, f, nil
}

// displayName is name relative to the working directory when it is below
// it, so that positions read as the user typed them.
func displayName(name string) string {
	if wd, err := os.Getwd(); err == nil {
		if abs, err := filepath.Abs(name); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.ToSlash(name)
}

// ParseConfig reads a lint block (the lint key of gwc.yaml, a CUE
// definition's lint field or an OpenAPI document's x-gateway-lint). dir is
// the directory of the file that holds it, which relative paths in it are
// relative to. Problems go to ds as CodeConfig errors.
func ParseConfig(n *schema.Node, dir string, rules []*Rule, ds *diag.Set) *Config {
	cfg := &Config{}
	if n == nil {
		return cfg
	}
	var local diag.Set
	schema.Validate(n, schema.MustSchema().Def("#LintConfig"), "lint", &local)
	for _, d := range local.Sorted() {
		d.Code = CodeConfig
		ds.Add(d)
	}
	if local.HasErrors() {
		return cfg
	}
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	selectors := func(list *schema.Node) []Selector {
		var out []Selector
		for _, it := range itemsOf(list) {
			s := Selector{Name: it.String(), Range: it.Range()}
			if !isCategoryOrAll(s.Name) && !known[s.Name] {
				ds.Errorf(s.Range, CodeConfig, "unknown rule %s%s", s.Name, suggestRule(s.Name, rules))
				continue
			}
			out = append(out, s)
		}
		return out
	}
	cfg.Enable = selectors(n.Get("enable"))
	cfg.Disable = selectors(n.Get("disable"))
	if sev := n.Get("severity"); sev != nil {
		cfg.Severity = map[string]diag.Severity{}
		for _, e := range sev.Entries {
			if !known[e.Key] {
				ds.Errorf(e.KeyRange(), CodeConfig, "unknown rule %s%s", e.Key, suggestRule(e.Key, rules))
				continue
			}
			s, _ := diag.ParseSeverity(e.String())
			cfg.Severity[e.Key] = s
		}
	}
	for _, it := range itemsOf(n.Get("ignore")) {
		ig := IgnoreFiles{Rules: selectors(it.Get("rules"))}
		if it.Get("files") == nil && it.Get("paths") == nil {
			ds.Errorf(it.Range(), CodeConfig, "an ignore entry names files (globs of file names) or paths (globs of resource paths), or both")
			continue
		}
		for _, g := range stringsOf(it.Get("files")) {
			pattern := filepath.ToSlash(filepath.Join(displayDir(dir), g.String()))
			if _, err := path.Match(pattern, ""); err != nil {
				ds.Errorf(g.Range(), CodeConfig, "bad glob %q: %v", g.String(), err)
				continue
			}
			ig.Globs = append(ig.Globs, pattern)
		}
		for _, g := range stringsOf(it.Get("paths")) {
			if _, err := path.Match(g.String(), ""); err != nil || !strings.HasPrefix(g.String(), "/") {
				ds.Errorf(g.Range(), CodeConfig, "bad resource path glob %q: want a path from /, such as /legacy/**", g.String())
				continue
			}
			ig.Paths = append(ig.Paths, g.String())
		}
		cfg.Ignore = append(cfg.Ignore, ig)
	}
	if b := n.Get("baseline"); b != nil {
		cfg.Baseline = filepath.Join(displayDir(dir), b.String())
	}
	return cfg
}

func displayDir(dir string) string {
	if dir == "" {
		return "."
	}
	return displayName(dir)
}

// stringsOf returns a string node, or the items of a list of them.
func stringsOf(n *schema.Node) []*schema.Node {
	switch {
	case n == nil:
		return nil
	case n.Kind == schema.ListKind:
		return n.Items
	}
	return []*schema.Node{n}
}

func itemsOf(n *schema.Node) []*schema.Node {
	if n == nil || n.Kind != schema.ListKind {
		return nil
	}
	return n.Items
}

func isCategoryOrAll(s string) bool {
	return s == "all" || slices.Contains(Categories, Category(s))
}

func suggestRule(id string, rules []*Rule) string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	if c := schema.Closest(id, ids); c != "" {
		return "; did you mean " + c + "?"
	}
	return ""
}

// Merge returns the configuration of c with o applied after it.
func (c *Config) Merge(o *Config) *Config {
	if o == nil {
		return c
	}
	out := &Config{
		Enable:   slices.Concat(c.Enable, o.Enable),
		Disable:  slices.Concat(c.Disable, o.Disable),
		Ignore:   slices.Concat(c.Ignore, o.Ignore),
		Baseline: c.Baseline,
		Severity: map[string]diag.Severity{},
	}
	for k, v := range c.Severity {
		out.Severity[k] = v
	}
	for k, v := range o.Severity {
		out.Severity[k] = v
	}
	if o.Baseline != "" {
		out.Baseline = o.Baseline
	}
	return out
}

func (s Selector) matches(r *Rule) bool {
	return s.Name == "all" || s.Name == r.ID || s.Name == string(r.Category)
}

// Enabled returns the rules the configuration runs: those on by default
// and those it enables, less those it disables. A rule named by its ID
// wins over its category or "all", so "disable: [style], enable: [X]"
// runs X; naming an ID in both lists disables it.
func (c *Config) Enabled(rules []*Rule) []*Rule {
	var out []*Rule
	for _, r := range rules {
		on := !r.Off
		for _, byID := range []bool{false, true} {
			for _, s := range c.Enable {
				if (s.Name == r.ID) == byID && s.matches(r) {
					on = true
				}
			}
			for _, s := range c.Disable {
				if (s.Name == r.ID) == byID && s.matches(r) {
					on = false
				}
			}
		}
		if on {
			out = append(out, r)
		}
	}
	return out
}

// ignored reports whether the configuration drops d, a finding of rule r;
// resourceOf names the resource a position belongs to, if any.
func (c *Config) ignored(d diag.Diagnostic, r *Rule, resourceOf func(diag.Pos) string) bool {
	file := d.Range.Start.File
	for _, ig := range c.Ignore {
		if len(ig.Rules) > 0 && !slices.ContainsFunc(ig.Rules, func(s Selector) bool { return s.matches(r) }) {
			continue
		}
		for _, g := range ig.Globs {
			if globMatch(g, file) {
				return true
			}
		}
		if len(ig.Paths) == 0 {
			continue
		}
		if res := resourceOf(d.Range.Start); res != "" {
			for _, g := range ig.Paths {
				if globMatch(g, res) {
					return true
				}
			}
		}
	}
	return false
}

// globMatch matches a slash-separated path against a glob in which ** also
// matches across directories.
func globMatch(glob, name string) bool {
	glob, name = path.Clean(glob), path.Clean(filepath.ToSlash(name))
	if !strings.Contains(glob, "**") {
		ok, _ := path.Match(glob, name)
		return ok
	}
	prefix, rest, _ := strings.Cut(glob, "**")
	if !strings.HasPrefix(name, prefix) {
		return false
	}
	rest = strings.TrimPrefix(rest, "/")
	tail := strings.TrimPrefix(name, prefix)
	if rest == "" {
		return true
	}
	for {
		if globMatch(rest, tail) {
			return true
		}
		i := strings.IndexByte(tail, '/')
		if i < 0 {
			return false
		}
		tail = tail[i+1:]
	}
}
