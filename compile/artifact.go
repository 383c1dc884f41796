package compile

import (
	"slices"
	"strings"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/schema"
)

// GatewayResponseTypes lists the 21 gateway response types with their
// default status (0 for the two families, which have none).
var GatewayResponseTypes = []struct {
	Type   string
	Status int
}{
	{"ACCESS_DENIED", 403},
	{"API_CONFIGURATION_ERROR", 500},
	{"AUTHORIZER_CONFIGURATION_ERROR", 500},
	{"AUTHORIZER_FAILURE", 500},
	{"BAD_REQUEST_BODY", 400},
	{"BAD_REQUEST_PARAMETERS", 400},
	{"DEFAULT_4XX", 0},
	{"DEFAULT_5XX", 0},
	{"EXPIRED_TOKEN", 403},
	{"INTEGRATION_FAILURE", 504},
	{"INTEGRATION_TIMEOUT", 504},
	{"INVALID_API_KEY", 403},
	{"INVALID_SIGNATURE", 403},
	{"MISSING_AUTHENTICATION_TOKEN", 403},
	{"QUOTA_EXCEEDED", 429},
	{"REQUEST_TOO_LARGE", 413},
	{"RESOURCE_NOT_FOUND", 404},
	{"THROTTLED", 429},
	{"UNAUTHORIZED", 401},
	{"UNSUPPORTED_MEDIA_TYPE", 415},
	{"WAF_FILTERED", 403},
}

// DefaultGatewayTemplate is the template of every un-customized gateway
// response, as GetGatewayResponses reports it.
const DefaultGatewayTemplate = `{"message":$context.error.messageString}`

// sortAll puts everything whose order is not meaningful into a canonical
// order, so the artifact's bytes do not depend on how the input was
// written.
func (c *compiler) sortAll() {
	for _, r := range c.api.Resources {
		slices.SortFunc(r.Methods, func(a, b *schema.Method) int { return strings.Compare(a.Verb, b.Verb) })
	}
	slices.SortFunc(c.api.RequestValidators, func(a, b *schema.RequestValidator) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(c.api.GatewayResponses, func(a, b *schema.GatewayResponse) int { return strings.Compare(a.Type, b.Type) })
	slices.SortFunc(c.api.UsagePlans, func(a, b *schema.UsagePlan) int { return strings.Compare(a.Name, b.Name) })
	for _, p := range c.api.UsagePlans {
		slices.SortFunc(p.Stages, func(a, b *schema.UsagePlanStage) int { return strings.Compare(a.Stage, b.Stage) })
	}
	slices.SortFunc(c.api.APIKeys, func(a, b *schema.APIKey) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(c.api.DomainNames, func(a, b *schema.DomainName) int { return strings.Compare(a.Name, b.Name) })
	slices.Sort(c.api.BinaryMediaTypes)
}

// artifact builds the runtime's view of the normalized API.
func (c *compiler) artifact() *artifact.API {
	a := c.api
	out := &artifact.API{
		Name:                      a.Name,
		ID:                        c.id,
		EndpointType:              a.EndpointType,
		DisableExecuteAPIEndpoint: a.DisableExecuteAPIEndpoint,
		BinaryMediaTypes:          nonNil(a.BinaryMediaTypes),
		APIKeySource:              a.APIKeySource,
		MinimumCompressionSize:    a.MinimumCompressionSize,
		Policy:                    a.Policy,
		Resources:                 []*artifact.Resource{},
		Models:                    []*artifact.Model{},
		Authorizers:               []*artifact.Authorizer{},
		Stages:                    []*artifact.Stage{},
		UsagePlans:                []*artifact.UsagePlan{},
		APIKeys:                   []*artifact.APIKey{},
		DomainNames:               []*artifact.DomainName{},
	}
	for _, r := range a.Resources {
		ar := &artifact.Resource{ID: ResourceID(c.id, r.Path), Path: r.Path, Methods: []*artifact.Method{}}
		if r.Path != "/" {
			ar.ParentID = ResourceID(c.id, parent(r.Path))
			ar.PathPart = lastPart(r.Path)
		}
		for _, m := range r.Methods {
			ar.Methods = append(ar.Methods, c.artifactMethod(m))
		}
		out.Resources = append(out.Resources, ar)
	}
	for _, m := range a.Models {
		out.Models = append(out.Models, &artifact.Model{Name: m.Name, Schema: m.Schema})
	}
	for _, z := range a.Authorizers {
		out.Authorizers = append(out.Authorizers, &artifact.Authorizer{
			Name: z.Name, ID: authorizerID(c.id, z.Name), Type: z.Type, URI: z.URI, Credentials: z.Credentials,
			IdentitySources: nonNil(z.IdentitySources), IdentityValidationExpression: z.IdentityValidationExpression,
			TTLSeconds: z.TTL, ProviderARNs: nonNil(z.ProviderARNs),
		})
	}
	out.GatewayResponses = c.effectiveGatewayResponses()
	for _, s := range a.Stages {
		if c.implicitStage {
			break
		}
		out.Stages = append(out.Stages, artifactStage(s))
	}
	for _, p := range a.UsagePlans {
		ap := &artifact.UsagePlan{Name: p.Name, ID: usagePlanID(c.id, p.Name), Stages: []*artifact.UsagePlanStage{}, Keys: nonNil(p.Keys)}
		slices.Sort(ap.Keys)
		for _, st := range p.Stages {
			as := &artifact.UsagePlanStage{Stage: st.Stage, Throttles: []*artifact.MethodThrottle{}}
			for _, t := range st.Throttles {
				as.Throttles = append(as.Throttles, &artifact.MethodThrottle{
					ResourcePath: t.ResourcePath, Verb: t.Verb, Throttle: artifactThrottle(&t.Throttle),
				})
			}
			slices.SortFunc(as.Throttles, func(x, y *artifact.MethodThrottle) int {
				return strings.Compare(x.ResourcePath+" "+x.Verb, y.ResourcePath+" "+y.Verb)
			})
			ap.Stages = append(ap.Stages, as)
		}
		slices.SortFunc(ap.Stages, func(x, y *artifact.UsagePlanStage) int { return strings.Compare(x.Stage, y.Stage) })
		if p.Throttle != nil {
			ap.Throttle = artifactThrottle(p.Throttle)
		}
		if p.Quota != nil {
			ap.Quota = &artifact.Quota{Limit: p.Quota.Limit, Period: p.Quota.Period, Offset: p.Quota.Offset}
		}
		out.UsagePlans = append(out.UsagePlans, ap)
	}
	for _, k := range a.APIKeys {
		out.APIKeys = append(out.APIKeys, &artifact.APIKey{Name: k.Name, ID: APIKeyID(c.id, k.Name), Enabled: k.Enabled, CustomerID: k.CustomerID})
	}
	for _, d := range a.DomainNames {
		ad := &artifact.DomainName{Name: d.Name, Mappings: []*artifact.BasePathMapping{}}
		for _, m := range d.Mappings {
			ad.Mappings = append(ad.Mappings, &artifact.BasePathMapping{BasePath: m.BasePath, Stage: m.Stage})
		}
		out.DomainNames = append(out.DomainNames, ad)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (c *compiler) artifactMethod(m *schema.Method) *artifact.Method {
	am := &artifact.Method{
		Verb:           m.Verb,
		OperationName:  m.OperationName,
		Authorization:  m.Authorization,
		Authorizer:     m.Authorizer,
		Scopes:         nonNil(m.Scopes),
		APIKeyRequired: m.APIKeyRequired,
		RequestParams:  []*artifact.RequestParam{},
		RequestModels:  map[string]string{},
		Responses:      []*artifact.MethodResponse{},
	}
	for _, p := range m.RequestParams {
		am.RequestParams = append(am.RequestParams, &artifact.RequestParam{Location: p.Location, Name: p.Name, Required: p.Required})
	}
	for _, cm := range m.RequestModels {
		am.RequestModels[cm.ContentType] = cm.Model
	}
	if v := c.validators[m.Validator]; v != nil {
		am.Validator = &artifact.Validator{Name: v.Name, Body: v.Body, Params: v.Params}
	}
	if in := m.Integration; in != nil {
		ai := &artifact.Integration{
			Type: in.Type, URI: in.URI, HTTPMethod: in.HTTPMethod, Credentials: in.Credentials,
			ConnectionType: in.ConnectionType, ConnectionID: in.ConnectionID,
			TLSServerName:      in.TLSServerName,
			RequestParams:      mappingsOf(in.RequestParams),
			RequestTemplates:   templatesOf(in.RequestTemplates),
			Passthrough:        in.Passthrough,
			ContentHandling:    in.ContentHandling,
			TimeoutMillis:      in.TimeoutMillis,
			CacheKeyParameters: nonNil(in.CacheKeyParameters),
			CacheNamespace:     in.CacheNamespace,
			Responses:          []*artifact.IntegrationResponse{},
		}
		if in.TLSInsecure != nil {
			ai.TLSInsecure = *in.TLSInsecure
		}
		if in.IsProxy() {
			ai.Passthrough = ""
		}
		for _, ir := range in.Responses {
			ai.Responses = append(ai.Responses, &artifact.IntegrationResponse{
				Pattern: ir.Pattern, Status: ir.Status, Params: mappingsOf(ir.Params),
				Templates: templatesOf(ir.Templates), ContentHandling: ir.ContentHandling,
			})
		}
		am.Integration = ai
	}
	for _, mr := range m.Responses {
		amr := &artifact.MethodResponse{Status: mr.Status, Headers: []*artifact.ResponseHeader{}, Models: map[string]string{}}
		for _, h := range mr.Headers {
			amr.Headers = append(amr.Headers, &artifact.ResponseHeader{Name: h.Name, Required: h.Required})
		}
		for _, cm := range mr.Models {
			amr.Models[cm.ContentType] = cm.Model
		}
		am.Responses = append(am.Responses, amr)
	}
	return am
}

func mappingsOf(ms []*schema.Mapping) []*artifact.Mapping {
	out := make([]*artifact.Mapping, 0, len(ms))
	for _, m := range ms {
		out = append(out, &artifact.Mapping{Target: m.Target, Source: m.Source})
	}
	return out
}

func templatesOf(ts []*schema.Template) []*artifact.Template {
	out := make([]*artifact.Template, 0, len(ts))
	for _, t := range ts {
		out = append(out, &artifact.Template{ContentType: t.ContentType, Text: t.Text, CFNSub: t.Sub})
	}
	return out
}

func artifactThrottle(t *schema.Throttle) *artifact.Throttle {
	return &artifact.Throttle{RateLimit: t.RateLimit, BurstLimit: t.BurstLimit}
}

func artifactStage(s *schema.Stage) *artifact.Stage {
	as := &artifact.Stage{
		Name: s.Name, Description: s.Description, Variables: map[string]string{},
		MethodSettings: []*artifact.MethodSetting{}, Tracing: s.Tracing,
		CacheClusterEnabled: s.CacheClusterEnabled, CacheClusterSize: s.CacheClusterSize,
		ClientCertificateID: s.ClientCertificateID,
	}
	for _, v := range s.Variables {
		as.Variables[v.Name] = v.Value
	}
	for _, ms := range s.MethodSettings {
		as.MethodSettings = append(as.MethodSettings, &artifact.MethodSetting{
			ResourcePath: ms.ResourcePath, Verb: ms.Verb,
			ThrottleRate: ms.ThrottleRate, ThrottleBurst: ms.ThrottleBurst,
			LoggingLevel: ms.LoggingLevel, DataTrace: ms.DataTrace, Metrics: ms.Metrics,
			CachingEnabled: ms.CachingEnabled, CacheTTL: ms.CacheTTL, CacheEncrypted: ms.CacheEncrypted,
			CacheRequireAuth: ms.CacheRequireAuth, CacheUnauthorizedStrategy: ms.CacheUnauthorizedStrategy,
		})
	}
	if s.AccessLog != nil {
		as.AccessLog = &artifact.AccessLog{Format: s.AccessLog.Format, Destination: s.AccessLog.Destination}
	}
	if s.Canary != nil {
		cv := map[string]string{}
		for _, v := range s.Canary.Variables {
			cv[v.Name] = v.Value
		}
		as.Canary = &artifact.Canary{PercentTraffic: s.Canary.PercentTraffic, Variables: cv, UseStageCache: s.Canary.UseStageCache}
	}
	return as
}

// effectiveGatewayResponses resolves all 21 gateway response types as
// API Gateway does: a customized type uses its own configuration (its
// status, or the type's default status); otherwise a customized family
// (DEFAULT_4XX or DEFAULT_5XX) lends its configuration; otherwise the
// default template with the error's own status.
func (c *compiler) effectiveGatewayResponses() []*artifact.GatewayResponse {
	custom := map[string]*schema.GatewayResponse{}
	for _, g := range c.api.GatewayResponses {
		custom[g.Type] = g
	}
	defaultTemplates := []*artifact.Template{{ContentType: "application/json", Text: DefaultGatewayTemplate}}
	var out []*artifact.GatewayResponse
	for _, t := range GatewayResponseTypes {
		gr := &artifact.GatewayResponse{Type: t.Type, Params: []*artifact.Mapping{}, Templates: defaultTemplates, From: "default"}
		family := "DEFAULT_4XX"
		if t.Status >= 500 {
			family = "DEFAULT_5XX"
		}
		switch g, fam := custom[t.Type], custom[family]; {
		case t.Type == "REQUEST_TOO_LARGE":
			// API Gateway's 413 is plain text and cannot be customized.
		case g != nil:
			gr.From = "custom"
			gr.Status = g.Status
			if gr.Status == 0 {
				gr.Status = t.Status
			}
			gr.Params = mappingsOf(g.Params)
			if len(g.Templates) > 0 {
				gr.Templates = templatesOf(g.Templates)
			}
		case fam != nil && t.Status != 0:
			gr.From = family
			gr.Status = fam.Status
			gr.Params = mappingsOf(fam.Params)
			if len(fam.Templates) > 0 {
				gr.Templates = templatesOf(fam.Templates)
			}
		}
		out = append(out, gr)
	}
	return out
}
