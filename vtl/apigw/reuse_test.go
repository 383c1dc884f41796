package apigw_test

import (
	"testing"

	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/apigw"
)

// TestCachesOutliveReusedMemory renders, alternately, two bodies of the
// same layout whose strings serve as an #evaluate source, a regex and a
// JSONPath. The body's memory is reused from render to render, so the
// caches of parsed templates, regexes and paths must keep copies of their
// keys, not pieces of the body.
func TestCachesOutliveReusedMemory(t *testing.T) {
	tp, err := vtl.Parse("t", `#evaluate($input.path('$.t'))|$input.path('$.s').replaceAll($input.path('$.re'), "X")|$input.json($input.path('$.p'))`)
	if err != nil {
		t.Fatal(err)
	}
	bodies := []string{
		`{"t":"A#set($v = 1)$v","s":"abc","re":"b","p":"$.x","x":1,"y":2}`,
		`{"t":"B#set($v = 2)$v","s":"abc","re":"c","p":"$.y","x":1,"y":2}`,
	}
	// String.replaceAll("b", "X") of "abc" is "aXc" in Java.
	want := []string{"A1|aXc|1", "B2|abX|2"}
	for i := 0; i < 6; i++ {
		got, _ := renderTemplate(t, tp, &apigw.Request{Body: []byte(bodies[i%2])})
		if got != want[i%2] {
			t.Fatalf("render %d: got %q, want %q", i, got, want[i%2])
		}
	}
}

// TestStoredValuesSurviveLaterRenders stores strings made during a render
// (a $util result, an interpolated string, a piece of the body, an
// $input.json result) in $context, which outlives the render, then renders
// other requests, whose memory must not overwrite them.
func TestStoredValuesSurviveLaterRenders(t *testing.T) {
	ctx := apigw.NewContext()
	first, err := vtl.Parse("t", `#set($context.a = $util.escapeJavaScript($input.path('$.s')))#set($context.b = "x$input.path('$.s')y")#set($context.c = $input.path('$.s'))#set($context.d = $input.json('$.s'))`)
	if err != nil {
		t.Fatal(err)
	}
	renderTemplate(t, first, &apigw.Request{Context: ctx, Body: []byte(`{"s":"it's"}`)})
	other, err := vtl.Parse("t", `$util.escapeJavaScript($input.path('$.s')) "x$input.path('$.s')y" $input.path('$.s') $input.json('$.s')`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		renderTemplate(t, other, &apigw.Request{Body: []byte(`{"s":"ZZZZ"}`)})
	}
	check, err := vtl.Parse("t", `$context.a $context.b $context.c $context.d`)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := renderTemplate(t, check, &apigw.Request{Context: ctx})
	if want := `it\'s xit'sy it's "it's"`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func renderTemplate(t *testing.T, tp *vtl.Template, req *apigw.Request) (string, apigw.Overrides) {
	t.Helper()
	var b []byte
	w := &sliceWriter{&b}
	o, err := apigw.Render(tp, req, w)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), o
}

type sliceWriter struct{ b *[]byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	*w.b = append(*w.b, p...)
	return len(p), nil
}

// TestRenderAllocatesNothing renders the benchmark's typical request
// template: once warm, a render reuses pooled memory and allocates
// nothing, so that serving requests makes no garbage.
func TestRenderAllocatesNothing(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector's instrumentation allocates")
	}
	tp, body, ctxJSON := benchFixture(t)
	req := benchRequest(t, body, ctxJSON)
	var out sliceWriter
	out.b = new([]byte)
	render := func() {
		*out.b = (*out.b)[:0]
		if _, err := apigw.Render(tp, req, &out); err != nil {
			t.Fatal(err)
		}
	}
	render()
	// AllocsPerRun rounds down: count the allocations of 100 renders.
	if n := testing.AllocsPerRun(3, func() {
		for range 100 {
			render()
		}
	}); n != 0 {
		t.Errorf("100 renders allocated %v times", n)
	}
}
