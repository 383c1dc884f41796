package cfn

import (
	"strings"

	"gwc.dev/gwc/schema"
)

// Every thing in the template has a key, its identity in the model, from
// which its logical ID is derived once for the whole API (nameAll). The
// key functions below are the only way code finds a logical ID, so that a
// thing is named the same wherever it is referred to.

func resourceKey(path string) string      { return "resource " + path }
func methodKey(path, verb string) string  { return "method " + path + " " + verb }
func modelKey(name string) string         { return "model " + name }
func validatorKey(name string) string     { return "validator " + name }
func authorizerKey(name string) string    { return "authorizer " + name }
func gatewayResponseKey(t string) string  { return "gatewayresponse " + t }
func stageKey(name string) string         { return "stage " + name }
func webACLKey(stage string) string       { return "webacl " + stage }
func usagePlanKey(name string) string     { return "usageplan " + name }
func apiKeyKey(name string) string        { return "apikey " + name }
func planKeyKey(plan, key string) string  { return "usageplankey " + plan + "\x00" + key }
func domainKey(name string) string        { return "domain " + name }
func mappingKey(domain, bp string) string { return "mapping " + domain + "\x00" + bp }

const (
	deploymentKey = "deployment"
	docVersionKey = "documentationversion"
)

func docPartKey(p *schema.DocumentationPart) string {
	return "docpart " + strings.Join([]string{p.Type, p.Path, p.Method, p.StatusCode, p.Name}, "\x00")
}

// id returns the logical ID of the thing with key k ("" when there is
// none, such as the root resource).
func (e *emitter) id(k string) string { return e.ids[k] }

// nameAll decides every logical ID. The resource tree goes first, so that
// its IDs never depend on what else the API declares; the rest follows in
// one batch.
func (e *emitter) nameAll() {
	a := e.api
	alloc := newIDAllocator(apiID)
	for _, r := range a.Resources {
		if r.Path != "/" {
			alloc.want(resourceKey(r.Path), "Resource"+pascal(r.Path))
		}
	}
	for _, p := range impliedParents(a.Resources) {
		alloc.want(resourceKey(p), "Resource"+pascal(p))
	}
	e.merge(alloc.resolve())

	for _, r := range a.Resources {
		under := strings.TrimPrefix(e.id(resourceKey(r.Path)), "Resource")
		for _, m := range r.Methods {
			alloc.want(methodKey(r.Path, m.Verb), "Method"+under+pascal(m.Verb))
		}
	}
	for _, m := range a.Models {
		alloc.want(modelKey(m.Name), "Model"+pascal(m.Name))
	}
	for _, v := range a.RequestValidators {
		alloc.want(validatorKey(v.Name), "RequestValidator"+pascal(v.Name))
	}
	for _, au := range a.Authorizers {
		alloc.want(authorizerKey(au.Name), "Authorizer"+pascal(au.Name))
	}
	for _, g := range a.GatewayResponses {
		alloc.want(gatewayResponseKey(g.Type), "GatewayResponse"+pascal(g.Type))
	}
	alloc.want(deploymentKey, "Deployment"+e.hexDigest[:12])
	for _, s := range a.Stages {
		alloc.want(stageKey(s.Name), "Stage"+pascal(s.Name))
		if s.WebACLArn != "" {
			alloc.want(webACLKey(s.Name), "WebAclAssociation"+pascal(s.Name))
		}
	}
	for _, p := range a.UsagePlans {
		alloc.want(usagePlanKey(p.Name), "UsagePlan"+pascal(p.Name))
		for _, k := range p.Keys {
			alloc.want(planKeyKey(p.Name, k), "UsagePlanKey"+pascal(p.Name)+pascal(k))
		}
	}
	for _, k := range a.APIKeys {
		alloc.want(apiKeyKey(k.Name), "ApiKey"+pascal(k.Name))
	}
	for _, d := range a.DomainNames {
		alloc.want(domainKey(d.Name), "DomainName"+pascal(d.Name))
		for _, m := range d.Mappings {
			alloc.want(mappingKey(d.Name, m.BasePath), "BasePathMapping"+pascal(d.Name)+pascal(m.BasePath))
		}
	}
	if doc := a.Documentation; doc != nil {
		for _, p := range doc.Parts {
			alloc.want(docPartKey(p), "DocumentationPart"+pascal(strings.Join([]string{p.Type, p.Path, p.Method, p.StatusCode, p.Name}, " ")))
		}
		if doc.Version != "" {
			alloc.want(docVersionKey, "DocumentationVersion")
		}
	}
	e.lambda = e.lambdaCalls()
	for _, c := range e.lambda {
		alloc.want(lambdaPermissionKey(c.function), lambdaPermissionBase(c.function))
	}
	e.merge(alloc.resolve())
	e.resourceIDs[apiID] = true
}

func (e *emitter) merge(ids map[string]string) {
	for k, id := range ids {
		e.ids[k] = id
		e.resourceIDs[id] = true
	}
}

// impliedParents lists the paths the resources imply but do not declare
// (compile adds them; a hand-made model may not have).
func impliedParents(resources []*schema.Resource) []string {
	declared := map[string]bool{}
	for _, r := range resources {
		declared[r.Path] = true
	}
	var out []string
	for _, r := range resources {
		for p := parentPath(r.Path); p != "/"; p = parentPath(p) {
			if !declared[p] {
				declared[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// parentPath is the path of a resource's parent ("/" for top-level ones).
func parentPath(path string) string {
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return "/"
	}
	return path[:i]
}

// pathPart is the last segment of a resource path.
func pathPart(path string) string { return path[strings.LastIndexByte(path, '/')+1:] }
