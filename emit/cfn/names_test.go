package cfn

import (
	"slices"
	"strings"
	"testing"

	"gwc.dev/gwc/schema"
)

func TestPascal(t *testing.T) {
	for in, want := range map[string]string{
		"/pets/{petId}":   "PetsPetId",
		"/files/{path+}":  "FilesPath",
		"api.example.com": "ApiExampleCom",
		"DEFAULT_4XX":     "Default4xx",
		"GET":             "Get",
		"dev":             "Dev",
		"myAPI":           "MyAPI",
		"lambda_arn":      "LambdaArn",
		"MyFunction.Arn":  "MyFunctionArn",
		"v1/items":        "V1Items",
		"café":            "Caf", // non-ASCII letters separate words
		"":                "",
	} {
		if got := pascal(in); got != want {
			t.Errorf("pascal(%q) = %q, want %q", in, got, want)
		}
	}
}

// The logical IDs the issue names.
func TestReadableLogicalIDs(t *testing.T) {
	api := petstore()
	api.Models = []*schema.Model{{Name: "Pet", Schema: map[string]any{"type": "object"}}}
	api.UsagePlans = []*schema.UsagePlan{{Name: "basic", Stages: []*schema.UsagePlanStage{{Stage: "dev"}}}}
	doc, _ := emitDoc(t, api)
	for _, id := range []string{"Api", "ResourcePets", "ResourcePetsPetId", "MethodPetsGet", "MethodPetsPetIdGet", "ModelPet", "StageDev", "UsagePlanBasic", "Deployment0123456789ab"} {
		if !has(doc, "Resources", id) {
			t.Errorf("no resource %s", id)
		}
	}
}

// Paths that read alike get distinct IDs: the first in order keeps the
// plain one, the others a hash of their path. The result does not depend
// on the order of the definition.
func TestLogicalIDCollisions(t *testing.T) {
	ids := func(paths ...string) map[string]string {
		api := petstore()
		api.Resources = nil
		for _, p := range paths {
			api.Resources = append(api.Resources, &schema.Resource{Path: p, Methods: []*schema.Method{{
				Verb: "GET", Integration: &schema.Integration{Type: schema.MOCK},
			}}})
		}
		e := newEmitter(api, testDigest[7:], Options{})
		e.nameAll()
		out := map[string]string{}
		for _, p := range paths {
			out[p] = e.id(resourceKey(p))
			out[p+" GET"] = e.id(methodKey(p, "GET"))
		}
		return out
	}
	a := ids("/user-profile", "/user_profile", "/userProfile")
	b := ids("/userProfile", "/user_profile", "/user-profile")
	if !sameIDs(a, b) {
		t.Errorf("IDs depend on the definition's order:\n%v\n%v", a, b)
	}
	if a["/user-profile"] != "ResourceUserProfile" {
		t.Errorf("the first path in order should keep the plain ID, got %v", a)
	}
	seen := map[string]bool{}
	for _, id := range a {
		if seen[id] {
			t.Errorf("duplicate ID %s in %v", id, a)
		}
		seen[id] = true
		if !isLogicalID(id) {
			t.Errorf("invalid logical ID %q", id)
		}
	}
	if !strings.HasPrefix(a["/user_profile"], "ResourceUserProfile") || len(a["/user_profile"]) != len("ResourceUserProfile")+8 {
		t.Errorf("a colliding path should get the plain ID and an 8-character hash, got %q", a["/user_profile"])
	}
	if a["/user_profile GET"] != "MethodUserProfile"+strings.TrimPrefix(a["/user_profile"], "ResourceUserProfile")+"Get" {
		t.Errorf("a method's ID should follow its resource's, got %q for resource %q", a["/user_profile GET"], a["/user_profile"])
	}
}

func TestLongPathsStayValidLogicalIDs(t *testing.T) {
	long := "/" + strings.Repeat("segment/", 40) + "end"
	api := petstore()
	api.Resources = append(api.Resources, &schema.Resource{Path: long, Methods: []*schema.Method{{Verb: "GET", Integration: &schema.Integration{Type: schema.MOCK}}}})
	e := newEmitter(api, testDigest[7:], Options{})
	e.nameAll()
	for _, k := range []string{resourceKey(long), methodKey(long, "GET")} {
		if id := e.id(k); !isLogicalID(id) {
			t.Errorf("%s: invalid logical ID %q (%d characters)", k, id, len(id))
		}
	}
}

func TestAllocatorKeepsEarlierBatches(t *testing.T) {
	a := newIDAllocator("Api")
	a.want("x", "Api")
	a.want("y", "Thing")
	first := a.resolve()
	a.want("z", "Thing")
	a.want("w", "thing") // differs only in case
	second := a.resolve()
	if first["x"] == "Api" || !strings.HasPrefix(first["x"], "Api") {
		t.Errorf("a reserved ID was given away: %v", first)
	}
	if first["y"] != "Thing" {
		t.Errorf("want Thing, got %v", first)
	}
	ids := []string{first["x"], first["y"], second["z"], second["w"]}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if strings.EqualFold(ids[i], ids[i-1]) {
			t.Errorf("IDs collide (ignoring case): %v", ids)
		}
	}
}

func sameIDs(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
