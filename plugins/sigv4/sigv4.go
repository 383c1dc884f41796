// Package sigv4 verifies AWS Signature Version 4 on requests to AWS_IAM
// methods (§4.2), for the runtime's SignatureVerifier interface.
//
// API Gateway recomputes the signature of a request from the caller's
// secret key and compares it with the one the request carries. Locally
// the keys are the credentials the serving configuration lists; the
// verifier checks the form of the signature (in the Authorization header
// or, for presigned URLs, in the query string), its date, its scope
// (region, service, date), the session token, and the signature itself.
// It evaluates no IAM policy: a known caller is allowed.
//
// The order of the checks and the wording of the errors are AWS's, as
// recorded from its services (see the tests for the sources); the
// canonical request follows the SigV4 specification for services other
// than S3, with aws-sdk-go-v2's signer as the reference implementation.
package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gwc.dev/gwc/runtime"
)

// Config lists the credentials whose signatures are accepted. It is part
// of the serving configuration.
type Config struct {
	Credentials []Credential `json:"credentials" yaml:"credentials"`
	// ClockSkew is how far a signature's date may be from the current
	// time (default 5m, as API Gateway answers "… (… - 5 min.)").
	ClockSkew Duration `json:"clock_skew,omitempty" yaml:"clock_skew,omitempty"`
}

// Credential is an access key and who it belongs to: the fields of
// $context.identity for requests it signs.
type Credential struct {
	AccessKeyID     string `json:"access_key_id" yaml:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key" yaml:"secret_access_key"`
	// SessionToken, when set, must come with every request the key signs
	// (X-Amz-Security-Token), as for temporary credentials; when empty, a
	// request with a token is refused.
	SessionToken string `json:"session_token,omitempty" yaml:"session_token,omitempty"`
	// AccountID defaults to the account of UserARN.
	AccountID string `json:"account_id,omitempty" yaml:"account_id,omitempty"`
	// UserARN is the caller's ARN: arn:aws:iam::123456789012:user/name,
	// or arn:aws:sts::123456789012:assumed-role/role/session.
	UserARN string `json:"user_arn,omitempty" yaml:"user_arn,omitempty"`
	// User and Caller are the principal's ID (AIDA… for a user,
	// AROA…:session for a role); each defaults to the other, as they are
	// equal for both.
	User   string `json:"user,omitempty" yaml:"user,omitempty"`
	Caller string `json:"caller,omitempty" yaml:"caller,omitempty"`
	// PrincipalOrgID is the caller's AWS Organizations ID.
	PrincipalOrgID string `json:"principal_org_id,omitempty" yaml:"principal_org_id,omitempty"`
}

// DefaultClockSkew is how far from the current time a signature's date
// may be: five minutes, as API Gateway's expiry messages say.
const DefaultClockSkew = 5 * time.Minute

// maxExpires is the longest a presigned URL lasts (seven days): a
// signing key is valid for no longer.
const maxExpires = 604800

// Verifier is a runtime.SignatureVerifier.
type Verifier struct {
	creds map[string]*Credential
	skew  time.Duration
}

var _ runtime.SignatureVerifier = (*Verifier)(nil)

// arnAccount reads the account of an IAM or STS ARN.
var arnAccount = regexp.MustCompile(`^arn:[a-z-]+:(?:iam|sts)::(\d{12}):`)

// New checks the credentials.
func New(cfg Config) (*Verifier, error) {
	v := &Verifier{creds: map[string]*Credential{}, skew: time.Duration(cfg.ClockSkew)}
	if v.skew < 0 {
		return nil, errors.New("sigv4: clock_skew must not be negative")
	}
	if v.skew == 0 {
		v.skew = DefaultClockSkew
	}
	for i, c := range cfg.Credentials {
		switch {
		case c.AccessKeyID == "":
			return nil, fmt.Errorf("sigv4: credentials[%d]: access_key_id is empty", i)
		case c.SecretAccessKey == "":
			return nil, fmt.Errorf("sigv4: credentials[%d]: secret_access_key is empty", i)
		case v.creds[c.AccessKeyID] != nil:
			return nil, fmt.Errorf("sigv4: credentials[%d]: access key %s is listed twice", i, c.AccessKeyID)
		}
		if c.AccountID == "" {
			if m := arnAccount.FindStringSubmatch(c.UserARN); m != nil {
				c.AccountID = m[1]
			}
		}
		if c.User == "" {
			c.User = c.Caller
		}
		if c.Caller == "" {
			c.Caller = c.User
		}
		v.creds[c.AccessKeyID] = &c
	}
	return v, nil
}

// Error is a verification failure with API Gateway's message and error
// type. It wraps the runtime's error for its kind.
type Error struct {
	// Type is AWS's x-amzn-ErrorType: IncompleteSignatureException,
	// InvalidSignatureException or UnrecognizedClientException.
	Type string
	// Message is AWS's text.
	Message string
	kind    error
}

func (e *Error) Error() string { return e.Message }

// ErrorType is the x-amzn-ErrorType API Gateway answers with.
func (e *Error) ErrorType() string { return e.Type }
func (e *Error) Unwrap() error     { return e.kind }

func incomplete(msg string) error {
	return &Error{"IncompleteSignatureException", msg, runtime.ErrSignatureMismatch}
}

func invalid(msg string) error {
	return &Error{"InvalidSignatureException", msg, runtime.ErrSignatureMismatch}
}

func expired(msg string) error {
	return &Error{"InvalidSignatureException", msg, runtime.ErrSignatureExpired}
}

func unrecognized(msg string) error {
	return &Error{"UnrecognizedClientException", msg, runtime.ErrUnknownAccessKey}
}

const (
	algorithm     = "AWS4-HMAC-SHA256"
	terminator    = "aws4_request"
	amzDateFormat = "20060102T150405Z"
	// msgMismatch is AWS's text for a signature that does not match;
	// the canonical request and string to sign follow it.
	msgMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// signature is what a request says of its signature, from the
// Authorization header or the query string.
type signature struct {
	presigned                                   bool
	algorithm, credential, signedHeaders, value string
	date                                        time.Time
	expires                                     time.Duration
	hasExpires                                  bool
	token                                       string
	hasToken                                    bool
}

// VerifySignature verifies a request's signature, in AWS's order: the
// form, the date and expiry, the host being signed, the algorithm, the
// credential and its scope, the access key, the payload hash, the
// signature, the session token.
func (v *Verifier) VerifySignature(ctx context.Context, r *runtime.SignedRequest) (*runtime.Caller, error) {
	h := headers(r.Header)
	query := parseQuery(r.RawQuery)
	sig, err := v.read(h, query)
	if err != nil {
		return nil, err
	}
	now := r.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := v.checkTime(sig, now.UTC()); err != nil {
		return nil, err
	}
	signed := strings.Split(sig.signedHeaders, ";")
	if !hasHost(signed) {
		return nil, invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if sig.algorithm != algorithm {
		return nil, incomplete("Unsupported AWS 'algorithm': '" + sig.algorithm + "' (only AWS4-HMAC-SHA256 for now). ")
	}
	scope := strings.Split(sig.credential, "/")
	if len(scope) != 5 {
		return nil, incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + sig.credential + "'")
	}
	if msg := checkScope(scope, r.Region, r.Service, sig.date); msg != "" {
		return nil, invalid(msg)
	}
	cred := v.creds[scope[0]]
	if cred == nil {
		return nil, unrecognized("The security token included in the request is invalid.")
	}
	bodyHash := sha256Hex(r.Body)
	payloadHash := bodyHash
	hv, ok := h.last("X-Amz-Content-Sha256")
	if !ok && sig.presigned {
		hv, ok = query.first("X-Amz-Content-Sha256")
	}
	if ok {
		// The client's hash is what it signed; it must be the hash of
		// the body received, or the body could be replaced under a
		// valid signature. Values such as UNSIGNED-PAYLOAD (S3's) are
		// refused for the same reason.
		if !strings.EqualFold(hv, bodyHash) {
			return nil, invalid("The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
		payloadHash = hv
	}
	canonical := canonicalRequest(r.Method, r.Path, query, sig.presigned, signed, sig.signedHeaders, h, payloadHash)
	stringToSign := algorithm + "\n" + sig.date.Format(amzDateFormat) + "\n" + strings.Join(scope[1:], "/") + "\n" + sha256Hex([]byte(canonical))
	key := signingKey(cred.SecretAccessKey, scope[1], scope[2], scope[3])
	want := hex.EncodeToString(hmacSHA256(key, []byte(stringToSign)))
	if subtle.ConstantTimeCompare([]byte(want), []byte(sig.value)) != 1 {
		return nil, invalid(msgMismatch + "\n\nThe Canonical String for this request should have been\n'" + canonical +
			"'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n")
	}
	if cred.SessionToken != "" || sig.hasToken {
		if !sig.hasToken || subtle.ConstantTimeCompare([]byte(sig.token), []byte(cred.SessionToken)) != 1 {
			return nil, unrecognized("The security token included in the request is invalid")
		}
	}
	return &runtime.Caller{
		AccountID: cred.AccountID, Caller: cred.Caller, User: cred.User, UserARN: cred.UserARN,
		AccessKey: cred.AccessKeyID, PrincipalOrgID: cred.PrincipalOrgID,
	}, nil
}

// read finds the signature in the Authorization header or the query
// string, with its date.
func (v *Verifier) read(h headers, query queryParams) (*signature, error) {
	auth, hasAuth := h.last("Authorization")
	_, hasAlg := query.first("X-Amz-Algorithm")
	if hasAuth && hasAlg {
		return nil, invalid("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
	}
	sig := &signature{}
	var date string
	if hasAuth {
		a, msg := parseAuthorization(auth)
		if msg != "" {
			return nil, incomplete(msg)
		}
		var b strings.Builder
		for _, p := range []struct{ name, value string }{{"Credential", a.credential}, {"Signature", a.signature}, {"SignedHeaders", a.signedHeaders}} {
			// SignedHeaders= with nothing is complete; the host check
			// then refuses it.
			if p.value == "" && (p.name != "SignedHeaders" || !a.hasSignedHeaders) {
				b.WriteString("Authorization header requires '" + p.name + "' parameter. ")
			}
		}
		d, hasDate := h.last("X-Amz-Date")
		useDate := false
		if !hasDate {
			d, useDate = h.last("Date")
		}
		if !hasDate && !useDate {
			b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
		}
		if b.Len() > 0 {
			return nil, incomplete(b.String() + "Authorization=" + auth)
		}
		sig.algorithm, sig.credential, sig.signedHeaders, sig.value = a.algorithm, a.credential, a.signedHeaders, a.signature
		sig.token, sig.hasToken = h.last("X-Amz-Security-Token")
		if useDate {
			t, err := http.ParseTime(d)
			if err != nil {
				return nil, incomplete("Date must be in ISO-8601 'basic format'. Got '" + d + "'. See http://en.wikipedia.org/wiki/ISO_8601")
			}
			sig.date = t.UTC()
			return sig, nil
		}
		date = d
	} else {
		sig.presigned = true
		var b strings.Builder
		for _, p := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
			if x, _ := query.first(p); x == "" {
				b.WriteString("AWS query-string parameters must include '" + p + "'. ")
			}
		}
		if b.Len() > 0 {
			return nil, incomplete(b.String() + "Re-examine the query-string parameters.")
		}
		sig.algorithm, _ = query.first("X-Amz-Algorithm")
		sig.credential, _ = query.first("X-Amz-Credential")
		sig.value, _ = query.first("X-Amz-Signature")
		sig.signedHeaders, _ = query.first("X-Amz-SignedHeaders")
		sig.token, sig.hasToken = query.first("X-Amz-Security-Token")
		date, _ = query.first("X-Amz-Date")
		if e, ok := query.first("X-Amz-Expires"); ok {
			n, err := strconv.Atoi(e)
			switch {
			case err != nil || n < 0:
				return nil, incomplete("X-Amz-Expires should be a number")
			case n > maxExpires:
				return nil, incomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800")
			}
			sig.expires, sig.hasExpires = time.Duration(n)*time.Second, true
		}
	}
	t, err := time.Parse(amzDateFormat, date)
	if err != nil {
		return nil, incomplete("Date must be in ISO-8601 'basic format'. Got '" + date + "'. See http://en.wikipedia.org/wiki/ISO_8601")
	}
	sig.date = t
	return sig, nil
}

// checkTime refuses a signature dated too far from now, or a presigned
// URL past its expiry.
func (v *Verifier) checkTime(sig *signature, now time.Time) error {
	f := func(t time.Time) string { return t.Format(amzDateFormat) }
	window := v.skew
	if sig.hasExpires {
		window = sig.expires
	}
	if earliest := now.Add(-window); sig.date.Before(earliest) {
		return expired("Signature expired: " + f(sig.date) + " is now earlier than " + f(earliest) + " (" + f(now) + " - " + minutes(window) + ".)")
	}
	if latest := now.Add(v.skew); sig.date.After(latest) {
		return expired("Signature not yet current: " + f(sig.date) + " is still later than " + f(latest) + " (" + f(now) + " + " + minutes(v.skew) + ".)")
	}
	return nil
}

// minutes writes a window as AWS's messages do: "5 min", or seconds when
// it is not a whole number of minutes.
func minutes(d time.Duration) string {
	s := int64(d / time.Second)
	if s%60 == 0 {
		return strconv.FormatInt(s/60, 10) + " min"
	}
	return strconv.FormatInt(s, 10) + " sec"
}

func hasHost(signed []string) bool {
	for _, s := range signed {
		if strings.EqualFold(s, "host") || s == ":authority" {
			return true
		}
	}
	return false
}

// checkScope compares a credential's scope with the request: AWS lists
// every difference, in this order.
func checkScope(scope []string, region, service string, date time.Time) string {
	var b strings.Builder
	if scope[2] != region {
		b.WriteString("Credential should be scoped to a valid region, not '" + scope[2] + "'. ")
	}
	if scope[3] != service {
		b.WriteString("Credential should be scoped to correct service: '" + service + "'. ")
	}
	if scope[4] != terminator {
		b.WriteString("Credential should be scoped with a valid terminator: 'aws4_request', not '" + scope[4] + "'. ")
	}
	if d := date.Format("20060102"); scope[1] != d {
		b.WriteString("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + scope[1] + "' != '" + d + "', from '" + date.Format(amzDateFormat) + "'.")
	}
	return b.String()
}

// signingKey derives the key of a day, region and service from a secret
// key.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), []byte(date))
	k = hmacSHA256(k, []byte(region))
	k = hmacSHA256(k, []byte(service))
	return hmacSHA256(k, []byte(terminator))
}

func hmacSHA256(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Duration is a time.Duration written as Go writes durations ("5m") in
// configuration files.
type Duration time.Duration

// MarshalText writes the duration as "5m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads a duration such as "90s" or "15m".
func (d *Duration) UnmarshalText(b []byte) error {
	x, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(x)
	return nil
}
