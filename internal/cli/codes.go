package cli

import (
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
)

// checkCodes describes the codes of gwc check's diagnostics in one line
// each, so that machine formats that list rules (SARIF) say what each
// code is about. Lint rules carry their own documentation.
var checkCodes = map[string]string{
	"AUTHORIZATION":            "A method's authorization does not fit its authorizer",
	"AUTHORIZER":               "An authorizer API Gateway would reject",
	"CUE":                      "A CUE file that does not load or evaluate",
	"DOCUMENTATION":            "A documentation part that does not fit the API",
	"DOMAIN_NAME":              "A custom domain name or base path mapping API Gateway would reject",
	"DUPLICATE_PATH":           "A resource path declared twice",
	"DUPLICATE_PATH_PARAMETER": "A path parameter name used twice in one path",
	"ENDPOINT":                 "An endpoint configuration API Gateway would reject",
	"GATEWAY_RESPONSE":         "A gateway response API Gateway would reject or ignore",
	"GREEDY_CHILD":             "A resource under a greedy {proxy+} path parameter",
	"INTEGRATION_FIELD":        "An integration setting API Gateway would reject",
	"INTERNAL":                 "gwc failed; please report it",
	"INVALID_MAPPING":          "A parameter mapping expression API Gateway would reject",
	"INVALID_MODEL":            "A model that is not valid JSON Schema draft 4",
	"INVALID_PATH":             "A resource path API Gateway would reject",
	"INVALID_REGEX":            "A Java regular expression that does not parse, or that gwc cannot evaluate",
	"INVALID_URI":              "An integration URI API Gateway would reject",
	"LIMIT":                    "A value past one of API Gateway's limits",
	"OPENAPI":                  "An OpenAPI document gwc cannot read as written",
	"PARAMETER_NAME_REUSED":    "A request parameter name used in two locations",
	"SCHEMA":                   "A value that does not fit gwc's schema",
	"STAGE":                    "A stage setting API Gateway would reject",
	"STRUCTURE":                "A definition whose parts do not fit together",
	"TEMPLATE_SYNTAX":          "A mapping template that does not parse",
	"UNDECLARED_HEADER":        "A response parameter mapped to a header the method response does not declare",
	"UNDECLARED_PARAMETER":     "A mapping that reads a request parameter the method does not declare",
	"UNDECLARED_STATUS":        "An integration response whose status has no method response",
	"UNDEFINED_REFERENCE":      "A reference to a model, authorizer, validator, stage or key that does not exist",
	"UNSUPPORTED":              "Something API Gateway's REST APIs ignore or gwc does not support",
	"USAGE_PLAN":               "A usage plan API Gateway would reject",
	"VARIABLE_SIBLINGS":        "Two variable path parts under one parent",
	lint.CodeConfig:            "A lint configuration gwc cannot use",
	lint.CodeIgnore:            "An inline lint ignore that is malformed or ignores nothing",
}

// checkRules describes the codes of diagnostics in ds that have no rule
// of their own, for the printers.
func checkRules(ds []diag.Diagnostic) []diag.Rule {
	seen := map[string]bool{}
	var out []diag.Rule
	for _, d := range ds {
		if s, ok := checkCodes[d.Code]; ok && !seen[d.Code] {
			seen[d.Code] = true
			out = append(out, diag.Rule{ID: d.Code, Summary: s})
		}
	}
	return out
}
