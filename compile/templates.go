package compile

import (
	"errors"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
	"gwc.dev/gwc/vtl"
)

// checkTemplateSyntax parses a mapping template with the Velocity engine,
// as the runtime will, and reports a syntax error at its place in the
// user's file: the template's offset is mapped through the source token
// the string came from (a JSON or YAML string with escapes, a YAML block,
// a CUE multi-line string).
func (c *compiler) checkTemplateSyntax(t *schema.Template) {
	text := t.Text
	if t.Sub {
		// CloudFormation substitutes ${Name} before API Gateway parses the
		// template, and ${!Name} stands for a literal ${Name}.
		text = strings.ReplaceAll(text, "${!", "${")
	}
	_, err := vtl.Parse(t.ContentType, text)
	var verr *vtl.Error
	if !errors.As(err, &verr) {
		return
	}
	c.errorf(templatePos(t.Src, verr.Offset), CodeTemplateSyntax, "mapping template for %s: %s", t.ContentType, verr.Msg)
}

// templatePos maps a byte offset in a template to the file.
func templatePos(n *schema.Node, offset int) diag.Range {
	if n != nil && n.Text != nil {
		return diag.At(n.Text.Pos(offset))
	}
	return n.Range()
}
