package vtl_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"gwc.dev/gwc/vtl"
)

// TestParseJSONAgreesWithEncodingJSON parses generated documents and
// compares every value with encoding/json's reading of the same text:
// strings byte for byte (escapes and surrogate pairs included), numbers by
// their json-smart type and exact bits, objects key by key in order.
func TestParseJSONAgreesWithEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	var arena vtl.JSONArena
	for n := 0; n < 2000; n++ {
		doc := genJSON(r, 0)
		v, err := arena.Parse([]byte(doc), true)
		if err != nil {
			t.Fatalf("Parse(%s): %v", doc, err)
		}
		dec := json.NewDecoder(strings.NewReader(doc))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if err := sameJSON(v, want, doc); err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		arena.Reset()
	}
}

func sameJSON(v vtl.Value, want any, doc string) error {
	switch w := want.(type) {
	case nil:
		if !v.IsNull() {
			return fmt.Errorf("got %v, want null", v)
		}
	case bool:
		if v.Kind() != vtl.KindBool || v.Truth() != w {
			return fmt.Errorf("got %v, want %v", v, w)
		}
	case string:
		if v.Kind() != vtl.KindString || v.Str() != w {
			return fmt.Errorf("got %q, want %q", v.Str(), w)
		}
	case json.Number:
		return sameNumber(v, string(w))
	case []any:
		l := v.List()
		if l == nil || l.Len() != len(w) {
			return fmt.Errorf("got %v, want a list of %d", v, len(w))
		}
		for i := range w {
			if err := sameJSON(l.At(i), w[i], doc); err != nil {
				return err
			}
		}
	case map[string]any:
		m := v.Map()
		if m == nil || m.Len() != len(w) {
			return fmt.Errorf("got %v, want a map of %d", v, len(w))
		}
		for i := 0; i < m.Len(); i++ {
			k, x := m.Entry(i)
			if err := sameJSON(x, w[k.Str()], doc); err != nil {
				return fmt.Errorf("%s: %v", k.Str(), err)
			}
		}
	}
	return nil
}

// sameNumber checks json-smart's typing: integers are Integer, Long or
// BigInteger by size, fractions Double unless longer than 18 characters.
func sameNumber(v vtl.Value, text string) error {
	if !strings.ContainsAny(text, ".eE") {
		n, err := strconv.ParseInt(text, 10, 64)
		switch {
		case err != nil:
			if v.Kind() != vtl.KindBigInt || v.String() != text {
				return fmt.Errorf("%s: got %v of kind %d, want a BigInteger", text, v, v.Kind())
			}
		case n >= math.MinInt32 && n <= math.MaxInt32:
			if v.Kind() != vtl.KindInt || v.Int64() != n {
				return fmt.Errorf("%s: got %v of kind %d, want an Integer", text, v, v.Kind())
			}
		default:
			if v.Kind() != vtl.KindLong || v.Int64() != n {
				return fmt.Errorf("%s: got %v of kind %d, want a Long", text, v, v.Kind())
			}
		}
		return nil
	}
	if len(text) > 18 {
		if v.Kind() != vtl.KindBigDec || v.String() != text {
			return fmt.Errorf("%s: got %v of kind %d, want a BigDecimal", text, v, v.Kind())
		}
		return nil
	}
	f, _ := strconv.ParseFloat(text, 64)
	if v.Kind() != vtl.KindDouble || math.Float64bits(v.Float()) != math.Float64bits(f) {
		return fmt.Errorf("%s: got %v (%b), want %v (%b)", text, v.Float(), v.Float(), f, f)
	}
	// The printed form is Java's Double.toString, whether the parser kept
	// the document's text for it or not.
	if got, want := v.String(), vtl.Double(f).String(); got != want {
		return fmt.Errorf("%s prints as %s, want %s", text, got, want)
	}
	return nil
}

// genJSON makes a random document, pretty-printed or not, with strings
// that need escapes and numbers of every shape.
func genJSON(r *rand.Rand, depth int) string {
	ws := func() string { return []string{"", " ", "\n  ", "\t", "\r\n    "}[r.Intn(5)] }
	k := r.Intn(10)
	if depth > 3 {
		k = 3 + r.Intn(7)
	}
	switch k {
	case 0, 1:
		var b strings.Builder
		b.WriteString("{" + ws())
		for i, n := 0, r.Intn(12); i < n; i++ {
			if i > 0 {
				b.WriteString("," + ws())
			}
			b.WriteString(genString(r) + ws() + ":" + ws() + genJSON(r, depth+1))
		}
		return b.String() + ws() + "}"
	case 2:
		var b strings.Builder
		b.WriteString("[" + ws())
		for i, n := 0, r.Intn(6); i < n; i++ {
			if i > 0 {
				b.WriteString("," + ws())
			}
			b.WriteString(genJSON(r, depth+1))
		}
		return b.String() + ws() + "]"
	case 3, 4:
		return genString(r)
	case 5, 6, 7:
		return genNumber(r)
	case 8:
		return []string{"true", "false"}[r.Intn(2)]
	}
	return "null"
}

func genString(r *rand.Rand) string {
	parts := []string{"a", "id", "name", "price", "warehouse", "x y", "é", "日本", `\"`, `\\`, `\/`, `\n`, `\t`, `\u00e9`, `\u0000`, `\ud83d\ude00`, `\ud800`, `\udc00x`, "0123456789abcdef", "😀"}
	var b strings.Builder
	b.WriteByte('"')
	for i, n := 0, r.Intn(5); i < n; i++ {
		b.WriteString(parts[r.Intn(len(parts))])
	}
	b.WriteByte('"')
	return b.String()
}

func genNumber(r *rand.Rand) string {
	digits := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(byte('0' + r.Intn(10)))
		}
		return b.String()
	}
	sign := []string{"", "", "-"}[r.Intn(3)]
	intPart := "0"
	if r.Intn(4) > 0 {
		intPart = string(byte('1'+r.Intn(9))) + digits(r.Intn(12))
	}
	switch r.Intn(5) {
	case 0:
		return sign + intPart
	case 1:
		return sign + intPart + "." + digits(1+r.Intn(8))
	case 2:
		return sign + intPart + "." + digits(1+r.Intn(3)) + []string{"e", "E", "e+", "e-"}[r.Intn(4)] + strconv.Itoa(r.Intn(30))
	case 3:
		return sign + "0.00" + digits(r.Intn(4)) + string(byte('1'+r.Intn(9)))
	}
	return sign + intPart + "." + digits(r.Intn(20)) + "5"
}

// TestParseJSONErrors checks that invalid documents are rejected with the
// offset of the problem.
func TestParseJSONErrors(t *testing.T) {
	for doc, off := range map[string]int{
		`{"a":1,}`:         7,
		`[1 2]`:            3,
		`{"a" 1}`:          5,
		`"abc`:             4,
		"\"a\x01\"":        2,
		`"\x"`:             1,
		`"\u12"`:           1,
		`01`:               0,
		`1.`:               0,
		`-`:                0,
		`[1]x`:             3,
		`{"a":tru}`:        5,
		``:                 0,
		`{"k":{"k":[{}]]}`: 14,
		// A line break and eight spaces, the whole input: the
		// indentation skip reaches its end.
		"\n        ": 9,
		// The same after a comma, in an array and in an object.
		"[1,\n        ":       12,
		"{\"a\":1,\n        ": 16,
	} {
		_, err := vtl.ParseJSON([]byte(doc), true)
		var je *vtl.JSONError
		if !errorsAs(err, &je) {
			t.Errorf("ParseJSON(%q) = %v, want a *JSONError", doc, err)
			continue
		}
		if je.Offset != off {
			t.Errorf("ParseJSON(%q): offset %d, want %d (%v)", doc, je.Offset, off, err)
		}
	}
}

func errorsAs(err error, je **vtl.JSONError) bool {
	e, ok := err.(*vtl.JSONError)
	*je = e
	return ok
}

// TestParseJSONTrailingIndentation: a document may end in a line break
// and a run of spaces, which the parser skips eight bytes at a time.
func TestParseJSONTrailingIndentation(t *testing.T) {
	for _, doc := range []string{"[1]\n        ", "[1]\n         ", "[1]\n       ", "\n        [1]"} {
		v, err := vtl.ParseJSON([]byte(doc), true)
		if err != nil || v.String() != "[1]" {
			t.Errorf("ParseJSON(%q) = %v, %v; want [1]", doc, v, err)
		}
	}
}
