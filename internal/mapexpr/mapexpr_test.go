package mapexpr

import (
	"strings"
	"testing"
)

func TestParseSource(t *testing.T) {
	tests := []struct {
		expr string
		ctx  Context
		want Expr
		err  string
	}{
		{"'literal value'", IntegrationRequest, Expr{Kind: Literal, Value: "literal value"}, ""},
		{"''", GatewayResponse, Expr{Kind: Literal, Value: ""}, ""},
		{"'open", IntegrationRequest, Expr{}, "enclosed in single quotes"},
		{"method.request.path.id", IntegrationRequest, Expr{Kind: MethodRequestParam, Location: "path", Name: "id"}, ""},
		{"method.request.multivalueheader.X-A", IntegrationRequest, Expr{Kind: MethodRequestParam, Location: "multivalueheader", Name: "X-A"}, ""},
		{"method.request.multivalueheader.X-A", GatewayResponse, Expr{}, `"multivalueheader" is not a parameter location here`},
		{"method.request.body", IntegrationRequest, Expr{Kind: MethodRequestBody}, ""},
		{"method.request.body.a.b", IntegrationRequest, Expr{Kind: MethodRequestBody, JSONPath: "$.a.b"}, ""},
		{"method.request.body", GatewayResponse, Expr{}, "only available in integration requests"},
		{"integration.response.header.ETag", IntegrationResponse, Expr{Kind: IntegrationResponseHeader, Location: "header", Name: "ETag"}, ""},
		{"integration.response.body.items[0]", IntegrationResponse, Expr{Kind: IntegrationResponseBody, JSONPath: "$.items[0]"}, ""},
		{"integration.response.header.ETag", IntegrationRequest, Expr{}, "only available in integration responses"},
		{"method.request.path.id", IntegrationResponse, Expr{}, "an integration response maps from"},
		{"stageVariables.backend_1", IntegrationRequest, Expr{Kind: StageVariable, Name: "backend_1"}, ""},
		{"stageVariables.back-end", IntegrationRequest, Expr{}, "letters, digits and _"},
		{"context.identity.sourceIp", IdentitySource, Expr{Kind: ContextVariable, Name: "identity.sourceIp"}, ""},
		{"context.", IntegrationRequest, Expr{}, "context.<name>"},
		{"method.request.path.id", IdentitySource, Expr{}, `"path" is not a parameter location here (want querystring, header)`},
		{"'x'", IdentitySource, Expr{}, "cannot be a literal"},
		{"method.request.header.bad name", IntegrationRequest, Expr{}, "parameter names use"},
		{"somewhere.else", IntegrationRequest, Expr{}, "want method.request"},
	}
	for _, tt := range tests {
		got, err := ParseSource(tt.expr, tt.ctx)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseSource(%q) error = %v, want %q", tt.expr, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseSource(%q) = %+v, %v; want %+v", tt.expr, got, err, tt.want)
		}
	}
}

func TestParseTarget(t *testing.T) {
	if got, err := ParseTarget("integration.request.header.X-Y", IntegrationRequest); err != nil || got != (Target{"header", "X-Y"}) {
		t.Errorf("got %+v %v", got, err)
	}
	if got, err := ParseTarget("gatewayresponse.querystring.q", GatewayResponse); err != nil || got != (Target{"querystring", "q"}) {
		t.Errorf("got %+v %v", got, err)
	}
	for _, bad := range []struct {
		s   string
		ctx Context
	}{
		{"integration.request.body", IntegrationRequest},
		{"method.response.body.x", IntegrationResponse},
		{"header.X", IntegrationRequest},
		{"integration.request.header.", IntegrationRequest},
	} {
		if _, err := ParseTarget(bad.s, bad.ctx); err == nil {
			t.Errorf("ParseTarget(%q) accepted", bad.s)
		}
	}
}

// FuzzParseSource checks that parsing never panics and that every
// parameter it accepts has a valid name.
func FuzzParseSource(f *testing.F) {
	for _, s := range []string{"'x'", "method.request.path.id", "method.request.body.a", "context.a.b", "stageVariables.x", "integration.response.header.A"} {
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, s string, c uint8) {
		ctx := Context(c%4 + 1)
		e, err := ParseSource(s, ctx)
		if err != nil {
			return
		}
		if (e.Kind == MethodRequestParam || e.Kind == IntegrationResponseHeader) && !ValidName(e.Name) {
			t.Fatalf("ParseSource(%q) accepted the name %q", s, e.Name)
		}
		if _, err := ParseTarget(s, ctx); err == nil && e.Kind == Literal {
			t.Fatalf("%q is both a literal and a target", s)
		}
	})
}
