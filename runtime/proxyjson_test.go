package runtime

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// referenceProxyAnswer is how gwc read a proxy answer before the one-pass
// scanner: a map of raw values through encoding/json, kept here as the
// reference the scanner is compared with. One change: text after the
// object is refused whatever it is (json.Decoder.More let a stray } or ]
// through).
func referenceProxyAnswer(payload []byte) (f proxyFields, reason string) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var doc map[string]json.RawMessage
	if err := dec.Decode(&doc); err != nil || doc == nil {
		return f, "the result is not a JSON object"
	}
	if len(bytes.TrimLeft(payload[dec.InputOffset():], " \t\r\n")) > 0 {
		return f, "text after the JSON object"
	}
	resp := &response{status: 200}
	var multi, single []Field
	for k, raw := range doc {
		switch k {
		case "statusCode":
			s, ok := proxyStatus(raw)
			if !ok {
				return f, "statusCode is not an integer: " + string(raw)
			}
			resp.status = s
		case "headers":
			fs, ok := proxyHeaders(raw, false)
			if !ok {
				return f, "headers is not an object of strings"
			}
			single = fs
		case "multiValueHeaders":
			fs, ok := proxyHeaders(raw, true)
			if !ok {
				return f, "multiValueHeaders is not an object of lists"
			}
			multi = fs
		case "body", "isBase64Encoded":
		default:
			return f, "unknown field " + strconv.Quote(k)
		}
	}
	var body string
	if raw, ok := doc["body"]; ok && string(raw) != "null" {
		if json.Unmarshal(raw, &body) != nil {
			return f, "body is not a string"
		}
	}
	b64 := false
	if raw, ok := doc["isBase64Encoded"]; ok && string(raw) != "null" {
		if json.Unmarshal(raw, &b64) != nil {
			return f, "isBase64Encoded is not a boolean"
		}
	}
	f.status, f.multi, f.single, f.body, f.base64 = resp.status, multi, single, body, b64
	return f, ""
}

// proxyHeaders reads headers or multiValueHeaders: strings, numbers and
// booleans become strings; null is no headers.
func proxyHeaders(raw json.RawMessage, multi bool) ([]Field, bool) {
	if string(raw) == "null" {
		return nil, true
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var out []Field
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		name := t.(string)
		if !multi {
			v, ok := scalarToken(dec)
			if !ok {
				return nil, false
			}
			out = append(out, Field{name, v})
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil, false
		}
		for dec.More() {
			v, ok := scalarToken(dec)
			if !ok {
				return nil, false
			}
			out = append(out, Field{name, v})
		}
		if _, err := dec.Token(); err != nil {
			return nil, false
		}
	}
	return out, true
}

// sameProxyAnswer compares the scanner with the reference: the same
// answer, or both refusing it. With several problems in one answer the
// reference named one at random (it ranged over a map), so only the
// refusal is compared then; with one, the reason is the same.
func sameProxyAnswer(t *testing.T, payload []byte) {
	t.Helper()
	want, wantReason := referenceProxyAnswer(payload)
	got, gotReason := readProxyAnswer(payload)
	if (wantReason == "") != (gotReason == "") {
		t.Fatalf("%q: scanner says %q, reference %q", payload, gotReason, wantReason)
	}
	if wantReason != "" {
		return
	}
	if got.status != want.status || got.body != want.body || got.base64 != want.base64 ||
		!reflect.DeepEqual(got.single, want.single) || !reflect.DeepEqual(got.multi, want.multi) {
		t.Fatalf("%q:\n scanner   %d %q %v %v %v\n reference %d %q %v %v %v", payload,
			got.status, got.body, got.base64, got.single, got.multi,
			want.status, want.body, want.base64, want.single, want.multi)
	}
}

// proxyAnswerCases are answers Lambda functions send, and mistakes in
// them.
var proxyAnswerCases = []string{
	`{"statusCode":200,"headers":{"Content-Type":"application/json","X-Request":"abc"},"multiValueHeaders":{"Set-Cookie":["a=1","b=2"]},"body":"{\"message\":\"hello\"}","isBase64Encoded":false}`,
	`{}`, ` { } `, `{"body":null,"headers":null,"multiValueHeaders":null,"isBase64Encoded":null}`,
	`{"statusCode":"201"}`, `{"statusCode":"2e2"}`, `{"statusCode":200.0}`, `{"statusCode":-0}`, `{"statusCode":99}`,
	`{"statusCode":600}`, `{"statusCode":null}`, `{"statusCode":true}`, `{"statusCode":{}}`,
	`{"headers":{"n":1.5e3,"t":true,"f":false}}`, `{"headers":{"n":null}}`, `{"headers":{"n":[]}}`, `{"headers":{"n":{}}}`,
	`{"headers":[]}`, `{"headers":"x"}`, `{"headers":{"a":"1","a":"2"}}`,
	`{"multiValueHeaders":{"a":["1",2,true]}}`, `{"multiValueHeaders":{"a":"1"}}`, `{"multiValueHeaders":{"a":[null]}}`,
	`{"multiValueHeaders":{"a":[[]]}}`, `{"multiValueHeaders":{"a":[]}}`,
	`{"body":5}`, `{"body":{}}`, `{"body":"\u00e9\ud83d\ude00\ud800 \/"}`, "{\"body\":\"caf\xc3\xa9 \xff\"}",
	`{"isBase64Encoded":"true"}`, `{"isBase64Encoded":1}`, `{"isBase64Encoded":true,"body":"aGk="}`,
	`{"headers":{"a":1},"headers":{"b":2}}`, `{"headers":{"a":null},"headers":{"b":2}}`, `{"statusCode":"x","statusCode":201}`,
	`{"StatusCode":200}`, `{"extra":1}`, `{"body":"a"} x`, `{"body":"a"} }`, `{"body":"a"}]`, `{"body":"a"}{}`, `{"body":"a"} \n`,
	``, ` `, `null`, `[]`, `"x"`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,}`, `{"headers":{"a":"b",}}`,
	`{"body":"\x"}`, "{\"body\":\"a\tb\"}", `{"body":"\u12"}`, `{"statusCode":01}`, `{"statusCode":-}`, `{"statusCode":1.}`,
	`{"statusCode":1e}`, `{"x":tru}`, `{"x":nul}`, `{"x":[1 2]}`, `{"x":{"a" 1}}`,
	`{"x":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`,
	`{"x":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
}

// TestProxyAnswer: the one-pass reader of Lambda proxy answers agrees
// with encoding/json (the reference) on every case.
func TestProxyAnswer(t *testing.T) {
	for _, c := range proxyAnswerCases {
		sameProxyAnswer(t, []byte(c))
	}
	// The reasons users see, one problem at a time.
	for payload, want := range map[string]string{
		`[]`:                        "the result is not a JSON object",
		`{"a":1,}`:                  "the result is not a JSON object",
		`{} x`:                      "text after the JSON object",
		`{"statusCode":"abc"}`:      `statusCode is not an integer: "abc"`,
		`{"headers":{"a":null}}`:    "headers is not an object of strings",
		`{"multiValueHeaders":[]}`:  "multiValueHeaders is not an object of lists",
		`{"body":1}`:                "body is not a string",
		`{"isBase64Encoded":"yes"}`: "isBase64Encoded is not a boolean",
		`{"statusCode":200,"x":1}`:  `unknown field "x"`,
		`{"x":1,"body":2,"y":3}`:    `unknown field "x"`,
	} {
		if _, got := readProxyAnswer([]byte(payload)); got != want {
			t.Errorf("%s: %q, want %q", payload, got, want)
		}
	}
}

// FuzzProxyAnswer compares the scanner with encoding/json on any payload.
func FuzzProxyAnswer(f *testing.F) {
	for _, c := range proxyAnswerCases {
		if len(c) < 1000 {
			f.Add([]byte(c))
		}
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		sameProxyAnswer(t, payload)
	})
}

// BenchmarkProxyResult: reading a Lambda proxy integration's answer.
func BenchmarkProxyResult(b *testing.B) {
	payload := []byte(proxyAnswerCases[0])
	api := &API{}
	rq := &request{}
	b.ReportAllocs()
	for b.Loop() {
		if _, reason := api.proxyResult(rq, payload); reason != "" {
			b.Fatal(reason)
		}
	}
}
