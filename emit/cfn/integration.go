package cfn

import (
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// integration is a method's integration. Its URI, credentials and
// connection id may refer to account-dependent things (Fn::Sub); mapping
// expressions and templates are API Gateway's own language and stay as
// they are.
func (e *emitter) integration(methodID string, in *schema.Integration) *apigateway.Method_Integration {
	if in == nil || in.Type == "" {
		return nil
	}
	at := func(keys ...string) diag.Range { return schema.At(in.Src, keys...) }
	out := &apigateway.Method_Integration{
		Type:                 in.Type,
		Uri:                  e.subPtr(in.URI, use{methodID, "Integration.Uri", at("uri")}),
		Credentials:          e.subPtr(in.Credentials, use{methodID, "Integration.Credentials", at("credentials")}),
		ConnectionType:       text(in.ConnectionType),
		ConnectionId:         e.subPtr(in.ConnectionID, use{methodID, "Integration.ConnectionId", at("connection", "id")}),
		RequestParameters:    mappings(in.RequestParams),
		RequestTemplates:     e.templates(in.RequestTemplates, use{methodID, "Integration.RequestTemplates", at("templates")}),
		ContentHandling:      text(in.ContentHandling),
		CacheKeyParameters:   sortedUnique(in.CacheKeyParameters),
		CacheNamespace:       text(in.CacheNamespace),
		IntegrationResponses: e.integrationResponses(methodID, in.Responses),
	}
	if in.Type != schema.MOCK {
		out.IntegrationHttpMethod = text(in.HTTPMethod)
	}
	if !in.IsProxy() {
		out.PassthroughBehavior = text(in.Passthrough)
	}
	if in.TimeoutMillis > 0 {
		timeout := in.TimeoutMillis
		out.TimeoutInMillis = &timeout
	}
	if in.TLSInsecure != nil || in.TLSServerName != "" {
		e.warnf(at("tls"), "%s: CloudFormation's AWS::ApiGateway::Method has no property for an integration's TLS settings (tlsConfig exists only in OpenAPI imports); the template leaves them out", methodID)
	}
	return out
}

func (e *emitter) integrationResponses(methodID string, irs []*schema.IntegrationResponse) []apigateway.Method_IntegrationResponse {
	var out []apigateway.Method_IntegrationResponse
	for i, ir := range irs {
		u := use{methodID, "Integration.IntegrationResponses[" + strconv.Itoa(i) + "].ResponseTemplates", schema.At(ir.Src, "templates")}
		out = append(out, apigateway.Method_IntegrationResponse{
			StatusCode:         strconv.Itoa(ir.Status),
			SelectionPattern:   text(ir.Pattern),
			ResponseParameters: mappings(ir.Params),
			ResponseTemplates:  e.templates(ir.Templates, u),
			ContentHandling:    text(ir.ContentHandling),
		})
	}
	return out
}

// mappings turns parameter mappings into a target → source map, or nil.
func mappings(ms []*schema.Mapping) map[string]string {
	if len(ms) == 0 {
		return nil
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		out[m.Target] = m.Source
	}
	return out
}

// templates turns mapping templates into a media type → template map, or
// nil. A template is VTL, API Gateway's language, and stays as it is,
// unless the definition wrote it as Fn::Sub (an OpenAPI body meant for
// CloudFormation can): then it is Fn::Sub again, its names that are not
// resources of the template becoming Parameters.
func (e *emitter) templates(ts []*schema.Template, u use) map[string]string {
	if len(ts) == 0 {
		return nil
	}
	out := make(map[string]string, len(ts))
	for _, t := range ts {
		if t.Sub {
			out[t.ContentType] = e.subVerbatim(t.Text, u.named(u.prop+"."+t.ContentType))
			continue
		}
		out[t.ContentType] = t.Text
	}
	return out
}
