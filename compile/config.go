package compile

import (
	"regexp"
	"slices"
	"strings"

	"gwc.dev/gwc/internal/mapexpr"
	"gwc.dev/gwc/schema"
)

// checkAPI checks API-level settings.
func (c *compiler) checkAPI() {
	a := c.api
	if len(a.VPCEndpointIDs) > 0 && a.EndpointType != "PRIVATE" {
		c.errorf(schema.At(a.Src, "endpoint", "vpcEndpointIds"), CodeEndpoint, "vpcEndpointIds apply only to PRIVATE APIs; this API is %s", a.EndpointType)
	}
	if a.EndpointType == "PRIVATE" && a.IPAddressType == "ipv4" {
		c.errorf(schema.At(a.Src, "endpoint", "ipAddressType"), CodeEndpoint, "only dualstack ipAddressType is supported for private APIs")
	}
	if a.DefaultValidator != "" && c.validators[a.DefaultValidator] == nil && a.DefaultValidator != NoValidator {
		// Reported per method that uses it; report once here too, at the
		// definition, in case no method does.
		names := make([]string, 0, len(c.validators))
		for n := range c.validators {
			names = append(names, n)
		}
		c.errorf(schema.At(a.Src, "requestValidator"), CodeUndefined, "invalid request validator identifier specified: no validator named %q%s", a.DefaultValidator, suggest(a.DefaultValidator, names))
		a.DefaultValidator = ""
	}
	if a.DefaultValidator == NoValidator {
		a.DefaultValidator = ""
	}
}

var headerIdentityRE = regexp.MustCompile(`^method\.request\.header\.[a-zA-Z0-9._$-]+$`)

// checkAuthorizers checks what CreateAuthorizer checks.
func (c *compiler) checkAuthorizers() {
	for _, a := range c.api.Authorizers {
		at := a.Src.KeyRange()
		switch a.Type {
		case "TOKEN", "REQUEST":
			if a.URI == "" {
				c.errorf(at, CodeAuthorizer, "a %s authorizer needs the Lambda function: set function or uri", a.Type)
			} else if !wholePlaceholder(a.URI) && !IsLambdaURI(a.URI) {
				c.errorf(schema.At(a.Src, "uri"), CodeAuthorizer,
					"authorizer uri %q is not a Lambda invocation URI (arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function-arn}/invocations)", a.URI)
			}
			if len(a.ProviderARNs) > 0 {
				c.errorf(schema.At(a.Src, "providerARNs"), CodeAuthorizer, "providerARNs apply only to COGNITO_USER_POOLS authorizers")
			}
		case "COGNITO_USER_POOLS":
			if len(a.ProviderARNs) == 0 {
				c.errorf(at, CodeAuthorizer, "a COGNITO_USER_POOLS authorizer needs providerARNs (the user pool ARNs)")
			}
			if a.URI != "" {
				c.errorf(schema.At(a.Src, "uri"), CodeAuthorizer, "a COGNITO_USER_POOLS authorizer calls no function; remove uri/function")
			}
		}
		switch a.Type {
		case "TOKEN", "COGNITO_USER_POOLS":
			if len(a.IdentitySources) == 0 {
				a.IdentitySources = []string{"method.request.header.Authorization"}
			}
			if len(a.IdentitySources) != 1 || !headerIdentityRE.MatchString(a.IdentitySources[0]) {
				c.errorf(schema.At(a.Src, "identitySource"), CodeAuthorizer,
					"a %s authorizer takes its token from one header: identitySource must be method.request.header.<name>, not %q",
					a.Type, strings.Join(a.IdentitySources, ","))
			}
		case "REQUEST":
			if len(a.IdentitySources) == 0 && a.TTL > 0 {
				c.errorf(at, CodeAuthorizer, "a REQUEST authorizer with caching (ttl %d) needs identitySource: its values are the cache key", a.TTL)
			}
			for _, s := range a.IdentitySources {
				if _, err := mapexpr.ParseSource(s, mapexpr.IdentitySource); err != nil {
					c.errorf(schema.At(a.Src, "identitySource"), CodeAuthorizer, "%v", err)
				}
			}
		}
		if a.IdentityValidationExpression != "" {
			if a.Type == "REQUEST" {
				c.warnf(schema.At(a.Src, "identityValidationExpression"), CodeAuthorizer, "REQUEST authorizers ignore identityValidationExpression")
			}
			c.checkJavaRegex(schema.At(a.Src, "identityValidationExpression"), "identityValidationExpression", a.IdentityValidationExpression)
		}
	}
	slices.SortFunc(c.api.Authorizers, func(a, b *schema.Authorizer) int { return strings.Compare(a.Name, b.Name) })
}

// checkGatewayResponses checks customized gateway responses.
func (c *compiler) checkGatewayResponses() {
	for _, g := range c.api.GatewayResponses {
		if g.Type == "REQUEST_TOO_LARGE" {
			c.warnf(g.Src.KeyRange(), CodeGatewayResponse, "API Gateway does not apply customizations of REQUEST_TOO_LARGE; the 413 stays plain text")
		}
		for _, mp := range g.Params {
			if _, err := mapexpr.ParseTarget(mp.Target, mapexpr.GatewayResponse); err != nil {
				c.errorf(mp.Src.KeyRange(), CodeInvalidMapping, "%v", err)
				continue
			}
			if _, err := mapexpr.ParseSource(mp.Source, mapexpr.GatewayResponse); err != nil {
				c.errorf(mp.Src.Range(), CodeInvalidMapping, "%v", err)
			}
		}
		for _, t := range g.Templates {
			if strings.TrimSpace(t.Text) == "" {
				c.errorf(t.Src.Range(), CodeGatewayResponse, "invalid null or empty value in responseTemplates: remove the %s template or give it a body", t.ContentType)
			}
		}
	}
}

// methodExists reports whether a method key (path, verb) from method
// settings or usage plans names a method of the API. "*" matches any.
func (c *compiler) methodExists(path, verb string) bool {
	if path == "*" {
		return true
	}
	r := c.resources[path]
	if r == nil {
		return false
	}
	if verb == "*" {
		return len(r.Methods) > 0
	}
	return slices.ContainsFunc(r.Methods, func(m *schema.Method) bool { return m.Verb == verb })
}

func (c *compiler) checkStages() {
	if c.implicitStage {
		c.api.Stages = []*schema.Stage{{Src: c.api.Src, Name: c.opts.DefaultStage}}
		return
	}
	for _, s := range c.api.Stages {
		for _, ms := range s.MethodSettings {
			if !c.methodExists(ms.ResourcePath, ms.Verb) {
				c.errorf(ms.Src.KeyRange(), CodeStage, "method setting %q names no method of this API%s", ms.Src.Key, c.suggestMethod(ms.ResourcePath, ms.Verb))
			}
		}
		if s.AccessLog != nil {
			if preset, ok := AccessLogPresets[strings.ToLower(s.AccessLog.Format)]; ok {
				s.AccessLog.Format = preset
			} else if !strings.Contains(s.AccessLog.Format, "$context.requestId") && !strings.Contains(s.AccessLog.Format, "$context.extendedRequestId") {
				c.errorf(schema.At(s.AccessLog.Src, "format"), CodeStage,
					"an access log format must include $context.requestId or $context.extendedRequestId (or use a preset: clf, json, xml, csv)")
			}
		}
		slices.SortFunc(s.Variables, func(a, b *schema.Variable) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(s.MethodSettings, func(a, b *schema.MethodSetting) int {
			return strings.Compare(a.ResourcePath+" "+a.Verb, b.ResourcePath+" "+b.Verb)
		})
	}
	slices.SortFunc(c.api.Stages, func(a, b *schema.Stage) int { return strings.Compare(a.Name, b.Name) })
}

func (c *compiler) suggestMethod(path, verb string) string {
	var keys []string
	for _, r := range c.api.Resources {
		for _, m := range r.Methods {
			keys = append(keys, r.Path+"/"+m.Verb)
		}
	}
	return suggest(path+"/"+verb, keys)
}

// AccessLogPresets are the formats the API Gateway console offers, by the
// names a definition may use instead of writing them out.
var AccessLogPresets = map[string]string{
	"clf":  `$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId`,
	"json": `{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user","requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath", "status":"$context.status","protocol":"$context.protocol", "responseLength":"$context.responseLength" }`,
	"xml":  `<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <caller>$context.identity.caller</caller> <user>$context.identity.user</user> <requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod> <resourcePath>$context.resourcePath</resourcePath> <status>$context.status</status> <protocol>$context.protocol</protocol> <responseLength>$context.responseLength</responseLength> </request>`,
	"csv":  `$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId`,
}

func (c *compiler) checkUsagePlans() {
	for _, p := range c.api.UsagePlans {
		for _, st := range p.Stages {
			// A definition without stages gets the default one, which
			// usage plans may name, as base path mappings may.
			if c.stages[st.Stage] == nil && !(c.implicitStage && st.Stage == c.opts.DefaultStage) {
				c.errorf(st.Src.KeyRange(), CodeUsagePlan, "invalid API stage {api: %s, stage: %s} specified for usage plan %s: the API has no such stage%s",
					c.api.Name, st.Stage, p.Name, suggest(st.Stage, stageNames(c.api.Stages)))
			}
			for _, t := range st.Throttles {
				if !c.methodExists(t.ResourcePath, t.Verb) {
					c.errorf(t.Src.KeyRange(), CodeUsagePlan, "throttle %q names no method of this API%s", t.Src.Key, c.suggestMethod(t.ResourcePath, t.Verb))
				}
			}
		}
		if len(p.Stages) == 0 {
			c.errorf(p.Src.KeyRange(), CodeUsagePlan, "usage plan %s covers no stage; list the stages it meters under stages", p.Name)
		}
		keysNode := p.Src.Get("keys")
		for i, k := range p.Keys {
			if c.keys[k] == nil {
				at := p.Src.KeyRange()
				if keysNode != nil && i < len(keysNode.Items) {
					at = keysNode.Items[i].Range()
				}
				names := make([]string, 0, len(c.keys))
				for n := range c.keys {
					names = append(names, n)
				}
				c.errorf(at, CodeUndefined, "usage plan %s names API key %q, which is not declared under apiKeys%s", p.Name, k, suggest(k, names))
			}
		}
		if q := p.Quota; q != nil && q.Offset >= q.Limit {
			c.errorf(schema.At(q.Src, "offset"), CodeUsagePlan, "quota offset %d must be below its limit %d", q.Offset, q.Limit)
		}
	}
}

func stageNames(stages []*schema.Stage) []string {
	out := make([]string, len(stages))
	for i, s := range stages {
		out[i] = s.Name
	}
	return out
}

var basePathRE = regexp.MustCompile(`^[a-zA-Z0-9$\-_.+!*'()/]*$`)

func (c *compiler) checkDomainNames() {
	for _, d := range c.api.DomainNames {
		if d.CertificateArn == "" && d.RegionalCertificateArn == "" {
			c.errorf(d.Src.KeyRange(), CodeDomainName, "domain name %s needs a certificate: certificateArn (EDGE) or regionalCertificateArn (REGIONAL)", d.Name)
		}
		if d.EndpointType == "EDGE" && d.CertificateArn == "" && d.RegionalCertificateArn != "" {
			c.errorf(schema.At(d.Src, "regionalCertificateArn"), CodeDomainName, "an EDGE domain name uses certificateArn (an ACM certificate in us-east-1)")
		}
		if d.EndpointType == "REGIONAL" && d.RegionalCertificateArn == "" && d.CertificateArn != "" {
			c.errorf(schema.At(d.Src, "certificateArn"), CodeDomainName, "a REGIONAL domain name uses regionalCertificateArn")
		}
		for _, m := range d.Mappings {
			if !basePathRE.MatchString(m.BasePath) || len(m.BasePath) > 300 {
				c.errorf(m.Src.KeyRange(), CodeDomainName, "base path %q may contain only letters, digits and $-_.+!*'()/, up to 300 characters", m.BasePath)
			}
			if strings.Contains(m.BasePath, "/") && (d.EndpointType != "REGIONAL" || d.SecurityPolicy != "TLS_1_2") {
				c.errorf(m.Src.KeyRange(), CodeDomainName, "multi-level base path %q needs a REGIONAL domain name with securityPolicy TLS_1_2", m.BasePath)
			}
			if m.Stage != "" && c.stages[m.Stage] == nil && !(c.implicitStage && m.Stage == c.opts.DefaultStage) {
				c.errorf(schema.At(m.Src, "stage"), CodeUndefined, "base path mapping names stage %q, which the API does not declare%s", m.Stage, suggest(m.Stage, stageNames(c.api.Stages)))
			}
		}
		slices.SortFunc(d.Mappings, func(a, b *schema.BasePathMapping) int { return strings.Compare(a.BasePath, b.BasePath) })
	}
}

// documentationNeeds lists, per location type, the location fields a
// documentation part must set.
var documentationNeeds = map[string][]string{
	"API":             nil,
	"AUTHORIZER":      {"name"},
	"MODEL":           {"name"},
	"RESOURCE":        {"path"},
	"METHOD":          {"path", "method"},
	"PATH_PARAMETER":  {"path", "method", "name"},
	"QUERY_PARAMETER": {"path", "method", "name"},
	"REQUEST_HEADER":  {"path", "method", "name"},
	"REQUEST_BODY":    {"path", "method"},
	"RESPONSE":        {"path", "method", "statusCode"},
	"RESPONSE_HEADER": {"path", "method", "statusCode", "name"},
	"RESPONSE_BODY":   {"path", "method", "statusCode"},
}

func (c *compiler) checkDocumentation() {
	if c.api.Documentation == nil {
		return
	}
	for _, p := range c.api.Documentation.Parts {
		loc := p.Src.Get("location")
		if p.Path == "" && p.Type != "API" && p.Type != "AUTHORIZER" && p.Type != "MODEL" {
			// API Gateway's default path is the root resource.
			p.Path = "/"
		}
		fields := map[string]string{"path": p.Path, "method": p.Method, "statusCode": p.StatusCode, "name": p.Name}
		for _, need := range documentationNeeds[p.Type] {
			if fields[need] == "" {
				c.errorf(loc.Range(), CodeDocumentation, "a %s documentation part needs location.%s", p.Type, need)
			}
		}
		if p.Path != "" && p.Path != "*" && c.resources[p.Path] == nil {
			c.warnf(schema.At(loc, "path"), CodeDocumentation, "documentation part for %s: the API has no resource %s", p.Type, p.Path)
		}
		if p.Type == "MODEL" && p.Name != "" && p.Name != "*" && c.models[p.Name] == nil {
			c.warnf(schema.At(loc, "name"), CodeDocumentation, "documentation part for model %s: the API has no such model", p.Name)
		}
		if p.Type == "AUTHORIZER" && p.Name != "" && p.Name != "*" && c.authorizers[p.Name] == nil {
			c.warnf(schema.At(loc, "name"), CodeDocumentation, "documentation part for authorizer %s: the API has no such authorizer", p.Name)
		}
	}
	if n := len(c.api.Documentation.Parts); n > 2000 {
		c.warnf(c.api.Documentation.Src.KeyRange(), CodeLimit, "%d documentation parts exceed API Gateway's default quota of 2,000 per API", n)
	}
}
