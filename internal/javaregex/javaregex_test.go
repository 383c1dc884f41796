package javaregex

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestSyntaxError(t *testing.T) {
	_, err := Compile("a(b(c")
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Compile: %v, want a *SyntaxError", err)
	}
	if se.Error() != "unclosed group near index 5" || se.Offset != 5 || se.Desc != "Unclosed group" {
		t.Errorf("got %q at offset %d (%+v)", se.Error(), se.Offset, se)
	}

	// Offsets are bytes; Java's index counts code points.
	_, err = Compile("é(?<1>a)")
	if !errors.As(err, &se) || se.Index != 4 || se.Offset != 5 {
		t.Errorf("Compile(é(?<1>a)) = %+v, want index 4 at byte offset 5", err)
	}
}

func TestUnsupportedError(t *testing.T) {
	for pattern, want := range map[string]Feature{
		`a(?=b)`:           FeatureLookahead,
		`(?<=a)b`:          FeatureLookbehind,
		`(a)\1`:            FeatureBackreference,
		`a*+`:              FeaturePossessive,
		`(?>a)`:            FeatureAtomicGroup,
		`\Ga`:              FeatureLastMatch,
		`a\b`:              FeatureWordBoundary,
		`\X`:               FeatureGrapheme,
		`(?m)^a`:           FeatureMultilineAnchor,
		`a$b`:              FeatureDollarNotAtEnd,
		`(\A|a){2}`:        FeatureAnchoredEmpty,
		`\R+`:              FeatureRepeatedBreak,
		`(?U)a`:            FeatureUnicodeClass,
		`(?c)a`:            FeatureCanonEq,
		`a{1001}`:          FeatureLargeRepeat,
		`[\w.&&]`:          FeatureEmptyIntersection,
		`\N{AC}`:           FeatureCharacterName,
		`\p{javaMirrored}`: FeatureMirrored,
		strings.Repeat("(", 1001) + strings.Repeat(")", 1001): FeatureTooLarge,
		`((a{100}){100}){100}`:                                FeatureTooLarge,
	} {
		_, err := Compile(pattern)
		var ue *UnsupportedError
		if !errors.As(err, &ue) || ue.Feature != want {
			t.Errorf("Compile(%.40q) = %v, want unsupported %s", pattern, err, want)
		}
	}
	_, err := Compile("ab(?=c)")
	var ue *UnsupportedError
	if errors.As(err, &ue) && ue.Offset != 2 {
		t.Errorf("lookahead offset = %d, want 2", ue.Offset)
	}
}

func TestAPI(t *testing.T) {
	re := MustCompile(`4\d{2}`)
	if re.String() != `4\d{2}` {
		t.Errorf("String() = %q", re.String())
	}
	if _, err := regexp.Compile(re.GoPattern()); err != nil {
		t.Errorf("GoPattern() %q does not compile: %v", re.GoPattern(), err)
	}
	if !re.Matches("404") || re.Matches("4040") || !re.Find("4040") {
		t.Errorf("4\\d{2}: wrong answers")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustCompile did not panic on an invalid pattern")
		}
	}()
	MustCompile("(")
}

// TestMatchesDoesNotAllocate guards the hot path: the runtime matches a
// selection pattern per request.
func TestMatchesDoesNotAllocate(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector's instrumentation allocates")
	}
	re := MustCompile(`(\n|.)*Error.*`)
	msg := strings.Repeat("x", 150) + "\nError: failed"
	if n := testing.AllocsPerRun(100, func() { re.Matches(msg); re.Find(msg) }); n != 0 {
		t.Errorf("Matches and Find allocate %v times per call", n)
	}
	re = MustCompile(`a$`)
	if n := testing.AllocsPerRun(100, func() { re.Find("xa\r\n") }); n != 0 {
		t.Errorf("Find with $ allocates %v times per call", n)
	}
}

func ExampleCompile() {
	re, err := Compile(`.*[Nn]ot [Ff]ound.*`)
	if err != nil {
		panic(err)
	}
	fmt.Println(re.Matches("Item not found"), re.Matches("Item not found\nat line 3"))
	_, err = Compile(`(?<status>4\d{2}`)
	fmt.Println(err)
	// Output:
	// true false
	// unclosed group near index 16
}
