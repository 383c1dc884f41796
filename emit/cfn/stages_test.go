package cfn

import (
	"strings"
	"testing"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

func TestDeploymentCarriesTheDigest(t *testing.T) {
	api := petstore()
	api.GatewayResponses = []*schema.GatewayResponse{{Type: "DEFAULT_5XX"}}
	doc, _ := emitDoc(t, api)
	// A new Deployment for every new artifact: CloudFormation never
	// redeploys a Deployment whose properties did not change.
	dep := at(t, doc, "Resources", "Deployment0123456789ab")
	wantValue(t, dep, `{"Ref": "Api"}`, "Properties", "RestApiId")
	wantValue(t, dep, `["GatewayResponseDefault5xx", "MethodPetsGet", "MethodPetsPetIdGet"]`, "DependsOn")
	wantValue(t, doc, `{"Ref": "Deployment0123456789ab"}`, "Resources", "StageDev", "Properties", "DeploymentId")

	other, err := Emit(petstore(), "sha256:"+strings.Repeat("f", 64), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := other.JSON()
	if !strings.Contains(string(b), `"Deploymentffffffffffff"`) || strings.Contains(string(b), "Deployment0123456789ab") {
		t.Error("a different digest must give a different Deployment")
	}
}

func TestDigestMustBeWellFormed(t *testing.T) {
	for _, d := range []string{"", "0123", "sha256:xyz", "sha1:" + strings.Repeat("a", 40), "sha256:" + strings.Repeat("A", 64)} {
		if _, err := Emit(petstore(), d, Options{}); err == nil {
			t.Errorf("digest %q accepted", d)
		}
	}
}

func TestStage(t *testing.T) {
	api := petstore()
	rate, burst, ttl := 100.5, 200, 60
	yes, no := true, false
	api.Documentation = &schema.Documentation{Version: "v1", Parts: []*schema.DocumentationPart{{Type: "API", Properties: map[string]any{"description": "Pets."}}}}
	api.Stages = []*schema.Stage{{
		Name: "prod", Description: "Production.",
		Variables:           []*schema.Variable{{Name: "backend", Value: "pets.example.com"}},
		Tracing:             true,
		CacheClusterEnabled: true, CacheClusterSize: "0.5",
		ClientCertificateID:  "${ClientCert}",
		DocumentationVersion: "v1",
		Tags:                 map[string]string{"env": "prod"},
		AccessLog:            &schema.AccessLog{Destination: "arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:access", Format: "$context.requestId"},
		Canary:               &schema.Canary{PercentTraffic: 10, Variables: []*schema.Variable{{Name: "backend", Value: "canary.example.com"}}, UseStageCache: true},
		MethodSettings: []*schema.MethodSetting{
			{ResourcePath: "*", Verb: "*", ThrottleRate: &rate, ThrottleBurst: &burst, LoggingLevel: "INFO", DataTrace: &no, Metrics: &yes},
			{ResourcePath: "/", Verb: "GET", CachingEnabled: &yes},
			{ResourcePath: "/pets/{petId}", Verb: "GET", CacheTTL: &ttl, CacheEncrypted: &yes},
			{ResourcePath: "/pets", Verb: "GET"}, // nothing set: API Gateway would drop it
		},
	}}
	doc, _ := emitDoc(t, api)
	props := at(t, doc, "Resources", "StageProd", "Properties")
	wantValue(t, props, `"prod"`, "StageName")
	wantValue(t, props, `{"Ref": "Api"}`, "RestApiId")
	wantValue(t, props, `"Production."`, "Description")
	wantValue(t, props, `{"backend": "pets.example.com"}`, "Variables")
	wantValue(t, props, `true`, "TracingEnabled")
	wantValue(t, props, `true`, "CacheClusterEnabled")
	wantValue(t, props, `"0.5"`, "CacheClusterSize")
	wantValue(t, props, `{"Ref": "ClientCert"}`, "ClientCertificateId")
	wantValue(t, props, `"v1"`, "DocumentationVersion")
	wantValue(t, props, `[{"Key": "env", "Value": "prod"}]`, "Tags")
	wantValue(t, props, `{"DestinationArn": {"Fn::Sub": "arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:access"}, "Format": "$context.requestId"}`, "AccessLogSetting")
	// Without a deployment of its own, the canary serves the stage's.
	wantValue(t, props, `{"DeploymentId": {"Ref": "Deployment0123456789ab"}, "PercentTraffic": 10, "StageVariableOverrides": {"backend": "canary.example.com"}, "UseStageCache": true}`, "CanarySetting")
	// ResourcePath as CloudFormation's documentation gives it: "/*" with
	// HttpMethod "*" for all, "/" for the root, "~1" for inner slashes.
	wantValue(t, props, `[
		{"HttpMethod": "*", "ResourcePath": "/*", "ThrottlingRateLimit": 100.5, "ThrottlingBurstLimit": 200, "LoggingLevel": "INFO", "DataTraceEnabled": false, "MetricsEnabled": true},
		{"HttpMethod": "GET", "ResourcePath": "/", "CachingEnabled": true},
		{"HttpMethod": "GET", "ResourcePath": "/~1pets~1{petId}", "CacheTtlInSeconds": 60, "CacheDataEncrypted": true}
	]`, "MethodSettings")
	// The stage names its documentation version by name, so it says it
	// depends on it.
	wantValue(t, doc, `["DocumentationVersion"]`, "Resources", "StageProd", "DependsOn")
}

func TestMethodSettingPath(t *testing.T) {
	for in, want := range map[string]string{
		"*":                     "/*",
		"/":                     "/",
		"/resource":             "/~1resource",
		"/resource/subresource": "/~1resource~1subresource",
		"/pets/{petId}":         "/~1pets~1{petId}",
	} {
		if got := methodSettingPath(in); got != want {
			t.Errorf("methodSettingPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUsagePlansAndKeys(t *testing.T) {
	api := petstore()
	rate, burst := 5.0, 10
	api.APIKeys = []*schema.APIKey{{Name: "alice", Description: "Alice.", Enabled: true, CustomerID: "c1"}, {Name: "bob"}}
	api.UsagePlans = []*schema.UsagePlan{{
		Name: "basic", Description: "Basic.",
		Stages: []*schema.UsagePlanStage{{Stage: "dev", Throttles: []*schema.MethodThrottle{
			{ResourcePath: "/pets", Verb: "GET", Throttle: schema.Throttle{RateLimit: &rate, BurstLimit: &burst}},
			{ResourcePath: "/", Verb: "GET", Throttle: schema.Throttle{RateLimit: &rate}},
		}}},
		Throttle: &schema.Throttle{RateLimit: &rate, BurstLimit: &burst},
		Quota:    &schema.Quota{Limit: 1000, Period: "DAY"},
		Keys:     []string{"alice", "bob"},
	}}
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `{
		"UsagePlanName": "basic", "Description": "Basic.",
		"ApiStages": [{"ApiId": {"Ref": "Api"}, "Stage": {"Ref": "StageDev"},
			"Throttle": {"/pets/GET": {"RateLimit": 5, "BurstLimit": 10}, "//GET": {"RateLimit": 5}}}],
		"Throttle": {"RateLimit": 5, "BurstLimit": 10},
		"Quota": {"Limit": 1000, "Offset": 0, "Period": "DAY"}
	}`, "Resources", "UsagePlanBasic", "Properties")
	// No Value: API Gateway generates the key; gwc supplies values only
	// when serving.
	wantValue(t, doc, `{"Name": "alice", "Description": "Alice.", "Enabled": true, "CustomerId": "c1"}`, "Resources", "ApiKeyAlice", "Properties")
	wantValue(t, doc, `{"Name": "bob", "Enabled": false}`, "Resources", "ApiKeyBob", "Properties")
	wantValue(t, doc, `{"KeyId": {"Ref": "ApiKeyBob"}, "KeyType": "API_KEY", "UsagePlanId": {"Ref": "UsagePlanBasic"}}`, "Resources", "UsagePlanKeyBasicBob", "Properties")

	api.UsagePlans[0].Stages[0].Stage = "prod"
	if msg := emitErr(t, api); !strings.Contains(msg, `"prod"`) {
		t.Errorf("error %q should name the missing stage", msg)
	}
}

func TestDomainNames(t *testing.T) {
	api := petstore()
	api.DomainNames = []*schema.DomainName{
		{
			Name: "api.example.com", EndpointType: "REGIONAL", SecurityPolicy: "TLS_1_2",
			RegionalCertificateArn: "arn:aws:acm:${AWS::Region}:${AWS::AccountId}:certificate/${CertId}",
			TruststoreURI:          "s3://bucket/ca.pem", TruststoreVersion: "2",
			Mappings: []*schema.BasePathMapping{{BasePath: "", Stage: "dev"}, {BasePath: "v1/pets", Stage: "dev"}, {BasePath: "any"}},
		},
		{Name: "private.example.com", EndpointType: "PRIVATE", CertificateArn: "arn", Mappings: []*schema.BasePathMapping{{Stage: "dev"}}},
	}
	doc, tmpl := emitDoc(t, api)
	wantValue(t, doc, `{
		"DomainName": "api.example.com",
		"EndpointConfiguration": {"Types": ["REGIONAL"]},
		"SecurityPolicy": "TLS_1_2",
		"RegionalCertificateArn": {"Fn::Sub": "arn:aws:acm:${AWS::Region}:${AWS::AccountId}:certificate/${CertId}"},
		"MutualTlsAuthentication": {"TruststoreUri": "s3://bucket/ca.pem", "TruststoreVersion": "2"}
	}`, "Resources", "DomainNameApiExampleCom", "Properties")
	// The empty base path is no BasePath at all.
	wantValue(t, doc, `{"DomainName": {"Ref": "DomainNameApiExampleCom"}, "RestApiId": {"Ref": "Api"}, "Stage": {"Ref": "StageDev"}}`, "Resources", "BasePathMappingApiExampleCom", "Properties")
	wantValue(t, doc, `"v1/pets"`, "Resources", "BasePathMappingApiExampleComV1Pets", "Properties", "BasePath")
	// No stage: callers name it after the base path.
	if has(doc, "Resources", "BasePathMappingApiExampleComAny", "Properties", "Stage") {
		t.Error("a mapping without a stage got one")
	}
	if has(doc, "Resources", "DomainNamePrivateExampleCom") {
		t.Error("a private domain name was emitted as AWS::ApiGateway::DomainName")
	}
	wantWarning(t, tmpl.Warnings(), "private custom domain name private.example.com")
}

func TestDocumentation(t *testing.T) {
	api := petstore()
	api.Documentation = &schema.Documentation{Version: "1.0", Parts: []*schema.DocumentationPart{
		{Type: "METHOD", Path: "/pets", Method: "GET", Properties: map[string]any{"summary": "List pets.", "tags": []any{"pets"}}},
		{Type: "RESPONSE", Path: "/pets", Method: "GET", StatusCode: "200", Properties: map[string]any{"description": "OK"}},
	}}
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `{
		"RestApiId": {"Ref": "Api"},
		"Location": {"Type": "METHOD", "Path": "/pets", "Method": "GET"},
		"Properties": "{\"summary\":\"List pets.\",\"tags\":[\"pets\"]}"
	}`, "Resources", "DocumentationPartMethodPetsGet", "Properties")
	wantValue(t, doc, `"200"`, "Resources", "DocumentationPartResponsePetsGet200", "Properties", "Location", "StatusCode")
	// A version snapshots the parts, so it comes after them.
	wantValue(t, doc, `{"RestApiId": {"Ref": "Api"}, "DocumentationVersion": "1.0"}`, "Resources", "DocumentationVersion", "Properties")
	wantValue(t, doc, `["DocumentationPartMethodPetsGet", "DocumentationPartResponsePetsGet200"]`, "Resources", "DocumentationVersion", "DependsOn")
}

func TestRestAPI(t *testing.T) {
	api := petstore()
	size := 0
	api.Description = "Pets."
	api.EndpointType, api.VPCEndpointIDs, api.IPAddressType = "PRIVATE", []string{"vpce-2", "vpce-1"}, "dualstack"
	api.BinaryMediaTypes = []string{"image/png", "*/*"}
	api.APIKeySource = "AUTHORIZER"
	api.MinimumCompressionSize = &size
	api.DisableExecuteAPIEndpoint = true
	api.Tags = map[string]string{"team": "pets", "note": ""}
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `{
		"Name": "petstore",
		"Description": "Pets.",
		"EndpointConfiguration": {"Types": ["PRIVATE"], "VpcEndpointIds": ["vpce-1", "vpce-2"], "IpAddressType": "dualstack"},
		"BinaryMediaTypes": ["*/*", "image/png"],
		"ApiKeySourceType": "AUTHORIZER",
		"MinimumCompressionSize": 0,
		"DisableExecuteApiEndpoint": true,
		"Tags": [{"Key": "note", "Value": ""}, {"Key": "team", "Value": "pets"}]
	}`, "Resources", "Api", "Properties")
}

func TestOutputs(t *testing.T) {
	doc, _ := emitDoc(t, petstore())
	wantValue(t, doc, `{"Ref": "Api"}`, "Outputs", "ApiId", "Value")
	wantValue(t, doc, `{"Fn::GetAtt": ["Api", "RootResourceId"]}`, "Outputs", "ApiRootResourceId", "Value")
	wantValue(t, doc, `{"Fn::Sub": "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageDev}/"}`, "Outputs", "StageDevInvokeUrl", "Value")
}

// Settings CloudFormation has no property for are left out, with a
// warning at their place in the definition.
func TestUnsupportedSettingsAreWarnings(t *testing.T) {
	api := petstore()
	insecure, yes := true, true
	src := &schema.Node{Pos: diag.Pos{File: "api.cue", Line: 7, Col: 3}}
	in := method(api, "/pets", "GET").Integration
	in.Src, in.TLSInsecure = src, &insecure
	api.Stages[0].MethodSettings = []*schema.MethodSetting{{ResourcePath: "*", Verb: "*", CacheRequireAuth: &yes, CacheUnauthorizedStrategy: "FAIL_WITH_403"}}
	api.Stages[0].AccessLog = &schema.AccessLog{Format: "clf"}
	doc, tmpl := emitDoc(t, api)
	ws := tmpl.Warnings()
	wantWarning(t, ws, "TLS settings")
	wantWarning(t, ws, "requireAuthorizationForCacheControl")
	wantWarning(t, ws, "access log has no destination")
	if has(doc, "Resources", "StageDev", "Properties", "MethodSettings") || has(doc, "Resources", "StageDev", "Properties", "AccessLogSetting") {
		t.Error("unsupported settings reached the template")
	}
	for _, w := range ws {
		if strings.Contains(w.Message, "TLS") && w.Range.Start.Line != 7 {
			t.Errorf("warning %v is not at the integration", w)
		}
		if w.Severity != diag.Warning || w.Code != CodeUnsupported {
			t.Errorf("warning %v should be a %s warning", w, CodeUnsupported)
		}
	}
}

func wantWarning(t *testing.T, ws []diag.Diagnostic, text string) {
	t.Helper()
	for _, w := range ws {
		if strings.Contains(w.Message, text) {
			return
		}
	}
	t.Errorf("no warning about %q in %v", text, ws)
}

func TestLambdaPermissions(t *testing.T) {
	api := petstore()
	api.Authorizers = []*schema.Authorizer{
		{Name: "auth", Type: "TOKEN", URI: schema.LambdaInvocationURI("auth"), TTL: 300},
		{Name: "again", Type: "REQUEST", URI: schema.LambdaInvocationURI("pets"), TTL: 0}, // the same function: one permission
		{Name: "role", Type: "TOKEN", URI: schema.LambdaInvocationURI("invoked-by-role"), Credentials: "arn:aws:iam::123456789012:role/r"},
	}
	in := method(api, "/pets", "GET").Integration
	in.Type, in.HTTPMethod, in.URI = schema.AWS, "POST", "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${stageVariables.fn}/invocations"

	doc, _ := emitDoc(t, api)
	for id := range at(t, doc, "Resources").(map[string]any) {
		if strings.HasPrefix(id, "LambdaPermission") {
			t.Errorf("permission %s without Options.LambdaPermissions", id)
		}
	}

	tmpl, err := Emit(api, testDigest, Options{LambdaPermissions: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tmpl.JSON()
	doc = jsonValue(t, string(b)).(map[string]any)
	wantValue(t, doc, `{
		"Action": "lambda:InvokeFunction",
		"FunctionName": {"Fn::Sub": "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:pets"},
		"Principal": "apigateway.amazonaws.com",
		"SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*"}
	}`, "Resources", "LambdaPermissionPets", "Properties")
	wantValue(t, doc, `{"Fn::Sub": "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:auth"}`, "Resources", "LambdaPermissionAuth", "Properties", "FunctionName")
	if has(doc, "Resources", "LambdaPermissionInvokedByRole") {
		t.Error("a function invoked with credentials got a permission")
	}
	n := 0
	for id := range at(t, doc, "Resources").(map[string]any) {
		if strings.HasPrefix(id, "LambdaPermission") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("want 2 permissions (pets, auth), got %d", n)
	}
	wantWarning(t, tmpl.Warnings(), "${stageVariables.fn} depends on a stage variable")
}

// The Stage resource has no web ACL property; a WAFv2 association ties
// the ACL to the stage's ARN.
func TestWebACL(t *testing.T) {
	api := petstore()
	api.Stages[0].WebACLArn = "${ShopAcl.Arn}"
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `{
		"ResourceArn": {"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${StageDev}"},
		"WebACLArn": {"Ref": "ShopAclArn"}
	}`, "Resources", "WebAclAssociationDev", "Properties")
	wantValue(t, doc, `"AWS::WAFv2::WebACLAssociation"`, "Resources", "WebAclAssociationDev", "Type")
}

func TestCanaryWithItsOwnDeployment(t *testing.T) {
	api := petstore()
	api.Stages[0].Canary = &schema.Canary{PercentTraffic: 100, Deployment: "${CanaryDeploymentId}"}
	doc, _ := emitDoc(t, api)
	wantValue(t, doc, `{"Ref": "CanaryDeploymentId"}`, "Resources", "StageDev", "Properties", "CanarySetting", "DeploymentId")
}

func TestAPIWithoutMethodsWarns(t *testing.T) {
	api := petstore()
	api.Resources = []*schema.Resource{{Path: "/"}}
	_, tmpl := emitDoc(t, api)
	wantWarning(t, tmpl.Warnings(), "the API has no methods")
}

func TestDuplicateDocumentationLocationIsAnError(t *testing.T) {
	api := petstore()
	part := func() *schema.DocumentationPart {
		return &schema.DocumentationPart{Type: "METHOD", Path: "/pets", Method: "GET", Properties: map[string]any{}}
	}
	api.Documentation = &schema.Documentation{Parts: []*schema.DocumentationPart{part(), part()}}
	if msg := emitErr(t, api); !strings.Contains(msg, "same location") {
		t.Errorf("error %q should say the parts share a location", msg)
	}
}
