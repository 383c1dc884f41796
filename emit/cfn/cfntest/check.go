// Package cfntest checks CloudFormation templates in tests, the way the
// issue asks gwc's to be checked: "zero errors for every example and every
// compiled real input". Check runs two validators:
//
//   - the CloudFormation registry schemas of the AWS::ApiGateway::*
//     resource types (read from ../shared/testdata/cfn-schemas beside the
//     repository), validating every resource's Properties, with intrinsic
//     functions accepted where cfn-lint accepts them, plus checks that
//     every Ref, Fn::GetAtt, Fn::Sub and DependsOn names something that
//     exists;
//   - AWS's own offline validator, @aws/cloudformation-validate, run by
//     validate.js under Node.js when it is installed (see ValidatorDir).
//
// Each runs as a subtest and skips, with a one-line reason, when its
// inputs are missing.
package cfntest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// Finding is one problem a validator found in a template.
type Finding struct {
	// Source names the check: "schema:registry", "references",
	// "aws:F3002", …
	Source string
	// Severity is the AWS validator's (WARN, ERROR, FATAL); the other
	// checks report errors only and leave it empty.
	Severity string
	Resource string
	Path     string
	Message  string
}

// IsError reports whether the finding is an error (everything but the AWS
// validator's warnings).
func (f Finding) IsError() bool {
	return f.Severity == "" || f.Severity == "ERROR" || f.Severity == "FATAL"
}

func (f Finding) String() string {
	where := f.Resource
	if f.Path != "" {
		if where != "" {
			where += " "
		}
		where += f.Path
	}
	sev := ""
	if f.Severity != "" {
		sev = " " + f.Severity
	}
	return fmt.Sprintf("[%s%s] %s: %s", f.Source, sev, where, f.Message)
}

// Check validates template (JSON or YAML) with every validator available,
// each in its own subtest, and fails on any error.
func Check(t *testing.T, template []byte) {
	t.Helper()
	doc, format, err := decodeTemplate(template)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("schemas", func(t *testing.T) {
		t.Helper()
		findings, unavailable, err := SchemaFindings(doc)
		if unavailable != "" {
			t.Skip(unavailable)
		}
		if err != nil {
			t.Fatal(err)
		}
		report(t, findings)
	})
	t.Run("aws-validator", func(t *testing.T) {
		t.Helper()
		findings, unavailable, err := awsFindings(t.Name()+"."+format, template)
		if unavailable != "" {
			t.Skip(unavailable)
		}
		if err != nil {
			t.Fatal(err)
		}
		report(t, findings)
	})
}

// decodeTemplate reads a JSON or YAML template into JSON values (numbers
// as json.Number), and says which it was.
func decodeTemplate(template []byte) (map[string]any, string, error) {
	format := "json"
	if trimmed := bytes.TrimSpace(template); !bytes.HasPrefix(trimmed, []byte("{")) {
		var v any
		if err := yaml.Unmarshal(template, &v); err != nil {
			return nil, "", fmt.Errorf("template is neither JSON nor YAML: %w", err)
		}
		var err error
		if template, err = json.Marshal(v); err != nil {
			return nil, "", fmt.Errorf("template YAML has no JSON form: %w", err)
		}
		format = "yaml"
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(template))
	if err != nil {
		return nil, "", fmt.Errorf("template is not JSON: %w", err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, "", fmt.Errorf("template is not an object")
	}
	return doc, format, nil
}

func report(t *testing.T, findings []Finding) {
	t.Helper()
	for _, f := range findings {
		if f.IsError() {
			t.Error(f)
		} else {
			t.Log(f)
		}
	}
}

// SchemaDir is where the registry schemas are: testdata/cfn-schemas in
// the shared directory beside the repository.
func SchemaDir() string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "testdata", "cfn-schemas")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

var schemas struct {
	once sync.Once
	sets []*schemaSet
	// attributes merges the sets' Fn::GetAtt attributes.
	attributes  map[string][]string
	unavailable string
	err         error
}

// loadSchemas compiles the registry schemas once per test binary: the
// registry's own, and cfn-lint's patched copies (stricter in places) when
// they are there.
func loadSchemas() {
	dir := SchemaDir()
	if _, err := os.Stat(filepath.Join(dir, "aws-apigateway-restapi.json")); err != nil {
		schemas.unavailable = fmt.Sprintf("CloudFormation schemas not found in %s", dir)
		return
	}
	schemas.attributes = map[string][]string{}
	for _, s := range []struct{ name, dir string }{{"registry", dir}, {"cfn-lint", filepath.Join(dir, "cfn-lint-patched")}} {
		if s.name != "registry" {
			if _, err := os.Stat(s.dir); err != nil {
				continue
			}
		}
		set, err := loadSchemaSet(s.name, s.dir)
		if err != nil {
			schemas.err = err
			return
		}
		schemas.sets = append(schemas.sets, set)
		for typ, attrs := range set.attributes {
			schemas.attributes[typ] = attrs
		}
	}
}

// SchemaFindings validates a decoded template against the registry
// schemas and checks its references. unavailable says, in one line, why
// it could not (the schemas are not there).
func SchemaFindings(doc map[string]any) (findings []Finding, unavailable string, err error) {
	schemas.once.Do(loadSchemas)
	if schemas.unavailable != "" || schemas.err != nil {
		return nil, schemas.unavailable, schemas.err
	}
	for _, set := range schemas.sets {
		findings = append(findings, set.validate(doc)...)
	}
	findings = append(findings, checkReferences(doc, schemas.attributes)...)
	return findings, "", nil
}

// Summary formats findings one per line, for messages.
func Summary(findings []Finding) string {
	lines := make([]string, len(findings))
	for i, f := range findings {
		lines[i] = f.String()
	}
	return strings.Join(lines, "\n")
}
