package runtime

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strconv"
	"time"

	"gwc.dev/gwc/artifact"
)

// API keys, usage plans and throttling (§5). Key values come from the
// serving options, never from the artifact; the state of buckets and
// quotas lives in a UsageStore so that several processes can share it.

// keyring holds the API's keys and usage plans, prepared.
type keyring struct {
	// fromAuthorizer: the key is the authorizer's usageIdentifierKey
	// (apiKeySource AUTHORIZER) rather than the X-API-Key header.
	fromAuthorizer bool
	keys           []*apiKey
	// stageThrottles are the stages' method settings: by stage, then by
	// "path VERB", with "*" for any path or verb. Each method has its own
	// bucket, "*/*" giving the limits of those without their own.
	stageThrottles map[string]map[string]bucket
	loaded         time.Time
}

type apiKey struct {
	name, id string
	enabled  bool
	digest   [sha256.Size]byte
	hasValue bool
	value    string
	// plans are the key's usage plans by stage name.
	plans map[string]*usagePlan
}

type usagePlan struct {
	id       string
	throttle *bucket
	quota    *artifact.Quota
	// methods are per-method throttles by stage, then "path VERB".
	methods map[string]map[string]bucket
}

type bucket struct {
	rate  float64
	burst int
}

func bucketOf(t *artifact.Throttle) *bucket {
	if t == nil || t.RateLimit == nil && t.BurstLimit == nil {
		return nil
	}
	b := &bucket{rate: 10000, burst: 5000} // the account's limits stand in for an unset half
	if t.RateLimit != nil {
		b.rate = *t.RateLimit
	}
	if t.BurstLimit != nil {
		b.burst = *t.BurstLimit
	}
	return b
}

func (api *API) loadUsage(a *artifact.API) *keyring {
	kr := &keyring{fromAuthorizer: a.APIKeySource == "AUTHORIZER", stageThrottles: map[string]map[string]bucket{}, loaded: api.opts.Now()}
	byName := map[string]*apiKey{}
	for _, k := range a.APIKeys {
		ak := &apiKey{name: k.Name, id: k.ID, enabled: k.Enabled, plans: map[string]*usagePlan{}}
		v, ok := api.opts.APIKeys[k.Name]
		if !ok && api.opts.APIKeyLookup != nil {
			v, ok = api.opts.APIKeyLookup(k.Name)
		}
		if ok {
			ak.value, ak.hasValue, ak.digest = v, true, sha256.Sum256([]byte(v))
		} else {
			api.Warnings = append(api.Warnings, fmt.Sprintf("API key %s has no value (gwc serve --api-key %s=VALUE); requests cannot use it", k.Name, k.Name))
		}
		kr.keys = append(kr.keys, ak)
		byName[k.Name] = ak
	}
	throttled := false
	for _, p := range a.UsagePlans {
		up := &usagePlan{id: p.ID, throttle: bucketOf(p.Throttle), quota: p.Quota, methods: map[string]map[string]bucket{}}
		throttled = throttled || up.throttle != nil || up.quota != nil
		for _, st := range p.Stages {
			for _, mt := range st.Throttles {
				if b := bucketOf(mt.Throttle); b != nil {
					if up.methods[st.Stage] == nil {
						up.methods[st.Stage] = map[string]bucket{}
					}
					up.methods[st.Stage][mt.ResourcePath+" "+mt.Verb] = *b
					throttled = true
				}
			}
			for _, name := range p.Keys {
				if k := byName[name]; k != nil {
					k.plans[st.Stage] = up
				}
			}
		}
	}
	for _, s := range a.Stages {
		for _, ms := range s.MethodSettings {
			b := bucketOf(&artifact.Throttle{RateLimit: ms.ThrottleRate, BurstLimit: ms.ThrottleBurst})
			if b == nil {
				continue
			}
			if kr.stageThrottles[s.Name] == nil {
				kr.stageThrottles[s.Name] = map[string]bucket{}
			}
			kr.stageThrottles[s.Name][ms.ResourcePath+" "+ms.Verb] = *b
			throttled = true
		}
	}
	if throttled && api.opts.Usage == nil {
		api.Warnings = append(api.Warnings, "usage plans and stage throttling are not enforced: no usage state store is configured")
	}
	return kr
}

// checkUsage runs the API key check and the usage plan's and stage's
// throttles and quota (§5, step 5 of §1): the key first, then the plan's
// method or plan throttle, the plan's quota, and the stage's throttle.
func (api *API) checkUsage(ctx context.Context, rq *request) *gatewayError {
	m := rq.method
	kr := api.keys
	if m.apiKeyRequired {
		presented, ok := "", false
		if kr.fromAuthorizer {
			if rq.auth != nil && rq.auth.usageKey != "" {
				presented, ok = rq.auth.usageKey, true
			}
		} else {
			presented, ok = rq.header.getFold("X-API-Key")
		}
		key := kr.find(presented)
		var plan *usagePlan
		if key != nil {
			plan = key.plans[rq.stage.Name]
		}
		if !ok || key == nil || !key.enabled || plan == nil {
			rq.log.step(phaseUsagePlan, "API Key not authorized: it is missing, unknown, disabled or in no usage plan of this stage")
			return newError(errInvalidAPIKey, "invalid API key")
		}
		rq.apiKey, rq.apiKeyID = key.value, key.id
		if rq.log.on() {
			rq.log.step(phaseUsagePlan, "Verifying Usage Plan for request: %s. API Key: %s API Stage: %s/%s", rq.requestID, key.id, api.ID, rq.stage.Name)
		}
		if gerr := api.checkPlan(ctx, rq, key, plan); gerr != nil {
			return gerr
		}
	} else if rq.log.on() && len(kr.keys) > 0 {
		rq.log.step(phaseUsagePlan, "API Key authorized because method '%s %s' does not require API Key. Request will not contribute to throttle or quota limits", m.Verb, m.Resource.Path)
	}
	if st := kr.stageThrottles[rq.stage.Name]; st != nil && api.opts.Usage != nil {
		b, ok := st[m.Resource.Path+" "+m.Verb]
		if !ok {
			b, ok = st[m.Resource.Path+" *"]
		}
		if !ok {
			b, ok = st["* *"]
		}
		if ok {
			allowed, err := api.opts.Usage.Allow(ctx, "s:"+api.ID+":"+rq.stage.Name+":"+m.Verb+":"+m.Resource.Path, b.rate, b.burst, rq.start)
			if err != nil {
				return usageStoreError(rq, err)
			}
			if !allowed {
				if rq.log.on() {
					rq.log.step(phaseUsagePlan, "Method throttle limit exceeded for RestApi %s, Stage %s, Resource %s, HttpMethod %s. Limit: %.2f Burst: %d", api.ID, rq.stage.Name, m.Resource.ID, m.Verb, b.rate, b.burst)
				}
				return newError(errThrottled, "stage throttle")
			}
		}
	}
	return nil
}

func usageStoreError(rq *request, err error) *gatewayError {
	if rq.log.on() {
		rq.log.step(phaseUsagePlan, "Execution failed: the usage state store failed: %v", err)
	}
	return newError(errDefault5XX, "usage state store: "+err.Error())
}

// checkPlan applies a usage plan's throttle and quota to a key.
func (api *API) checkPlan(ctx context.Context, rq *request, key *apiKey, plan *usagePlan) *gatewayError {
	store := api.opts.Usage
	if store == nil {
		return nil
	}
	m := rq.method
	b, perMethod := plan.methods[rq.stage.Name][m.Resource.Path+" "+m.Verb]
	name := "p:" + plan.id + ":" + key.id
	if perMethod {
		name += ":" + rq.stage.Name + ":" + m.Verb + ":" + m.Resource.Path
	} else if plan.throttle != nil {
		b = *plan.throttle
	}
	if perMethod || plan.throttle != nil {
		allowed, err := store.Allow(ctx, name, b.rate, b.burst, rq.start)
		if err != nil {
			return usageStoreError(rq, err)
		}
		if !allowed {
			if rq.log.on() {
				rq.log.step(phaseUsagePlan, "Key throttle limit exceeded for RestApi %s, Stage %s, Resource %s, HttpMethod %s. Limit: %.2f Burst: %d", api.ID, rq.stage.Name, m.Resource.ID, m.Verb, b.rate, b.burst)
			}
			return newError(errThrottled, "key throttle")
		}
	}
	if q := plan.quota; q != nil {
		start, end := quotaPeriod(q.Period, rq.start)
		limit := int64(q.Limit)
		if ls, _ := quotaPeriod(q.Period, api.keys.loaded); ls.Equal(start) {
			// The offset is subtracted in the first period only, taken
			// as the one the API was loaded in (docs/decisions.md).
			limit -= int64(q.Offset)
		}
		allowed, err := store.Count(ctx, "q:"+plan.id+":"+key.id+":"+strconv.FormatInt(start.Unix(), 10), limit, end)
		if err != nil {
			return usageStoreError(rq, err)
		}
		if !allowed {
			if rq.log.on() {
				rq.log.step(phaseUsagePlan, "Usage plan quota exceeded for API Key %s: %d requests per %s", key.id, q.Limit, q.Period)
			}
			return newError(errQuotaExceeded, "quota")
		}
	}
	if rq.log.on() {
		rq.log.step(phaseUsagePlan, "Usage Plan check succeeded for API Key %s and API Stage %s/%s", key.id, api.ID, rq.stage.Name)
	}
	return nil
}

// quotaPeriod returns the UTC calendar period (DAY, WEEK starting Monday,
// MONTH) holding t.
func quotaPeriod(period string, t time.Time) (start, end time.Time) {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch period {
	case "WEEK":
		offset := (int(day.Weekday()) + 6) % 7 // days since Monday
		start = day.AddDate(0, 0, -offset)
		return start, start.AddDate(0, 0, 7)
	case "MONTH":
		start = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 1, 0)
	}
	return day, day.AddDate(0, 0, 1)
}

// find returns the key whose value is v, comparing digests in constant
// time so that the time taken says nothing about the values.
func (kr *keyring) find(v string) *apiKey {
	if v == "" {
		return nil
	}
	d := sha256.Sum256([]byte(v))
	var found *apiKey
	for _, k := range kr.keys {
		if k.hasValue && subtle.ConstantTimeCompare(d[:], k.digest[:]) == 1 {
			found = k
		}
	}
	return found
}
