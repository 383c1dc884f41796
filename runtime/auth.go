package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/internal/javaregex"
	"gwc.dev/gwc/internal/mapexpr"
)

// Authorization (§4): Lambda authorizers (TOKEN and REQUEST), Cognito user
// pools and AWS_IAM. The runtime runs API Gateway's logic — identity
// sources, events, policies, caching, answers — and asks plugins to run
// functions and to verify tokens and signatures.

// authorizerTimeout bounds a Lambda authorizer's invocation.
const authorizerTimeout = 29 * time.Second

// maxMethodARN is the longest method ARN API Gateway builds for an
// authorized method (§4.3, §15.1).
const maxMethodARN = 1600

// authorizer is a prepared authorizer.
type authorizer struct {
	name, typ string
	function  string
	// sources are the identity sources; header is the token's header for
	// TOKEN and Cognito authorizers.
	sources      []mapexpr.Expr
	sourceText   []string
	header       string
	validation   *javaregex.Regexp
	ttl          time.Duration
	providerARNs []string
	cache        authCache
}

func (api *API) loadAuthorizers(a *artifact.API) error {
	api.authorizers = map[string]*authorizer{}
	for _, z := range a.Authorizers {
		az := &authorizer{name: z.Name, typ: z.Type, ttl: time.Duration(z.TTLSeconds) * time.Second, providerARNs: z.ProviderARNs}
		if z.Type != "COGNITO_USER_POOLS" {
			az.function = lambdaFunction(z.URI)
			if az.function == "" {
				return fmt.Errorf("invalid artifact: authorizer %s: %q is not a Lambda invocation URI", z.Name, z.URI)
			}
		}
		for _, s := range z.IdentitySources {
			e, err := mapexpr.ParseSource(s, mapexpr.IdentitySource)
			if err != nil {
				return fmt.Errorf("invalid artifact: authorizer %s: %w", z.Name, err)
			}
			az.sources = append(az.sources, e)
			az.sourceText = append(az.sourceText, s)
		}
		if z.Type != "REQUEST" {
			if len(az.sources) != 1 || az.sources[0].Kind != mapexpr.MethodRequestParam || az.sources[0].Location != "header" {
				return fmt.Errorf("invalid artifact: authorizer %s: the token must come from one header", z.Name)
			}
			az.header = az.sources[0].Name
		}
		if z.IdentityValidationExpression != "" && z.Type != "REQUEST" {
			re, err := javaregex.Compile(z.IdentityValidationExpression)
			if err != nil {
				return fmt.Errorf("invalid artifact: authorizer %s: %w", z.Name, err)
			}
			az.validation = re
		}
		api.authorizers[z.Name] = az
	}
	return nil
}

// authResult is what authorization established about the caller, for
// $context.authorizer and the proxy event's requestContext.authorizer.
type authResult struct {
	lambda      bool
	principalID string
	// context holds the Lambda authorizer's context, values stringified,
	// in the order the authorizer returned them.
	context []Field
	// claims are a Cognito token's claims, as strings.
	claims  []Field
	latency time.Duration
	// usageKey is the authorizer's usageIdentifierKey.
	usageKey string
}

func (a *authResult) inEvent() bool { return a.lambda || a.claims != nil }

func (a *authResult) writeEvent(w *jsonWriter) {
	w.beginObject()
	if a.lambda {
		w.key("principalId")
		w.str(a.principalID)
		for _, f := range a.context {
			w.key(f.Name)
			w.str(f.Value)
		}
		w.key("integrationLatency")
		w.integer(a.latency.Milliseconds())
	} else {
		w.key("claims")
		w.beginObject()
		for _, f := range a.claims {
			w.key(f.Name)
			w.str(f.Value)
		}
		w.endObject()
	}
	w.endObject()
}

// authorize runs the method's authorization. A nil error lets the request
// go on; rq.auth and rq.caller hold what it established.
func (api *API) authorize(ctx context.Context, rq *request) *gatewayError {
	m := rq.method
	switch m.authorization {
	case "", "NONE":
		return nil
	case "AWS_IAM":
		return api.authorizeIAM(ctx, rq)
	}
	az := m.authorizer
	if az == nil {
		return newError(errAPIConfiguration, "the method's authorizer is not defined")
	}
	methodARN := api.methodARN(rq)
	if az.typ == "COGNITO_USER_POOLS" {
		return api.authorizeCognito(ctx, rq, az)
	}
	return api.authorizeLambda(ctx, rq, az, methodARN)
}

// methodARN is the ARN of the request as authorizers see it: the actual
// verb and path, not the resource template (§4.3).
func (api *API) methodARN(rq *request) string {
	return api.executeARN(rq.stage.Name + "/" + rq.verb + "/" + strings.TrimPrefix(rq.eventPath, "/"))
}

func unauthorized(reason string) *gatewayError { return newError(errUnauthorized, reason) }

// authorizeLambda runs a TOKEN or REQUEST authorizer (§4.4–§4.6).
func (api *API) authorizeLambda(ctx context.Context, rq *request, az *authorizer, methodARN string) *gatewayError {
	var key strings.Builder
	var token string
	if az.typ == "TOKEN" {
		v, ok := rq.header.getFold(az.header)
		if !ok || v == "" {
			rq.log.step(phaseAuth, "Unauthorized: the request has no %s header", az.header)
			return unauthorized("no token")
		}
		if az.validation != nil && !az.validation.Matches(v) {
			rq.log.step(phaseAuth, "Unauthorized: the token does not match the identity validation expression")
			return unauthorized("the token does not match the validation expression")
		}
		token = v
		key.WriteString(v)
	} else {
		for i, s := range az.sources {
			v, ok := rq.sourceValue(s)
			if (!ok || v == "") && az.ttl > 0 {
				if rq.log.on() {
					rq.log.step(phaseAuth, "Unauthorized: the identity source %s is missing", az.sourceText[i])
				}
				return unauthorized("an identity source is missing")
			}
			key.WriteString(v)
			key.WriteByte(0)
		}
	}
	cacheKey := rq.stage.Name + "\x00" + key.String()
	if az.ttl > 0 {
		if out, ok := az.cache.get(cacheKey, rq.start); ok {
			rq.log.step(phaseAuth, "Using the cached authorizer result")
			return api.applyPolicy(rq, out, methodARN, 0)
		}
	}
	var event []byte
	if az.typ == "TOKEN" {
		w := &jsonWriter{}
		w.beginObject()
		w.key("type")
		w.str("TOKEN")
		w.key("authorizationToken")
		w.str(token)
		w.key("methodArn")
		w.str(methodARN)
		w.endObject()
		event = w.b
	} else {
		event = api.proxyEvent(rq, true)
	}
	if api.opts.Functions == nil {
		return newError(errAuthorizerConfiguration, "no Lambda functions are configured (gwc serve --function NAME=COMMAND or --lambda-endpoint URL)")
	}
	if rq.log.on() {
		rq.log.step(phaseAuth, "Starting authorizer %s: %s", az.name, logBody(event))
	}
	start := time.Now()
	res, err := api.opts.Functions.Invoke(ctx, &FunctionCall{
		ARN:       api.resolveARN(az.function, rq.stage),
		Payload:   event,
		SourceARN: api.executeARN("authorizers/" + az.name),
		Timeout:   authorizerTimeout,
	})
	latency := time.Since(start)
	switch {
	case errors.Is(err, ErrTimeout):
		rq.log.step(phaseAuth, "Execution failed due to a timeout error: the authorizer did not answer")
		return newError(errAuthorizerFailure, "the authorizer timed out")
	case err != nil:
		if rq.log.on() {
			rq.log.step(phaseAuth, "Execution failed due to configuration error: Authorizer error: %v", err)
		}
		return newError(errAuthorizerConfiguration, err.Error())
	}
	if res.FunctionError != "" {
		// Only the exact message Unauthorized means 401 (§4.6 rule 1).
		if msg := errorMessage(res.Payload); msg == "Unauthorized" {
			rq.log.step(phaseAuth, "Unauthorized: the authorizer said so")
			return unauthorized("the authorizer answered Unauthorized")
		}
		if rq.log.on() {
			rq.log.step(phaseAuth, "Execution failed due to configuration error: Authorizer error: %s", logBody(res.Payload))
		}
		return newError(errAuthorizerConfiguration, "the authorizer failed")
	}
	out, reason := parseAuthorizerOutput(res.Payload)
	if out == nil {
		if rq.log.on() {
			rq.log.step(phaseAuth, "Execution failed due to configuration error: Could not parse policy (%s): %s", reason, logBody(res.Payload))
		}
		return newError(errAuthorizerConfiguration, "invalid authorizer output: "+reason)
	}
	if az.ttl > 0 {
		az.cache.put(cacheKey, out, rq.start.Add(az.ttl))
	}
	return api.applyPolicy(rq, out, methodARN, latency)
}

// applyPolicy evaluates an authorizer's policy against the request and, on
// success, records the caller (§4.6 rules 7 and 9).
func (api *API) applyPolicy(rq *request, out *authorizerOutput, methodARN string, latency time.Duration) *gatewayError {
	switch out.policy.evaluate(methodARN) {
	case policyDeny:
		rq.log.step(phaseAuth, "The authorizer's policy denies the request explicitly")
		e := newError(errAccessDenied, "explicit deny")
		e.message = "User is not authorized to access this resource with an explicit deny"
		return e
	case policyNone:
		rq.log.step(phaseAuth, "The authorizer's policy does not allow the request")
		return newError(errAccessDenied, "implicit deny")
	}
	if rq.log.on() {
		rq.log.step(phaseAuth, "Using valid authorizer policy for principal: %s", out.principalID)
		rq.log.step(phaseAuth, "Successfully completed authorizer execution")
	}
	rq.auth = &authResult{lambda: true, principalID: out.principalID, context: out.context, latency: latency, usageKey: out.usageKey}
	return nil
}

// authorizerOutput is a Lambda authorizer's answer, checked.
type authorizerOutput struct {
	principalID string
	policy      policy
	context     []Field
	usageKey    string
}

// parseAuthorizerOutput checks an authorizer's answer (§4.6 rules 3, 5,
// 6); nil and the reason when it cannot be used.
func parseAuthorizerOutput(payload []byte) (*authorizerOutput, string) {
	var doc struct {
		PrincipalID        json.RawMessage `json:"principalId"`
		PolicyDocument     json.RawMessage `json:"policyDocument"`
		Context            json.RawMessage `json:"context"`
		UsageIdentifierKey *string         `json:"usageIdentifierKey"`
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, "the answer is not a JSON object"
	}
	out := &authorizerOutput{}
	switch v := rawScalar(doc.PrincipalID); {
	case v != nil:
		out.principalID = *v
	default:
		return nil, "principalId is missing"
	}
	p, err := parsePolicy(doc.PolicyDocument)
	if err != nil {
		return nil, err.Error()
	}
	out.policy = p
	if len(doc.Context) > 0 && string(doc.Context) != "null" {
		fs, ok := contextFields(doc.Context)
		if !ok {
			return nil, "context values must be strings, numbers or booleans"
		}
		out.context = fs
	}
	if doc.UsageIdentifierKey != nil {
		out.usageKey = *doc.UsageIdentifierKey
	}
	return out, ""
}

// rawScalar returns a JSON string, number or boolean as a string.
func rawScalar(raw json.RawMessage) *string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, ok := scalarToken(dec)
	if !ok {
		return nil
	}
	return &v
}

// contextFields reads an authorizer's context map, stringifying values
// (1 becomes "1", true "true"); a null value is left out.
func contextFields(raw json.RawMessage) ([]Field, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var out []Field
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		name := t.(string)
		v, err := dec.Token()
		if err != nil {
			return nil, false
		}
		switch v := v.(type) {
		case string:
			out = append(out, Field{name, v})
		case json.Number:
			out = append(out, Field{name, v.String()})
		case bool:
			out = append(out, Field{name, strconv.FormatBool(v)})
		case nil:
		default:
			return nil, false
		}
	}
	return out, true
}

// policy is an IAM policy document's statements about execute-api.
type policy struct {
	statements []statement
}

type statement struct {
	allow     bool
	actions   []string
	resources []string
}

type policyResult int

const (
	policyNone policyResult = iota
	policyAllow
	policyDeny
)

// parsePolicy reads a policy document: Statement an object or a list,
// Action and Resource strings or lists.
func parsePolicy(raw json.RawMessage) (policy, error) {
	var doc struct {
		Statement json.RawMessage
	}
	if len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &doc) != nil {
		return policy{}, errors.New("policyDocument is missing or not an object")
	}
	type rawStatement struct {
		Effect   string
		Action   json.RawMessage
		Resource json.RawMessage
	}
	var list []rawStatement
	if err := json.Unmarshal(doc.Statement, &list); err != nil {
		var one rawStatement
		if err := json.Unmarshal(doc.Statement, &one); err != nil {
			return policy{}, errors.New("policyDocument.Statement is not a statement or a list of them")
		}
		list = []rawStatement{one}
	}
	var p policy
	for _, s := range list {
		var st statement
		switch s.Effect {
		case "Allow":
			st.allow = true
		case "Deny":
		default:
			return policy{}, fmt.Errorf("statement effect %q is neither Allow nor Deny", s.Effect)
		}
		var err error
		if st.actions, err = stringOrList(s.Action); err != nil {
			return policy{}, fmt.Errorf("statement Action: %w", err)
		}
		if st.resources, err = stringOrList(s.Resource); err != nil {
			return policy{}, fmt.Errorf("statement Resource: %w", err)
		}
		p.statements = append(p.statements, st)
	}
	return p, nil
}

func stringOrList(raw json.RawMessage) ([]string, error) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, errors.New("neither a string nor a list of strings")
	}
	return list, nil
}

// evaluate applies the policy to a method ARN: an explicit deny wins, then
// an allow; nothing matching is an implicit deny (§4.6 rule 7).
func (p policy) evaluate(methodARN string) policyResult {
	result := policyNone
	for _, s := range p.statements {
		if !slicesAny(s.actions, actionMatches) {
			continue
		}
		matched := false
		for _, r := range s.resources {
			if len(r) <= 512 && wildcardMatch(r, methodARN) {
				matched = true
				break
			}
		}
		if !matched {
			continue
		}
		if !s.allow {
			return policyDeny
		}
		result = policyAllow
	}
	return result
}

func slicesAny(xs []string, f func(string) bool) bool {
	for _, x := range xs {
		if f(x) {
			return true
		}
	}
	return false
}

// actionMatches reports whether an IAM action covers execute-api:Invoke;
// action names are case-insensitive in IAM.
func actionMatches(a string) bool {
	return a == "*" || wildcardMatch(strings.ToLower(a), "execute-api:invoke")
}

// wildcardMatch matches IAM's wildcards: * any run of characters (slashes
// and colons included), ? one character; case-sensitive.
func wildcardMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// authCache holds authorizer results by identity (§4.6 rule 8): the
// output, re-evaluated against each request's method ARN.
type authCache struct {
	mu      sync.Mutex
	entries map[string]cachedAuth
}

type cachedAuth struct {
	out     *authorizerOutput
	expires time.Time
}

// maxCachedAuth bounds an authorizer's cache.
const maxCachedAuth = 10000

func (c *authCache) get(key string, now time.Time) (*authorizerOutput, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	return e.out, true
}

func (c *authCache) put(key string, out *authorizerOutput, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]cachedAuth{}
	}
	if len(c.entries) >= maxCachedAuth {
		now := time.Now()
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxCachedAuth {
			for k := range c.entries {
				delete(c.entries, k)
				break
			}
		}
	}
	c.entries[key] = cachedAuth{out, expires}
}

// authorizeCognito checks a Cognito user pool token (§4.7).
func (api *API) authorizeCognito(ctx context.Context, rq *request, az *authorizer) *gatewayError {
	pools := make([]string, len(az.providerARNs))
	for i, p := range az.providerARNs {
		pools[i] = api.resolveValue(p, rq.stage)
	}
	token, ok := rq.header.getFold(az.header)
	if !ok || token == "" {
		rq.log.step(phaseAuth, "Unauthorized: the request has no %s header", az.header)
		return unauthorized("no token")
	}
	if api.opts.Tokens == nil {
		return newError(errAuthorizerConfiguration, "no JSON Web Key Sets are configured for Cognito user pools")
	}
	claims, err := api.opts.Tokens.VerifyToken(ctx, token, pools)
	if err != nil {
		if rq.log.on() {
			rq.log.step(phaseAuth, "Unauthorized: the token is not valid: %v", err)
		}
		return unauthorized(err.Error())
	}
	use, _ := claims["token_use"].(string)
	if scopes := rq.method.scopes; len(scopes) > 0 {
		// With scopes, an access token whose scope claim has one of them.
		granted := strings.Fields(fmt.Sprint(claims["scope"]))
		ok := use == "access"
		if ok {
			ok = false
			for _, s := range scopes {
				for _, g := range granted {
					if s == g {
						ok = true
					}
				}
			}
		}
		if !ok {
			rq.log.step(phaseAuth, "Unauthorized: the access token has none of the method's scopes")
			return unauthorized("no matching scope")
		}
	} else if use != "id" {
		rq.log.step(phaseAuth, "Unauthorized: without scopes the method takes an ID token")
		return unauthorized("not an ID token")
	}
	if az.validation != nil {
		aud, _ := claims["aud"].(string)
		if !az.validation.Matches(aud) {
			rq.log.step(phaseAuth, "Unauthorized: the token's audience does not match the identity validation expression")
			return unauthorized("audience not allowed")
		}
	}
	rq.auth = &authResult{claims: claimFields(claims)}
	rq.log.step(phaseAuth, "Successfully verified the Cognito token")
	return nil
}

// claimFields stringifies claims as API Gateway passes them on: numbers
// as written, exp and iat as Java's Date.toString, lists joined with
// commas; sorted by name.
func claimFields(claims map[string]any) []Field {
	names := make([]string, 0, len(claims))
	for k := range claims {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]Field, 0, len(names))
	for _, k := range names {
		v := claims[k]
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case json.Number:
			s = v.String()
			if k == "exp" || k == "iat" {
				if n, err := v.Int64(); err == nil {
					s = javaDate(n)
				}
			}
		case float64:
			s = strconv.FormatFloat(v, 'f', -1, 64)
			if k == "exp" || k == "iat" {
				s = javaDate(int64(v))
			}
		case bool:
			s = strconv.FormatBool(v)
		case []any:
			parts := make([]string, len(v))
			for i, p := range v {
				parts[i] = fmt.Sprint(p)
			}
			s = strings.Join(parts, ",")
		case nil:
			continue
		default:
			b, _ := json.Marshal(v)
			s = string(b)
		}
		out = append(out, Field{k, s})
	}
	return out
}

// javaDate formats epoch seconds as java.util.Date.toString in UTC.
func javaDate(sec int64) string {
	return time.Unix(sec, 0).UTC().Format("Mon Jan 02 15:04:05 UTC 2006")
}

// authorizeIAM checks an AWS_IAM method's signature (§4.2). Without
// configured credentials only the presence and form of the signature are
// checked (docs/decisions.md).
func (api *API) authorizeIAM(ctx context.Context, rq *request) *gatewayError {
	auth, hasAuth := rq.header.getFold("Authorization")
	_, presigned := rq.query.get("X-Amz-Signature")
	if !hasAuth && !presigned {
		rq.log.step(phaseAuth, "Missing Authentication Token: the request is not signed")
		return newError(errMissingAuthenticationToken, "unsigned request to an AWS_IAM method")
	}
	if hasAuth {
		if msg := incompleteSignature(auth, &rq.header); msg != "" {
			e := newError(errMissingAuthenticationToken, "incomplete signature")
			e.message, e.errorType = msg, "IncompleteSignatureException"
			return e
		}
	}
	if api.opts.Signatures == nil {
		rq.log.step(phaseAuth, "The request is signed; no credentials are configured to verify the signature")
		rq.caller = &Caller{}
		return nil
	}
	caller, err := api.opts.Signatures.VerifySignature(ctx, &SignedRequest{
		Method: rq.signedVerb, Path: rq.fullPath, RawQuery: rq.rawQuery, Header: rq.header.fields(), Body: rq.body,
		Region: api.opts.Region, Service: "execute-api", Now: rq.start,
	})
	if err == nil {
		rq.caller = caller
		rq.log.step(phaseAuth, "Successfully verified the signature")
		return nil
	}
	if !errors.Is(err, ErrUnknownAccessKey) && !errors.Is(err, ErrSignatureExpired) && !errors.Is(err, ErrSignatureMismatch) {
		return newError(errAuthorizerFailure, err.Error())
	}
	// The verifier's error carries AWS's message for the failure, and its
	// type when it has one (an ErrorType method).
	e := newError(errInvalidSignature, err.Error())
	if errors.Is(err, ErrUnknownAccessKey) {
		e.message, e.errorType = "The security token included in the request is invalid.", "UnrecognizedClientException"
	}
	switch err.Error() {
	case ErrSignatureMismatch.Error(), ErrUnknownAccessKey.Error(), ErrSignatureExpired.Error():
	default:
		e.message = err.Error()
	}
	var typed interface{ ErrorType() string }
	if errors.As(err, &typed) && typed.ErrorType() != "" {
		e.errorType = typed.ErrorType()
	}
	return e
}
