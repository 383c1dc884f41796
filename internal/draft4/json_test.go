package draft4

import (
	"encoding/json"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// toAny rebuilds the value of node i as encoding/json decodes it with
// UseNumber, so that the parser can be compared with encoding/json.
func toAny(t *tree, i uint32) any {
	switch t.nodes[i].kind {
	case kNull:
		return nil
	case kTrue:
		return true
	case kFalse:
		return false
	case kNumber:
		return json.Number(t.numText(i))
	case kString:
		return strings.Clone(t.str(i))
	case kArray:
		a := []any{}
		for _, v := range t.elems(i) {
			a = append(a, toAny(t, v))
		}
		return a
	}
	o := map[string]any{}
	for k, v := range t.members(i) {
		o[strings.Clone(t.str(k))] = toAny(t, v)
	}
	return o
}

func TestParseAccepts(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, `0`, `-0`, `1.5e+10`, `1E-2`, `-0.0`, `"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"`,
		` {"a" : [1, 2, {"b": null}], "c": true, "d": false} `, `"é😀"`, "\"\u2028\"",
		`{"a":1,"a":2}`, `123456789012345678901234567890`, `1e999999999999999999999`,
		`"\ud800"`, `"\udc00\ud800x"`,
	} {
		var tr tree
		if err := tr.parse([]byte(in)); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		var want any
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("%s: encoding/json: %v", in, err)
		}
		if got := toAny(&tr, 0); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v (encoding/json)", in, got, want)
		}
	}
}

// TestParseRejects: what RFC 8259 forbids and Jackson's defaults refuse.
func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		``, ` `, `{`, `[1,]`, `{"a":1,}`, `[1 2]`, `{"a" 1}`, `{a:1}`, `{'a':1}`, `'a'`,
		`01`, `-01`, `1.`, `.5`, `1e`, `1e+`, `+1`, `-`, `NaN`, `Infinity`, `-Infinity`,
		`tru`, `nul`, `True`, `"abc`, `"\x"`, `"\u12"`, `"\u12g4"`, "\"a\tb\"", "\"a\nb\"", "\"\x00\"",
		`/* c */ {}`, `{} // c`, `{}x`, `{} {}`, "\xef\xbb\xbf{}", "\"\xff\"", "\"\xed\xa0\x80\"", "\"\xc3\"",
		`[` + strings.Repeat(`[`, maxDepth) + strings.Repeat(`]`, maxDepth+1),
	} {
		var tr tree
		if err := tr.parse([]byte(in)); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	deep := strings.Repeat(`[`, maxDepth) + strings.Repeat(`]`, maxDepth)
	var tr tree
	if err := tr.parse([]byte(deep)); err != nil {
		t.Errorf("%d levels refused: %v", maxDepth, err)
	}
}

func TestShadowedDuplicates(t *testing.T) {
	in := `{"a":1,"b":2,"a":3` // then many distinct names, to take the map path
	for i := range 20 {
		in += `,"k` + string(rune('a'+i)) + `":0`
	}
	in += `,"b":4}`
	for _, src := range []string{`{"a":1,"b":2,"a":3,"b":4}`, in} {
		var tr tree
		if err := tr.parse([]byte(src)); err != nil {
			t.Fatal(err)
		}
		a, _ := tr.lookup(0, "a")
		b, _ := tr.lookup(0, "b")
		if tr.numText(a) != "3" || tr.numText(b) != "4" {
			t.Errorf("%s: a=%s b=%s, want the last values 3 and 4", src, tr.numText(a), tr.numText(b))
		}
		var want map[string]any
		json.Unmarshal([]byte(src), &want)
		if tr.size(0) != len(want) {
			t.Errorf("%s: size %d, want %d", src, tr.size(0), len(want))
		}
	}
}

func TestDecimalCompare(t *testing.T) {
	nums := []string{"0", "-0", "0.0", "1", "1.0", "10e-1", "0.1e1", "2", "-1", "-1.5", "1.5", "15e-1",
		"123456789012345678901234567890", "1.23456789012345678901234567890e29", "1e-400", "-1e-400", "1e400",
		"0.30000000000000004", "0.3", "9007199254740993", "9007199254740992", "100", "1e2", "0.001", "1E-3"}
	for _, x := range nums {
		for _, y := range nums {
			rx, _ := new(big.Rat).SetString(x)
			ry, _ := new(big.Rat).SetString(y)
			dx, dy := parseDecimal(x), parseDecimal(y)
			if got, want := cmpDecimal(&dx, &dy), rx.Cmp(ry); got != want {
				t.Errorf("cmp(%s, %s) = %d, want %d", x, y, got, want)
			}
			if equalDecimal(&dx, &dy) != (rx.Cmp(ry) == 0) {
				t.Errorf("equal(%s, %s) wrong", x, y)
			}
		}
		d := parseDecimal(x)
		rx, _ := new(big.Rat).SetString(x)
		if d.isInt() != rx.IsInt() {
			t.Errorf("isInt(%s) = %v", x, d.isInt())
		}
	}
}

func TestMultipleOf(t *testing.T) {
	xs := []string{"0", "0.3", "0.30000000000000004", "19.99", "7", "-14", "1e2", "4.5", "1e-2", "123456789012345678901234567890", "2.5e25", "0.0001"}
	ms := []string{"0.1", "0.01", "3", "7", "1.5", "2", "1e-5", "12345678901234567890123", "0.3", "1e20"}
	for _, x := range xs {
		for _, m := range ms {
			rx, _ := new(big.Rat).SetString(x)
			rm, _ := new(big.Rat).SetString(m)
			want := new(big.Rat).Quo(rx, rm).IsInt()
			dx, dm := parseDecimal(x), parseDecimal(m)
			if got := multipleOf(&dx, &dm); got != want {
				t.Errorf("multipleOf(%s, %s) = %v, want %v", x, m, got, want)
			}
		}
	}
	// Exponents too large for big.Rat still decide exactly.
	for _, c := range []struct {
		x, m string
		want bool
	}{{"1e1000000000", "2", true}, {"1e1000000000", "3", false}, {"3e1000000000", "3", true}, {"1e-1000000000", "1", false}} {
		dx, dm := parseDecimal(c.x), parseDecimal(c.m)
		if got := multipleOf(&dx, &dm); got != c.want {
			t.Errorf("multipleOf(%s, %s) = %v, want %v", c.x, c.m, got, c.want)
		}
	}
}

// TestRatString: the runtime wrote numbers with big.Rat: integers in full,
// others by FloatString(6).
func TestRatString(t *testing.T) {
	for _, x := range []string{"0", "-0", "1", "-12", "1.5", "-1.5", "0.1", "1.4999995", "1.49999949", "-0.0000004",
		"0.0000005", "9.9999995", "-9.9999995", "123456789012345678901234567890", "1e3", "2.5e-3", "1e-30", "-1e-30", "999999.9999999"} {
		r, _ := new(big.Rat).SetString(x)
		want := r.FloatString(6)
		if r.IsInt() {
			want = r.Num().String()
		}
		d := parseDecimal(x)
		if got := ratString(&d); got != want {
			t.Errorf("ratString(%s) = %s, want %s", x, got, want)
		}
	}
}

// TestJavaString: BigDecimal.toString after stripTrailingZeros, with the
// examples of the Javadoc of BigDecimal.toString (unscaled value, scale):
// [123,0] "123", [-123,0] "-123", [123,-1] "1.23E+3", [123,3] "0.123",
// [123,10] "1.23E-8", [-123,12] "-1.23E-10"; integer tokens as written.
func TestJavaString(t *testing.T) {
	for _, c := range []struct {
		text, want string
	}{
		{"123.0", "123"}, {"-123.0", "-123"}, {"1230.0", "1.23E+3"}, {"0.123", "0.123"},
		{"0.0000000123", "1.23E-8"}, {"-1.23e-10", "-1.23E-10"}, {"0.0", "0"}, {"1.50", "1.5"},
		{"0.000001", "0.000001"}, {"0.0000001", "1E-7"}, {"100", "100"}, {"-0", "0"},
	} {
		d := parseDecimal(c.text)
		intTok := !strings.ContainsAny(c.text, ".eE")
		if got := javaString(c.text, &d, intTok); got != c.want {
			t.Errorf("javaString(%s) = %s, want %s", c.text, got, c.want)
		}
	}
}

func TestCodePointLengths(t *testing.T) {
	// The parser keeps text as UTF-8; lengths count code points.
	s := mustCompile(t, `{"maxLength":1}`)
	for _, body := range []string{`"😀"`, `"\ud83d\ude00"`, `"é"`} {
		if !s.Valid([]byte(body)) {
			t.Errorf("%s: one code point refused by maxLength 1", body)
		}
	}
	if utf8.RuneCountInString("😀") != 1 {
		t.Fatal("test premise")
	}
}
