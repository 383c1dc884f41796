package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/javaregex"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

// Selection patterns are matched against a status code (HTTP, AWS service
// and MOCK integrations) or against a Lambda function's errorMessage (AWS
// integrations that invoke Lambda). Status codes are a finite set, so
// questions about them are answered exactly by trying every code from 100
// to 599; error messages are any string, so those questions are answered
// on the patterns' automata, within a budget.

// Budgets of the automata analysis: states per pattern, and pairs of
// states explored per question. Past them the rules say they could not
// decide.
const (
	maxPatternStates = 4000
	searchBudget     = 20000
)

// statusCodes is the selection domain of status-code integrations.
const minStatus, maxStatus = 100, 599

// codeSet is a set of status codes 100..599.
type codeSet [maxStatus - minStatus + 1]bool

func (s *codeSet) empty() bool { return !slices.Contains(s[:], true) }

func (s *codeSet) has(code int) bool { return s[code-minStatus] }

// first returns the first code of s, or 0.
func (s *codeSet) first() int {
	for i, ok := range s {
		if ok {
			return i + minStatus
		}
	}
	return 0
}

// String lists the codes of s compactly: 400-499, 502.
func (s *codeSet) String() string {
	var parts []string
	for i := 0; i < len(s); i++ {
		if !s[i] {
			continue
		}
		j := i
		for j+1 < len(s) && s[j+1] {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(i+minStatus))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", i+minStatus, j+minStatus))
		}
		i = j
	}
	return strings.Join(parts, ", ")
}

// selection is what one integration's patterns are matched against, and
// its integration responses in the order gwc tries them.
type selection struct {
	lambda bool
	// domain is the set of status codes the integration can produce:
	// every code, or for a MOCK integration the codes its request
	// templates set.
	domain codeSet
	// mockCodes is set when the domain comes from MOCK templates.
	mockCodes bool
}

// selectionOf returns what an integration's patterns are matched against;
// many rules ask, so the answer is kept for the run.
func selectionOf(c *lint.Cache, in *schema.Integration) *selection {
	m := lint.Get(c, "selections", func() map[*schema.Integration]*selection { return map[*schema.Integration]*selection{} })
	if s, ok := m[in]; ok {
		return s
	}
	s := newSelection(in)
	m[in] = s
	return s
}

func newSelection(in *schema.Integration) *selection {
	s := &selection{lambda: in.Type == schema.AWS && compile.IsLambdaURI(in.URI)}
	for i := range s.domain {
		s.domain[i] = true
	}
	if in.Type == schema.MOCK {
		if codes, ok := mockStatusCodes(in); ok {
			s.domain, s.mockCodes = codes, true
		}
	}
	return s
}

var (
	// A MOCK template sets the status as "statusCode": 200, or as
	// statusCode: 200 in the non-JSON form CDK emits, which AWS accepts.
	literalStatusRE = regexp.MustCompile(`"?statusCode"?\s*:\s*"?([1-5][0-9][0-9])\b`)
	anyStatusRE     = regexp.MustCompile(`"?statusCode"?\s*:`)
)

// mockStatusCodes returns the status codes a MOCK integration's request
// templates can set, when every one of them sets it as a literal. A MOCK
// integration without templates answers 200 (docs/decisions.md).
func mockStatusCodes(in *schema.Integration) (codeSet, bool) {
	var set codeSet
	if len(in.RequestTemplates) == 0 {
		set[200-minStatus] = true
		return set, true
	}
	for _, t := range in.RequestTemplates {
		all := anyStatusRE.FindAllStringIndex(t.Text, -1)
		lits := literalStatusRE.FindAllStringSubmatch(t.Text, -1)
		if len(all) == 0 || len(all) != len(lits) {
			return codeSet{}, false
		}
		for _, m := range lits {
			code, _ := strconv.Atoi(m[1])
			set[code-minStatus] = true
		}
	}
	return set, true
}

// statusMatches returns the codes a pattern matches, or nil when gwc
// cannot evaluate the pattern (check reports why).
func statusMatches(c *lint.Cache, pattern string) *codeSet {
	return lint.Get(c, "status:"+pattern, func() *codeSet {
		re, err := javaregex.Compile(pattern)
		if err != nil {
			return nil
		}
		var set codeSet
		for code := minStatus; code <= maxStatus; code++ {
			set[code-minStatus] = re.Matches(strconv.Itoa(code))
		}
		return &set
	})
}

// patternNFA returns a pattern's automaton, or nil when it has none within
// budget.
func patternNFA(c *lint.Cache, pattern string) *javaregex.NFA {
	return lint.Get(c, "nfa:"+pattern, func() *javaregex.NFA {
		n, err := javaregex.NewNFA(pattern, maxPatternStates)
		if err != nil {
			return nil
		}
		return n
	})
}

// patterned returns the integration responses that have a pattern, in
// gwc's evaluation order (compile sorted them).
func patterned(in *schema.Integration) []*schema.IntegrationResponse {
	var out []*schema.IntegrationResponse
	for _, ir := range in.Responses {
		if ir.Pattern != "" {
			out = append(out, ir)
		}
	}
	return out
}

// describeResponse names an integration response for messages.
func describeResponse(ir *schema.IntegrationResponse) string {
	if ir.Pattern == "" {
		return fmt.Sprintf("the default response (status %d)", ir.Status)
	}
	return fmt.Sprintf("pattern %q (status %d)", ir.Pattern, ir.Status)
}

func relatedTo(irs []*schema.IntegrationResponse) []diag.Related {
	var out []diag.Related
	for _, ir := range irs {
		out = append(out, diag.Related{Message: describeResponse(ir), Range: ir.Src.KeyRange()})
	}
	return out
}

// sameOutcome reports whether two integration responses do the same
// thing, so that which of them is chosen does not matter.
func sameOutcome(a, b *schema.IntegrationResponse) bool {
	if a.Status != b.Status || a.ContentHandling != b.ContentHandling || len(a.Params) != len(b.Params) || len(a.Templates) != len(b.Templates) {
		return false
	}
	for i := range a.Params {
		if a.Params[i].Target != b.Params[i].Target || a.Params[i].Source != b.Params[i].Source {
			return false
		}
	}
	for i := range a.Templates {
		if a.Templates[i].ContentType != b.Templates[i].ContentType || a.Templates[i].Text != b.Templates[i].Text {
			return false
		}
	}
	return true
}

// subsetOf decides, with the run's cache, whether every error message
// pattern matches is matched by one of others: methods of one API tend to
// share their patterns, and an undecidable question costs the whole budget
// each time it is asked.
func subsetOf(c *lint.Cache, pattern string, others []string) javaregex.Result {
	key := "subset:" + pattern + "\x00" + strings.Join(others, "\x00")
	return lint.Get(c, key, func() javaregex.Result {
		own := patternNFA(c, pattern)
		var nfas []*javaregex.NFA
		for _, o := range others {
			if n := patternNFA(c, o); n != nil {
				nfas = append(nfas, n)
			}
		}
		if own == nil {
			return javaregex.Result{Decided: true}
		}
		return javaregex.Subset(own, nfas, searchBudget)
	})
}

// overlapOf decides, with the run's cache, whether two patterns match a
// common error message.
func overlapOf(c *lint.Cache, a, b string) javaregex.Result {
	return lint.Get(c, "overlap:"+a+"\x00"+b, func() javaregex.Result {
		na, nb := patternNFA(c, a), patternNFA(c, b)
		if na == nil || nb == nil {
			return javaregex.Result{Decided: true}
		}
		return javaregex.Overlap(na, nb, searchBudget)
	})
}
