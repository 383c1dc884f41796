package cfn

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/wafv2"

	"gwc.dev/gwc/schema"
)

// deployment adds the Deployment every stage serves. Its logical ID
// carries the artifact digest, so a changed API gets a new Deployment
// (CloudFormation never updates one in place). A deployment snapshots the
// API as it is when created, so it depends on every method and gateway
// response.
func (e *emitter) deployment(digest string) {
	var deps []string
	for _, r := range e.api.Resources {
		for _, m := range r.Methods {
			deps = append(deps, e.id(methodKey(r.Path, m.Verb)))
		}
	}
	if len(deps) == 0 {
		e.warnf(e.api.Src.KeyRange(), "the API has no methods; API Gateway refuses to deploy an API without methods, so creating its Deployment will fail")
	}
	for _, g := range e.api.GatewayResponses {
		deps = append(deps, e.id(gatewayResponseKey(g.Type)))
	}
	e.add(e.id(deploymentKey), &apigateway.Deployment{
		RestApiId:                  e.ref(apiID),
		Description:                text("gwc " + digest),
		AWSCloudFormationDependsOn: dependsOn(deps...),
	})
}

// stages adds a Stage per stage of the definition, each serving the
// Deployment, and the WAF association of stages that name a web ACL.
func (e *emitter) stages() {
	for _, s := range e.api.Stages {
		id := e.id(stageKey(s.Name))
		st := &apigateway.Stage{
			RestApiId:            e.ref(apiID),
			StageName:            text(s.Name),
			DeploymentId:         text(e.ref(e.id(deploymentKey))),
			Description:          text(s.Description),
			Variables:            variables(s.Variables),
			ClientCertificateId:  e.subPtr(s.ClientCertificateID, use{id, "ClientCertificateId", schema.At(s.Src, "clientCertificateId")}),
			DocumentationVersion: text(s.DocumentationVersion),
			Tags:                 e.tags(s.Tags),
			MethodSettings:       e.methodSettings(id, s.MethodSettings),
			AccessLogSetting:     e.accessLog(id, s.AccessLog),
			CanarySetting:        e.canary(id, s.Canary),
		}
		if s.Tracing {
			tracing := true
			st.TracingEnabled = &tracing
		}
		if s.CacheClusterEnabled {
			enabled := true
			st.CacheClusterEnabled = &enabled
			st.CacheClusterSize = text(s.CacheClusterSize)
		}
		if doc := e.api.Documentation; doc != nil && doc.Version != "" && doc.Version == s.DocumentationVersion {
			// The stage names the version by its name, not a Ref.
			st.AWSCloudFormationDependsOn = []string{e.id(docVersionKey)}
		}
		e.add(id, st)
		if s.WebACLArn != "" {
			e.add(e.id(webACLKey(s.Name)), &wafv2.WebACLAssociation{
				ResourceArn: e.sub("arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${"+apiID+"}/stages/${"+id+"}", use{id, "", s.Src.KeyRange()}),
				WebACLArn:   e.sub(s.WebACLArn, use{e.id(webACLKey(s.Name)), "WebACLArn", schema.At(s.Src, "webAclArn")}),
			})
		}
	}
}

// variables turns stage variables into a map, or nil.
func variables(vs []*schema.Variable) map[string]string {
	if len(vs) == 0 {
		return nil
	}
	out := make(map[string]string, len(vs))
	for _, v := range vs {
		out[v.Name] = v.Value
	}
	return out
}

// accessLog is a stage's access log setting. Without a destination API
// Gateway has nowhere to send the lines, so the setting is left out.
func (e *emitter) accessLog(stageID string, al *schema.AccessLog) *apigateway.Stage_AccessLogSetting {
	if al == nil {
		return nil
	}
	if al.Destination == "" {
		e.warnf(al.Src.KeyRange(), "%s: the access log has no destination (a CloudWatch Logs group or Firehose stream ARN); the template leaves access logging off", stageID)
		return nil
	}
	return &apigateway.Stage_AccessLogSetting{
		DestinationArn: e.subPtr(al.Destination, use{stageID, "AccessLogSetting.DestinationArn", schema.At(al.Src, "destination")}),
		Format:         text(al.Format),
	}
}

// canary is a stage's canary. Without a deployment of its own, the canary
// serves the stage's Deployment with its variable overrides.
func (e *emitter) canary(stageID string, c *schema.Canary) *apigateway.Stage_CanarySetting {
	if c == nil {
		return nil
	}
	pct, useCache := c.PercentTraffic, c.UseStageCache
	out := &apigateway.Stage_CanarySetting{
		DeploymentId:           e.subPtr(c.Deployment, use{stageID, "CanarySetting.DeploymentId", schema.At(c.Src, "deployment")}),
		PercentTraffic:         &pct,
		StageVariableOverrides: variables(c.Variables),
		UseStageCache:          &useCache,
	}
	if out.DeploymentId == nil {
		out.DeploymentId = text(e.ref(e.id(deploymentKey)))
	}
	return out
}

// methodSettings turns a stage's method settings into CloudFormation's
// form. Settings CloudFormation has no property for are reported and left
// out, and an entry left with no setting at all is dropped (API Gateway
// would drop it silently).
func (e *emitter) methodSettings(stageID string, mss []*schema.MethodSetting) []apigateway.Stage_MethodSetting {
	var out []apigateway.Stage_MethodSetting
	for _, ms := range mss {
		s := apigateway.Stage_MethodSetting{
			HttpMethod:           text(ms.Verb),
			ResourcePath:         text(methodSettingPath(ms.ResourcePath)),
			ThrottlingRateLimit:  ms.ThrottleRate,
			ThrottlingBurstLimit: ms.ThrottleBurst,
			LoggingLevel:         text(ms.LoggingLevel),
			DataTraceEnabled:     ms.DataTrace,
			MetricsEnabled:       ms.Metrics,
			CachingEnabled:       ms.CachingEnabled,
			CacheTtlInSeconds:    ms.CacheTTL,
			CacheDataEncrypted:   ms.CacheEncrypted,
		}
		if ms.CacheRequireAuth != nil || ms.CacheUnauthorizedStrategy != "" {
			e.warnf(schema.At(ms.Src, "caching"), "%s: CloudFormation's Stage MethodSetting has no property for requireAuthorizationForCacheControl or unauthorizedCacheControlHeaderStrategy; the template leaves them out (set them with UpdateStage)", stageID)
		}
		if s.ThrottlingRateLimit == nil && s.ThrottlingBurstLimit == nil && s.LoggingLevel == nil && s.DataTraceEnabled == nil &&
			s.MetricsEnabled == nil && s.CachingEnabled == nil && s.CacheTtlInSeconds == nil && s.CacheDataEncrypted == nil {
			continue
		}
		out = append(out, s)
	}
	return out
}

// methodSettingPath encodes a resource path as CloudFormation's
// MethodSetting.ResourcePath wants it: the path is one JSON-pointer token
// after a "/", every slash in it written "~1", so "/pets/{id}" is
// "/~1pets~1{id}"; the root is "/", and every resource ("*") is "/*".
func methodSettingPath(path string) string {
	switch path {
	case "*":
		return "/*"
	case "/", "":
		return "/"
	}
	p := strings.ReplaceAll(path, "~", "~0")
	return "/" + strings.ReplaceAll(p, "/", "~1")
}
