package cfntest

import (
	"strings"
	"testing"
)

// broken has one problem per resource that the registry schemas catch,
// and is otherwise the valid base template.
var broken = strings.NewReplacer(
	`"Type": "AWS_PROXY"`, `"Type": "LAMBDA"`, // not in the Integration.Type enum
	`"PathPart": "pets"`, `"PathPart": "pets", "Path": "/pets"`, // no such property
	`"Properties": {"Name": "a"}`, `"Properties": {"Name": "a", "MinimumCompressionSize": "big"}`, // not an integer
).Replace(base)

func TestSchemaFindings(t *testing.T) {
	findings, unavailable, err := SchemaFindings(decode(t, base).(map[string]any))
	if unavailable != "" {
		t.Skip(unavailable)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) > 0 {
		t.Errorf("findings in a valid template:\n%s", Summary(findings))
	}

	findings, _, err = SchemaFindings(decode(t, broken).(map[string]any))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"MethodPetsGet Properties.Integration.Type",
		"ResourcePets Properties",
		"Api Properties.MinimumCompressionSize",
	} {
		if !strings.Contains(Summary(findings), want) {
			t.Errorf("no finding at %s; got:\n%s", want, Summary(findings))
		}
	}
}

// TestCheckAWSValidator runs AWS's validator on the valid and the broken
// template.
func TestCheckAWSValidator(t *testing.T) {
	findings, unavailable, err := awsFindings("valid", []byte(base))
	if unavailable != "" {
		t.Skip(unavailable)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.IsError() {
			t.Errorf("error in a valid template: %s", f)
		}
	}
	findings, _, err = awsFindings("broken", []byte(broken))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ResourcePets Properties.Path",
		"Api Properties.MinimumCompressionSize",
		"MethodPetsGet Properties.Integration.Type", // a warning (W3030) for AWS's validator
	} {
		if !strings.Contains(Summary(findings), want) {
			t.Errorf("no finding at %s; got:\n%s", want, Summary(findings))
		}
	}
}

func TestCheckPassesValidTemplate(t *testing.T) {
	Check(t, []byte(base))
}
