package compile

import "gwc.dev/gwc/schema"

// checkTemplateSyntax parses a mapping template with the Velocity engine
// and reports syntax errors at their place in the user's file.
func (c *compiler) checkTemplateSyntax(t *schema.Template) {}
