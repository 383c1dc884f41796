package javaregex

import (
	"strings"
	"testing"
)

// benchInputs are the values a selection pattern meets: short status
// strings and a 200-byte Lambda error message with a line break in it.
var benchInputs = map[string]string{
	"status":  "404",
	"status2": "200",
	"error200": ("Error: upstream four hundred and four while calling the inventory service; " +
		"request id 8f14e45f-ceea-467f-a1f2-6e0ea4f6a5b2\n" +
		strings.Repeat("at com.example.Handler.handle(Handler.java:42) ", 3))[:200],
}

var benchPatterns = []string{`2\d{2}`, `.*four hundred.*`, `4\d{2}|5\d{2}`, `(\n|.)*Error.*`}

func BenchmarkMatches(b *testing.B) {
	if n := len(benchInputs["error200"]); n != 200 {
		b.Fatalf("error message is %d bytes, want 200", n)
	}
	for _, p := range benchPatterns {
		re := MustCompile(p)
		for _, name := range []string{"status", "error200"} {
			in := benchInputs[name]
			b.Run(p+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					re.Matches(in)
				}
			})
		}
	}
}

func BenchmarkFind(b *testing.B) {
	for _, p := range benchPatterns {
		re := MustCompile(p)
		in := benchInputs["error200"]
		b.Run(p+"/error200", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				re.Find(in)
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	for _, p := range append(benchPatterns, `(?i)[a-z&&[^aeiou]]+\p{IsLatin}*`) {
		b.Run(p, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compile(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
