package draft4

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"gwc.dev/gwc/internal/javaregex"
)

// The differential test runs generated schemas and instances through this
// package and through github.com/santhosh-tekuri/jsonschema/v6 set up as
// runtime/validate.go sets it up (draft-04, Java regexes found anywhere),
// and requires the same verdict and the same failures: the same kinds at
// the same places, and for the kinds runtime/validate.go words, the same
// messages as it writes from the library's errors.
//
// Deliberate differences the generator avoids, with their reasons:
//   - keywords beside $ref: draft-04 ignores them; the library still
//     checks type, enum and format there;
//   - format: both check formats, the library with Go's rules (RFC 3339,
//     net/netip, net/url), this package with those of the Java libraries
//     API Gateway's validator calls (Joda-Time, Guava, javax.mail,
//     java.net.URI): Guava takes "not_a_valid_host_name" for a hostname,
//     java.net.URI takes "abc" for a URI;
//   - $schema: the library switches drafts on it; models are draft-04.

type libSchema struct{ s *jsonschema.Schema }

type findRegexp struct{ re *javaregex.Regexp }

func (f findRegexp) MatchString(s string) bool { return f.re.Find(s) }
func (f findRegexp) String() string            { return f.re.String() }

func javaFind(s string) (jsonschema.Regexp, error) {
	re, err := javaregex.Compile(s)
	if err != nil {
		return nil, err
	}
	return findRegexp{re}, nil
}

const diffURL = "https://apigateway.amazonaws.com/restapis/abc123/models/M"

func compileLib(schemaJSON []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.UseRegexpEngine(javaFind)
	if err := c.AddResource(diffURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(diffURL)
}

// libFailures lists the library's leaf errors as "kind pointer message"
// lines, the message only for the kinds the runtime words.
func libFailures(t *testing.T, err error) []string {
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		var ptr strings.Builder
		for _, tok := range e.InstanceLocation {
			ptr.WriteString("/" + strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1"))
		}
		k, msg := libKind(t, e)
		out = append(out, k.String()+" "+ptr.String()+" "+msg)
	}
	walk(err.(*jsonschema.ValidationError))
	slices.Sort(out)
	return out
}

func ourFailures(r Result) []string {
	var out []string
	for _, e := range r.Errors {
		msg := ""
		if runtimeWorded(e.Kind) {
			msg = e.Message
		}
		out = append(out, e.Kind.String()+" "+e.Pointer+" "+msg)
	}
	slices.Sort(out)
	return out
}

func runtimeWorded(k Kind) bool {
	switch k {
	case KindRequired, KindType, KindAdditionalProperties, KindMinLength, KindMaxLength, KindMinItems,
		KindMaxItems, KindMinimum, KindMaximum, KindPattern, KindEnum:
		return true
	}
	return false
}

// libKind maps a library error to this package's kind and, for the kinds
// runtime/validate.go words, to the message it writes (its
// validationMessage, repeated here).
func libKind(t *testing.T, e *jsonschema.ValidationError) (Kind, string) {
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		return KindRequired, fmt.Sprintf("object has missing required properties (%s)", rtQuotedList(k.Missing))
	case *kind.Type:
		return KindType, fmt.Sprintf("instance type (%s) does not match any allowed primitive type (allowed: %s)", k.Got, rtQuotedList(k.Want))
	case *kind.AdditionalProperties:
		return KindAdditionalProperties, fmt.Sprintf("object instance has properties which are not allowed by the schema: %s", rtQuotedList(k.Properties))
	case *kind.MinLength:
		return KindMinLength, fmt.Sprintf("string is too short (length: %d, required minimum: %d)", k.Got, k.Want)
	case *kind.MaxLength:
		return KindMaxLength, fmt.Sprintf("string is too long (length: %d, maximum allowed: %d)", k.Got, k.Want)
	case *kind.MinItems:
		return KindMinItems, fmt.Sprintf("array is too short: must have at least %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.MaxItems:
		return KindMaxItems, fmt.Sprintf("array is too long: must have at most %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.Minimum:
		return KindMinimum, fmt.Sprintf("numeric instance is lower than the required minimum (minimum: %s, found: %s)", rtRatString(k.Want), rtRatString(k.Got))
	case *kind.Maximum:
		return KindMaximum, fmt.Sprintf("numeric instance is greater than the required maximum (maximum: %s, found: %s)", rtRatString(k.Want), rtRatString(k.Got))
	case *kind.Pattern:
		return KindPattern, fmt.Sprintf("ECMA 262 regex \"%s\" does not match input string \"%s\"", k.Want, k.Got)
	case *kind.Enum:
		return KindEnum, fmt.Sprintf("instance value (%v) not found in enum", k.Got)
	case *kind.ExclusiveMinimum:
		return KindExclusiveMinimum, ""
	case *kind.ExclusiveMaximum:
		return KindExclusiveMaximum, ""
	case *kind.MultipleOf:
		return KindMultipleOf, ""
	case *kind.UniqueItems:
		return KindUniqueItems, ""
	case *kind.MinProperties:
		return KindMinProperties, ""
	case *kind.MaxProperties:
		return KindMaxProperties, ""
	case *kind.Not:
		return KindNot, ""
	case *kind.OneOf:
		return KindOneOf, ""
	case *kind.Dependency:
		return KindDependencies, ""
	case *kind.AdditionalItems:
		return KindAdditionalItems, ""
	case *kind.RefCycle:
		return KindLoop, ""
	case *kind.Format:
		return KindFormat, ""
	}
	t.Fatalf("library error kind %T not mapped", e.ErrorKind)
	return 0, ""
}

func rtQuotedList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = `"` + s + `"`
	}
	slices.Sort(q)
	return "[" + strings.Join(q, ",") + "]"
}

func rtRatString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(6)
}

// gen makes random schemas and instances from small pools of names and
// values, so that instances often meet the keywords of the schemas.
type gen struct {
	r    *rand.Rand
	defs int
}

var (
	genNames    = []string{"a", "b", "c", "d", "e~1", "x/y"}
	genPatterns = []string{"^a", "b$", "[0-9]", "^[a-z]*$", "x|y", "é", "^.{2,3}$", "\\d+", "^$", "(?i)^A"}
	genNumbers  = []string{"0", "1", "-1", "2", "3", "7", "10", "100", "1.0", "0.1", "0.3", "0.5", "1.5", "-2.5", "2.25",
		"1e2", "1E-1", "12345678901234567890", "-0", "0.30000000000000004", "9007199254740993", "1e20", "3.0e0", "0.000001", "1.0000005"}
	genDivisors = []string{"0.1", "0.5", "2", "3", "1.5", "0.01", "7", "1e-2", "0.3", "12345678901234567890"}
	genStrings  = []string{"", "a", "b", "ab", "abc", "xyz", "é", "😀x", "A1", "123", "a b", "aé😀", "y"}
	genTypes    = []string{"null", "boolean", "object", "array", "number", "string", "integer"}
)

func (g *gen) pick(l []string) string { return l[g.r.IntN(len(l))] }

func (g *gen) num() json.RawMessage { return json.RawMessage(g.pick(genNumbers)) }

func (g *gen) value(depth int) any {
	n := 7
	if depth <= 0 {
		n = 5
	}
	switch g.r.IntN(n) {
	case 0:
		return nil
	case 1:
		return g.r.IntN(2) == 0
	case 2, 3:
		return g.num()
	case 4:
		return g.pick(genStrings)
	case 5:
		var a []any
		for range g.r.IntN(5) {
			a = append(a, g.value(depth-1))
		}
		if a == nil {
			return []any{}
		}
		if len(a) > 1 && g.r.IntN(4) == 0 {
			a = append(a, a[0]) // a duplicate for uniqueItems
		}
		return a
	default:
		o := map[string]any{}
		for range g.r.IntN(5) {
			o[g.pick(genNames)] = g.value(depth - 1)
		}
		return o
	}
}

func (g *gen) schema(depth int) map[string]any {
	s := map[string]any{}
	if depth > 0 && g.defs > 0 && g.r.IntN(6) == 0 {
		return map[string]any{"$ref": "#/definitions/d" + strconv.Itoa(g.r.IntN(g.defs))}
	}
	for range 1 + g.r.IntN(4) {
		g.keyword(s, depth)
	}
	return s
}

func (g *gen) names(max int) []any {
	var out []any
	seen := map[string]bool{}
	for range 1 + g.r.IntN(max) {
		n := g.pick(genNames)
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func (g *gen) keyword(s map[string]any, depth int) {
	sub := func() any { return g.schema(depth - 1) }
	subs := func() []any {
		var l []any
		for range 1 + g.r.IntN(3) {
			l = append(l, sub())
		}
		return l
	}
	k := g.r.IntN(30)
	if depth <= 0 && k >= 20 {
		k = g.r.IntN(20)
	}
	switch k {
	case 0, 1:
		if g.r.IntN(2) == 0 {
			s["type"] = g.pick(genTypes)
		} else {
			ts := map[string]bool{}
			var l []any
			for range 1 + g.r.IntN(3) {
				if t := g.pick(genTypes); !ts[t] {
					ts[t] = true
					l = append(l, t)
				}
			}
			s["type"] = l
		}
	case 2:
		var l []any
		for range 1 + g.r.IntN(4) {
			l = append(l, g.value(1))
		}
		s["enum"] = l
	case 3:
		s["minimum"] = g.num()
		if g.r.IntN(2) == 0 {
			s["exclusiveMinimum"] = g.r.IntN(2) == 0
		}
	case 4:
		s["maximum"] = g.num()
		if g.r.IntN(2) == 0 {
			s["exclusiveMaximum"] = g.r.IntN(2) == 0
		}
	case 5:
		s["multipleOf"] = json.RawMessage(g.pick(genDivisors))
	case 6:
		s["minLength"] = g.r.IntN(4)
	case 7:
		s["maxLength"] = g.r.IntN(4)
	case 8:
		s["pattern"] = g.pick(genPatterns)
	case 9:
		s["minItems"] = g.r.IntN(4)
	case 10:
		s["maxItems"] = g.r.IntN(4)
	case 11:
		s["uniqueItems"] = g.r.IntN(3) != 0
	case 12:
		s["minProperties"] = g.r.IntN(4)
	case 13:
		s["maxProperties"] = g.r.IntN(4)
	case 14, 15:
		s["required"] = g.names(3)
	case 16:
		if g.r.IntN(2) == 0 {
			s["additionalProperties"] = false
		} else {
			s["additionalProperties"] = g.r.IntN(2) == 0
		}
	case 17:
		if g.r.IntN(2) == 0 {
			s["additionalItems"] = false
		}
		s["items"] = []any{map[string]any{"type": g.pick(genTypes)}}
	case 18:
		deps := map[string]any{}
		for _, n := range g.names(2) {
			deps[n.(string)] = g.names(2)
		}
		s["dependencies"] = deps
	case 19:
		s["enum"] = []any{g.value(0), g.value(0)}
	case 20, 21, 22:
		props := map[string]any{}
		for _, n := range g.names(3) {
			props[n.(string)] = sub()
		}
		s["properties"] = props
	case 23:
		s["patternProperties"] = map[string]any{g.pick(genPatterns): sub()}
	case 24:
		if g.r.IntN(2) == 0 {
			s["items"] = sub()
		} else {
			s["items"] = subs()
			if g.r.IntN(2) == 0 {
				s["additionalItems"] = sub()
			}
		}
	case 25:
		s["additionalProperties"] = sub()
	case 26:
		s["allOf"] = subs()
	case 27:
		s["anyOf"] = subs()
	case 28:
		s["oneOf"] = subs()
	case 29:
		if g.r.IntN(2) == 0 {
			s["not"] = sub()
		} else {
			s["dependencies"] = map[string]any{g.pick(genNames): sub()}
		}
	}
}

func (g *gen) root() map[string]any {
	g.defs = g.r.IntN(3)
	s := g.schema(3)
	if g.defs > 0 {
		defs := map[string]any{}
		for i := range g.defs {
			defs["d"+strconv.Itoa(i)] = g.schema(2)
		}
		if _, isRef := s["$ref"]; isRef {
			s = map[string]any{"allOf": []any{s}}
		}
		s["definitions"] = defs
	}
	return s
}

func TestDifferential(t *testing.T) {
	schemas, instances := 3000, 12
	if testing.Short() {
		schemas = 300
	}
	g := &gen{r: rand.New(rand.NewPCG(4, 2026))}
	cases, invalid := 0, 0
	for range schemas {
		sj, err := json.Marshal(g.root())
		if err != nil {
			t.Fatal(err)
		}
		lib, libErr := compileLib(sj)
		c := NewCompiler()
		c.IgnoreFormat = true
		ourErr := c.AddResource(diffURL, sj)
		var ours *Schema
		if ourErr == nil {
			ours, ourErr = c.Compile(diffURL)
		}
		if (libErr == nil) != (ourErr == nil) {
			t.Errorf("schema %s: library compile error %v, ours %v", sj, libErr, ourErr)
			continue
		}
		if libErr != nil {
			continue
		}
		for range instances {
			ij, _ := json.Marshal(g.value(3))
			cases++
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(ij))
			if err != nil {
				t.Fatal(err)
			}
			lerr := lib.Validate(doc)
			res := ours.Validate(ij)
			if res.Valid != (lerr == nil) || ours.Valid(ij) != res.Valid {
				t.Errorf("schema %s\ninstance %s\nlibrary: %v\nours: %v (Valid %v)", sj, ij, lerr, res.Details(), ours.Valid(ij))
				continue
			}
			if lerr == nil {
				continue
			}
			invalid++
			if lf, of := libFailures(t, lerr), ourFailures(res); !slices.Equal(lf, of) {
				t.Errorf("schema %s\ninstance %s\nlibrary failures:\n  %s\nours:\n  %s", sj, ij, strings.Join(lf, "\n  "), strings.Join(of, "\n  "))
			}
		}
	}
	t.Logf("%d cases, %d invalid", cases, invalid)
	if invalid < cases/5 || invalid > cases*19/20 {
		t.Errorf("the generator is lopsided: %d of %d invalid", invalid, cases)
	}
}
