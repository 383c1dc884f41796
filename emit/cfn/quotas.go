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

// checkQuotas warns when the template has more resources, parameters or
// outputs than CloudFormation accepts in one stack: a large API (one
// resource per path and per method) can reach 500 resources.
func (e *emitter) checkQuotas() {
	for _, q := range []struct {
		what   string
		n, max int
	}{
		{"resources", len(e.tmpl.Resources), maxResources},
		{"parameters", len(e.tmpl.Parameters), maxParameters},
		{"outputs", len(e.tmpl.Outputs), maxOutputs},
	} {
		if q.n > q.max {
			e.warns = append(e.warns, diag.Diagnostic{
				Code: CodeLimit, Severity: diag.Warning, Range: e.api.Src.KeyRange(),
				Message: fmt.Sprintf("the template has %d %s; CloudFormation accepts at most %d in one stack, so it cannot be deployed as it is (split the API, or deploy parts as nested stacks)", q.n, q.what, q.max),
			})
		}
	}
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
			Message: fmt.Sprintf("the template is %d bytes; CloudFormation accepts at most %d (1 MB) even from S3, so it cannot be deployed as it is (split the API, or deploy parts as nested stacks)", size, maxS3Bytes),
		}}
	case size > maxInlineBytes:
		return []diag.Diagnostic{{
			Code: CodeLimit, Severity: diag.Info, Range: t.at,
			Message: fmt.Sprintf("the template is %d bytes, more than the %d CloudFormation accepts inline: deploy it from S3 (aws cloudformation deploy --s3-bucket BUCKET)", size, maxInlineBytes),
		}}
	}
	return nil
}
