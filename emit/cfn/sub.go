package cfn

import (
	"fmt"
	"regexp"
	"strings"
)

// A string in the model may mix three kinds of ${...}:
//
//   - CloudFormation references: pseudo-parameters (${AWS::Region}), names
//     (${Api}, ${lambda_arn}) and attributes (${MyFunction.Arn});
//   - API Gateway's own syntax, ${stageVariables.x}, which CloudFormation
//     must leave alone;
//   - anything else (IAM policy variables such as ${aws:username}, stray
//     text), which is literal too.
//
// A string with at least one reference is written as Fn::Sub, every
// literal "${" escaped as "${!" (which Fn::Sub turns back into "${"). A
// string without references stays a plain string, untouched: CloudFormation
// reads ${...} only inside Fn::Sub.

// refKind says what a part of a string is.
type refKind int

const (
	literal refKind = iota
	pseudoRef
	nameRef
	attrRef
)

// subPart is literal text or one reference.
type subPart struct {
	kind refKind
	// text is the literal text, or the reference as written (without ${}).
	text string
	// escaped is literal text as Fn::Sub needs it: each complete ${...}
	// written ${!...}.
	escaped string
	// name and attr split a reference: AWS::Region, or MyFunction and Arn.
	name, attr string
}

// pseudoParameters are CloudFormation's pseudo-parameters that yield a
// string, and so may appear in Fn::Sub.
var pseudoParameters = map[string]bool{
	"AWS::AccountId": true,
	"AWS::Partition": true,
	"AWS::Region":    true,
	"AWS::StackId":   true,
	"AWS::StackName": true,
	"AWS::URLSuffix": true,
}

// apiGatewayNamespaces are the roots of API Gateway's own expressions;
// ${stageVariables.x} (and, for safety, the others) is never a
// CloudFormation reference.
var apiGatewayNamespaces = map[string]bool{
	"stageVariables": true,
	"context":        true,
	"input":          true,
	"util":           true,
	"method":         true,
	"integration":    true,
}

var (
	refNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	refAttrRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_-]*)\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)$`)
	pseudoRE  = regexp.MustCompile(`^AWS::[A-Za-z]+$`)
)

// parseSub splits s into literal text and references. It fails on a
// pseudo-parameter CloudFormation does not have (or one that is not a
// string), since such a template could never deploy. An unterminated "${"
// is plain text and stays as it is.
//
// A verbatim string is already Fn::Sub source (a mapping template an
// OpenAPI body wrote as Fn::Sub): there "${!x}" is the escape for the text
// "${x}", not text of its own.
func parseSub(s string, verbatim bool) (parts []subPart, hasRefs bool, err error) {
	var plain, escaped strings.Builder
	flush := func() {
		if plain.Len() > 0 {
			parts = append(parts, subPart{kind: literal, text: plain.String(), escaped: escaped.String()})
			plain.Reset()
			escaped.Reset()
		}
	}
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+2:], '}')
		if j < 0 {
			break
		}
		content := s[i+2 : i+2+j]
		plain.WriteString(s[:i])
		escaped.WriteString(s[:i])
		if verbatim && strings.HasPrefix(content, "!") {
			plain.WriteString("${" + content[1:] + "}")
			escaped.WriteString("${" + content + "}")
			s = s[i+2+j+1:]
			continue
		}
		p, err := classify(content)
		if err != nil {
			return nil, false, err
		}
		if p.kind == literal {
			plain.WriteString("${" + content + "}")
			escaped.WriteString("${!" + content + "}")
		} else {
			flush()
			parts = append(parts, p)
			hasRefs = true
		}
		s = s[i+2+j+1:]
	}
	plain.WriteString(s)
	escaped.WriteString(s)
	flush()
	return parts, hasRefs, nil
}

// classify says what the inside of one ${...} is.
func classify(content string) (subPart, error) {
	lit := subPart{kind: literal, text: content}
	if pseudoRE.MatchString(content) {
		if !pseudoParameters[content] {
			return subPart{}, fmt.Errorf("${%s} is not a CloudFormation pseudo-parameter that yields a string (use one of %s)",
				content, "AWS::AccountId, AWS::Partition, AWS::Region, AWS::StackId, AWS::StackName, AWS::URLSuffix")
		}
		return subPart{kind: pseudoRef, text: content, name: content}, nil
	}
	root, _, _ := strings.Cut(content, ".")
	if apiGatewayNamespaces[root] {
		return lit, nil
	}
	if refNameRE.MatchString(content) {
		return subPart{kind: nameRef, text: content, name: content}, nil
	}
	if m := refAttrRE.FindStringSubmatch(content); m != nil {
		return subPart{kind: attrRef, text: content, name: m[1], attr: m[2]}, nil
	}
	return lit, nil
}
