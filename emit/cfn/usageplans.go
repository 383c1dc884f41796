package cfn

import (
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"gwc.dev/gwc/schema"
)

// usagePlans adds the usage plans, the API keys, and a UsagePlanKey for
// each key a plan names. API keys get no Value: API Gateway generates one,
// and gwc supplies values only when serving.
func (e *emitter) usagePlans() {
	for _, k := range e.api.APIKeys {
		enabled := k.Enabled
		e.add(e.id(apiKeyKey(k.Name)), &apigateway.ApiKey{
			Name:        text(k.Name),
			Description: text(k.Description),
			Enabled:     &enabled,
			CustomerId:  text(k.CustomerID),
			Tags:        e.tags(k.Tags),
		})
	}
	for _, p := range e.api.UsagePlans {
		id := e.id(usagePlanKey(p.Name))
		plan := &apigateway.UsagePlan{
			UsagePlanName: text(p.Name),
			Description:   text(p.Description),
			Throttle:      throttle(p.Throttle),
			Tags:          e.tags(p.Tags),
		}
		if q := p.Quota; q != nil {
			limit, offset := q.Limit, q.Offset
			plan.Quota = &apigateway.UsagePlan_QuotaSettings{Limit: &limit, Offset: &offset, Period: text(q.Period)}
		}
		for _, st := range p.Stages {
			if !e.declared.stages[st.Stage] {
				e.errorf(st.Src.KeyRange(), "usage plan %s covers stage %q, which the API does not declare", p.Name, st.Stage)
				continue
			}
			plan.ApiStages = append(plan.ApiStages, e.apiStage(st))
		}
		e.add(id, plan)
		for _, k := range p.Keys {
			if !e.declared.apiKeys[k] {
				e.errorf(p.Src.KeyRange(), "usage plan %s names API key %q, which the API does not declare", p.Name, k)
				continue
			}
			e.add(e.id(planKeyKey(p.Name, k)), &apigateway.UsagePlanKey{
				KeyId:       e.ref(e.id(apiKeyKey(k))),
				KeyType:     "API_KEY",
				UsagePlanId: e.ref(id),
			})
		}
	}
}

// apiStage is one stage a plan covers. The stage is named by Ref (a
// Stage's Ref is its name), so the plan waits for the stage to exist.
// Per-method throttles are keyed "/{resource path}/{VERB}", "//GET" for
// the root resource.
func (e *emitter) apiStage(st *schema.UsagePlanStage) apigateway.UsagePlan_ApiStage {
	out := apigateway.UsagePlan_ApiStage{
		ApiId: text(e.ref(apiID)),
		Stage: text(e.ref(e.id(stageKey(st.Stage)))),
	}
	if len(st.Throttles) > 0 {
		out.Throttle = map[string]apigateway.UsagePlan_ThrottleSettings{}
		for _, t := range st.Throttles {
			settings := apigateway.UsagePlan_ThrottleSettings{}
			if ts := throttle(&t.Throttle); ts != nil {
				settings = *ts
			}
			out.Throttle[throttleKey(t.ResourcePath, t.Verb)] = settings
		}
	}
	return out
}

func throttleKey(path, verb string) string {
	if path == "/" {
		return "//" + verb
	}
	return path + "/" + verb
}

func throttle(t *schema.Throttle) *apigateway.UsagePlan_ThrottleSettings {
	if t == nil || (t.RateLimit == nil && t.BurstLimit == nil) {
		return nil
	}
	return &apigateway.UsagePlan_ThrottleSettings{RateLimit: t.RateLimit, BurstLimit: t.BurstLimit}
}
