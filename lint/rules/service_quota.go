package rules

import (
	"encoding/json"
	"fmt"
	"os"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var serviceQuota = &lint.Rule{
	ID:       "SERVICE_QUOTA",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "More of something than API Gateway's default quotas allow (resources, authorizers, stages, variables, policy size, ...)",
	Check:    checkQuotas,
}

// Default quotas (§15.2). The raisable ones are worth a warning too: a
// deployment fails until the increase is granted.
const (
	maxResources         = 300
	maxAuthorizers       = 10
	maxStages            = 10
	maxStageVariables    = 100
	maxPolicyChars       = 8192
	maxUsagePlans        = 300
	maxPlansPerKey       = 10
	maxAPIKeys           = 10000
	maxPlanThrottles     = 20
	maxDomainNames       = 120
	maxStageTags         = 50
	maxOpenAPIImportSize = 6 << 20
)

func checkQuotas(p *lint.Pass) {
	a := p.API
	over := func(at diag.Range, n, limit int, what, raise string) {
		if n > limit {
			p.Reportf(at, "%d %s exceed API Gateway's quota of %d%s", n, what, limit, raise)
		}
	}
	const raisable = " (a default that AWS raises on request; the deployment fails until then)"
	const hard = " (a hard limit)"
	over(schema.KeyAt(a.Src, "resources"), len(a.Resources), maxResources, "resources (with the implied parents)", raisable)
	over(schema.KeyAt(a.Src, "authorizers"), len(a.Authorizers), maxAuthorizers, "authorizers", raisable)
	if len(a.Stages) > 0 && a.Stages[0].Src != a.Src {
		over(schema.KeyAt(a.Src, "stages"), len(a.Stages), maxStages, "stages", raisable)
	}
	over(schema.KeyAt(a.Src, "usagePlans"), len(a.UsagePlans), maxUsagePlans, "usage plans", " per account and region"+raisable)
	over(schema.KeyAt(a.Src, "apiKeys"), len(a.APIKeys), maxAPIKeys, "API keys", " per account and region"+hard)
	over(schema.KeyAt(a.Src, "domainNames"), len(a.DomainNames), maxDomainNames, "custom domain names", " per account and region"+raisable)
	for _, s := range a.Stages {
		if s.Src == a.Src {
			continue
		}
		over(schema.KeyAt(s.Src, "variables"), len(s.Variables), maxStageVariables, "variables on stage "+s.Name, hard)
		over(schema.KeyAt(s.Src, "tags"), len(s.Tags), maxStageTags, "tags on stage "+s.Name, hard)
	}
	for _, up := range a.UsagePlans {
		for _, st := range up.Stages {
			over(st.Src.KeyRange(), len(st.Throttles), maxPlanThrottles, fmt.Sprintf("method throttles for stage %s in usage plan %s", st.Stage, up.Name), raisable)
		}
	}
	plansOf := map[string][]string{}
	for _, up := range a.UsagePlans {
		for _, k := range up.Keys {
			plansOf[k] = append(plansOf[k], up.Name)
		}
	}
	for _, k := range a.APIKeys {
		over(k.Src.KeyRange(), len(plansOf[k.Name]), maxPlansPerKey, "usage plans holding API key "+k.Name, raisable)
	}
	if a.Policy != nil {
		if b, err := json.Marshal(a.Policy); err == nil {
			over(schema.KeyAt(a.Src, "policy"), len(b), maxPolicyChars, "characters of resource policy", raisable)
		}
	}
	if p.Def.Format == "openapi" {
		for name := range p.Def.Files {
			if fi, err := os.Stat(name); err == nil {
				over(diag.At(diag.Pos{File: name, Line: 1, Col: 1}), int(fi.Size()), maxOpenAPIImportSize, "bytes of OpenAPI document", ": API Gateway imports definitions of at most 6 MB"+hard)
			}
		}
	}
}
