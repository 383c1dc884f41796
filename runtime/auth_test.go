package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gwc.dev/gwc/plugins/usage/memory"
	"gwc.dev/gwc/runtime"
)

const authARN = "arn:aws:lambda:us-east-1:123456789012:function:auth"

// allowAll answers every token with a policy allowing the whole API, a
// principal and a context of each JSON type.
func policyAnswer(effect, resource string) string {
	return fmt.Sprintf(`{"principalId": "user-1", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": %q, "Resource": %q}]}, "context": {"s": "v", "n": 1, "b": true}, "usageIdentifierKey": "key-from-authorizer-000001"}`, effect, resource)
}

func authAPI(t *testing.T, fns *scripted, ttl int, extra string) *runtime.API {
	t.Helper()
	return loadYAML(t, fmt.Sprintf(`
authorizers:
  tok:
    type: TOKEN
    function: auth
    identitySource: method.request.header.Authorization
    identityValidationExpression: "^Bearer [a-z0-9-]+$"
    ttl: %d
  req:
    type: REQUEST
    function: auth
    identitySource: [method.request.header.X-Tenant, method.request.querystring.key]
    ttl: %d
%s
resources:
  /pets/{id}:
    GET:
      authorizer: tok
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200, templates: {application/json: '$context.authorizer.principalId $context.authorizer.s $context.authorizer.n $context.authorizer.b'}}}
      responses: {"200": {}}
  /other:
    POST:
      authorizer: tok
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200}}
      responses: {"200": {}}
  /req:
    GET:
      authorizer: req
      integration: {awsProxy: {function: app}}
`, ttl, ttl, extra), runtime.Options{Functions: fns})
}

func TestTokenAuthorizer(t *testing.T) {
	var out string
	fns := &scripted{fn: map[string]func([]byte) ([]byte, string, error){authARN: func([]byte) ([]byte, string, error) {
		if strings.HasPrefix(out, "error:") {
			b, _ := json.Marshal(map[string]string{"errorMessage": strings.TrimPrefix(out, "error:"), "errorType": "Error"})
			return b, "Unhandled", nil
		}
		return []byte(out), "", nil
	}}}
	api := authAPI(t, fns, 0, "")
	apiARN := "arn:aws:execute-api:us-east-1:123456789012:" + api.ID
	for _, c := range []struct {
		name, token, out string
		status           int
		body, etype      string
	}{
		{"no token", "", "", 401, `{"message":"Unauthorized"}`, "UnauthorizedException"},
		{"fails validation", "Basic abc", "", 401, `{"message":"Unauthorized"}`, "UnauthorizedException"},
		{"allow", "Bearer good", policyAnswer("Allow", apiARN+"/*"), 200, "user-1 v 1 true", ""},
		{"allow by method ARN", "Bearer good", policyAnswer("Allow", apiARN+"/dev/GET/pets/7"), 200, "user-1 v 1 true", ""},
		{"explicit deny", "Bearer good", policyAnswer("Deny", apiARN+"/dev/*"), 403, `{"Message":"User is not authorized to access this resource with an explicit deny"}`, "AccessDeniedException"},
		{"implicit deny", "Bearer good", policyAnswer("Allow", apiARN+"/dev/POST/*"), 403, `{"Message":"User is not authorized to access this resource"}`, "AccessDeniedException"},
		{"Unauthorized error", "Bearer good", "error:Unauthorized", 401, `{"message":"Unauthorized"}`, "UnauthorizedException"},
		{"other error", "Bearer good", "error:unauthorized", 500, `{"message": null}`, "AuthorizerConfigurationException"},
		{"null answer", "Bearer good", "null", 500, `{"message": null}`, "AuthorizerConfigurationException"},
		{"proxy-shaped answer", "Bearer good", `{"statusCode": 200, "body": "x"}`, 500, `{"message": null}`, "AuthorizerConfigurationException"},
		{"no principal", "Bearer good", `{"policyDocument": {"Statement": []}}`, 500, `{"message": null}`, "AuthorizerConfigurationException"},
		{"object in context", "Bearer good", `{"principalId": "p", "policyDocument": {"Statement": []}, "context": {"o": {}}}`, 500, `{"message": null}`, "AuthorizerConfigurationException"},
	} {
		out = c.out
		var hs []string
		if c.token != "" {
			hs = append(hs, "Authorization: "+c.token)
		}
		before := fns.count()
		r := invoke(t, api, "GET", "/dev/pets/7", "", hs...)
		if r.Status != c.status || string(r.Body) != c.body || hget(r, "x-amzn-ErrorType") != c.etype {
			t.Errorf("%s: %d %s (%s), want %d %s (%s)\n%s", c.name, r.Status, r.Body, hget(r, "x-amzn-ErrorType"), c.status, c.body, c.etype, logText(r))
		}
		if c.out == "" && fns.count() != before {
			t.Errorf("%s: the authorizer was invoked", c.name)
		}
	}
	// The event: exactly the three fields, the actual verb and path.
	var ev map[string]any
	if err := json.Unmarshal(fns.last(t).Payload, &ev); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"type": "TOKEN", "authorizationToken": "Bearer good", "methodArn": apiARN + "/dev/GET/pets/7"}
	if fmt.Sprint(ev) != fmt.Sprint(want) {
		t.Errorf("event %v, want %v", ev, want)
	}
	if c := fns.last(t); c.SourceARN != apiARN+"/authorizers/tok" {
		t.Errorf("source ARN %s", c.SourceARN)
	}
}

// TestAuthorizerCache: with a TTL the answer is reused for the same token
// and re-evaluated against each request's method ARN (§4.6 rule 8).
func TestAuthorizerCache(t *testing.T) {
	fns := &scripted{fn: map[string]func([]byte) ([]byte, string, error){}}
	api := authAPI(t, fns, 300, "")
	apiARN := "arn:aws:execute-api:us-east-1:123456789012:" + api.ID
	fns.fn[authARN] = answer(policyAnswer("Allow", apiARN+"/dev/GET/pets/*"))
	for i := 0; i < 3; i++ {
		if r := invoke(t, api, "GET", fmt.Sprintf("/dev/pets/%d", i), "", "Authorization: Bearer a"); r.Status != 200 {
			t.Fatalf("call %d: %d %s", i, r.Status, r.Body)
		}
	}
	if n := fns.count(); n != 1 {
		t.Errorf("3 calls with one token invoked the authorizer %d times", n)
	}
	// The cached policy covers GET /pets/* only: POST /other is denied
	// without a new invocation.
	if r := invoke(t, api, "POST", "/dev/other", "", "Authorization: Bearer a"); r.Status != 403 {
		t.Errorf("cached policy on another method: %d %s", r.Status, r.Body)
	}
	if n := fns.count(); n != 1 {
		t.Errorf("the cached result was not used: %d invocations", n)
	}
	// Another token is another entry.
	invoke(t, api, "GET", "/dev/pets/1", "", "Authorization: Bearer b")
	if n := fns.count(); n != 2 {
		t.Errorf("a new token did not invoke the authorizer: %d", n)
	}
}

// TestRequestAuthorizer: identity sources are required with caching, the
// event mirrors the proxy event without a body, and the authorizer's
// context reaches the Lambda proxy event (§4.5, §4.6 rule 9).
func TestRequestAuthorizer(t *testing.T) {
	fns := &scripted{fn: map[string]func([]byte) ([]byte, string, error){fnARN: answer(`{"statusCode": 200}`)}}
	api := authAPI(t, fns, 300, "")
	fns.fn[authARN] = answer(policyAnswer("Allow", "arn:aws:execute-api:us-east-1:123456789012:"+api.ID+"/*"))
	r := invoke(t, api, "GET", "/dev/req?key=k1", "")
	if r.Status != 401 || fns.count() != 0 {
		t.Errorf("missing X-Tenant: %d %s (%d invocations)", r.Status, r.Body, fns.count())
	}
	r = invoke(t, api, "GET", "/dev/req?key=k1", "", "X-Tenant: t1")
	if r.Status != 200 {
		t.Fatalf("got %d %s\n%s", r.Status, r.Body, logText(r))
	}
	var authEvent, proxyEvent map[string]any
	json.Unmarshal(fns.calls[0].Payload, &authEvent)
	json.Unmarshal(fns.calls[1].Payload, &proxyEvent)
	if authEvent["type"] != "REQUEST" || authEvent["methodArn"] == nil || authEvent["resource"] != "/req" {
		t.Errorf("authorizer event %v", authEvent)
	}
	if _, ok := authEvent["body"]; ok {
		t.Error("the REQUEST authorizer event has a body")
	}
	az := proxyEvent["requestContext"].(map[string]any)["authorizer"].(map[string]any)
	if az["principalId"] != "user-1" || az["s"] != "v" || az["n"] != "1" || az["b"] != "true" {
		t.Errorf("requestContext.authorizer %v", az)
	}
	if _, ok := az["integrationLatency"].(float64); !ok {
		t.Errorf("no numeric integrationLatency: %v", az)
	}
}

// tokens is a TokenVerifier for tests of the runtime's Cognito logic; the
// cognito plugin's tests verify real signatures.
type tokens map[string]map[string]any

func (ts tokens) VerifyToken(_ context.Context, token string, _ []string) (map[string]any, error) {
	if c, ok := ts[token]; ok {
		return c, nil
	}
	return nil, errors.New("bad token")
}

func TestCognitoAuthorizer(t *testing.T) {
	ts := tokens{
		"id-token":     {"token_use": "id", "aud": "client-1", "email": "a@example.com", "exp": json.Number("1700000000")},
		"access-read":  {"token_use": "access", "scope": "orders/read orders/list"},
		"access-write": {"token_use": "access", "scope": "orders/write"},
	}
	api := loadYAML(t, `
authorizers:
  users:
    type: COGNITO_USER_POOLS
    providerARNs: ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc"]
  users-aud:
    type: COGNITO_USER_POOLS
    providerARNs: ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc"]
    identityValidationExpression: "client-.*"
resources:
  /strict:
    GET:
      authorizer: users-aud
      scopes: [orders/read]
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200}}
      responses: {"200": {}}
  /me:
    GET:
      authorizer: users-aud
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200, templates: {application/json: '$context.authorizer.claims.email $context.authorizer.claims.exp'}}}
      responses: {"200": {}}
  /orders:
    GET:
      authorizer: users
      scopes: [orders/read]
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200}}
      responses: {"200": {}}
`, runtime.Options{Tokens: ts})
	for _, c := range []struct {
		path, token string
		status      int
		body        string
	}{
		{"/me", "", 401, `{"message":"Unauthorized"}`},
		{"/me", "forged", 401, `{"message":"Unauthorized"}`},
		{"/me", "id-token", 200, "a@example.com Tue Nov 14 22:13:20 UTC 2023"},
		{"/me", "access-read", 401, `{"message":"Unauthorized"}`},
		{"/orders", "access-read", 200, ""},
		{"/orders", "access-write", 401, `{"message":"Unauthorized"}`},
		{"/orders", "id-token", 401, `{"message":"Unauthorized"}`},
		// The validation expression is matched against aud, which access
		// tokens lack (§4.7).
		{"/strict", "access-read", 401, `{"message":"Unauthorized"}`},
	} {
		var hs []string
		if c.token != "" {
			hs = append(hs, "Authorization: "+c.token)
		}
		r := invoke(t, api, "GET", "/dev"+c.path, "", hs...)
		if r.Status != c.status || string(r.Body) != c.body {
			t.Errorf("%s with %q: %d %s, want %d %s\n%s", c.path, c.token, r.Status, r.Body, c.status, c.body, logText(r))
		}
	}
}

// signatures is a SignatureVerifier for tests of the runtime's AWS_IAM
// logic; the sigv4 plugin's tests verify real signatures.
type signatures struct{ err error }

func (s signatures) VerifySignature(_ context.Context, r *runtime.SignedRequest) (*runtime.Caller, error) {
	if s.err != nil {
		return nil, s.err
	}
	return &runtime.Caller{AccountID: "111122223333", AccessKey: "AKIDEXAMPLE", UserARN: "arn:aws:iam::111122223333:user/u", User: "AIDAEXAMPLE", Caller: "AIDAEXAMPLE"}, nil
}

func TestIAMAuthorization(t *testing.T) {
	def := `
resources:
  /admin:
    GET:
      authorization: AWS_IAM
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200, templates: {application/json: '$context.identity.userArn $context.identity.accountId'}}}
      responses: {"200": {}}
`
	signed := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"
	for _, c := range []struct {
		name   string
		v      runtime.SignatureVerifier
		auth   string
		status int
		body   string
		etype  string
	}{
		{"unsigned", nil, "", 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
		{"not SigV4", nil, "Bearer x", 403, `{"message":"'x' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer x'."}`, "IncompleteSignatureException"},
		// Null values render empty in API Gateway's templates (§8.6).
		{"form only", nil, signed, 200, " ", ""},
		{"verified", signatures{}, signed, 200, "arn:aws:iam::111122223333:user/u 111122223333", ""},
		{"mismatch", signatures{runtime.ErrSignatureMismatch}, signed, 403,
			`{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}`, "InvalidSignatureException"},
		{"unknown key", signatures{runtime.ErrUnknownAccessKey}, signed, 403, `{"message":"The security token included in the request is invalid."}`, "UnrecognizedClientException"},
	} {
		api := loadYAML(t, def, runtime.Options{Signatures: c.v})
		hs := []string{"X-Amz-Date: 20240101T000000Z"}
		if c.auth != "" {
			hs = append(hs, "Authorization: "+c.auth)
		}
		r := invoke(t, api, "GET", "/dev/admin", "", hs...)
		if r.Status != c.status || string(r.Body) != c.body || hget(r, "x-amzn-ErrorType") != c.etype {
			t.Errorf("%s: %d %s (%s)", c.name, r.Status, r.Body, hget(r, "x-amzn-ErrorType"))
		}
	}
}

// newStore is the in-memory usage store gwc serve uses by default.
func newStore() *memory.Store { return memory.New(memory.Options{}) }

const keysDef = `
stages:
  dev: {}
  prod: {}
apiKeys:
  partner: {enabled: true}
  retired: {enabled: false}
  loose: {enabled: true}
usagePlans:
  basic:
    stages: {dev: {}}
    throttle: {rateLimit: 1, burstLimit: 2}
    quota: {limit: 3, period: DAY}
    keys: [partner, retired]
resources:
  /k:
    GET:
      apiKeyRequired: true
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200, templates: {application/json: '$context.identity.apiKey $context.identity.apiKeyId'}}}
      responses: {"200": {}}
  /open:
    GET:
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200}}
      responses: {"200": {}}
`

func TestAPIKeys(t *testing.T) {
	keys := map[string]string{"partner": "partner-key-0123456789", "retired": "retired-key-0123456789", "loose": "loose-key-0123456789"}
	st := newStore()
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	api := loadYAML(t, keysDef, runtime.Options{APIKeys: keys, Usage: st, Now: func() time.Time { return now }})
	forbidden := `{"message":"Forbidden"}`
	for _, c := range []struct {
		name, target, key string
		status            int
		body              string
	}{
		{"no key", "/dev/k", "", 403, forbidden},
		{"unknown key", "/dev/k", "nope-nope-nope-nope-nope", 403, forbidden},
		{"disabled key", "/dev/k", keys["retired"], 403, forbidden},
		{"key in no plan", "/dev/k", keys["loose"], 403, forbidden},
		{"plan without this stage", "/prod/k", keys["partner"], 403, forbidden},
		{"valid key", "/dev/k", keys["partner"], 200, keys["partner"] + " "},
		{"open method", "/dev/open", "", 200, ""},
	} {
		var hs []string
		if c.key != "" {
			hs = append(hs, "x-api-key: "+c.key)
		}
		r := invoke(t, api, "GET", c.target, "", hs...)
		if r.Status != c.status || !strings.HasPrefix(string(r.Body), c.body) {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.body)
		}
		if c.status == 403 && hget(r, "x-amzn-ErrorType") != "ForbiddenException" {
			t.Errorf("%s: error type %q", c.name, hget(r, "x-amzn-ErrorType"))
		}
	}
}

// TestUsagePlan: the burst, then THROTTLED; refill; then the quota.
func TestUsagePlan(t *testing.T) {
	keys := map[string]string{"partner": "partner-key-0123456789"}
	st := newStore()
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	api := loadYAML(t, keysDef, runtime.Options{APIKeys: keys, Usage: st, Now: func() time.Time { return now }})
	call := func() *runtime.Response { return invoke(t, api, "GET", "/dev/k", "", "X-API-Key: "+keys["partner"]) }
	for i, want := range []int{200, 200, 429} {
		if r := call(); r.Status != want {
			t.Fatalf("call %d: %d %s, want %d", i, r.Status, r.Body, want)
		} else if want == 429 && (string(r.Body) != `{"message":"Too Many Requests"}` || hget(r, "x-amzn-ErrorType") != "TooManyRequestsException") {
			t.Errorf("throttled: %s %v", r.Body, r.Header)
		}
	}
	now = now.Add(2 * time.Second) // refills 2 tokens
	if r := call(); r.Status != 200 {
		t.Fatalf("after refill: %d", r.Status)
	}
	// That was the third request of the day: the quota (3) is used up.
	now = now.Add(10 * time.Second)
	r := call()
	if r.Status != 429 || string(r.Body) != `{"message":"Limit Exceeded"}` || hget(r, "x-amzn-ErrorType") != "LimitExceededException" {
		t.Errorf("over quota: %d %s %v", r.Status, r.Body, r.Header)
	}
	// The next day starts a new quota period.
	now = now.Add(24 * time.Hour)
	if r := call(); r.Status != 200 {
		t.Errorf("next day: %d %s", r.Status, r.Body)
	}
}

// TestAPIKeyFromAuthorizer: apiKeySource AUTHORIZER takes the key from
// the authorizer's usageIdentifierKey (§5.1).
func TestAPIKeyFromAuthorizer(t *testing.T) {
	fns := &scripted{fn: map[string]func([]byte) ([]byte, string, error){}}
	api := loadYAML(t, `
apiKeySource: AUTHORIZER
stages: {dev: {}}
apiKeys: {partner: {enabled: true}}
usagePlans: {basic: {stages: {dev: {}}, keys: [partner]}}
authorizers: {tok: {type: TOKEN, function: auth, ttl: 0}}
resources:
  /k:
    GET:
      authorizer: tok
      apiKeyRequired: true
      integration:
        mock:
          templates: {application/json: '{"statusCode": 200}'}
          responses: {default: {status: 200}}
      responses: {"200": {}}
`, runtime.Options{Functions: fns, APIKeys: map[string]string{"partner": "key-from-authorizer-000001"}, Usage: newStore()})
	fns.fn[authARN] = answer(policyAnswer("Allow", "*"))
	if r := invoke(t, api, "GET", "/dev/k", "", "Authorization: x"); r.Status != 200 {
		t.Errorf("got %d %s\n%s", r.Status, r.Body, logText(r))
	}
	fns.fn[authARN] = answer(strings.Replace(policyAnswer("Allow", "*"), "key-from-authorizer-000001", "other", 1))
	if r := invoke(t, api, "GET", "/dev/k", "", "Authorization: x"); r.Status != 403 {
		t.Errorf("unknown usageIdentifierKey: %d %s", r.Status, r.Body)
	}
}
