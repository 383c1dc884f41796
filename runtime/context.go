package runtime

import (
	"strings"

	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/apigw"
)

// context returns the request's $context tree (§8.4), building it on first
// use. The request and response templates share it, so that overrides
// set in one are seen by the other.
func (rq *request) context() *vtl.Map {
	if rq.ctx != nil {
		return rq.ctx
	}
	api := rq.api
	m := apigw.NewContext()
	s := func(k, v string) { m.PutString(k, vtl.String(v)) }
	s("accountId", api.opts.AccountID)
	s("apiId", api.ID)
	s("deploymentId", api.DeploymentID)
	s("domainName", rq.host)
	prefix, _, _ := strings.Cut(rq.host, ".")
	s("domainPrefix", prefix)
	s("extendedRequestId", rq.extID)
	s("httpMethod", rq.verb)
	s("path", rq.fullPath)
	s("protocol", "HTTP/1.1")
	s("requestId", rq.requestID)
	s("requestTime", rq.start.UTC().Format("02/Jan/2006:15:04:05 -0700"))
	m.PutString("requestTimeEpoch", vtl.Long(rq.start.UnixMilli()))
	s("stage", rq.stage.Name)
	if rq.method != nil {
		s("resourceId", rq.method.Resource.ID)
		s("resourcePath", rq.method.Resource.Path)
	}
	id := vtl.NewMap(16)
	for _, k := range []string{"accountId", "accessKey", "caller", "user", "userArn", "principalOrgId",
		"cognitoAuthenticationProvider", "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId", "apiKey", "apiKeyId"} {
		id.PutString(k, vtl.Null)
	}
	id.PutString("sourceIp", vtl.String(rq.sourceIP))
	if ua, ok := rq.header.getFold("User-Agent"); ok {
		id.PutString("userAgent", vtl.String(ua))
	} else {
		id.PutString("userAgent", vtl.Null)
	}
	m.PutString("identity", vtl.MapValue(id))
	m.PutString("authorizer", vtl.MapValue(vtl.NewMap(0)))
	rq.ctx = m
	return m
}

// contextValue resolves a context variable name (identity.sourceIp) to
// its string value, for mappings and access logs. A missing or null value
// is absent.
func (rq *request) contextValue(name string) (string, bool) {
	v := vtl.MapValue(rq.context())
	for _, part := range strings.Split(name, ".") {
		m := v.Map()
		if m == nil {
			return "", false
		}
		next, ok := m.GetString(part)
		if !ok {
			return "", false
		}
		v = next
	}
	if v.IsNull() || v.Map() != nil {
		return "", false
	}
	return v.String(), true
}
