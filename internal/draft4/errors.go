package draft4

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is the keyword a value failed.
type Kind uint8

// The kinds of failure. An anyOf, allOf or oneOf that no subschema
// satisfies is reported through the failures of its subschemas; only a
// oneOf that more than one subschema satisfies is a failure of its own.
const (
	KindRequired Kind = iota + 1
	KindType
	KindAdditionalProperties
	KindMinLength
	KindMaxLength
	KindMinItems
	KindMaxItems
	KindMinimum
	KindMaximum
	KindExclusiveMinimum
	KindExclusiveMaximum
	KindPattern
	KindEnum
	KindMultipleOf
	KindUniqueItems
	KindMinProperties
	KindMaxProperties
	KindNot
	KindOneOf
	KindDependencies
	KindFormat
	KindAdditionalItems
	KindLoop // a schema entered twice for the same value through $ref and applicators
)

var kindNames = [...]string{
	KindRequired: "required", KindType: "type", KindAdditionalProperties: "additionalProperties",
	KindMinLength: "minLength", KindMaxLength: "maxLength", KindMinItems: "minItems", KindMaxItems: "maxItems",
	KindMinimum: "minimum", KindMaximum: "maximum", KindExclusiveMinimum: "exclusiveMinimum",
	KindExclusiveMaximum: "exclusiveMaximum", KindPattern: "pattern", KindEnum: "enum",
	KindMultipleOf: "multipleOf", KindUniqueItems: "uniqueItems", KindMinProperties: "minProperties",
	KindMaxProperties: "maxProperties", KindNot: "not", KindOneOf: "oneOf", KindDependencies: "dependencies",
	KindFormat: "format", KindAdditionalItems: "additionalItems", KindLoop: "loop",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is one failure.
type Error struct {
	Kind Kind
	// Pointer is the JSON pointer of the failing value in the body ("" for
	// the body itself).
	Pointer string
	// Message is the failure in the words of API Gateway's validator.
	Message string
}

// Result is the outcome of a validation.
type Result struct {
	Valid       bool
	InvalidJSON bool    // the body is not JSON
	Errors      []Error // sorted by Message; empty when Valid or InvalidJSON
}

// Details returns $context.error.validationErrorString: the messages,
// sorted, comma-separated, in brackets; "" for a valid body.
func (r Result) Details() string {
	switch {
	case r.Valid:
		return ""
	case r.InvalidJSON:
		return "[Invalid input: not valid JSON]"
	}
	var sb strings.Builder
	sb.WriteByte('[')
	for i, e := range r.Errors {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(e.Message)
	}
	sb.WriteByte(']')
	return sb.String()
}

// render writes the recorded failures as messages. The tree is still
// alive; everything taken from it is copied.
func (st *state) render() []Error {
	out := make([]Error, 0, len(st.errs))
	for _, e := range st.errs {
		out = append(out, Error{Kind: e.kind, Pointer: pointerOf(&st.t, e.inst), Message: st.message(e)})
	}
	slices.SortStableFunc(out, func(a, b Error) int { return strings.Compare(a.Message, b.Message) })
	return out
}

// date-time formats as the validator names them in its message.
const dateTimeFormats = "[yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]"

// message words a failure. The kinds runtime/validate.go has worded keep
// its words exactly; the others take the words of API Gateway's
// validator, com.github.fge json-schema-validator 2.2.
func (st *state) message(e verr) string {
	t := &st.t
	s := e.s
	i := e.inst
	nd := &t.nodes[i]
	switch e.kind {
	case KindRequired:
		var missing []string
		for _, r := range s.required {
			if _, ok := t.lookup(i, r); !ok {
				missing = append(missing, r)
			}
		}
		return "object has missing required properties (" + quotedList(missing) + ")"
	case KindType:
		got := t.typeName(i)
		if nd.kind == kNumber && st.strict && nd.flags&fInt != 0 {
			got = "integer"
		}
		return "instance type (" + got + ") does not match any allowed primitive type (allowed: " + quotedList(s.typeList) + ")"
	case KindAdditionalProperties:
		var extra []string
		for k := range t.members(i) {
			name := t.str(k)
			if j := s.lookup(name); j >= 0 && s.names[j].s != nil {
				continue
			}
			matched := false
			for _, pp := range s.patternProps {
				if pp.re.Find(name) {
					matched = true
					break
				}
			}
			if !matched {
				extra = append(extra, strings.Clone(name))
			}
		}
		return "object instance has properties which are not allowed by the schema: " + quotedList(extra)
	case KindMinLength:
		return fmt.Sprintf("string is too short (length: %d, required minimum: %d)", utf8.RuneCountInString(t.str(i)), s.minLen)
	case KindMaxLength:
		return fmt.Sprintf("string is too long (length: %d, maximum allowed: %d)", utf8.RuneCountInString(t.str(i)), s.maxLen)
	case KindMinItems:
		return fmt.Sprintf("array is too short: must have at least %d elements but instance has %d elements", s.minItems, nd.n)
	case KindMaxItems:
		return fmt.Sprintf("array is too long: must have at most %d elements but instance has %d elements", s.maxItems, nd.n)
	case KindMinimum, KindMaximum:
		d := parseDecimal(t.numText(i))
		if e.kind == KindMinimum {
			return "numeric instance is lower than the required minimum (minimum: " + ratString(&s.minimum.d) + ", found: " + ratString(&d) + ")"
		}
		return "numeric instance is greater than the required maximum (maximum: " + ratString(&s.maximum.d) + ", found: " + ratString(&d) + ")"
	case KindExclusiveMinimum:
		return "numeric instance is not strictly greater than the required minimum " + javaString(s.minimum.text, &s.minimum.d, s.minimum.intTok)
	case KindExclusiveMaximum:
		return "numeric instance is not strictly lower than the required maximum " + javaString(s.maximum.text, &s.maximum.d, s.maximum.intTok)
	case KindPattern:
		return `ECMA 262 regex "` + s.pattern.String() + `" does not match input string "` + strings.Clone(t.str(i)) + `"`
	case KindEnum:
		var sb strings.Builder
		sb.WriteString("instance value (")
		goValue(&sb, t, i)
		sb.WriteString(") not found in enum")
		return sb.String()
	case KindMultipleOf:
		d := parseDecimal(t.numText(i))
		return "remainder of division is not zero (" + javaString(t.numText(i), &d, nd.flags&fInt != 0) + " / " +
			javaString(s.multiple.text, &s.multiple.d, s.multiple.intTok) + ")"
	case KindUniqueItems:
		return "array must not contain duplicate elements"
	case KindMinProperties:
		return fmt.Sprintf("object has too few properties (found %d but schema requires at least %d)", t.size(i), s.minProps)
	case KindMaxProperties:
		return fmt.Sprintf("object has too many properties (found %d but schema requires at most %d)", t.size(i), s.maxProps)
	case KindNot:
		return "instance matched a schema which it should not have"
	case KindOneOf:
		return fmt.Sprintf("instance failed to match exactly one schema (matched %d out of %d)", e.n, len(s.one))
	case KindDependencies:
		d := &s.deps[e.n]
		var missing []string
		for _, p := range d.props {
			if _, ok := t.lookup(i, p); !ok {
				missing = append(missing, p)
			}
		}
		return `property "` + d.name + `" of object has missing property dependencies (schema requires ` +
			jsonList(d.props) + "; missing: " + jsonList(missing) + ")"
	case KindFormat:
		v := `string "` + strings.Clone(t.str(i)) + `" `
		switch s.format {
		case fmtDateTime:
			return v + "is invalid against requested date format(s) " + dateTimeFormats
		case fmtEmail:
			return v + "is not a valid email address"
		case fmtHostname:
			return v + "is not a valid hostname"
		case fmtIPv4:
			return v + "is not a valid IPv4 address"
		case fmtIPv6:
			return v + "is not a valid IPv6 address"
		case fmtURI:
			return v + "is not a valid URI"
		case fmtRegex:
			return v + "is not a valid ECMA 262 regular expression"
		}
	case KindAdditionalItems:
		return fmt.Sprintf("schema only allows %d elements in array but instance has %d elements", len(s.itemList), nd.n)
	case KindLoop:
		return `validation loop: schema "` + s.loc.String() + `" visited twice for pointer "` + pointerOf(t, i) + `" of validated instance`
	}
	return e.kind.String()
}

// quotedList writes names as runtime/validate.go has: each in double
// quotes, unescaped, sorted, comma-separated, in brackets.
func quotedList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = `"` + s + `"`
	}
	slices.Sort(q)
	return "[" + strings.Join(q, ",") + "]"
}

// jsonList writes names as a JSON array, in the given order, as Jackson
// prints an array node.
func jsonList(items []string) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, s := range items {
		if i > 0 {
			sb.WriteByte(',')
		}
		writeJSONString(&sb, s)
	}
	sb.WriteByte(']')
	return sb.String()
}

func writeJSONString(sb *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	sb.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\b':
			sb.WriteString(`\b`)
		case c == '\f':
			sb.WriteString(`\f`)
		case c < 0x20:
			sb.WriteString(`\u00`)
			sb.WriteByte(hex[c>>4])
			sb.WriteByte(hex[c&15])
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte('"')
}

// goValue writes a value as fmt's %v wrote the decoded value the runtime
// put in its enum message: strings bare, numbers as written, null as
// <nil>, arrays as [a b], objects as map[k:v] with sorted keys.
func goValue(sb *strings.Builder, t *tree, i uint32) {
	switch t.nodes[i].kind {
	case kNull:
		sb.WriteString("<nil>")
	case kTrue:
		sb.WriteString("true")
	case kFalse:
		sb.WriteString("false")
	case kNumber:
		sb.WriteString(t.numText(i))
	case kString:
		sb.WriteString(t.str(i))
	case kArray:
		sb.WriteByte('[')
		for j, v := range t.elems(i) {
			if j > 0 {
				sb.WriteByte(' ')
			}
			goValue(sb, t, v)
		}
		sb.WriteByte(']')
	case kObject:
		type kv struct {
			k string
			v uint32
		}
		var ms []kv
		for k, v := range t.members(i) {
			ms = append(ms, kv{t.str(k), v})
		}
		slices.SortFunc(ms, func(a, b kv) int { return strings.Compare(a.k, b.k) })
		sb.WriteString("map[")
		for j, m := range ms {
			if j > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(m.k)
			sb.WriteByte(':')
			goValue(sb, t, m.v)
		}
		sb.WriteByte(']')
	}
}
