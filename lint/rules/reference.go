package rules

import "gwc.dev/gwc/lint"

// referenceHeader opens docs/rules.md.
const referenceHeader = `# gwc lint rules

<!-- Generated from the rule registry (lint/rules) by
     go test ./lint/rules -run Reference -update; do not edit. -->

` + "`gwc lint`" + ` runs ` + "`gwc check`" + ` first and then the rules below. Run
` + "`gwc explain RULE_ID`" + ` for one rule, ` + "`gwc lint --list-rules`" + ` for all.

## Check or lint?

Some mistakes are errors in ` + "`gwc check`" + `, because API Gateway rejects them
at deploy time or because the API cannot work at all: an integration
response whose status has no method response (` + "`UNDECLARED_STATUS`" + `, the
"Output mapping refers to an invalid method response" failure), a
response parameter or CORS header mapped to a header the method response
does not declare (` + "`UNDECLARED_HEADER`" + `, "Invalid mapping expression
specified"), a mapping that reads an undeclared ` + "`method.request.*`" + `
parameter (` + "`UNDECLARED_PARAMETER`" + `), an invalid Java regex
(` + "`INVALID_REGEX`" + `), template syntax errors, template keys that are not
media types (` + "`SCHEMA`" + `), templates on proxy integrations (rejected by the
schema in CUE, dropped with a warning from OpenAPI), a timeout above 29 s
on an EDGE API. ` + "`gwc lint`" + ` reports those with the check's own code, and
a definition with check errors exits 1 before any rule runs: rules work
on the compiled API.

The rules cover what deploys but fails later or behaves surprisingly,
what is insecure, and where the definition says something API Gateway
does not do. No rule repeats a check's finding at the same place.

## Configuration

In ` + "`gwc.yaml`" + ` (looked for in the input's directory and above it, up to the
repository root) or in the definition's ` + "`lint`" + ` block (` + "`x-gateway-lint`" + ` in
OpenAPI):

` + "```yaml" + `
lint:
  enable: [UNUSED_DEFINITION]        # rules that are off by default
  disable: [style, STAGE_METRICS_OFF] # rule IDs or categories
  severity: {PASSTHROUGH_WHEN_NO_MATCH: error}
  ignore:
    - files: "legacy/*.yaml"         # file globs, relative to the configuration
      rules: [security]
    - paths: "/internal/**"          # resource path globs
      rules: [WRITE_WITHOUT_AUTHORIZATION]
  baseline: gwc-baseline.json
` + "```" + `

Inline, with a reason: ` + "`# gwc:lint:ignore RULE_ID reason`" + ` in YAML,
` + "`// gwc:lint:ignore RULE_ID reason`" + ` in CUE (on the line before a field, or at
the end of its line; it covers the field and everything under it), and
` + "`x-gateway-lint-ignore: {RULE_ID: reason}`" + ` on any OpenAPI object. An ignore
that matches nothing is a warning.

` + "`gwc lint --baseline-write`" + ` records today's findings; later runs report
only new ones. Findings are matched by rule, file, message and the text
of their line, so edits elsewhere do not bring them back.`

// Reference renders docs/rules.md.
func Reference() string { return lint.Reference(referenceHeader, All()) }
