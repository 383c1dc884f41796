package cognito_test

import (
	"context"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/runtime"
	"gwc.dev/gwc/schema"
)

// loadAPI compiles a definition and loads it as gwc serve does.
func loadAPI(t *testing.T, src string, opts runtime.Options) *runtime.API {
	t.Helper()
	var ds diag.Set
	root, err := schema.ParseYAML(schema.NewFile("api.yaml", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	def := schema.Build(root, &ds)
	var res *compile.Result
	if !ds.HasErrors() {
		res = compile.Compile(def, compile.Options{}, &ds)
	}
	if res == nil {
		for _, d := range ds.Sorted() {
			t.Errorf("%s", d)
		}
		t.Fatal("the definition does not compile")
	}
	m, err := artifact.DecodeManifest(res.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	a, err := artifact.Decode(res.APIJSON, m)
	if err != nil {
		t.Fatal(err)
	}
	api, err := runtime.Load(a, m.Digest, opts)
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
