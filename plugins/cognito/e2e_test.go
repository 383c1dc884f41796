package cognito_test

import (
	"context"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"gwc.dev/gwc/internal/testapi"
	"gwc.dev/gwc/runtime"
)

// loadAPI compiles a definition and loads it as gwc serve does.
func loadAPI(t *testing.T, src string, opts runtime.Options) *runtime.API {
	t.Helper()
	a, digest := testapi.Compile(t, src)
	api, err := runtime.Load(a, digest, opts)
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// TestRuntime: the runtime's Cognito authorizer with this verifier: a
// token signed with the pool's key passes and its claims reach the
// template; one signed with another key does not.
func TestRuntime(t *testing.T) {
	v := newVerifier(t, nil)
	api := loadAPI(t, `
api:
  test:
    authorizers:
      users:
        type: COGNITO_USER_POOLS
        providerARNs: ["`+poolARN+`"]
    resources:
      /me:
        GET:
          authorizer: users
          integration:
            mock:
              templates: {application/json: '{"statusCode": 200}'}
              responses: {default: {status: 200, templates: {application/json: '$context.authorizer.claims.sub $context.authorizer.claims.exp'}}}
          responses: {"200": {}}
`, runtime.Options{Tokens: v})
	call := func(tok string) *runtime.Response {
		return api.Invoke(context.Background(), &runtime.InvokeRequest{Method: "GET", Target: "/dev/me",
			Header: []runtime.Field{{Name: "Authorization", Value: tok}}})
	}
	r := call(sign(t, jwt.SigningMethodRS256, rsa1, "k1", idClaims()))
	// exp 1700003600 is Tue Nov 14 23:13:20 UTC 2023.
	if r.Status != 200 || string(r.Body) != "5f7b-user Tue Nov 14 23:13:20 UTC 2023" {
		t.Errorf("good token: %d %s", r.Status, r.Body)
	}
	r = call(sign(t, jwt.SigningMethodRS256, rsa2, "k1", idClaims()))
	if r.Status != 401 || !strings.Contains(string(r.Body), "Unauthorized") {
		t.Errorf("forged token: %d %s", r.Status, r.Body)
	}
}
