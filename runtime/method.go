package runtime

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/internal/javaregex"
	"gwc.dev/gwc/internal/mapexpr"
	"gwc.dev/gwc/vtl"
)

// Method is a resource's method with everything a request needs prepared.
type Method struct {
	Verb          string
	Resource      *Resource
	OperationName string
	// Unsupported, when set, says what this method uses that gwc cannot
	// serve yet; requests get a 500 that says so.
	Unsupported string

	authorization  string
	authorizer     *authorizer
	scopes         []string
	apiKeyRequired bool
	validateParams bool
	validateBody   bool
	required       []requiredParam
	bodyModels     map[string]string // content type (or $default) → model name
	integ          integration
	responses      map[int]*methodResponse
}

type requiredParam struct {
	location, name string
}

type methodResponse struct {
	status  int
	headers map[string]bool // declared header names, lower case
}

// integration is a method's integration, prepared.
type integration struct {
	typ             string
	uri             string
	httpMethod      string
	credentials     string
	connectionType  string
	tlsInsecure     bool
	serverName      string
	params          []requestMapping
	templates       []template
	passthrough     string
	contentHandling string
	timeout         time.Duration
	// function is the Lambda function ARN (with placeholders) of AWS and
	// AWS_PROXY integrations.
	function string
	// responses are the integration responses with a pattern, in the
	// order they are tried; def is the default response.
	responses []*integrationResponse
	def       *integrationResponse
}

// requestMapping sets an integration request parameter.
type requestMapping struct {
	target mapexpr.Target
	source mapexpr.Expr
	raw    string
}

// responseMapping sets a method response header.
type responseMapping struct {
	header string
	source mapexpr.Expr
}

type template struct {
	contentType string // lower case
	t           *vtl.Template
	text        string
	// usesContext says whether the template can reach $context. Without
	// #evaluate, every reference is written out in the source, so one
	// that never spells "context" cannot; such templates skip building
	// the request's $context tree.
	usesContext bool
}

type integrationResponse struct {
	pattern         *javaregex.Regexp
	status          int
	params          []responseMapping
	templates       []template
	contentHandling string
}

func (api *API) loadMethod(r *Resource, am *artifact.Method) (*Method, error) {
	m := &Method{
		Verb:           am.Verb,
		Resource:       r,
		OperationName:  am.OperationName,
		authorization:  am.Authorization,
		apiKeyRequired: am.APIKeyRequired,
		bodyModels:     am.RequestModels,
		responses:      map[int]*methodResponse{},
	}
	var unsupported []string
	m.scopes = am.Scopes
	switch am.Authorization {
	case "NONE", "", "AWS_IAM":
	case "CUSTOM", "COGNITO_USER_POOLS":
		m.authorizer = api.authorizers[am.Authorizer]
		if m.authorizer == nil {
			return nil, fmt.Errorf("authorizer %q does not exist", am.Authorizer)
		}
	default:
		unsupported = append(unsupported, fmt.Sprintf("%s authorization", am.Authorization))
	}
	if v := am.Validator; v != nil {
		m.validateParams, m.validateBody = v.Params, v.Body
	}
	for _, p := range am.RequestParams {
		if p.Required {
			m.required = append(m.required, requiredParam{p.Location, p.Name})
		}
	}
	// Missing parameters are listed sorted by their full expression,
	// header < path < querystring, as API Gateway lists them (§6.2).
	slices.SortFunc(m.required, func(a, b requiredParam) int {
		return strings.Compare(a.location+"."+a.name, b.location+"."+b.name)
	})
	for name := range m.bodyModels {
		if api.models.schema(m.bodyModels[name]) == nil {
			return nil, fmt.Errorf("request model %q does not exist", m.bodyModels[name])
		}
	}
	for _, mr := range am.Responses {
		resp := &methodResponse{status: mr.Status, headers: map[string]bool{}}
		for _, h := range mr.Headers {
			resp.headers[strings.ToLower(h.Name)] = true
		}
		m.responses[mr.Status] = resp
	}
	if err := m.loadIntegration(api.loader, am.Integration, &unsupported); err != nil {
		return nil, err
	}
	if len(unsupported) > 0 {
		m.Unsupported = strings.Join(unsupported, " and ") + " not supported by gwc serve yet"
		api.Warnings = append(api.Warnings, fmt.Sprintf("%s %s uses %s; it answers every request with a 500", m.Verb, r.Path, m.Unsupported))
	}
	return m, nil
}

func (m *Method) loadIntegration(ld *loader, ai *artifact.Integration, unsupported *[]string) error {
	if ai == nil {
		return fmt.Errorf("no integration")
	}
	in := &m.integ
	*in = integration{
		typ:             ai.Type,
		uri:             ai.URI,
		httpMethod:      ai.HTTPMethod,
		credentials:     ai.Credentials,
		connectionType:  ai.ConnectionType,
		tlsInsecure:     ai.TLSInsecure,
		serverName:      ai.TLSServerName,
		passthrough:     ai.Passthrough,
		contentHandling: ai.ContentHandling,
		timeout:         time.Duration(ai.TimeoutMillis) * time.Millisecond,
	}
	switch ai.Type {
	case "MOCK", "HTTP", "HTTP_PROXY":
	case "AWS", "AWS_PROXY":
		in.function = lambdaFunction(ai.URI)
		if in.function == "" {
			*unsupported = append(*unsupported, "AWS service integrations other than Lambda ("+ai.URI+")")
		}
	default:
		*unsupported = append(*unsupported, ai.Type+" integrations")
	}
	if ai.ConnectionType == "VPC_LINK" {
		*unsupported = append(*unsupported, "VPC link connections")
	}
	for _, mp := range ai.RequestParams {
		target, err := mapexpr.ParseTarget(mp.Target, mapexpr.IntegrationRequest)
		if err != nil {
			return err
		}
		source, err := mapexpr.ParseSource(mp.Source, mapexpr.IntegrationRequest)
		if err != nil {
			return err
		}
		in.params = append(in.params, requestMapping{target: target, source: source, raw: mp.Source})
	}
	var err error
	if in.templates, err = ld.templates(ai.RequestTemplates); err != nil {
		return err
	}
	for _, ar := range ai.Responses {
		ir := &integrationResponse{status: ar.Status, contentHandling: ar.ContentHandling}
		if ar.Pattern != "" {
			re, err := ld.regexp(ar.Pattern)
			if err != nil {
				*unsupported = append(*unsupported, fmt.Sprintf("selection pattern %q (%v)", ar.Pattern, err))
				continue
			}
			ir.pattern = re
		}
		for _, mp := range ar.Params {
			target, err := mapexpr.ParseTarget(mp.Target, mapexpr.IntegrationResponse)
			if err != nil {
				return err
			}
			source, err := mapexpr.ParseSource(mp.Source, mapexpr.IntegrationResponse)
			if err != nil {
				return err
			}
			ir.params = append(ir.params, responseMapping{header: target.Name, source: source})
		}
		if ir.templates, err = ld.templates(ar.Templates); err != nil {
			return err
		}
		if ir.pattern == nil {
			in.def = ir
		} else {
			in.responses = append(in.responses, ir)
		}
	}
	return nil
}

// loader holds what loading an artifact prepares once for every method
// that needs it: real APIs repeat the same selection patterns (4\d{2},
// 5\d{2}) and often the same templates on hundreds of methods, and
// compiling each once keeps loading fast (and the loaded API small).
// Compiled patterns and parsed templates are read-only, so methods share
// them.
type loader struct {
	patterns map[string]*javaregex.Regexp
	parsed   map[[2]string]*vtl.Template
}

func newLoader() *loader {
	return &loader{patterns: map[string]*javaregex.Regexp{}, parsed: map[[2]string]*vtl.Template{}}
}

func (ld *loader) regexp(pattern string) (*javaregex.Regexp, error) {
	if re, ok := ld.patterns[pattern]; ok {
		return re, nil
	}
	re, err := javaregex.Compile(pattern)
	if err != nil {
		return nil, err
	}
	ld.patterns[pattern] = re
	return re, nil
}

func (ld *loader) templates(ts []*artifact.Template) ([]template, error) {
	var out []template
	for _, at := range ts {
		text := at.Text
		if at.CFNSub {
			// CloudFormation would have written ${!Name} as ${Name}.
			text = strings.ReplaceAll(text, "${!", "${")
		}
		key := [2]string{at.ContentType, text}
		t := ld.parsed[key]
		if t == nil {
			var err error
			if t, err = vtl.Parse(at.ContentType, text); err != nil {
				return nil, fmt.Errorf("template for %s: %w", at.ContentType, err)
			}
			ld.parsed[key] = t
		}
		out = append(out, template{contentType: strings.ToLower(at.ContentType), t: t, text: text,
			usesContext: strings.Contains(text, "context") || strings.Contains(text, "evaluate")})
	}
	return out, nil
}
