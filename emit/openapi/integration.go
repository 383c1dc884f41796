package openapi

import (
	"strconv"
	"strings"

	"gwc.dev/gwc/schema"
)

// integration writes x-amazon-apigateway-integration as AWS's exports
// write it: the type and passthrough behaviour in lower case, statuses as
// strings, integration responses keyed by selection pattern ("default"
// for the one without). It writes only what the normalized model holds,
// which compile has already limited to what the integration's type uses.
func integration(in *schema.Integration) map[string]any {
	x := map[string]any{"type": strings.ToLower(in.Type)}
	setString(x, "uri", in.URI)
	setString(x, "httpMethod", in.HTTPMethod)
	setString(x, "credentials", in.Credentials)
	if len(in.RequestParams) > 0 {
		x["requestParameters"] = mappings(in.RequestParams)
	}
	if len(in.RequestTemplates) > 0 {
		x["requestTemplates"] = templates(in.RequestTemplates)
	}
	if in.Passthrough != "" {
		x["passthroughBehavior"] = strings.ToLower(in.Passthrough)
	}
	setString(x, "contentHandling", in.ContentHandling)
	if in.TimeoutMillis > 0 && in.Type != schema.MOCK {
		// A mock calls no backend. AWS's exports write a timeout on
		// mocks too, but gwc's schema has none for them and the reader
		// drops it.
		x["timeoutInMillis"] = in.TimeoutMillis
	}
	if len(in.CacheKeyParameters) > 0 {
		x["cacheKeyParameters"] = in.CacheKeyParameters
	}
	setString(x, "cacheNamespace", in.CacheNamespace)
	setString(x, "connectionType", in.ConnectionType)
	setString(x, "connectionId", in.ConnectionID)
	if in.TLSInsecure != nil || in.TLSServerName != "" {
		tls := map[string]any{}
		if in.TLSInsecure != nil {
			tls["insecureSkipVerification"] = *in.TLSInsecure
		}
		setString(tls, "serverNameToVerify", in.TLSServerName)
		x["tlsConfig"] = tls
	}
	if len(in.Responses) > 0 {
		responses := map[string]any{}
		for _, ir := range in.Responses {
			key := ir.Pattern
			if key == "" {
				key = "default"
			}
			r := map[string]any{"statusCode": strconv.Itoa(ir.Status)}
			if len(ir.Params) > 0 {
				r["responseParameters"] = mappings(ir.Params)
			}
			if len(ir.Templates) > 0 {
				r["responseTemplates"] = templates(ir.Templates)
			}
			setString(r, "contentHandling", ir.ContentHandling)
			responses[key] = r
		}
		x["responses"] = responses
	}
	return x
}

func setString(m map[string]any, key, value string) {
	if value != "" {
		m[key] = value
	}
}

// mappings writes parameter mappings keyed by their full target
// (integration.request.header.X, method.response.header.X, ...).
func mappings(ms []*schema.Mapping) map[string]any {
	out := make(map[string]any, len(ms))
	for _, m := range ms {
		out[m.Target] = m.Source
	}
	return out
}

// templates writes mapping templates by content type. A template whose
// ${Name} placeholders CloudFormation substitutes is written as Fn::Sub,
// the form the reader recognizes it by, so that the emitted
// CloudFormation substitutes it again.
func templates(ts []*schema.Template) map[string]any {
	out := make(map[string]any, len(ts))
	for _, t := range ts {
		if t.Sub {
			out[t.ContentType] = map[string]any{"Fn::Sub": t.Text}
			continue
		}
		out[t.ContentType] = t.Text
	}
	return out
}
