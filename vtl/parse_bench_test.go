package vtl_test

import (
	"os"
	"testing"

	"gwc.dev/gwc/vtl"
)

// BenchmarkParseJSONBody measures parsing the side-by-side benchmark's
// 2 KB body, the part of every $input.path render that is not template work.
func BenchmarkParseJSONBody(b *testing.B) {
	body, err := os.ReadFile("../bench/vtl/body.json")
	if err != nil {
		b.Fatal(err)
	}
	var a vtl.JSONArena
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := a.Parse(body, true); err != nil {
			b.Fatal(err)
		}
		a.Reset()
	}
}

// BenchmarkParseTemplate measures parsing the side-by-side benchmark's
// template, which the runtime does once per artifact load.
func BenchmarkParseTemplate(b *testing.B) {
	src, err := os.ReadFile("../bench/vtl/request.vm")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := vtl.Parse("request.vm", string(src)); err != nil {
			b.Fatal(err)
		}
	}
}
