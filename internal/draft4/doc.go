// Package draft4 validates request bodies against API Gateway models:
// JSON Schema draft-04 documents, compiled once into validators that check
// a body with no allocation when it is valid.
//
// Use:
//
//	c := draft4.NewCompiler()
//	for _, m := range models {
//		if err := c.AddResource(artifact.ModelURL(apiID, m.Name), m.Schema); err != nil { … }
//	}
//	s, err := c.Compile(artifact.ModelURL(apiID, "Order"))
//	…
//	res := s.Validate(body) // or s.Valid(body) for the verdict alone
//	if !res.Valid {
//		details := res.Details() // $context.error.validationErrorString
//	}
//
// # Semantics
//
// Everything of draft-04 validation: type, enum, format, the numeric,
// string, array and object keywords, allOf, anyOf, oneOf, not, $ref (JSON
// pointers, ids, other resources, recursion) and id scoping. A schema with
// $ref is that reference: its other keywords are ignored, as draft-04 and
// API Gateway's validator say. $schema is ignored: models are draft-04.
//
// Bodies: an empty body (only white space) is validated as {}, as API
// Gateway does. Bodies are parsed as strict JSON (RFC 8259), as Jackson
// reads them by default: no comments, trailing commas, leading zeros,
// NaN, single quotes, control characters in strings, invalid UTF-8 or byte
// order mark, and nothing after the value. Duplicate member names are
// accepted and the last one counts, as in Jackson and encoding/json. An
// escaped lone surrogate (\ud800) reads as U+FFFD, as in encoding/json.
// Nesting is limited to 10000 levels, encoding/json's limit.
//
// Numbers are exact: they are compared, tested for equality (1 == 1.0 in
// enum and uniqueItems) and divided (multipleOf: 0.3 is a multiple of
// 0.1) as the decimals they are written as, like the BigDecimals of API
// Gateway's validator; no float64 rounding. "integer" is by default a
// number with no fractional part, 1.0 included; Compiler.StrictIntegers
// types by token instead, as the Java validator does (there a number
// written with a fraction or an exponent is a "number").
//
// minLength and maxLength count code points (String.codePointCount in
// the Java validator), not bytes nor UTF-16 units. pattern is a Java
// regular expression (internal/javaregex) that may match anywhere in the
// string.
//
// Formats: the Java validator checks date-time, email, hostname, ipv4,
// ipv6, uri and regex; so does this package (Compiler.IgnoreFormat turns
// them off) and other names pass. The library the runtime used checks
// formats too, by Go's rules (RFC 3339, net/netip, net/url), which differ
// at the edges: java.net.URI takes "abc" for a URI, Guava takes
// "a_b.example.com" for a hostname. The checks follow the libraries the Java
// validator delegates to (see format.go); email and uri implement the
// core of javax.mail's and java.net.URI's grammars, not every corner
// (comments and display names in addresses, for one, are refused).
//
// # Failures
//
// Result lists every failure, each with its kind, the JSON pointer of the
// value and a message. The messages are those runtime/validate.go has
// produced for the kinds it worded (required, type, additionalProperties,
// min/maxLength, min/maxItems, minimum/maximum, pattern, enum) and API
// Gateway's Java validator's words (json-schema-validator 2.2) for the
// others. Failures are found as the runtime's reports found them: a type,
// enum or format failure ends the checks of its schema; an anyOf, allOf
// or oneOf that fails is reported by the failures of its subschemas; a
// oneOf that several subschemas match is one failure. Details sorts the
// messages and joins them as the runtime did. At most 100 failures are
// reported: a deeply nested body can fail once per level.
//
// # Cost
//
// A schema is compiled once; Validate parses the body into a flat, pooled
// tree (no maps, no interface values) and checks it without allocating
// when it is valid. A failing body is checked twice: a first pass stops
// at the first failure, a second collects them all. References into
// recursion that branches (anyOf over a recursive model) remember their
// verdict per value, so no schema makes validation exponential in the
// depth of a body.
package draft4
