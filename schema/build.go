package schema

import (
	"fmt"
	"strconv"
	"strings"

	"gwc.dev/gwc/diag"
)

// CodeStructure is the diagnostic code of a definition whose parts do not
// fit together in a way the schema alone cannot say (no API, two
// integration kinds on one method, …).
const CodeStructure = "STRUCTURE"

// integrationKinds maps the keys of #Integration to API Gateway's types.
var integrationKinds = []struct{ key, typ string }{
	{"mock", MOCK},
	{"http", HTTP},
	{"httpProxy", HTTPProxy},
	{"aws", AWS},
	{"awsProxy", AWSProxy},
}

// Build validates a definition tree (the gwc vocabulary, as #Definition
// describes it) against the schema, applies the schema's defaults, and
// builds the model. Problems go to ds; the model is nil when there is no
// API to build.
func Build(root *Node, ds *diag.Set) *Definition {
	s := MustSchema()
	Validate(root, s.Def("#Definition"), "definition", ds)
	def := &Definition{Lint: root.Get("lint")}
	apis := root.Get("api")
	switch {
	case apis == nil || len(apis.Entries) == 0:
		ds.Errorf(root.Range(), CodeStructure, "the definition declares no API: add api: <name>: {...}")
		return def
	case len(apis.Entries) > 1:
		names := make([]string, len(apis.Entries))
		for i, e := range apis.Entries {
			names[i] = e.Key
		}
		ds.Errorf(apis.Entries[1].KeyRange(), CodeStructure,
			"a definition holds exactly one API, but this one declares %d (%s); put each API in its own directory",
			len(names), strings.Join(names, ", "))
	}
	b := builder{ds: ds}
	def.API = b.api(apis.Entries[0])
	return def
}

type builder struct {
	ds *diag.Set
}

func str(n *Node, key string) string { return n.Get(key).String() }

func boolean(n *Node, key string) bool {
	v := n.Get(key)
	return v != nil && v.Kind == BoolKind && v.Bool
}

func optBool(n *Node, key string) *bool {
	v := n.Get(key)
	if v == nil || v.Kind != BoolKind {
		return nil
	}
	b := v.Bool
	return &b
}

func integer(n *Node, key string) int {
	i, _ := n.Get(key).Int()
	return int(i)
}

func optInt(n *Node, key string) *int {
	i, ok := n.Get(key).Int()
	if !ok {
		return nil
	}
	v := int(i)
	return &v
}

func optFloat(n *Node, key string) *float64 {
	f, ok := n.Get(key).Float()
	if !ok {
		return nil
	}
	return &f
}

func stringList(n *Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == StringKind {
		return []string{n.Str}
	}
	out := make([]string, 0, len(n.Items))
	for _, it := range n.Items {
		out = append(out, it.String())
	}
	return out
}

func stringMap(n *Node) map[string]string {
	if n == nil || len(n.Entries) == 0 {
		return nil
	}
	m := make(map[string]string, len(n.Entries))
	for _, e := range n.Entries {
		m[e.Key] = e.String()
	}
	return m
}

func (b *builder) api(n *Node) *API {
	a := &API{
		Src:                       n,
		Name:                      n.Key,
		Description:               str(n, "description"),
		Version:                   str(n, "version"),
		EndpointType:              str(n.Get("endpoint"), "type"),
		VPCEndpointIDs:            stringList(n.Path("endpoint", "vpcEndpointIds")),
		IPAddressType:             str(n.Get("endpoint"), "ipAddressType"),
		DisableExecuteAPIEndpoint: boolean(n, "disableExecuteApiEndpoint"),
		BinaryMediaTypes:          stringList(n.Get("binaryMediaTypes")),
		APIKeySource:              str(n, "apiKeySource"),
		MinimumCompressionSize:    optInt(n, "minimumCompressionSize"),
		Tags:                      stringMap(n.Get("tags")),
		DefaultValidator:          str(n, "requestValidator"),
	}
	if p := n.Get("policy"); p != nil {
		a.Policy = p.Interface()
	}
	if c := n.Get("cors"); c != nil {
		a.CORS = &CORS{
			Src:           c,
			Origins:       stringList(c.Get("origins")),
			Methods:       stringList(c.Get("methods")),
			Headers:       stringList(c.Get("headers")),
			ExposeHeaders: stringList(c.Get("exposeHeaders")),
			Credentials:   boolean(c, "credentials"),
			MaxAge:        optInt(c, "maxAge"),
		}
	}
	a.Models = b.models(n)
	for _, e := range entries(n.Get("requestValidators")) {
		a.RequestValidators = append(a.RequestValidators, &RequestValidator{
			Src: e, Name: e.Key, Body: boolean(e, "body"), Params: boolean(e, "params"),
		})
	}
	for _, e := range entries(n.Get("authorizers")) {
		uri := str(e, "uri")
		if fn := str(e, "function"); fn != "" && uri == "" {
			uri = LambdaInvocationURI(fn)
		}
		ttl := integer(e, "ttl")
		a.Authorizers = append(a.Authorizers, &Authorizer{
			Src:                          e,
			Name:                         e.Key,
			Type:                         str(e, "type"),
			URI:                          uri,
			Credentials:                  str(e, "credentials"),
			IdentitySources:              splitIdentitySources(e.Get("identitySource")),
			IdentityValidationExpression: str(e, "identityValidationExpression"),
			TTL:                          ttl,
			ProviderARNs:                 stringList(e.Get("providerARNs")),
		})
	}
	for _, e := range entries(n.Get("gatewayResponses")) {
		a.GatewayResponses = append(a.GatewayResponses, &GatewayResponse{
			Src:       e,
			Type:      e.Key,
			Status:    integer(e, "status"),
			Params:    mappings(e.Get("params"), "gatewayresponse."),
			Templates: templates(e.Get("templates")),
		})
	}
	for _, e := range entries(n.Get("resources")) {
		a.Resources = append(a.Resources, b.resource(e))
	}
	for _, e := range entries(n.Get("stages")) {
		a.Stages = append(a.Stages, b.stage(e))
	}
	for _, e := range entries(n.Get("usagePlans")) {
		a.UsagePlans = append(a.UsagePlans, b.usagePlan(e))
	}
	for _, e := range entries(n.Get("apiKeys")) {
		a.APIKeys = append(a.APIKeys, &APIKey{
			Src: e, Name: e.Key, Description: str(e, "description"), Enabled: boolean(e, "enabled"),
			CustomerID: str(e, "customerId"), Tags: stringMap(e.Get("tags")),
		})
	}
	for _, e := range entries(n.Get("domainNames")) {
		d := &DomainName{
			Src: e, Name: e.Key,
			CertificateArn:          str(e, "certificateArn"),
			RegionalCertificateArn:  str(e, "regionalCertificateArn"),
			EndpointType:            str(e.Get("endpoint"), "type"),
			SecurityPolicy:          str(e, "securityPolicy"),
			TruststoreURI:           str(e.Get("mutualTls"), "truststoreUri"),
			TruststoreVersion:       str(e.Get("mutualTls"), "truststoreVersion"),
			OwnershipCertificateArn: str(e, "ownershipCertificateArn"),
			Tags:                    stringMap(e.Get("tags")),
		}
		for _, m := range entries(e.Get("mappings")) {
			bp := m.Key
			if bp == "(none)" {
				bp = ""
			}
			d.Mappings = append(d.Mappings, &BasePathMapping{Src: m, BasePath: strings.Trim(bp, "/"), Stage: str(m, "stage")})
		}
		a.DomainNames = append(a.DomainNames, d)
	}
	if doc := n.Get("documentation"); doc != nil {
		d := &Documentation{Src: doc, Version: str(doc, "version")}
		for _, p := range items(doc.Get("parts")) {
			loc := p.Get("location")
			props, _ := p.Get("properties").Interface().(map[string]any)
			d.Parts = append(d.Parts, &DocumentationPart{
				Src: p, Type: str(loc, "type"), Path: str(loc, "path"), Method: str(loc, "method"),
				StatusCode: str(loc, "statusCode"), Name: str(loc, "name"), Properties: props,
			})
		}
		a.Documentation = d
	}
	return a
}

func entries(n *Node) []*Node {
	if n == nil || n.Kind != MapKind {
		return nil
	}
	return n.Entries
}

func items(n *Node) []*Node {
	if n == nil || n.Kind != ListKind {
		return nil
	}
	return n.Items
}

// splitIdentitySources reads identitySource, written either as AWS's
// comma-separated string or as a list.
func splitIdentitySources(n *Node) []string {
	var out []string
	for _, s := range stringList(n) {
		for _, part := range strings.Split(s, ",") {
			if p := strings.TrimSpace(part); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// LambdaInvocationURI turns a function name or ARN into the invocation URI
// API Gateway integrations and authorizers call. Account and region stay
// placeholders that CloudFormation fills in.
func LambdaInvocationURI(fn string) string {
	arn := fn
	if !strings.HasPrefix(fn, "arn:") && !strings.HasPrefix(fn, "${") {
		arn = "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:" + fn
	}
	return "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/" + arn + "/invocations"
}

// mappings reads a params block. Keys may be written short ("header.X")
// or in full ("integration.request.header.X"); the model always holds
// the full form, whose prefix is given.
func mappings(n *Node, prefix string) []*Mapping {
	var out []*Mapping
	for _, e := range entries(n) {
		target := e.Key
		if !strings.HasPrefix(target, prefix) {
			target = prefix + target
		}
		out = append(out, &Mapping{Src: e, Target: target, Source: e.String()})
	}
	return out
}

func templates(n *Node) []*Template {
	var out []*Template
	for _, e := range entries(n) {
		out = append(out, &Template{Src: e, ContentType: e.Key, Text: e.String(), Sub: e.CFNSub})
	}
	return out
}

func (b *builder) resource(n *Node) *Resource {
	r := &Resource{Src: n, Path: n.Key}
	for _, e := range entries(n) {
		r.Methods = append(r.Methods, b.method(e))
	}
	return r
}

func (b *builder) method(n *Node) *Method {
	m := &Method{
		Src:            n,
		Verb:           n.Key,
		OperationName:  str(n, "operationName"),
		Summary:        str(n, "summary"),
		Description:    str(n, "description"),
		Authorization:  str(n, "authorization"),
		Authorizer:     str(n, "authorizer"),
		Scopes:         stringList(n.Get("scopes")),
		APIKeyRequired: boolean(n, "apiKeyRequired"),
	}
	if req := n.Get("request"); req != nil {
		for _, e := range entries(req.Get("params")) {
			loc, name, _ := strings.Cut(e.Key, ".")
			m.RequestParams = append(m.RequestParams, &RequestParam{
				Src: e, Location: loc, Name: name, Required: boolean(e, "required"),
			})
		}
		for _, e := range entries(req.Get("models")) {
			m.RequestModels = append(m.RequestModels, &ContentModel{Src: e, ContentType: e.Key, Model: e.String()})
		}
		m.Validator = str(req, "validator")
	}
	m.Integration = b.integration(n.Get("integration"), m)
	for _, e := range entries(n.Get("responses")) {
		status, _ := strconv.Atoi(e.Key)
		mr := &MethodResponse{Src: e, Status: status}
		for _, h := range entries(e.Get("headers")) {
			mr.Headers = append(mr.Headers, &ResponseHeader{Src: h, Name: h.Key, Required: boolean(h, "required")})
		}
		if model := e.Get("model"); model != nil {
			mr.Models = append(mr.Models, &ContentModel{Src: model, ContentType: "application/json", Model: model.String()})
		}
		for _, mm := range entries(e.Get("models")) {
			if model := e.Get("model"); model != nil && mm.Key == "application/json" {
				b.ds.Errorf(mm.KeyRange(), CodeStructure, "application/json has a model twice: in model and in models")
				continue
			}
			mr.Models = append(mr.Models, &ContentModel{Src: mm, ContentType: mm.Key, Model: mm.String()})
		}
		m.Responses = append(m.Responses, mr)
	}
	return m
}

func (b *builder) integration(n *Node, m *Method) *Integration {
	if n == nil {
		return &Integration{Src: m.Src}
	}
	var kinds []*Node
	var types []string
	for _, k := range integrationKinds {
		if v := n.Get(k.key); v != nil {
			kinds = append(kinds, v)
			types = append(types, k.typ)
		}
	}
	switch len(kinds) {
	case 0:
		if n.Defaulted {
			b.ds.Errorf(m.Src.KeyRange(), CodeStructure,
				"%s has no integration, and API Gateway cannot deploy a method without one: add integration: {mock|http|httpProxy|aws|awsProxy: {...}} (in OpenAPI, x-amazon-apigateway-integration)", m.Verb)
		} else {
			b.ds.Errorf(n.KeyRange(), CodeStructure,
				"integration needs exactly one of mock, http, httpProxy, aws or awsProxy")
		}
		return &Integration{Src: n}
	case 1:
	default:
		b.ds.Errorf(kinds[1].KeyRange(), CodeStructure,
			"integration sets both %s and %s; a method has exactly one integration", kinds[0].Key, kinds[1].Key)
	}
	x := kinds[0]
	in := &Integration{
		Src:                x,
		Type:               types[0],
		URI:                str(x, "uri"),
		HTTPMethod:         str(x, "method"),
		Credentials:        str(x, "credentials"),
		ConnectionType:     str(x.Get("connection"), "type"),
		ConnectionID:       str(x.Get("connection"), "id"),
		TLSInsecure:        optBool(x.Get("tls"), "insecureSkipVerification"),
		TLSServerName:      str(x.Get("tls"), "serverNameToVerify"),
		RequestParams:      mappings(x.Get("params"), "integration.request."),
		RequestTemplates:   templates(x.Get("templates")),
		Passthrough:        str(x, "passthrough"),
		ContentHandling:    str(x, "contentHandling"),
		TimeoutMillis:      integer(x, "timeout"),
		CacheKeyParameters: stringList(x.Get("cacheKeyParameters")),
		CacheNamespace:     str(x, "cacheNamespace"),
	}
	if fn := str(x, "function"); fn != "" {
		if in.URI != "" {
			b.ds.Errorf(x.Get("function").KeyRange(), CodeStructure, "set either uri or function, not both")
		}
		in.URI = LambdaInvocationURI(fn)
	}
	if in.ConnectionType == "" && !in.IsProxy() && in.Type != MOCK && in.Type != AWS {
		in.ConnectionType = "INTERNET"
	}
	for _, e := range entries(x.Get("responses")) {
		pattern := e.Key
		if pattern == "default" {
			pattern = ""
		}
		in.Responses = append(in.Responses, &IntegrationResponse{
			Src:             e,
			Pattern:         pattern,
			Status:          integer(e, "status"),
			Params:          mappings(e.Get("params"), "method.response."),
			Templates:       templates(e.Get("templates")),
			ContentHandling: str(e, "contentHandling"),
		})
	}
	return in
}

func (b *builder) stage(n *Node) *Stage {
	s := &Stage{
		Src:                  n,
		Name:                 n.Key,
		Description:          str(n, "description"),
		Variables:            variables(n.Get("variables")),
		Tracing:              boolean(n, "tracing"),
		ClientCertificateID:  str(n, "clientCertificateId"),
		WebACLArn:            str(n, "webAclArn"),
		DocumentationVersion: str(n, "documentationVersion"),
		Tags:                 stringMap(n.Get("tags")),
	}
	if cc := n.Get("cacheCluster"); cc != nil {
		s.CacheClusterEnabled = boolean(cc, "enabled")
		s.CacheClusterSize = str(cc, "size")
	}
	for _, e := range entries(n.Get("methodSettings")) {
		path, verb := SplitMethodKey(e.Key)
		ms := &MethodSetting{Src: e, ResourcePath: path, Verb: verb}
		if t := e.Get("throttle"); t != nil {
			ms.ThrottleRate = optFloat(t, "rateLimit")
			ms.ThrottleBurst = optInt(t, "burstLimit")
		}
		if l := e.Get("logging"); l != nil {
			ms.LoggingLevel = str(l, "level")
			ms.DataTrace = optBool(l, "dataTrace")
		}
		ms.Metrics = optBool(e, "metrics")
		if c := e.Get("caching"); c != nil {
			ms.CachingEnabled = optBool(c, "enabled")
			ms.CacheTTL = optInt(c, "ttl")
			ms.CacheEncrypted = optBool(c, "encrypted")
			ms.CacheRequireAuth = optBool(c, "requireAuthorization")
			ms.CacheUnauthorizedStrategy = str(c, "unauthorizedStrategy")
		}
		s.MethodSettings = append(s.MethodSettings, ms)
	}
	if al := n.Get("accessLog"); al != nil {
		s.AccessLog = &AccessLog{Src: al, Destination: str(al, "destination"), Format: str(al, "format")}
	}
	if c := n.Get("canary"); c != nil {
		f, _ := c.Get("percentTraffic").Float()
		s.Canary = &Canary{
			Src: c, PercentTraffic: f, Deployment: str(c, "deployment"),
			Variables: variables(c.Get("variables")), UseStageCache: boolean(c, "useStageCache"),
		}
	}
	return s
}

func variables(n *Node) []*Variable {
	var out []*Variable
	for _, e := range entries(n) {
		out = append(out, &Variable{Src: e, Name: e.Key, Value: e.String()})
	}
	return out
}

// SplitMethodKey splits a method key such as "/pets/{id}/GET" into the
// resource path and the verb. "*/*" means every method of every resource;
// "/GET" and "//GET" both name the root resource.
func SplitMethodKey(key string) (path, verb string) {
	if key == "*/*" {
		return "*", "*"
	}
	i := strings.LastIndexByte(key, '/')
	if i < 0 {
		return key, ""
	}
	path, verb = key[:i], key[i+1:]
	if path == "" || path == "/" {
		path = "/"
	}
	return path, verb
}

func (b *builder) usagePlan(n *Node) *UsagePlan {
	p := &UsagePlan{
		Src: n, Name: n.Key, Description: str(n, "description"),
		Keys: stringList(n.Get("keys")), Tags: stringMap(n.Get("tags")),
	}
	for _, e := range entries(n.Get("stages")) {
		st := &UsagePlanStage{Src: e, Stage: e.Key}
		for _, t := range entries(e.Get("throttle")) {
			path, verb := SplitMethodKey(t.Key)
			st.Throttles = append(st.Throttles, &MethodThrottle{Src: t, ResourcePath: path, Verb: verb, Throttle: *throttle(t)})
		}
		p.Stages = append(p.Stages, st)
	}
	if t := n.Get("throttle"); t != nil {
		p.Throttle = throttle(t)
	}
	if q := n.Get("quota"); q != nil {
		p.Quota = &Quota{Src: q, Limit: integer(q, "limit"), Period: str(q, "period"), Offset: integer(q, "offset")}
	}
	return p
}

func throttle(n *Node) *Throttle {
	return &Throttle{Src: n, RateLimit: optFloat(n, "rateLimit"), BurstLimit: optInt(n, "burstLimit")}
}

func (b *builder) models(api *Node) []*Model {
	var out []*Model
	seen := map[string]*Node{}
	add := func(e *Node, schema map[string]any) {
		if first, dup := seen[e.Key]; dup {
			b.ds.Add(diag.Diagnostic{
				Code: CodeStructure, Severity: diag.Error, Range: e.KeyRange(),
				Message: fmt.Sprintf("model %q is defined twice", e.Key),
				Related: []diag.Related{{Message: "first defined here", Range: first.KeyRange()}},
			})
			return
		}
		seen[e.Key] = e
		out = append(out, &Model{Src: e, Name: e.Key, Schema: schema})
	}
	for _, e := range entries(api.Get("models")) {
		s, err := ModelSchema(e)
		if err != nil {
			b.ds.Errorf(err.Range, CodeStructure, "model %s: %s", e.Key, err.Msg)
			continue
		}
		add(e, s)
	}
	for _, e := range entries(api.Get("modelSchemas")) {
		s, _ := e.Interface().(map[string]any)
		add(e, s)
	}
	return out
}
