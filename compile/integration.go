package compile

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/internal/mapexpr"
	"gwc.dev/gwc/schema"
)

// MaxTemplateBytes is API Gateway's limit on one mapping template.
const MaxTemplateBytes = 300 * 1024

// MaxTimeoutMillis is the integration timeout ceiling without a quota
// increase (which only Regional and private APIs can get).
const MaxTimeoutMillis = 29000

var (
	// awsURIRE is the form of AWS integration URIs:
	// arn:aws:apigateway:{region}:{service}:{path|action}/{...}.
	awsURIRE     = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:apigateway:([^:]+):([^:]+):(path|action)/(.+)$`)
	lambdaPathRE = regexp.MustCompile(`^(2015-03-31/functions/.+/invocations|2021-11-15/functions/.+/response-streaming-invocations)$`)
	placeholder  = regexp.MustCompile(`\$\{[^}]*\}`)
	uriParamRE   = regexp.MustCompile(`\{([a-zA-Z0-9._$-]+)\}`)
)

// IsLambdaURI reports whether an AWS integration URI invokes a Lambda
// function.
func IsLambdaURI(uri string) bool {
	m := awsURIRE.FindStringSubmatch(withoutPlaceholders(uri))
	return m != nil && m[2] == "lambda" && m[3] == "path" && lambdaPathRE.MatchString(m[4])
}

// withoutPlaceholders replaces each ${...} placeholder with a plain token,
// so that the shape of a URI can be checked around values the deploy or the
// stage fills in.
func withoutPlaceholders(s string) string {
	return placeholder.ReplaceAllString(s, "x")
}

// wholePlaceholder reports whether s is nothing but one ${...} placeholder
// that the deploy fills in, so its form cannot be checked here.
func wholePlaceholder(s string) bool {
	return placeholder.FindString(s) == s && s != ""
}

func (c *compiler) integration(r *schema.Resource, m *schema.Method) {
	in := m.Integration
	if in == nil || in.Type == "" {
		return // the builder reported it
	}
	uriAt := schema.At(in.Src, "uri")
	switch in.Type {
	case schema.HTTP, schema.HTTPProxy:
		if in.HTTPMethod == "" {
			in.HTTPMethod = m.Verb
		}
		c.checkHTTPURI(in.URI, uriAt)
		switch in.ConnectionType {
		case "VPC_LINK":
			if in.ConnectionID == "" {
				c.errorf(schema.At(in.Src, "connection"), CodeIntegration, "a VPC_LINK connection needs the VPC link's id")
			}
		default:
			if in.ConnectionID != "" {
				c.errorf(schema.At(in.Src, "connection", "id"), CodeIntegration, "a connection id needs connection type VPC_LINK")
			}
		}
	case schema.AWS, schema.AWSProxy:
		if in.HTTPMethod == "" {
			in.HTTPMethod = "POST"
		}
		c.checkAWSURI(in, uriAt)
	case schema.MOCK:
		in.HTTPMethod = ""
	}
	if in.TimeoutMillis > MaxTimeoutMillis && c.api.EndpointType == "EDGE" {
		c.errorf(schema.At(in.Src, "timeout"), CodeIntegration,
			"timeout %d ms is above %d ms; only Regional and private APIs can raise the integration timeout (this API is EDGE)",
			in.TimeoutMillis, MaxTimeoutMillis)
	}
	c.requestMappings(m, in)
	for _, t := range in.RequestTemplates {
		c.template(t)
	}
	c.cacheKeys(m, in)
	if !in.IsProxy() {
		c.integrationResponses(m, in)
	}
	slices.SortFunc(in.RequestParams, func(a, b *schema.Mapping) int { return strings.Compare(a.Target, b.Target) })
	slices.SortFunc(in.RequestTemplates, func(a, b *schema.Template) int { return strings.Compare(a.ContentType, b.ContentType) })
}

// checkHTTPURI checks an HTTP endpoint as API Gateway does: an absolute
// http(s) URL on port 80, 443 or above 1024. Stage variables and {param}
// placeholders may stand for any part.
func (c *compiler) checkHTTPURI(uri string, at diag.Range) {
	if uri == "" {
		c.errorf(at, CodeInvalidURI, "an HTTP integration needs a uri")
		return
	}
	if wholePlaceholder(uri) {
		return
	}
	if i := strings.Index(uri, "${"); i >= 0 && i < max(strings.Index(uri, "://"), 0)+3 {
		// A placeholder stands for the scheme or host: the deploy or the
		// stage variable decides them.
		return
	}
	probe := withoutPlaceholders(uri)
	probe = uriParamRE.ReplaceAllString(probe, "x")
	u, err := url.Parse(probe)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.errorf(at, CodeInvalidURI, "invalid HTTP endpoint specified for URI %q: want an absolute http:// or https:// URL", uri)
		return
	}
	if p := u.Port(); p != "" && p != "x" {
		n, err := strconv.Atoi(p)
		if err != nil || !(n == 80 || n == 443 || n > 1024) {
			c.errorf(at, CodeInvalidURI, "invalid HTTP endpoint specified for URI %q: API Gateway allows ports 80, 443 and above 1024", uri)
		}
	}
}

func (c *compiler) checkAWSURI(in *schema.Integration, at diag.Range) {
	uri := in.URI
	if uri == "" {
		c.errorf(at, CodeInvalidURI, "an %s integration needs a uri (or function)", in.Type)
		return
	}
	if wholePlaceholder(uri) {
		return
	}
	m := awsURIRE.FindStringSubmatch(withoutPlaceholders(uri))
	if m == nil {
		if strings.HasPrefix(uri, "arn:") {
			c.errorf(at, CodeInvalidURI, "AWS ARN for integration must contain path or action: want arn:aws:apigateway:{region}:{service}:path|action/{...}, not %q", uri)
		} else {
			c.errorf(at, CodeInvalidURI, "invalid ARN specified in the request: %q is not arn:aws:apigateway:{region}:{service}:path|action/{...}", uri)
		}
		return
	}
	lambda := IsLambdaURI(uri)
	if in.Type == schema.AWSProxy && !lambda && m[2] != "firehose" {
		c.errorf(at, CodeInvalidURI, "integrations of type 'AWS_PROXY' currently only support Lambda function and Firehose stream invocations; %q calls %s", uri, m[2])
	}
	if lambda && in.HTTPMethod != "POST" {
		c.errorf(schema.At(in.Src, "method"), CodeIntegration,
			"Lambda functions are invoked with POST; integration method %s fails on every call", in.HTTPMethod)
	}
}

// requestMappings checks integration request parameters.
func (c *compiler) requestMappings(m *schema.Method, in *schema.Integration) {
	if in.Type == schema.AWSProxy && len(in.RequestParams) > 0 {
		c.warnf(schema.KeyAt(in.Src, "params"), CodeIntegration, "AWS_PROXY integrations ignore request parameter mappings")
	}
	for _, mp := range in.RequestParams {
		c.mapping(m, mp, mapexpr.IntegrationRequest)
	}
}

// mapping checks one mapping's target and source; for sources that read
// method request parameters, the parameter must be declared.
func (c *compiler) mapping(m *schema.Method, mp *schema.Mapping, ctx mapexpr.Context) {
	if _, err := mapexpr.ParseTarget(mp.Target, ctx); err != nil {
		c.errorf(mp.Src.KeyRange(), CodeInvalidMapping, "%v", err)
		return
	}
	e, err := mapexpr.ParseSource(mp.Source, ctx)
	if err != nil {
		c.errorf(mp.Src.Range(), CodeInvalidMapping, "%v", err)
		return
	}
	if e.Kind == mapexpr.MethodRequestParam && m != nil && !declaredParam(m, e.Location, e.Name) {
		c.errorf(mp.Src.Range(), CodeUndeclaredParameter,
			"invalid mapping expression parameter specified: %s is not declared on the method; declare it in request.params (%q)",
			mp.Source, strings.TrimPrefix(e.Location, "multivalue")+"."+e.Name)
	}
}

// template checks a mapping template's size (and, through the Velocity
// parser, its syntax).
func (c *compiler) template(t *schema.Template) {
	if len(t.Text) > MaxTemplateBytes {
		c.errorf(t.Src.Range(), CodeLimit, "mapping template for %s is %d bytes; API Gateway's limit is %d (300 KB)", t.ContentType, len(t.Text), MaxTemplateBytes)
		return
	}
	c.checkTemplateSyntax(t)
}

// cacheKeys checks that cache key parameters name declared or mapped
// parameters.
func (c *compiler) cacheKeys(m *schema.Method, in *schema.Integration) {
	for i, k := range in.CacheKeyParameters {
		at := schema.At(in.Src, "cacheKeyParameters")
		if n := in.Src.Get("cacheKeyParameters"); n != nil && i < len(n.Items) {
			at = n.Items[i].Range()
		}
		switch {
		case strings.HasPrefix(k, "method.request."):
			loc, name, _ := strings.Cut(strings.TrimPrefix(k, "method.request."), ".")
			if !declaredParam(m, loc, name) {
				c.errorf(at, CodeUndeclaredParameter, "cache key parameter %s is not declared on the method", k)
			}
		case strings.HasPrefix(k, "integration.request."):
			if !slices.ContainsFunc(in.RequestParams, func(mp *schema.Mapping) bool { return mp.Target == k }) {
				c.errorf(at, CodeUndeclaredParameter, "cache key parameter %s is not mapped in the integration's params", k)
			}
		default:
			c.errorf(at, CodeInvalidMapping, "cache key parameter %q must be a method.request.* or integration.request.* parameter", k)
		}
	}
}

// integrationResponses checks the responses of a non-proxy integration and
// puts them in evaluation order: patterns by status code and text, the
// default last.
func (c *compiler) integrationResponses(m *schema.Method, in *schema.Integration) {
	var def *schema.IntegrationResponse
	for _, ir := range in.Responses {
		at := ir.Src.KeyRange()
		if ir.Pattern == "" {
			if def != nil {
				c.ds.Add(diag.Diagnostic{
					Code: CodeIntegration, Severity: diag.Error, Range: at,
					Message: "an integration has at most one default response (one without a selection pattern)",
					Related: []diag.Related{{Message: "the other default", Range: def.Src.KeyRange()}},
				})
			}
			def = ir
		} else {
			c.checkJavaRegex(at, "selection pattern", ir.Pattern)
		}
		mr := responseFor(m, ir.Status)
		if mr == nil {
			c.errorf(schema.At(ir.Src, "status"), CodeUndeclaredStatus,
				"output mapping refers to an invalid method response: %d is not among the method's responses (%s); declare responses: %q: {}",
				ir.Status, statusList(m), statusText(ir.Status))
		}
		for _, mp := range ir.Params {
			c.mapping(m, mp, mapexpr.IntegrationResponse)
			if mr != nil {
				name := strings.TrimPrefix(mp.Target, "method.response.header.")
				if !slices.ContainsFunc(mr.Headers, func(h *schema.ResponseHeader) bool { return h.Name == name }) {
					c.errorf(mp.Src.KeyRange(), CodeUndeclaredHeader,
						"invalid mapping expression parameter specified: %s is not declared in method response %d; add headers: %q: {} to it",
						mp.Target, ir.Status, name)
				}
			}
		}
		for _, t := range ir.Templates {
			c.template(t)
		}
		slices.SortFunc(ir.Params, func(a, b *schema.Mapping) int { return strings.Compare(a.Target, b.Target) })
		slices.SortFunc(ir.Templates, func(a, b *schema.Template) int { return strings.Compare(a.ContentType, b.ContentType) })
	}
	slices.SortStableFunc(in.Responses, func(a, b *schema.IntegrationResponse) int {
		switch {
		case (a.Pattern == "") != (b.Pattern == ""):
			if a.Pattern == "" {
				return 1
			}
			return -1
		case a.Status != b.Status:
			return a.Status - b.Status
		}
		return strings.Compare(a.Pattern, b.Pattern)
	})
}

func statusList(m *schema.Method) string {
	if len(m.Responses) == 0 {
		return "it declares none"
	}
	parts := make([]string, len(m.Responses))
	for i, mr := range m.Responses {
		parts[i] = strconv.Itoa(mr.Status)
	}
	return "it declares " + strings.Join(parts, ", ")
}
