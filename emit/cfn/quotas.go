package cfn

import (
	"fmt"

	"gwc.dev/gwc/diag"
)

// CloudFormation's quotas on one template: the number of things in its
// sections, and its size in bytes when given inline (CreateStack's
// TemplateBody) or as an S3 object (TemplateURL).
const (
	maxResources   = 500
	maxParameters  = 200
	maxOutputs     = 200
	maxInlineBytes = 51_200
	maxS3Bytes     = 1 << 20
)

// checkQuotas warns when a template has more resources, parameters or
// outputs than CloudFormation accepts in one stack: a large API (one
// resource per path and per method) can reach 500 resources. Nested
// stacks (Options.Nested) are the way out, so the warning on a template
// that is not nested says so.
func (e *emitter) checkQuotas(t *Template) {
	for _, q := range []struct {
		what string
		max  int
	}{
		{"Resources", maxResources},
		{"Parameters", maxParameters},
		{"Outputs", maxOutputs},
	} {
		section, _ := t.doc[q.what].(map[string]any)
		if len(section) <= q.max {
			continue
		}
		remedy := "build with nested stacks (gwc build --cfn-nested)"
		if e.opts.Nested {
			remedy = "split the API"
		}
		e.warns = append(e.warns, diag.Diagnostic{
			Code: CodeLimit, Severity: diag.Warning, Range: t.at,
			Message: fmt.Sprintf("%s has %d %s; CloudFormation accepts at most %d in one stack, so it cannot be deployed as it is (%s)",
				t.what(), len(section), lower(q.what), q.max, remedy),
		})
	}
}

func lower(section string) string {
	return map[string]string{"Resources": "resources", "Parameters": "parameters", "Outputs": "outputs"}[section]
}

// SizeDiagnostics reports what CloudFormation will say of the template once
// it is encoded in size bytes: past 1 MB no stack accepts it (a warning);
// past 51,200 bytes it must be deployed from S3 (a note, since the usual
// tools do that when given a bucket: aws cloudformation deploy
// --s3-bucket, or package). The size depends on the encoding, so the
// caller measures the bytes it writes.
func (t *Template) SizeDiagnostics(size int) []diag.Diagnostic {
	switch {
	case size > maxS3Bytes:
		return []diag.Diagnostic{{
			Code: CodeLimit, Severity: diag.Warning, Range: t.at,
			Message: fmt.Sprintf("%s is %d bytes; CloudFormation accepts at most %d (1 MB) even from S3, so it cannot be deployed as it is (%s)", t.what(), size, maxS3Bytes, t.sizeRemedy()),
		}}
	case size > maxInlineBytes && t.id == "":
		return []diag.Diagnostic{{
			Code: CodeLimit, Severity: diag.Info, Range: t.at,
			Message: fmt.Sprintf("%s is %d bytes, more than the %d CloudFormation accepts inline: deploy it from S3 (aws cloudformation deploy --s3-bucket BUCKET)", t.what(), size, maxInlineBytes),
		}}
	}
	return nil
}

func (t *Template) sizeRemedy() string {
	if t.id == "" && len(t.nested) == 0 {
		return "build with nested stacks (gwc build --cfn-nested)"
	}
	return "split the API"
}
