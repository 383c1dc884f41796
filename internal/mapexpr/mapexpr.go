// Package mapexpr parses API Gateway's parameter-mapping expressions: the
// sources and targets of requestParameters, responseParameters, gateway
// response parameters and authorizer identity sources. The compiler uses
// it to check definitions and the runtime to evaluate them, so both read
// the same grammar.
package mapexpr

import (
	"fmt"
	"regexp"
	"strings"
)

// Kind says where a source expression takes its value from.
type Kind uint8

// The kinds of source expression.
const (
	Literal                   Kind = iota + 1 // 'value'
	MethodRequestParam                        // method.request.<location>.<name>
	MethodRequestBody                         // method.request.body[.<jsonpath>]
	IntegrationResponseHeader                 // integration.response.<header|multivalueheader>.<name>
	IntegrationResponseBody                   // integration.response.body[.<jsonpath>]
	StageVariable                             // stageVariables.<name>
	ContextVariable                           // context.<name>
)

// Context says where an expression is written, which decides the sources
// and targets it may use.
type Context uint8

// The places mapping expressions appear.
const (
	IntegrationRequest  Context = iota + 1 // integration requestParameters
	IntegrationResponse                    // integration response responseParameters
	GatewayResponse                        // gateway response responseParameters
	IdentitySource                         // authorizer identitySource
)

// Expr is a parsed source expression.
type Expr struct {
	Kind Kind
	// Location is path, querystring, multivaluequerystring, header or
	// multivalueheader for parameters.
	Location string
	// Name is the parameter, header, stage variable or context variable
	// (dotted, like identity.sourceIp) name.
	Name string
	// JSONPath is the body path as a JSONPath ($.a.b) when the expression
	// selects part of the body; "" for the whole body.
	JSONPath string
	// Value is a literal's value without its quotes.
	Value string
}

// Target is a parsed mapping target such as integration.request.header.X.
type Target struct {
	Location string // path, querystring, header
	Name     string
}

// The forms API Gateway requires of parameter, stage variable and context
// variable names.
var (
	nameRE       = regexp.MustCompile(`^[a-zA-Z0-9._$-]+$`)
	stageVarRE   = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	contextVarRE = regexp.MustCompile(`^[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)*$`)
)

// ValidName reports whether name may name a mapped parameter.
func ValidName(name string) bool { return nameRE.MatchString(name) }

// Error is an invalid expression, phrased as API Gateway phrases it so that
// users recognise the deploy-time failure.
type Error struct {
	Expr string
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("invalid mapping expression %q: %s", e.Expr, e.Msg)
}

func errorf(expr, format string, args ...any) *Error {
	return &Error{Expr: expr, Msg: fmt.Sprintf(format, args...)}
}

// ParseSource parses a source expression written in context ctx.
func ParseSource(s string, ctx Context) (Expr, error) {
	if strings.HasPrefix(s, "'") {
		if ctx == IdentitySource {
			return Expr{}, errorf(s, "an identity source cannot be a literal")
		}
		if len(s) < 2 || !strings.HasSuffix(s, "'") {
			return Expr{}, errorf(s, "a literal must be enclosed in single quotes")
		}
		return Expr{Kind: Literal, Value: s[1 : len(s)-1]}, nil
	}
	switch {
	case strings.HasPrefix(s, "stageVariables."):
		name := strings.TrimPrefix(s, "stageVariables.")
		if !stageVarRE.MatchString(name) {
			return Expr{}, errorf(s, "stage variable names use letters, digits and _")
		}
		return Expr{Kind: StageVariable, Name: name}, nil
	case strings.HasPrefix(s, "context."):
		name := strings.TrimPrefix(s, "context.")
		if name == "" || !contextVarRE.MatchString(name) {
			return Expr{}, errorf(s, "a context variable is context.<name>, such as context.requestId")
		}
		return Expr{Kind: ContextVariable, Name: name}, nil
	case strings.HasPrefix(s, "method.request."):
		if ctx == IntegrationResponse {
			return Expr{}, errorf(s, "an integration response maps from integration.response.*, stageVariables.*, context.* or a 'literal'")
		}
		return parseMethodRequest(s, ctx)
	case strings.HasPrefix(s, "integration.response."):
		if ctx != IntegrationResponse {
			return Expr{}, errorf(s, "integration.response.* is only available in integration responses")
		}
		return parseIntegrationResponse(s)
	}
	return Expr{}, errorf(s, "want %s", sourcesFor(ctx))
}

func sourcesFor(ctx Context) string {
	switch ctx {
	case IntegrationRequest:
		return "method.request.<path|querystring|multivaluequerystring|header|multivalueheader>.<name>, method.request.body[.<path>], stageVariables.<name>, context.<name> or a 'literal'"
	case IntegrationResponse:
		return "integration.response.<header|multivalueheader>.<name>, integration.response.body[.<path>], stageVariables.<name>, context.<name> or a 'literal'"
	case GatewayResponse:
		return "method.request.<header|querystring|path>.<name>, stageVariables.<name>, context.<name> or a 'literal'"
	case IdentitySource:
		return "method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<name>"
	}
	return "a mapping expression"
}

func parseMethodRequest(s string, ctx Context) (Expr, error) {
	rest := strings.TrimPrefix(s, "method.request.")
	if rest == "body" || strings.HasPrefix(rest, "body.") {
		if ctx != IntegrationRequest {
			return Expr{}, errorf(s, "method.request.body is only available in integration requests")
		}
		e := Expr{Kind: MethodRequestBody}
		if p := strings.TrimPrefix(rest, "body"); p != "" {
			e.JSONPath = "$" + p
		}
		return e, nil
	}
	loc, name, ok := strings.Cut(rest, ".")
	if !ok || name == "" {
		return Expr{}, errorf(s, "want method.request.<location>.<name>")
	}
	allowed := map[Context][]string{
		IntegrationRequest: {"path", "querystring", "multivaluequerystring", "header", "multivalueheader"},
		GatewayResponse:    {"path", "querystring", "header"},
		IdentitySource:     {"querystring", "header"},
	}[ctx]
	if !contains(allowed, loc) {
		return Expr{}, errorf(s, "%q is not a parameter location here (want %s)", loc, strings.Join(allowed, ", "))
	}
	if !ValidName(name) {
		return Expr{}, errorf(s, "parameter names use a-z A-Z 0-9 . _ $ -")
	}
	return Expr{Kind: MethodRequestParam, Location: loc, Name: name}, nil
}

func parseIntegrationResponse(s string) (Expr, error) {
	rest := strings.TrimPrefix(s, "integration.response.")
	if rest == "body" || strings.HasPrefix(rest, "body.") {
		e := Expr{Kind: IntegrationResponseBody}
		if p := strings.TrimPrefix(rest, "body"); p != "" {
			e.JSONPath = "$" + p
		}
		return e, nil
	}
	loc, name, ok := strings.Cut(rest, ".")
	if !ok || (loc != "header" && loc != "multivalueheader") {
		return Expr{}, errorf(s, "want integration.response.header.<name>, integration.response.multivalueheader.<name> or integration.response.body")
	}
	if !ValidName(name) {
		return Expr{}, errorf(s, "header names use a-z A-Z 0-9 . _ $ -")
	}
	return Expr{Kind: IntegrationResponseHeader, Location: loc, Name: name}, nil
}

// ParseTarget parses the target of a mapping, with the prefix of its
// context: integration.request., method.response. or gatewayresponse.
func ParseTarget(s string, ctx Context) (Target, error) {
	var prefix string
	var locations []string
	switch ctx {
	case IntegrationRequest:
		prefix, locations = "integration.request.", []string{"path", "querystring", "header"}
	case IntegrationResponse:
		prefix, locations = "method.response.", []string{"header"}
	case GatewayResponse:
		prefix, locations = "gatewayresponse.", []string{"header", "path", "querystring"}
	default:
		return Target{}, errorf(s, "no mapping targets here")
	}
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return Target{}, errorf(s, "a target starts with %s", prefix)
	}
	loc, name, ok := strings.Cut(rest, ".")
	if !ok || !contains(locations, loc) {
		return Target{}, errorf(s, "want %s<%s>.<name>", prefix, strings.Join(locations, "|"))
	}
	if !ValidName(name) {
		return Target{}, errorf(s, "parameter names use a-z A-Z 0-9 . _ $ -")
	}
	return Target{Location: loc, Name: name}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
