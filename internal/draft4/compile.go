package draft4

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gwc.dev/gwc/internal/javaregex"
)

// Compiler turns draft-04 schema documents into validators. Add every
// document that schemas refer to with AddResource, then Compile the ones
// to validate with. A Compiler is not safe for concurrent use; the
// Schemas it returns are.
type Compiler struct {
	// StrictIntegers types numbers as API Gateway's Java validator does:
	// by the token, so a number written with a fraction or an exponent
	// (1.0, 1e2) is a "number" and never an "integer", and type errors
	// name integer tokens "integer". By default a number is an integer
	// when its value has no fractional part (1.0 is an integer), as the
	// runtime's validator has judged until now.
	StrictIntegers bool

	// IgnoreFormat turns format assertions off. By default the formats
	// API Gateway's validator checks for draft-04 are checked: date-time,
	// email, hostname, ipv4, ipv6, uri and regex; other names pass.
	IgnoreFormat bool

	resources map[string]*resource
	ids       map[string]location // absolute id URLs, with or without a fragment
	cache     map[location]*schema
	regexes   map[string]*javaregex.Regexp
	all       []*schema
}

// NewCompiler returns a Compiler with no resources.
func NewCompiler() *Compiler {
	return &Compiler{
		resources: map[string]*resource{},
		ids:       map[string]location{},
		cache:     map[location]*schema{},
		regexes:   map[string]*javaregex.Regexp{},
	}
}

type resource struct {
	url string
	t   *tree
}

// location is a node of a resource; base is the URL that references
// inside it resolve against, after the ids on the way to it.
type location struct {
	res  *resource
	node uint32
}

// Type bits.
const (
	tNull uint8 = 1 << iota
	tBoolean
	tObject
	tArray
	tNumber
	tString
	tInteger
)

var typeNames = [...]string{"null", "boolean", "object", "array", "number", "string", "integer"}

type formatKind uint8

const (
	fmtNone formatKind = iota
	fmtDateTime
	fmtEmail
	fmtHostname
	fmtIPv4
	fmtIPv6
	fmtURI
	fmtRegex
)

type namedSchema struct {
	name string
	s    *schema // nil when the name is only required
	req  bool
}

type patternSchema struct {
	re *javaregex.Regexp
	s  *schema
}

type dependency struct {
	name  string
	props []string // array form
	s     *schema  // schema form
}

type value struct {
	t *tree
	i uint32
}

// schema is one compiled (sub)schema. Absent keywords have their zero
// value or -1 for counts.
type schema struct {
	loc  location
	base string

	ref *schema // draft-04: a schema with $ref is that reference, its other keywords ignored

	types     uint8
	typeList  []string
	enum      []value
	format    formatKind
	formatRaw string

	minProps, maxProps int
	required           []string
	names              []namedSchema // properties and required names
	nameIdx            map[string]int
	patternProps       []patternSchema
	addlFalse          bool
	addl               *schema
	deps               []dependency

	minItems, maxItems int
	unique             bool
	items              *schema
	itemList           []*schema
	itemsIsList        bool
	addlItemsFalse     bool
	addlItems          *schema

	minLen, maxLen int
	pattern        *javaregex.Regexp

	minimum, maximum   *number
	exclMin, exclMax   bool
	multiple           *number
	hasNumericKeywords bool

	not               *schema
	allOf, anyOf, one []*schema

	loop bool // on a cycle that does not consume the instance: check for validation loops
	memo bool // a $ref into a recursive part of the schema: remember its verdicts per value
}

// number is a numeric keyword's value, kept with its text and token kind
// for messages.
type number struct {
	d       decimal
	text    string
	intTok  bool
	i64     int64
	isSmall bool
}

func newNumber(t *tree, i uint32) *number {
	n := &number{text: strings.Clone(t.numText(i)), intTok: t.nodes[i].flags&fInt != 0}
	n.d = parseDecimal(n.text)
	n.i64, n.isSmall = n.d.int64Value()
	return n
}

func normalizeURL(s string) (string, string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", "", err
	}
	frag := u.Fragment
	u.Fragment, u.RawFragment = "", ""
	return u.String(), frag, nil
}

// AddResource parses a schema document and registers it under url, so
// that Compile and references ($ref) can reach it and the ids it declares.
func (c *Compiler) AddResource(rawURL string, schemaJSON []byte) error {
	u, _, err := normalizeURL(rawURL)
	if err != nil {
		return fmt.Errorf("resource url %q: %w", rawURL, err)
	}
	if _, dup := c.resources[u]; dup {
		return fmt.Errorf("resource %s added twice", u)
	}
	t := &tree{}
	if err := t.parse(append([]byte(nil), schemaJSON...)); err != nil {
		return fmt.Errorf("resource %s: schema is not valid JSON", u)
	}
	t.dups = nil
	if t.nodes[0].kind != kObject {
		return fmt.Errorf("resource %s: a draft-04 schema is a JSON object, not %s", u, t.typeName(0))
	}
	r := &resource{url: u, t: t}
	c.resources[u] = r
	c.indexIDs(r, 0, u)
	return nil
}

// indexIDs registers the subschemas that declare an id, so that
// references to those URLs find them (draft-04 §7.2).
func (c *Compiler) indexIDs(r *resource, n uint32, base string) {
	t := r.t
	if t.nodes[n].kind != kObject {
		return
	}
	if id, ok := t.lookup(n, "id"); ok && t.nodes[id].kind == kString {
		if abs, err := resolveURL(base, t.str(id)); err == nil {
			doc, frag, _ := normalizeURL(abs)
			if frag == "" {
				if _, taken := c.ids[doc]; !taken {
					c.ids[doc] = location{r, n}
				}
				base = doc
			} else {
				c.ids[doc+"#"+frag] = location{r, n}
			}
		}
	}
	for k, v := range t.members(n) {
		switch t.str(k) {
		case "properties", "patternProperties", "definitions", "dependencies":
			if t.nodes[v].kind == kObject {
				for _, sv := range t.members(v) {
					c.indexIDs(r, sv, base)
				}
			}
		case "items", "allOf", "anyOf", "oneOf":
			if t.nodes[v].kind == kArray {
				for _, e := range t.elems(v) {
					c.indexIDs(r, e, base)
				}
			} else {
				c.indexIDs(r, v, base)
			}
		case "additionalItems", "additionalProperties", "not":
			c.indexIDs(r, v, base)
		}
	}
}

func resolveURL(base, ref string) (string, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	if base == "" {
		return r.String(), nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	return b.ResolveReference(r).String(), nil
}

// Compile returns the validator for the schema at url (a resource's URL,
// optionally with a fragment: a JSON pointer or an id).
func (c *Compiler) Compile(rawURL string) (*Schema, error) {
	before := len(c.all)
	s, err := c.resolve(rawURL)
	if err != nil {
		// Forget what this call half-built, so that a later Compile
		// does not find a schema whose keywords were never read.
		for _, h := range c.all[before:] {
			delete(c.cache, h.loc)
		}
		c.all = c.all[:before]
		return nil, err
	}
	if len(c.all) > before {
		c.markLoops()
	}
	return &Schema{root: s, strict: c.StrictIntegers, formats: !c.IgnoreFormat}, nil
}

// resolve finds and compiles the schema an absolute URL names.
func (c *Compiler) resolve(abs string) (*schema, error) {
	doc, frag, err := normalizeURL(abs)
	if err != nil {
		return nil, fmt.Errorf("reference %q: %w", abs, err)
	}
	if frag != "" && !strings.HasPrefix(frag, "/") {
		loc, ok := c.ids[doc+"#"+frag]
		if !ok {
			return nil, fmt.Errorf("reference %s: no schema has id #%s", abs, frag)
		}
		return c.compileAt(loc, c.baseOf(loc))
	}
	loc, ok := c.ids[doc]
	base := doc
	if !ok {
		r, isRes := c.resources[doc]
		if !isRes {
			return nil, fmt.Errorf("reference %s: no such resource", abs)
		}
		loc = location{r, 0}
	}
	if frag == "" {
		return c.compileAt(loc, base)
	}
	t := loc.res.t
	n := loc.node
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		// Ids met on the way change the base of what lies below them.
		if t.nodes[n].kind == kObject && n != loc.node {
			if id, ok := t.lookup(n, "id"); ok && t.nodes[id].kind == kString {
				if b, err := resolveURL(base, t.str(id)); err == nil {
					base, _, _ = normalizeURL(b)
				}
			}
		}
		switch t.nodes[n].kind {
		case kObject:
			v, ok := t.lookup(n, tok)
			if !ok {
				return nil, fmt.Errorf("reference %s: no member %q", abs, tok)
			}
			n = v
		case kArray:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= int(t.nodes[n].n) || tok != strconv.Itoa(i) {
				return nil, fmt.Errorf("reference %s: no element %q", abs, tok)
			}
			for j, e := range t.elems(n) {
				if j == i {
					n = e
					break
				}
			}
		default:
			return nil, fmt.Errorf("reference %s: no member %q", abs, tok)
		}
	}
	return c.compileAt(location{loc.res, n}, base)
}

// baseOf returns the base URL in force at a node that an id names: the
// resource's URL, changed by every id on the path from the root.
func (c *Compiler) baseOf(loc location) string {
	t := loc.res.t
	base := loc.res.url
	var walk func(n uint32, base string) (string, bool)
	walk = func(n uint32, base string) (string, bool) {
		if n == loc.node {
			return base, true
		}
		nd := t.nodes[n]
		if loc.node < n || loc.node >= nd.next {
			return "", false
		}
		if nd.kind == kObject {
			if id, ok := t.lookup(n, "id"); ok && t.nodes[id].kind == kString {
				if b, err := resolveURL(base, t.str(id)); err == nil {
					base, _, _ = normalizeURL(b)
				}
			}
			for _, v := range t.members(n) {
				if b, ok := walk(v, base); ok {
					return b, true
				}
			}
		}
		if nd.kind == kArray {
			for _, v := range t.elems(n) {
				if b, ok := walk(v, base); ok {
					return b, true
				}
			}
		}
		return "", false
	}
	if b, ok := walk(0, base); ok {
		return b
	}
	return base
}

func (c *Compiler) errorf(loc location, format string, args ...any) error {
	return fmt.Errorf("schema %s: %s", loc.String(), fmt.Sprintf(format, args...))
}

func (l location) String() string {
	return l.res.url + "#" + pointerOf(l.res.t, l.node)
}

// compileAt compiles the schema at loc, once: a reference back to a
// schema being compiled gets the same *schema, which is how recursive
// schemas work.
func (c *Compiler) compileAt(loc location, base string) (*schema, error) {
	if s, ok := c.cache[loc]; ok {
		return s, nil
	}
	t := loc.res.t
	n := loc.node
	if t.nodes[n].kind != kObject {
		return nil, c.errorf(loc, "a schema is a JSON object, not %s", t.typeName(n))
	}
	s := &schema{loc: loc, minProps: -1, maxProps: -1, minItems: -1, maxItems: -1, minLen: -1, maxLen: -1}
	c.cache[loc] = s
	c.all = append(c.all, s)
	if id, ok := t.lookup(n, "id"); ok {
		if t.nodes[id].kind != kString {
			return nil, c.errorf(loc, "id must be a string")
		}
		if b, err := resolveURL(base, t.str(id)); err == nil {
			base, _, _ = normalizeURL(b)
		}
	}
	s.base = base
	if ref, ok := t.lookup(n, "$ref"); ok {
		if t.nodes[ref].kind != kString {
			return nil, c.errorf(loc, "$ref must be a string")
		}
		abs, err := resolveURL(base, t.str(ref))
		if err != nil {
			return nil, c.errorf(loc, "$ref %q: %v", t.str(ref), err)
		}
		target, err := c.resolve(abs)
		if err != nil {
			return nil, c.errorf(loc, "%v", err)
		}
		s.ref = target
		return s, nil
	}
	sub := func(v uint32) (*schema, error) { return c.compileAt(location{loc.res, v}, base) }
	subList := func(kw string, v uint32) ([]*schema, error) {
		if t.nodes[v].kind != kArray || t.nodes[v].n == 0 {
			return nil, c.errorf(loc, "%s must be a non-empty array of schemas", kw)
		}
		var out []*schema
		for _, e := range t.elems(v) {
			es, err := sub(e)
			if err != nil {
				return nil, err
			}
			out = append(out, es)
		}
		return out, nil
	}
	count := func(kw string, v uint32) (int, error) {
		if t.nodes[v].kind != kNumber {
			return 0, c.errorf(loc, "%s must be a non-negative integer", kw)
		}
		d := parseDecimal(t.numText(v))
		if !d.isInt() || d.neg {
			return 0, c.errorf(loc, "%s must be a non-negative integer", kw)
		}
		if i, ok := d.int64Value(); ok && i < 1<<31 {
			return int(i), nil
		}
		return 1<<31 - 1, nil
	}
	var requiredNames []string
	var props []namedSchema
	var err error
	for k, v := range t.members(n) {
		kw := t.str(k)
		vk := t.nodes[v].kind
		switch kw {
		case "type":
			switch vk {
			case kString:
				s.typeList = []string{t.str(v)}
			case kArray:
				if t.nodes[v].n == 0 {
					return nil, c.errorf(loc, "type must not be an empty array")
				}
				for _, e := range t.elems(v) {
					if t.nodes[e].kind != kString {
						return nil, c.errorf(loc, "type must be a string or an array of strings")
					}
					s.typeList = append(s.typeList, t.str(e))
				}
			default:
				return nil, c.errorf(loc, "type must be a string or an array of strings")
			}
			for i, name := range s.typeList {
				s.typeList[i] = strings.Clone(name)
				bit := uint8(0)
				for j, tn := range typeNames {
					if tn == name {
						bit = 1 << j
					}
				}
				if bit == 0 {
					return nil, c.errorf(loc, "unknown type %q", name)
				}
				if s.types&bit != 0 {
					return nil, c.errorf(loc, "type %q is listed twice", name)
				}
				s.types |= bit
			}
		case "enum":
			if vk != kArray || t.nodes[v].n == 0 {
				return nil, c.errorf(loc, "enum must be a non-empty array")
			}
			for _, e := range t.elems(v) {
				for _, prev := range s.enum {
					if equalNodes(t, prev.i, t, e) {
						return nil, c.errorf(loc, "enum lists a value twice")
					}
				}
				s.enum = append(s.enum, value{t, e})
			}
		case "format":
			if vk != kString {
				return nil, c.errorf(loc, "format must be a string")
			}
			s.formatRaw = strings.Clone(t.str(v))
			s.format = formatByName[s.formatRaw]
		case "minProperties":
			s.minProps, err = count(kw, v)
		case "maxProperties":
			s.maxProps, err = count(kw, v)
		case "minItems":
			s.minItems, err = count(kw, v)
		case "maxItems":
			s.maxItems, err = count(kw, v)
		case "minLength":
			s.minLen, err = count(kw, v)
		case "maxLength":
			s.maxLen, err = count(kw, v)
		case "required":
			if vk != kArray || t.nodes[v].n == 0 {
				return nil, c.errorf(loc, "required must be a non-empty array of strings")
			}
			for _, e := range t.elems(v) {
				if t.nodes[e].kind != kString {
					return nil, c.errorf(loc, "required must be a non-empty array of strings")
				}
				name := strings.Clone(t.str(e))
				for _, prev := range requiredNames {
					if prev == name {
						return nil, c.errorf(loc, "required lists %q twice", name)
					}
				}
				requiredNames = append(requiredNames, name)
			}
		case "properties":
			if vk != kObject {
				return nil, c.errorf(loc, "properties must be an object of schemas")
			}
			for pk, pv := range t.members(v) {
				ps, err := sub(pv)
				if err != nil {
					return nil, err
				}
				props = append(props, namedSchema{name: strings.Clone(t.str(pk)), s: ps})
			}
		case "patternProperties":
			if vk != kObject {
				return nil, c.errorf(loc, "patternProperties must be an object of schemas")
			}
			for pk, pv := range t.members(v) {
				re, err := c.regex(loc, t.str(pk))
				if err != nil {
					return nil, err
				}
				ps, err := sub(pv)
				if err != nil {
					return nil, err
				}
				s.patternProps = append(s.patternProps, patternSchema{re, ps})
			}
		case "additionalProperties":
			switch vk {
			case kFalse:
				s.addlFalse = true
			case kTrue:
			case kObject:
				s.addl, err = sub(v)
			default:
				return nil, c.errorf(loc, "additionalProperties must be a boolean or a schema")
			}
		case "dependencies":
			if vk != kObject {
				return nil, c.errorf(loc, "dependencies must be an object")
			}
			for dk, dv := range t.members(v) {
				d := dependency{name: strings.Clone(t.str(dk))}
				switch t.nodes[dv].kind {
				case kObject:
					if d.s, err = sub(dv); err != nil {
						return nil, err
					}
				case kArray:
					if t.nodes[dv].n == 0 {
						return nil, c.errorf(loc, "dependency %q must list at least one property", d.name)
					}
					for _, e := range t.elems(dv) {
						if t.nodes[e].kind != kString {
							return nil, c.errorf(loc, "dependency %q must be a schema or an array of strings", d.name)
						}
						d.props = append(d.props, strings.Clone(t.str(e)))
					}
				default:
					return nil, c.errorf(loc, "dependency %q must be a schema or an array of strings", d.name)
				}
				s.deps = append(s.deps, d)
			}
		case "items":
			switch vk {
			case kObject:
				s.items, err = sub(v)
			case kArray:
				if t.nodes[v].n == 0 {
					return nil, c.errorf(loc, "items must be a schema or a non-empty array of schemas")
				}
				s.itemsIsList = true
				for _, e := range t.elems(v) {
					es, err := sub(e)
					if err != nil {
						return nil, err
					}
					s.itemList = append(s.itemList, es)
				}
			default:
				return nil, c.errorf(loc, "items must be a schema or an array of schemas")
			}
		case "additionalItems":
			switch vk {
			case kFalse:
				s.addlItemsFalse = true
			case kTrue:
			case kObject:
				s.addlItems, err = sub(v)
			default:
				return nil, c.errorf(loc, "additionalItems must be a boolean or a schema")
			}
		case "uniqueItems":
			switch vk {
			case kTrue:
				s.unique = true
			case kFalse:
			default:
				return nil, c.errorf(loc, "uniqueItems must be a boolean")
			}
		case "minimum", "maximum", "multipleOf":
			if vk != kNumber {
				return nil, c.errorf(loc, "%s must be a number", kw)
			}
			num := newNumber(t, v)
			switch kw {
			case "minimum":
				s.minimum = num
			case "maximum":
				s.maximum = num
			default:
				if num.d.sign() <= 0 {
					return nil, c.errorf(loc, "multipleOf must be greater than 0")
				}
				s.multiple = num
			}
			s.hasNumericKeywords = true
		case "exclusiveMinimum", "exclusiveMaximum":
			if vk != kTrue && vk != kFalse {
				return nil, c.errorf(loc, "%s must be a boolean", kw)
			}
			if kw == "exclusiveMinimum" {
				s.exclMin = vk == kTrue
			} else {
				s.exclMax = vk == kTrue
			}
		case "pattern":
			if vk != kString {
				return nil, c.errorf(loc, "pattern must be a string")
			}
			s.pattern, err = c.regex(loc, t.str(v))
		case "allOf":
			s.allOf, err = subList(kw, v)
		case "anyOf":
			s.anyOf, err = subList(kw, v)
		case "oneOf":
			s.one, err = subList(kw, v)
		case "not":
			if vk != kObject {
				return nil, c.errorf(loc, "not must be a schema")
			}
			s.not, err = sub(v)
		case "definitions":
			if vk != kObject {
				return nil, c.errorf(loc, "definitions must be an object of schemas")
			}
			// Compiled now, though only references reach them, so
			// that a broken definition is an error at load time.
			for _, dv := range t.members(v) {
				if _, err := sub(dv); err != nil {
					return nil, err
				}
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if _, ok := t.lookup(n, "exclusiveMinimum"); ok && s.minimum == nil {
		return nil, c.errorf(loc, "exclusiveMinimum requires minimum")
	}
	if _, ok := t.lookup(n, "exclusiveMaximum"); ok && s.maximum == nil {
		return nil, c.errorf(loc, "exclusiveMaximum requires maximum")
	}
	// One table answers, per member name, its property schema and whether
	// it is required, so an object is read in one pass.
	s.required = requiredNames
	s.names = props
	for _, r := range requiredNames {
		found := false
		for i := range s.names {
			if s.names[i].name == r {
				s.names[i].req = true
				found = true
			}
		}
		if !found {
			s.names = append(s.names, namedSchema{name: r, req: true})
		}
	}
	if len(s.names) > 8 {
		s.nameIdx = make(map[string]int, len(s.names))
		for i, e := range s.names {
			s.nameIdx[e.name] = i
		}
	}
	return s, nil
}

var formatByName = map[string]formatKind{
	"date-time": fmtDateTime,
	"email":     fmtEmail,
	"hostname":  fmtHostname,
	"ipv4":      fmtIPv4,
	"ipv6":      fmtIPv6,
	"uri":       fmtURI,
	"regex":     fmtRegex,
}

func (c *Compiler) regex(loc location, pattern string) (*javaregex.Regexp, error) {
	if re, ok := c.regexes[pattern]; ok {
		return re, nil
	}
	re, err := javaregex.Compile(pattern)
	if err != nil {
		return nil, c.errorf(loc, "pattern %q: %v", pattern, err)
	}
	c.regexes[strings.Clone(pattern)] = re
	return re, nil
}

// markLoops flags the schemas on a cycle of references and applicators
// that stay on the same instance ($ref, allOf, anyOf, oneOf, not, schema
// dependencies): only they can be entered twice for one value, which is
// an endless loop the validator must stop. It also flags the references
// that need their verdicts remembered (see markMemos).
func (c *Compiler) markLoops() {
	comp, cyclic := components(c.all, sameInstance)
	for _, s := range c.all {
		s.loop = cyclic[comp[s]]
	}
	c.markMemos()
}

// sameInstance calls f with the subschemas s applies to the value s
// itself applies to.
func sameInstance(s *schema, f func(*schema)) {
	if s.ref != nil {
		f(s.ref)
		return
	}
	for _, l := range [][]*schema{s.allOf, s.anyOf, s.one} {
		for _, x := range l {
			f(x)
		}
	}
	if s.not != nil {
		f(s.not)
	}
	for _, d := range s.deps {
		if d.s != nil {
			f(d.s)
		}
	}
}

// allChildren calls f with every subschema s applies, to the value or to
// its members and elements.
func allChildren(s *schema, f func(*schema)) {
	sameInstance(s, f)
	if s.ref != nil {
		return
	}
	for _, x := range []*schema{s.addl, s.items, s.addlItems} {
		if x != nil {
			f(x)
		}
	}
	for _, x := range s.itemList {
		f(x)
	}
	for _, n := range s.names {
		if n.s != nil {
			f(n.s)
		}
	}
	for _, p := range s.patternProps {
		f(p.s)
	}
}

// branches reports whether s can apply more than one subschema to one
// value: the applicators, a schema dependency, or patternProperties that
// a member may match besides its property schema.
func branches(s *schema) bool {
	return len(s.allOf)+len(s.anyOf)+len(s.one) > 0 || s.not != nil || len(s.patternProps) > 0 ||
		slices.ContainsFunc(s.deps, func(d dependency) bool { return d.s != nil })
}

// markMemos flags the references into recursion that branches. There a
// value can be validated against the same schema along several paths, a
// number of paths that doubles with each level of the body: anyOf [A, B]
// where A and B both descend into the same member evaluates it twice per
// level. Remembering, per value, what such a reference found makes
// validation linear; plain recursion (a tree's children) does not need it.
func (c *Compiler) markMemos() {
	comp, cyclic := components(c.all, allChildren)
	branching := map[int]bool{}
	for _, s := range c.all {
		if branches(s) {
			branching[comp[s]] = true
		}
	}
	for _, s := range c.all {
		if s.ref != nil {
			k := comp[s.ref]
			s.memo = cyclic[k] && branching[k]
		}
	}
}

// components numbers the strongly connected components of the graph of
// schemas (Tarjan's algorithm) and tells which lie on a cycle.
func components(all []*schema, edges func(*schema, func(*schema))) (map[*schema]int, map[int]bool) {
	index := map[*schema]int{}
	low := map[*schema]int{}
	on := map[*schema]bool{}
	comp := map[*schema]int{}
	cyclic := map[int]bool{}
	var stack []*schema
	next, ncomp := 0, 0
	var visit func(s *schema)
	visit = func(s *schema) {
		index[s], low[s] = next, next
		next++
		stack = append(stack, s)
		on[s] = true
		self := false
		edges(s, func(w *schema) {
			if w == s {
				self = true
			}
			if _, seen := index[w]; !seen {
				visit(w)
				low[s] = min(low[s], low[w])
			} else if on[w] {
				low[s] = min(low[s], index[w])
			}
		})
		if low[s] == index[s] {
			size := 0
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				comp[w] = ncomp
				size++
				if w == s {
					break
				}
			}
			cyclic[ncomp] = size > 1 || self
			ncomp++
		}
	}
	for _, s := range all {
		if _, seen := index[s]; !seen {
			visit(s)
		}
	}
	return comp, cyclic
}

// pointerOf returns the JSON pointer of node i in t.
func pointerOf(t *tree, target uint32) string {
	var sb strings.Builder
	n := uint32(0)
	for n != target {
		nd := t.nodes[n]
		found := false
		switch nd.kind {
		case kObject:
			for k, v := range t.members(n) {
				if target >= v && target < t.nodes[v].next {
					sb.WriteByte('/')
					sb.WriteString(strings.ReplaceAll(strings.ReplaceAll(t.str(k), "~", "~0"), "/", "~1"))
					n, found = v, true
					break
				}
			}
		case kArray:
			for i, v := range t.elems(n) {
				if target >= v && target < t.nodes[v].next {
					sb.WriteByte('/')
					sb.WriteString(strconv.Itoa(i))
					n, found = v, true
					break
				}
			}
		}
		if !found {
			break
		}
	}
	return sb.String()
}
