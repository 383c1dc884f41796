package openapi

import (
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"gwc.dev/gwc/schema"
)

// apiExtensions writes the API-level settings API Gateway's importer
// reads, in AWS's extensions.
//
// The API's default request validator is not written: compile has
// resolved it into each method's own, which the operations name.
func (e *exporter) apiExtensions(doc *openapi3.T) {
	a, x := e.api, doc.Extensions
	if a.APIKeySource != "" {
		x[awsExt+"api-key-source"] = a.APIKeySource
	}
	if len(a.BinaryMediaTypes) > 0 {
		x[awsExt+"binary-media-types"] = a.BinaryMediaTypes
	}
	if a.MinimumCompressionSize != nil {
		x[awsExt+"minimum-compression-size"] = *a.MinimumCompressionSize
	}
	if ep := endpointConfiguration(a); ep != nil {
		// Swagger 2.0 puts the extension at the top level, where gwc's
		// reader looks for it; for OpenAPI 3 AWS documents it on a
		// server object. The document carries it in both places.
		x[awsExt+"endpoint-configuration"] = ep
		doc.Servers = openapi3.Servers{{
			URL:         "/",
			Description: "The API's endpoint; API Gateway reads x-amazon-apigateway-endpoint-configuration here.",
			Extensions:  map[string]any{awsExt + "endpoint-configuration": ep},
		}}
	}
	if a.Policy != nil {
		x[awsExt+"policy"] = a.Policy
	}
	if len(a.RequestValidators) > 0 {
		vs := map[string]any{}
		for _, v := range a.RequestValidators {
			vs[v.Name] = map[string]any{"validateRequestBody": v.Body, "validateRequestParameters": v.Params}
		}
		x[awsExt+"request-validators"] = vs
	}
	if len(a.GatewayResponses) > 0 {
		grs := map[string]any{}
		for _, g := range a.GatewayResponses {
			gr := map[string]any{}
			if g.Status != 0 {
				gr["statusCode"] = strconv.Itoa(g.Status)
			}
			if len(g.Params) > 0 {
				gr["responseParameters"] = mappings(g.Params)
			}
			if len(g.Templates) > 0 {
				gr["responseTemplates"] = templates(g.Templates)
			}
			grs[g.Type] = gr
		}
		x[awsExt+"gateway-responses"] = grs
	}
	if d := a.Documentation; d != nil {
		x[awsExt+"documentation"] = documentation(d)
	}
}

// endpointConfiguration is what x-amazon-apigateway-endpoint-configuration
// holds: the VPC endpoints of a private API, its IP address type and
// whether the execute-api endpoint is off. The endpoint type is not part
// of it (API Gateway takes it as an import parameter); it goes into
// x-gateway-endpoint.
func endpointConfiguration(a *schema.API) map[string]any {
	ep := map[string]any{}
	if a.DisableExecuteAPIEndpoint {
		ep["disableExecuteApiEndpoint"] = true
	}
	if len(a.VPCEndpointIDs) > 0 {
		ep["vpcEndpointIds"] = a.VPCEndpointIDs
	}
	setString(ep, "ipAddressType", a.IPAddressType)
	if len(ep) == 0 {
		return nil
	}
	return ep
}

func documentation(d *schema.Documentation) map[string]any {
	out := map[string]any{}
	setString(out, "version", d.Version)
	if len(d.Parts) > 0 {
		parts := make([]any, 0, len(d.Parts))
		for _, p := range d.Parts {
			loc := map[string]any{"type": p.Type}
			setString(loc, "path", p.Path)
			setString(loc, "method", p.Method)
			setString(loc, "statusCode", p.StatusCode)
			setString(loc, "name", p.Name)
			props := p.Properties
			if props == nil {
				props = map[string]any{}
			}
			parts = append(parts, map[string]any{"location": loc, "properties": props})
		}
		out["documentationParts"] = parts
	}
	return out
}

// gwcExtensions writes what API Gateway's OpenAPI has no place for, in
// gwc's vocabulary (the fields of #API in schema/cue/api.cue, in kebab
// case), with every default spelled out.
func (e *exporter) gwcExtensions(x map[string]any) {
	a := e.api
	if a.EndpointType != "" && a.EndpointType != "EDGE" {
		// x-gateway-endpoint replaces what the reader took from
		// x-amazon-apigateway-endpoint-configuration, so it repeats it.
		ep := map[string]any{"type": a.EndpointType}
		if len(a.VPCEndpointIDs) > 0 {
			ep["vpcEndpointIds"] = a.VPCEndpointIDs
		}
		setString(ep, "ipAddressType", a.IPAddressType)
		x[gwcExt+"endpoint"] = ep
	}
	if len(a.Tags) > 0 {
		x[gwcExt+"tags"] = a.Tags
	}
	if !e.exactModels {
		x[gwcExt+"model-schemas"] = e.gwcModels()
	}
	if stages := e.stages(); len(stages) > 0 {
		x[gwcExt+"stages"] = stages
	}
	if len(a.UsagePlans) > 0 {
		plans := map[string]any{}
		for _, p := range a.UsagePlans {
			plans[p.Name] = usagePlan(p)
		}
		x[gwcExt+"usage-plans"] = plans
	}
	if len(a.APIKeys) > 0 {
		keys := map[string]any{}
		for _, k := range a.APIKeys {
			key := map[string]any{"enabled": k.Enabled}
			setString(key, "description", k.Description)
			setString(key, "customerId", k.CustomerID)
			if len(k.Tags) > 0 {
				key["tags"] = k.Tags
			}
			keys[k.Name] = key
		}
		x[gwcExt+"api-keys"] = keys
	}
	if len(a.DomainNames) > 0 {
		domains := map[string]any{}
		for _, d := range a.DomainNames {
			domains[d.Name] = domainName(d)
		}
		x[gwcExt+"domain-names"] = domains
	}
}

// stages writes the stages the definition declares. A definition without
// stages gets one from compile (its Src is the API's own node); it is
// left out, so that the document, like the definition, declares none.
func (e *exporter) stages() map[string]any {
	a := e.api
	if len(a.Stages) == 1 && a.Src != nil && a.Stages[0].Src == a.Src {
		return nil
	}
	out := map[string]any{}
	for _, s := range a.Stages {
		st := map[string]any{"tracing": s.Tracing}
		setString(st, "description", s.Description)
		if len(s.Variables) > 0 {
			st["variables"] = variables(s.Variables)
		}
		if len(s.MethodSettings) > 0 {
			settings := map[string]any{}
			for _, ms := range s.MethodSettings {
				settings[methodKey(ms.ResourcePath, ms.Verb)] = methodSetting(ms)
			}
			st["methodSettings"] = settings
		}
		if al := s.AccessLog; al != nil {
			log := map[string]any{"format": al.Format}
			setString(log, "destination", al.Destination)
			st["accessLog"] = log
		}
		if c := s.Canary; c != nil {
			canary := map[string]any{"percentTraffic": c.PercentTraffic, "useStageCache": c.UseStageCache}
			setString(canary, "deployment", c.Deployment)
			if len(c.Variables) > 0 {
				canary["variables"] = variables(c.Variables)
			}
			st["canary"] = canary
		}
		if s.CacheClusterEnabled || s.CacheClusterSize != "" {
			cc := map[string]any{"enabled": s.CacheClusterEnabled}
			setString(cc, "size", s.CacheClusterSize)
			st["cacheCluster"] = cc
		}
		setString(st, "clientCertificateId", s.ClientCertificateID)
		setString(st, "webAclArn", s.WebACLArn)
		setString(st, "documentationVersion", s.DocumentationVersion)
		if len(s.Tags) > 0 {
			st["tags"] = s.Tags
		}
		out[s.Name] = st
	}
	return out
}

func variables(vs []*schema.Variable) map[string]any {
	out := make(map[string]any, len(vs))
	for _, v := range vs {
		out[v.Name] = v.Value
	}
	return out
}

// methodKey is the key of a method in method settings and usage plan
// throttles: "*/*" for every method, otherwise "/path/VERB" ("//GET" for
// the root resource).
func methodKey(path, verb string) string {
	if path == "*" {
		return "*/" + verb
	}
	return path + "/" + verb
}

func methodSetting(ms *schema.MethodSetting) map[string]any {
	out := map[string]any{}
	if t := throttle(ms.ThrottleRate, ms.ThrottleBurst); t != nil {
		out["throttle"] = t
	}
	if ms.LoggingLevel != "" || ms.DataTrace != nil {
		log := map[string]any{}
		setString(log, "level", ms.LoggingLevel)
		if ms.DataTrace != nil {
			log["dataTrace"] = *ms.DataTrace
		}
		out["logging"] = log
	}
	if ms.Metrics != nil {
		out["metrics"] = *ms.Metrics
	}
	caching := map[string]any{}
	setBool(caching, "enabled", ms.CachingEnabled)
	if ms.CacheTTL != nil {
		caching["ttl"] = *ms.CacheTTL
	}
	setBool(caching, "encrypted", ms.CacheEncrypted)
	setBool(caching, "requireAuthorization", ms.CacheRequireAuth)
	setString(caching, "unauthorizedStrategy", ms.CacheUnauthorizedStrategy)
	if len(caching) > 0 {
		out["caching"] = caching
	}
	return out
}

func setBool(m map[string]any, key string, b *bool) {
	if b != nil {
		m[key] = *b
	}
}

func throttle(rate *float64, burst *int) map[string]any {
	if rate == nil && burst == nil {
		return nil
	}
	out := map[string]any{}
	if rate != nil {
		out["rateLimit"] = *rate
	}
	if burst != nil {
		out["burstLimit"] = *burst
	}
	return out
}

func usagePlan(p *schema.UsagePlan) map[string]any {
	out := map[string]any{}
	setString(out, "description", p.Description)
	stages := map[string]any{}
	for _, st := range p.Stages {
		s := map[string]any{}
		if len(st.Throttles) > 0 {
			ts := map[string]any{}
			for _, t := range st.Throttles {
				ts[methodKey(t.ResourcePath, t.Verb)] = throttleOrEmpty(&t.Throttle)
			}
			s["throttle"] = ts
		}
		stages[st.Stage] = s
	}
	out["stages"] = stages
	if p.Throttle != nil {
		out["throttle"] = throttleOrEmpty(p.Throttle)
	}
	if q := p.Quota; q != nil {
		out["quota"] = map[string]any{"limit": q.Limit, "period": q.Period, "offset": q.Offset}
	}
	if len(p.Keys) > 0 {
		out["keys"] = p.Keys
	}
	if len(p.Tags) > 0 {
		out["tags"] = p.Tags
	}
	return out
}

func throttleOrEmpty(t *schema.Throttle) map[string]any {
	if m := throttle(t.RateLimit, t.BurstLimit); m != nil {
		return m
	}
	return map[string]any{}
}

func domainName(d *schema.DomainName) map[string]any {
	out := map[string]any{}
	setString(out, "certificateArn", d.CertificateArn)
	setString(out, "regionalCertificateArn", d.RegionalCertificateArn)
	if d.EndpointType != "" {
		out["endpoint"] = map[string]any{"type": d.EndpointType}
	}
	setString(out, "securityPolicy", d.SecurityPolicy)
	if d.TruststoreURI != "" || d.TruststoreVersion != "" {
		mtls := map[string]any{"truststoreUri": d.TruststoreURI}
		setString(mtls, "truststoreVersion", d.TruststoreVersion)
		out["mutualTls"] = mtls
	}
	setString(out, "ownershipCertificateArn", d.OwnershipCertificateArn)
	mappings := map[string]any{}
	for _, m := range d.Mappings {
		key := m.BasePath
		if key == "" {
			key = "(none)"
		}
		mapping := map[string]any{}
		setString(mapping, "stage", m.Stage)
		mappings[key] = mapping
	}
	out["mappings"] = mappings
	if len(d.Tags) > 0 {
		out["tags"] = d.Tags
	}
	return out
}
