package oracle_test

import (
	"flag"
	"fmt"
	"math/rand"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/internal/oracle"
)

var (
	corpusSize = flag.Int("corpus", 5000, "number of generated templates in the differential corpus")
	corpusSeed = flag.Int64("seed", 1, "seed of the generated corpus")
)

// diffCase is one template of the differential corpus with both results.
type diffCase struct {
	src  string
	got  result          // gwc's
	want oracle.Response // Velocity 1.7's
	// alt is, for a case whose results differ, Velocity's result as gwc
	// means it to be: rendered by an engine that has seen no other
	// template (as each API Gateway template is), with charAt(i)
	// rewritten as substring(i, i+1) and written back in the output.
	alt *oracle.Response
}

// deliberate is a place where gwc knowingly renders differently from
// Velocity 1.7 (docs/vtl.md lists them all). A case whose results differ
// passes only when one of these explains the difference by checking the
// documented behaviour itself; a case whose results agree always passes,
// whatever it contains.
type deliberate struct {
	name string
	// explains reports whether the difference is this one.
	explains func(c *diffCase) bool
}

var (
	arrayHash = regexp.MustCompile(`\[L[\w.$]+;@([0-9a-f]{1,8})`)
	charAt    = regexp.MustCompile(`\.charAt\((\d+)\)`)
	substring = regexp.MustCompile(`\.substring\((\d+), (\d+)\)`)
)

// altTemplate is the template whose Velocity output is a case's alt.
func altTemplate(src string) string {
	return charAt.ReplaceAllStringFunc(src, func(m string) string {
		i, _ := strconv.Atoi(charAt.FindStringSubmatch(m)[1])
		return fmt.Sprintf(".substring(%d, %d)", i, i+1)
	})
}

// altOutput writes the rewritten calls back as charAt in the output, where
// an unresolved reference printed them as written.
func altOutput(out string) string {
	return substring.ReplaceAllStringFunc(out, func(m string) string {
		sm := substring.FindStringSubmatch(m)
		i, _ := strconv.Atoi(sm[1])
		if j, _ := strconv.Atoi(sm[2]); j != i+1 {
			return m
		}
		return ".charAt(" + sm[1] + ")"
	})
}

// sameButArrays reports whether gwc's output is Velocity's with every Java
// array Velocity printed by its identity hash printed as a list.
func sameButArrays(got result, want oracle.Response) bool {
	if !want.OK || got.err != "" || !arrayHash.MatchString(want.Out) {
		return false
	}
	var re strings.Builder
	re.WriteString(`\A`)
	last := 0
	for _, m := range arrayHash.FindAllStringSubmatchIndex(want.Out, -1) {
		re.WriteString(regexp.QuoteMeta(want.Out[last:m[0]]))
		// The list's elements are any text, brackets included: "[1, 2]"
		// split at "," prints as "[[1,  2]]".
		re.WriteString(`\[(?s:.*?)\]`)
		// The hash is one to eight hex digits: where the text after it
		// starts with hex digits too, some of those may be the text's.
		hex := want.Out[m[2]:m[3]]
		re.WriteString(`(?:`)
		for j := 1; j <= len(hex); j++ {
			if j > 1 {
				re.WriteString(`|`)
			}
			re.WriteString(regexp.QuoteMeta(hex[j:]))
		}
		re.WriteString(`)`)
		last = m[1]
	}
	re.WriteString(regexp.QuoteMeta(want.Out[last:]))
	re.WriteString(`\z`)
	return regexp.MustCompile(re.String()).MatchString(got.out)
}

var deliberateDifferences = []deliberate{
	{
		// String.split returns a Java array, which Velocity prints as
		// [Ljava.lang.String;@<identity hash>; gwc prints it as a list.
		// Nothing else may differ, but the other differences alt covers.
		name: "a Java array printed with an identity hash",
		explains: func(c *diffCase) bool {
			return sameButArrays(c.got, c.want) || c.alt != nil && sameButArrays(c.got, *c.alt)
		},
	},
	{
		// charAt returns a java.lang.Character, without String's methods;
		// gwc returns a one-character String, so Velocity must render the
		// template with substring(i, i+1) in place of charAt(i) exactly as
		// gwc renders the original.
		name: "charAt returns a one-character String",
		explains: func(c *diffCase) bool {
			return charAt.MatchString(c.src) && c.alt != nil && sameResult(c.got, *c.alt)
		},
	},
	{
		// Whether \#name escapes a macro call depends, in Velocity, on the
		// macros the engine has seen in other templates; gwc treats every
		// template on its own, as an engine that has seen no other would.
		name: `\#name of a macro the engine saw elsewhere`,
		explains: func(c *diffCase) bool {
			return strings.Contains(c.src, `\#`) && c.alt != nil && sameResult(c.got, *c.alt)
		},
	},
	{
		// subList returns a copy in gwc, a view in Java: a change to the
		// list makes Java's view throw ConcurrentModificationException
		// when it is next used, where gwc's copy goes on.
		name: "subList is a copy",
		explains: func(c *diffCase) bool {
			return !c.want.OK && strings.HasPrefix(c.want.Error, "ConcurrentModificationException") && strings.Contains(c.src, ".subList(") && c.got.err == ""
		},
	},
	{
		// gwc caps the work and the output of a render (vtl.Limits), as
		// a sandbox must; Velocity has no such caps. With them lifted, gwc
		// must render what Velocity renders, but the other differences
		// alt covers (a template too big for the limits may also call a
		// macro Velocity saw elsewhere).
		name: "the sandbox's limits",
		explains: func(c *diffCase) bool {
			if !strings.Contains(c.got.err, "budget of") && !strings.Contains(c.got.err, "exceeds the limit") {
				return false
			}
			lifted := renderGWCLimits(c.src, probeContext(), vtl.Limits{MaxSteps: 1 << 40, MaxOutputBytes: 1 << 40})
			return sameResult(lifted, c.want) || c.alt != nil && sameResult(lifted, *c.alt)
		},
	},
	{
		// Velocity 1.7 does not decrement its macro depth when #break
		// leaves a macro, so it overflows after 20 such exits; gwc does not
		// reproduce that bug.
		name: "#break out of a macro overflows Velocity's depth count",
		explains: func(c *diffCase) bool {
			return !c.want.OK && strings.Contains(c.want.Error, "MacroOverflowException") && strings.Contains(c.src, "#break") && c.got.err == ""
		},
	},
}

// TestVelocityDifferential renders a seeded corpus of generated templates
// with gwc and with Velocity 1.7 and requires identical output (or an
// error from both), unless a documented deliberate difference explains
// the difference.
func TestVelocityDifferential(t *testing.T) {
	o := startOracle(t)
	g := &gen{r: rand.New(rand.NewSource(*corpusSeed))}
	ctx := probeContext()
	cases := make([]diffCase, *corpusSize)
	reqs := make([]oracle.Request, len(cases))
	for i := range cases {
		cases[i].src = g.template()
		reqs[i] = oracle.Request{Op: "vtl", Template: cases[i].src, Context: ctx}
	}
	resps, err := o.Do(reqs)
	if err != nil {
		t.Fatal(err)
	}
	// Cases whose results differ get their alternative rendering (see
	// diffCase.alt), in a second batch.
	var differ []int
	reqs = reqs[:0]
	for i := range cases {
		c := &cases[i]
		c.want = resps[i]
		c.got = renderGWC(c.src, ctx)
		if !sameResult(c.got, c.want) {
			differ = append(differ, i)
			reqs = append(reqs, oracle.Request{Op: "vtl-fresh", Template: altTemplate(c.src), Context: ctx})
		}
	}
	altResps, err := o.Do(reqs)
	if err != nil {
		t.Fatal(err)
	}
	for k, i := range differ {
		alt := altResps[k]
		alt.Out = altOutput(alt.Out)
		cases[i].alt = &alt
	}

	same, errorsBoth, failures := 0, 0, 0
	explained := make([]int, len(deliberateDifferences))
	for i := range cases {
		c := &cases[i]
		if sameResult(c.got, c.want) {
			same++
			if !c.want.OK {
				errorsBoth++
			}
			continue
		}
		ok := false
		for d, dd := range deliberateDifferences {
			if dd.explains(c) {
				explained[d]++
				ok = true
				break
			}
		}
		if !ok {
			failures++
			if failures <= 25 {
				t.Errorf("case %d differs\ntemplate: %q\n     gwc: %s\nvelocity: %s", i, c.src, c.got, describeResp(c.want))
			}
		}
	}
	t.Logf("%d cases: %d identical (%d rejected by both), %d differ", len(cases), same, errorsBoth, failures)
	for d, dd := range deliberateDifferences {
		t.Logf("  %d explained by the deliberate difference %s", explained[d], dd.name)
	}
}

// TestDeliberateDifferencesExplainOnlyThemselves checks that each
// difference's check rejects results that differ in another way, so that
// it cannot hide a real discrepancy.
func TestDeliberateDifferencesExplainOnlyThemselves(t *testing.T) {
	resp := func(out string) oracle.Response { return oracle.Response{OK: true, Out: out} }
	byName := map[string]deliberate{}
	for _, d := range deliberateDifferences {
		byName[d.name] = d
	}
	for _, tc := range []struct {
		name string
		c    diffCase
		want bool
	}{
		{"a Java array printed with an identity hash", diffCase{got: result{out: "<[a, b]>"}, want: resp("<[Ljava.lang.String;@1b6d3586>")}, true},
		{"a Java array printed with an identity hash", diffCase{got: result{out: "<[a, b]!"}, want: resp("<[Ljava.lang.String;@1b6d3586>")}, false},
		{"a Java array printed with an identity hash", diffCase{got: result{out: "[abc]12x"}, want: resp("[Ljava.lang.String;@799d4f6912x")}, true},
		{"a Java array printed with an identity hash", diffCase{got: result{out: "[abc]13x"}, want: resp("[Ljava.lang.String;@799d4f6912x")}, false},
		{"a Java array printed with an identity hash", diffCase{got: result{out: "<[[1,  2]]>"}, want: resp("<[Ljava.lang.String;@1b6d3586>")}, true},
		{"a Java array printed with an identity hash", diffCase{got: result{out: "<[[1,  2]]!"}, want: resp("<[Ljava.lang.String;@1b6d3586>")}, false},
		{"charAt returns a one-character String", diffCase{src: "$s.charAt(0).toUpperCase()", got: result{out: "A"}, alt: &oracle.Response{OK: true, Out: "A"}}, true},
		{"charAt returns a one-character String", diffCase{src: "$s.charAt(0).toUpperCase()", got: result{out: "A"}, alt: &oracle.Response{OK: true, Out: "a"}}, false},
		{"charAt returns a one-character String", diffCase{src: "$s.charAt(0).toUpperCase()", got: result{out: "A"}}, false},
		{"charAt returns a one-character String", diffCase{src: "$s.toUpperCase()", got: result{out: "A"}, alt: &oracle.Response{OK: true, Out: "A"}}, false},
		{"a Java array printed with an identity hash", diffCase{got: result{out: "1[a]"}, want: resp("$s.charAt(1).length()[Ljava.lang.String;@1b6d3586"), alt: &oracle.Response{OK: true, Out: "1[Ljava.lang.String;@5acf9800"}}, true},
		{"the sandbox's limits", diffCase{src: "#foreach($i in [1..3])x#end", got: result{err: "output exceeds the limit of 2 bytes"}, want: resp("xxx")}, true},
		{"the sandbox's limits", diffCase{src: "#foreach($i in [1..3])x#end", got: result{err: "output exceeds the limit of 2 bytes"}, want: resp("yyy"), alt: &oracle.Response{OK: true, Out: "xxx"}}, true},
		{"the sandbox's limits", diffCase{src: "#foreach($i in [1..3])x#end", got: result{err: "output exceeds the limit of 2 bytes"}, want: resp("yyy"), alt: &oracle.Response{OK: true, Out: "yyy"}}, false},
		{"subList is a copy", diffCase{src: "$l.subList(0, 1)", got: result{out: "x"}, want: oracle.Response{Error: "ConcurrentModificationException: null"}}, true},
		{"subList is a copy", diffCase{src: "$l.subList(0, 1)", got: result{out: "x"}, want: oracle.Response{Error: "IndexOutOfBoundsException: 3"}}, false},
		{"#break out of a macro overflows Velocity's depth count", diffCase{src: "#break", got: result{out: "x"}, want: oracle.Response{Error: "MacroOverflowException: x"}}, true},
		{"#break out of a macro overflows Velocity's depth count", diffCase{src: "#break", got: result{err: "e"}, want: oracle.Response{Error: "MacroOverflowException: x"}}, false},
	} {
		if got := byName[tc.name].explains(&tc.c); got != tc.want {
			t.Errorf("%s explains %+v: %v, want %v", tc.name, tc.c, got, tc.want)
		}
	}
	if got := altTemplate("$s.charAt(0).x $s.charAt(12)"); got != "$s.substring(0, 1).x $s.substring(12, 13)" {
		t.Errorf("charAt rewrite: %q", got)
	}
	if got := altOutput("$u.substring(0, 1).x $s.substring(0, 2)"); got != "$u.charAt(0).x $s.substring(0, 2)" {
		t.Errorf("charAt written back: %q", got)
	}
}
