package compile

import (
	"strings"
	"testing"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// compileYAML compiles a definition written in gwc's vocabulary as YAML.
func compileYAML(t *testing.T, src string) (*Result, []diag.Diagnostic) {
	t.Helper()
	var ds diag.Set
	f := schema.NewFile("api.yaml", []byte(src))
	root, err := schema.ParseYAML(f)
	if err != nil {
		t.Fatalf("test input does not parse: %v", err)
	}
	def := schema.Build(root, &ds)
	var res *Result
	if !ds.HasErrors() {
		res = Compile(def, Options{}, &ds)
	}
	return res, ds.Sorted()
}

// api wraps resources and other API fields into a definition.
func api(body string) string {
	var b strings.Builder
	b.WriteString("api:\n  test:\n")
	for _, line := range strings.Split(strings.Trim(body, "\n"), "\n") {
		b.WriteString("    " + line + "\n")
	}
	return b.String()
}

const mockGet = `
      GET:
        integration: {mock: {templates: {application/json: '{"statusCode": 200}'}, responses: {default: {status: 200}}}}
        responses: {"200": {}}`

type want struct {
	code     string
	severity diag.Severity
	contains string
	line     int // 0: any
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{
			name: "invalid path part",
			src:  api("resources:\n  /pets/{id}x:" + mockGet),
			want: []want{{CodeInvalidPath, diag.Error, `path part "{id}x"`, 4}},
		},
		{
			name: "path without leading slash is a schema error",
			src:  api("resources:\n  pets:" + mockGet),
			want: []want{{schema.CodeSchema, diag.Error, `"pets" is not allowed as a name in resources`, 4}},
		},
		{
			name: "two variable siblings",
			src:  api("resources:\n  /pets/{id}:" + mockGet + "\n  /pets/{petId}:" + mockGet),
			want: []want{{CodeVariableSiblings, diag.Error, "only one is allowed under /pets", 0}},
		},
		{
			name: "child of a greedy resource",
			src:  api("resources:\n  /files/{path+}/meta:" + mockGet),
			want: []want{{CodeGreedyChild, diag.Error, "greedy path variable", 4}},
		},
		{
			name: "path parameter twice",
			src:  api("resources:\n  /a/{id}/b/{id}:" + mockGet),
			want: []want{{CodeDuplicatePathParam, diag.Error, `"id" appears twice`, 4}},
		},
		{
			name: "same path with and without trailing slash",
			src:  api("resources:\n  /pets:" + mockGet + "\n  /pets/:" + mockGet),
			want: []want{
				{CodeInvalidPath, diag.Warning, "ends with /", 0},
				{CodeDuplicatePath, diag.Error, "declared twice", 0},
			},
		},
		{
			name: "undefined authorizer",
			src: api(`resources:
  /a:
    GET:
      authorizer: missing
      integration: {mock: {}}`),
			want: []want{{CodeUndefined, diag.Error, `no authorizer named "missing"`, 6}},
		},
		{
			name: "authorization does not fit the authorizer",
			src: api(`authorizers:
  tok: {type: TOKEN, function: auth}
resources:
  /a:
    GET:
      authorizer: tok
      authorization: COGNITO_USER_POOLS
      integration: {mock: {}}`),
			want: []want{{CodeAuthorization, diag.Error, "does not fit authorizer", 9}},
		},
		{
			name: "CUSTOM without an authorizer",
			src: api(`resources:
  /a:
    GET:
      authorization: CUSTOM
      integration: {mock: {}}`),
			want: []want{{CodeAuthorization, diag.Error, "requires an authorizer", 6}},
		},
		{
			name: "scopes without Cognito",
			src: api(`resources:
  /a:
    GET:
      scopes: [read]
      integration: {mock: {}}`),
			want: []want{{CodeAuthorization, diag.Warning, "scopes apply only to COGNITO_USER_POOLS", 6}},
		},
		{
			name: "parameter name in two locations",
			src: api(`resources:
  /a:
    GET:
      request: {params: {querystring.id: {}, header.id: {}}}
      integration: {mock: {}}`),
			want: []want{{CodeParameterReused, diag.Error, "unique across querystring, header and path", 6}},
		},
		{
			name: "undefined validator",
			src: api(`resources:
  /a:
    GET:
      request: {validator: strict}
      integration: {mock: {}}`),
			want: []want{{CodeUndefined, diag.Error, `no validator named "strict"`, 6}},
		},
		{
			name: "undefined models",
			src: api(`models: {}
resources:
  /a:
    POST:
      request: {models: {application/json: Pett}}
      integration: {mock: {responses: {default: {status: 200}}}}
      responses: {"200": {model: Nope}}`),
			want: []want{
				{CodeUndefined, diag.Error, "invalid model identifier specified: Pett", 7},
				{CodeUndefined, diag.Error, "invalid model identifier specified: Nope", 9},
			},
		},
		{
			name: "invalid mapping source",
			src: api(`resources:
  /a:
    GET:
      integration: {http: {uri: "https://example.com", params: {header.X: method.request.cookie.y}}}`),
			want: []want{{CodeInvalidMapping, diag.Error, `"cookie" is not a parameter location`, 6}},
		},
		{
			name: "mapping an undeclared parameter",
			src: api(`resources:
  /a:
    GET:
      integration: {http: {uri: "https://example.com", params: {header.X: method.request.header.Authorization}}}`),
			want: []want{{CodeUndeclaredParameter, diag.Error, "method.request.header.Authorization is not declared", 6}},
		},
		{
			name: "invalid HTTP endpoints",
			src: api(`resources:
  /a:
    GET:
      integration: {http: {uri: "ftp://example.com/a"}}
    POST:
      integration: {http: {uri: "https://example.com:22/a"}}
    PUT:
      integration: {httpProxy: {uri: "https://${stageVariables.host}/{proxy}"}}`),
			want: []want{
				{CodeInvalidURI, diag.Error, "want an absolute http:// or https:// URL", 6},
				{CodeInvalidURI, diag.Error, "ports 80, 443 and above 1024", 8},
			},
		},
		{
			name: "invalid AWS URIs",
			src: api(`resources:
  /a:
    GET:
      integration: {aws: {uri: "arn:aws:apigateway:us-east-1:dynamodb:GetItem"}}
    POST:
      integration: {awsProxy: {uri: "arn:aws:apigateway:us-east-1:dynamodb:action/GetItem"}}
    PUT:
      integration: {awsProxy: {function: "my-fn", method: GET}}`),
			want: []want{
				{CodeInvalidURI, diag.Error, "must contain path or action", 6},
				{CodeInvalidURI, diag.Error, "only support Lambda function and Firehose", 8},
				{CodeIntegration, diag.Error, "invoked with POST", 10},
			},
		},
		{
			name: "VPC link without id",
			src: api(`resources:
  /a:
    GET:
      integration: {http: {uri: "https://example.com", connection: {type: VPC_LINK}}}`),
			want: []want{{CodeIntegration, diag.Error, "needs the VPC link's id", 6}},
		},
		{
			name: "timeout above 29 s on an edge API",
			src: api(`resources:
  /a:
    GET:
      integration: {http: {uri: "https://example.com", timeout: 60000}}`),
			want: []want{{CodeIntegration, diag.Error, "only Regional and private APIs", 6}},
		},
		{
			name: "undeclared cache key",
			src: api(`resources:
  /a:
    GET:
      integration: {http: {uri: "https://example.com", cacheKeyParameters: [method.request.querystring.q]}}`),
			want: []want{{CodeUndeclaredParameter, diag.Error, "cache key parameter method.request.querystring.q", 6}},
		},
		{
			name: "integration response to an undeclared status and header",
			src: api(`resources:
  /a:
    GET:
      integration:
        mock:
          responses:
            default: {status: 200, params: {header.X-Trace: "'x'"}}
            "4\\d{2}": {status: 400}
      responses: {"200": {}}`),
			want: []want{
				{CodeUndeclaredHeader, diag.Error, "method.response.header.X-Trace is not declared in method response 200", 9},
				{CodeUndeclaredStatus, diag.Error, "400 is not among the method's responses", 10},
			},
		},
		{
			name: "a selection pattern Go reads but Java rejects",
			src: api(`resources:
  /a:
    GET:
      integration: {mock: {responses: {"4\\d{2": {status: 200}}}}
      responses: {"200": {}}`),
			want: []want{{CodeInvalidRegex, diag.Error, `invalid selection pattern "4\\d{2": unclosed counted closure near index 5`, 6}},
		},
		{
			name: "a selection pattern gwc cannot evaluate",
			src: api(`resources:
  /a:
    GET:
      integration: {mock: {responses: {"(?!5)\\d+": {status: 200}}}}
      responses: {"200": {}}`),
			want: []want{{CodeInvalidRegex, diag.Warning, "uses lookahead (?=...) or (?!...), which Java accepts but gwc cannot evaluate", 6}},
		},
		{
			name: "invalid selection pattern",
			src: api(`resources:
  /a:
    GET:
      integration: {mock: {responses: {"(4\\d{2}": {status: 200}}}}
      responses: {"200": {}}`),
			want: []want{{CodeInvalidRegex, diag.Error, "invalid selection pattern", 6}},
		},
		{
			name: "a template syntax error, at its place in a YAML block",
			src: api(`resources:
  /a:
    GET:
      integration:
        mock:
          templates:
            application/json: |
              {"statusCode": 200,
               "name": "$input.params('name')",
               #if($x ==) broken #end}`),
			want: []want{{CodeTemplateSyntax, diag.Error, "mapping template for application/json:", 12}},
		},
		{
			name: "invalid and dangling models",
			src: api(`modelSchemas:
  Bad: {type: 5}
  Dangling: {type: object, properties: {p: {$ref: "#/models/Missing"}}}
resources:
  /a:` + mockGet),
			want: []want{
				{CodeInvalidModel, diag.Error, "model Bad is not a valid JSON Schema draft-04 document", 4},
				{CodeUndefined, diag.Error, `refers to model "Missing"`, 5},
			},
		},
		{
			name: "authorizer configurations",
			src: api(`authorizers:
  noFunction: {type: TOKEN}
  twoHeaders: {type: TOKEN, function: f, identitySource: "method.request.header.A,method.request.header.B"}
  pool: {type: COGNITO_USER_POOLS}
  cachedRequest: {type: REQUEST, function: f}
  badSource: {type: REQUEST, function: f, identitySource: "method.request.path.id"}
resources:
  /a:` + mockGet),
			want: []want{
				{CodeAuthorizer, diag.Error, "needs the Lambda function", 4},
				{CodeAuthorizer, diag.Error, "from one header", 5},
				{CodeAuthorizer, diag.Error, "needs providerARNs", 6},
				{CodeAuthorizer, diag.Error, "needs identitySource", 7},
				{CodeAuthorizer, diag.Error, `"path" is not a parameter location here`, 8},
			},
		},
		{
			name: "gateway responses",
			src: api(`gatewayResponses:
  DEFAULT_4XX: {params: {response.header.X: "'x'"}}
  DEFAULT_5XX: {templates: {application/json: "  "}}
  REQUEST_TOO_LARGE: {status: 413}
resources:
  /a:` + mockGet),
			want: []want{
				{schema.CodeSchema, diag.Error, `"response.header.X" is not allowed`, 4},
			},
		},
		{
			name: "gateway response with an empty template",
			src: api(`gatewayResponses:
  DEFAULT_5XX: {templates: {application/json: "  "}}
  REQUEST_TOO_LARGE: {status: 413}
resources:
  /a:` + mockGet),
			want: []want{
				{CodeGatewayResponse, diag.Error, "invalid null or empty value in responseTemplates", 4},
				{CodeGatewayResponse, diag.Warning, "does not apply customizations of REQUEST_TOO_LARGE", 5},
			},
		},
		{
			name: "stage settings",
			src: api(`stages:
  dev:
    methodSettings:
      /nope/GET: {metrics: true}
    accessLog: {format: "$context.status"}
resources:
  /a:` + mockGet),
			want: []want{
				{CodeStage, diag.Error, `method setting "/nope/GET" names no method`, 6},
				{CodeStage, diag.Error, "must include $context.requestId", 7},
			},
		},
		{
			name: "usage plans",
			src: api(`stages: {dev: {}}
apiKeys: {partner: {}}
usagePlans:
  basic:
    stages:
      prod: {}
      dev: {throttle: {/a/POST: {rateLimit: 1}}}
    keys: [partner, unknown]
    quota: {limit: 10, period: DAY, offset: 10}
  empty: {stages: {}}
resources:
  /a:` + mockGet),
			want: []want{
				{CodeUsagePlan, diag.Error, "invalid API stage {api: test, stage: prod}", 8},
				{CodeUsagePlan, diag.Error, `throttle "/a/POST" names no method`, 9},
				{CodeUndefined, diag.Error, `API key "unknown"`, 10},
				{CodeUsagePlan, diag.Error, "quota offset 10 must be below its limit 10", 11},
				{CodeUsagePlan, diag.Error, "covers no stage", 12},
			},
		},
		{
			name: "domain names",
			src: api(`stages: {dev: {}}
domainNames:
  api.example.com:
    mappings: {"": {stage: dev}}
  regional.example.com:
    regionalCertificateArn: arn
    mappings:
      v1/orders: {stage: prod}
resources:
  /a:` + mockGet),
			want: []want{
				{CodeDomainName, diag.Error, "needs a certificate", 5},
				{CodeDomainName, diag.Error, "needs a REGIONAL domain name with securityPolicy TLS_1_2", 10},
				{CodeUndefined, diag.Error, `names stage "prod"`, 10},
			},
		},
		{
			name: "documentation parts",
			src: api(`documentation:
  parts:
    - {location: {type: RESPONSE, method: GET}, properties: {description: x}}
    - {location: {type: MODEL}, properties: {description: y}}
resources:
  /a:` + mockGet),
			want: []want{
				{CodeDocumentation, diag.Error, "needs location.statusCode", 5},
				{CodeDocumentation, diag.Error, "needs location.name", 6},
			},
		},
		{
			name: "VPC endpoints on a non-private API",
			src: api(`endpoint: {type: REGIONAL, vpcEndpointIds: [vpce-1]}
resources:
  /a:` + mockGet),
			want: []want{{CodeEndpoint, diag.Error, "apply only to PRIVATE APIs", 3}},
		},
		{
			name: "schema: unknown field, wrong kind, enum, range, missing field",
			src: api(`resources:
  /a:
    GET:
      integratoin: {mock: {}}
      integration: {mock: {passthrough: when_no_match}}
    POST:
      apiKeyRequired: "yes"
      integration: {http: {timeout: 10}}`),
			want: []want{
				{schema.CodeSchema, diag.Error, `field "integratoin" is not allowed in GET; did you mean "integration"?`, 6},
				{schema.CodeSchema, diag.Error, `passthrough is "when_no_match", but must be one of "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"; did you mean "WHEN_NO_MATCH"?`, 7},
				{schema.CodeSchema, diag.Error, `apiKeyRequired must be true or false, not "yes"`, 9},
				{schema.CodeSchema, diag.Error, `http: missing field "uri"`, 10},
				{schema.CodeSchema, diag.Error, "timeout is 10, out of range: must be an integer from 50 to 300000", 10},
			},
		},
		{
			name: "two integration kinds",
			src: api(`resources:
  /a:
    GET:
      integration: {mock: {}, http: {uri: "https://example.com"}}`),
			want: []want{{schema.CodeStructure, diag.Error, "sets both mock and http", 6}},
		},
		{
			name: "a method without an integration",
			src: api(`resources:
  /a:
    GET: {}`),
			want: []want{{schema.CodeStructure, diag.Error, "GET has no integration", 5}},
		},
		{
			name: "two APIs",
			src:  "api:\n  a: {}\n  b: {}\n",
			want: []want{{schema.CodeStructure, diag.Error, "exactly one API", 3}},
		},
		{
			name: "no API",
			src:  "api: {}\n",
			want: []want{{schema.CodeStructure, diag.Error, "declares no API", 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := compileYAML(t, tt.src)
			for _, w := range tt.want {
				found := false
				for _, d := range got {
					if d.Code == w.code && d.Severity == w.severity && strings.Contains(d.Message, w.contains) &&
						(w.line == 0 || d.Range.Start.Line == w.line) {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("missing %s %s %q at line %d", w.severity, w.code, w.contains, w.line)
				}
			}
			if len(got) != len(tt.want) {
				for _, d := range got {
					t.Logf("got: %s", d)
				}
				t.Errorf("got %d diagnostics, want %d", len(got), len(tt.want))
			}
		})
	}
}
