package runtime

import (
	"strings"
	"sync/atomic"
	"time"

	"gwc.dev/gwc/vtl"
)

// context returns the request's $context tree (§8.4), building it on first
// use. The request and response templates share it, so that overrides
// set in one are seen by the other.
func (rq *request) context() *vtl.Map {
	if rq.ctx != nil {
		return rq.ctx
	}
	api := rq.api
	// Room for every key, and for the override maps apigw.Render adds.
	m := vtl.NewMap(24)
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
	s("requestTime", requestTime(rq.start))
	m.PutString("requestTimeEpoch", vtl.Long(rq.start.UnixMilli()))
	s("stage", rq.stage.Name)
	if rq.method != nil {
		s("resourceId", rq.method.Resource.ID)
		s("resourcePath", rq.method.Resource.Path)
	}
	id := vtl.NewMap(16)
	for _, f := range rq.identity() {
		if f.Value == nullValue {
			id.PutString(f.Name, vtl.Null)
		} else {
			id.PutString(f.Name, vtl.String(f.Value))
		}
	}
	m.PutString("identity", vtl.MapValue(id))
	az := vtl.NewMap(4)
	if a := rq.auth; a != nil {
		if a.lambda {
			az.PutString("principalId", vtl.String(a.principalID))
			for _, f := range a.context {
				az.PutString(f.Name, vtl.String(f.Value))
			}
		} else {
			claims := vtl.NewMap(len(a.claims))
			for _, f := range a.claims {
				claims.PutString(f.Name, vtl.String(f.Value))
			}
			az.PutString("claims", vtl.MapValue(claims))
		}
	}
	m.PutString("authorizer", vtl.MapValue(az))
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

// nullValue marks an identity field that is null.
const nullValue = "\x00null"

// identity returns $context.identity (§8.4) in the recorded key order:
// who signed the request (AWS_IAM), the API key, the source address and
// the user agent; what does not apply is null.
func (rq *request) identity() []Field {
	null := func(s string) string {
		if s == "" {
			return nullValue
		}
		return s
	}
	var c Caller
	if rq.caller != nil {
		c = *rq.caller
	}
	ua, ok := rq.header.getFold("User-Agent")
	if !ok {
		ua = nullValue
	}
	out := make([]Field, 0, 14)
	out = append(out, Field{"accessKey", null(c.AccessKey)}, Field{"accountId", null(c.AccountID)})
	out = append(out, Field{"apiKey", null(rq.apiKey)}, Field{"apiKeyId", null(rq.apiKeyID)})
	return append(out,
		Field{"caller", null(c.Caller)},
		Field{"cognitoAuthenticationProvider", nullValue},
		Field{"cognitoAuthenticationType", nullValue},
		Field{"cognitoIdentityId", nullValue},
		Field{"cognitoIdentityPoolId", nullValue},
		Field{"principalOrgId", null(c.PrincipalOrgID)},
		Field{"sourceIp", rq.sourceIP},
		Field{"user", null(c.User)},
		Field{"userAgent", ua},
		Field{"userArn", null(c.UserARN)},
	)
}

// requestTime is $context.requestTime, CLF format
// (dd/MMM/yyyy:HH:mm:ss +0000), formatted once per second rather than
// once per request.
func requestTime(t time.Time) string {
	sec := t.Unix()
	if c := lastRequestTime.Load(); c != nil && c.sec == sec {
		return c.text
	}
	c := &formattedTime{sec: sec, text: t.UTC().Format("02/Jan/2006:15:04:05 -0700")}
	lastRequestTime.Store(c)
	return c.text
}

type formattedTime struct {
	sec  int64
	text string
}

var lastRequestTime atomic.Pointer[formattedTime]
