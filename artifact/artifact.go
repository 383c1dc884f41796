// Package artifact is the contract between gwc build and gwc serve: the
// compiled form of one API, with everything the runtime needs and nothing
// it must not see (source positions, secrets, function locations).
//
// An artifact is a directory holding manifest.json and api.json. api.json
// is canonical JSON (sorted keys, no insignificant whitespace, no
// timestamps, no absolute paths), so building the same input twice gives
// the same bytes; the manifest records its sha256 digest and the format
// version. Decoding verifies both and refuses anything else.
package artifact

// FormatVersion is the version of the artifact format this build of gwc
// writes and reads. It changes whenever a reader of the old format would
// misread the new one.
const FormatVersion = 1

// API is the compiled form of one REST API.
type API struct {
	FormatVersion int `json:"format_version"`

	Name string `json:"name"`
	// ID is the API's identifier as $context.apiId shows it; it is
	// derived from the name, so it is stable across builds.
	ID string `json:"id"`

	EndpointType              string   `json:"endpoint_type"`
	DisableExecuteAPIEndpoint bool     `json:"disable_execute_api_endpoint"`
	BinaryMediaTypes          []string `json:"binary_media_types"`
	APIKeySource              string   `json:"api_key_source"`
	MinimumCompressionSize    *int     `json:"minimum_compression_size,omitempty"`
	// Policy is the resource policy, as JSON.
	Policy any `json:"policy,omitempty"`

	Resources        []*Resource        `json:"resources"`
	Models           []*Model           `json:"models"`
	Authorizers      []*Authorizer      `json:"authorizers"`
	GatewayResponses []*GatewayResponse `json:"gateway_responses"`
	Stages           []*Stage           `json:"stages"`
	UsagePlans       []*UsagePlan       `json:"usage_plans"`
	APIKeys          []*APIKey          `json:"api_keys"`
	DomainNames      []*DomainName      `json:"domain_names"`
}

// Resource is one node of the resource tree. Resources are sorted by path;
// the root ("/") comes first.
type Resource struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id,omitempty"`
	Path     string `json:"path"`
	// PathPart is the last segment: a literal, {name} or {name+}.
	PathPart string    `json:"path_part,omitempty"`
	Methods  []*Method `json:"methods"`
}

// Method is one verb of a resource, with every reference resolved.
type Method struct {
	Verb          string `json:"verb"`
	OperationName string `json:"operation_name,omitempty"`

	Authorization  string   `json:"authorization"`
	Authorizer     string   `json:"authorizer,omitempty"`
	Scopes         []string `json:"scopes"`
	APIKeyRequired bool     `json:"api_key_required"`

	RequestParams []*RequestParam `json:"request_params"`
	// RequestModels maps a content type (or $default) to a model name.
	RequestModels map[string]string `json:"request_models"`
	Validator     *Validator        `json:"validator,omitempty"`

	Integration *Integration      `json:"integration"`
	Responses   []*MethodResponse `json:"responses"`
}

// RequestParam declares a method request parameter.
type RequestParam struct {
	Location string `json:"location"`
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

// Validator says what request validation a method runs.
type Validator struct {
	Name   string `json:"name"`
	Body   bool   `json:"body"`
	Params bool   `json:"params"`
}

// Integration is where a method sends requests.
type Integration struct {
	Type           string `json:"type"`
	URI            string `json:"uri,omitempty"`
	HTTPMethod     string `json:"http_method,omitempty"`
	Credentials    string `json:"credentials,omitempty"`
	ConnectionType string `json:"connection_type,omitempty"`
	ConnectionID   string `json:"connection_id,omitempty"`
	TLSInsecure    bool   `json:"tls_insecure_skip_verification,omitempty"`
	TLSServerName  string `json:"tls_server_name,omitempty"`

	RequestParams    []*Mapping  `json:"request_params"`
	RequestTemplates []*Template `json:"request_templates"`
	Passthrough      string      `json:"passthrough,omitempty"`
	ContentHandling  string      `json:"content_handling,omitempty"`
	TimeoutMillis    int         `json:"timeout_millis"`

	CacheKeyParameters []string `json:"cache_key_parameters"`
	CacheNamespace     string   `json:"cache_namespace,omitempty"`

	// Responses are tried in order: patterns sorted by status code, then
	// pattern text; the default response (empty pattern) comes last.
	Responses []*IntegrationResponse `json:"responses"`
}

// Mapping maps Target (e.g. integration.request.header.X) from Source (a
// mapping expression).
type Mapping struct {
	Target string `json:"target"`
	Source string `json:"source"`
}

// Template is a mapping template for a content type.
type Template struct {
	ContentType string `json:"content_type"`
	Text        string `json:"text"`
	// CFNSub marks a template CloudFormation substitutes on deploy: its
	// ${Name} placeholders are CloudFormation values, not Velocity.
	CFNSub bool `json:"cfn_sub,omitempty"`
}

// IntegrationResponse maps an integration's answer to a method response.
type IntegrationResponse struct {
	// Pattern is a Java regular expression matched against the whole
	// selection value; empty for the default response.
	Pattern         string      `json:"pattern"`
	Status          int         `json:"status"`
	Params          []*Mapping  `json:"params"`
	Templates       []*Template `json:"templates"`
	ContentHandling string      `json:"content_handling,omitempty"`
}

// MethodResponse declares a status the method answers with.
type MethodResponse struct {
	Status  int               `json:"status"`
	Headers []*ResponseHeader `json:"headers"`
	Models  map[string]string `json:"models"`
}

// ResponseHeader declares a method response header.
type ResponseHeader struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

// Model is a JSON Schema draft-04 document. References to other models use
// API Gateway's URL form, https://apigateway.amazonaws.com/restapis/{id}/models/{name}.
type Model struct {
	Name   string `json:"name"`
	Schema any    `json:"schema"`
}

// Authorizer is a Lambda or Cognito authorizer.
type Authorizer struct {
	Name                         string   `json:"name"`
	ID                           string   `json:"id"`
	Type                         string   `json:"type"`
	URI                          string   `json:"uri,omitempty"`
	Credentials                  string   `json:"credentials,omitempty"`
	IdentitySources              []string `json:"identity_sources"`
	IdentityValidationExpression string   `json:"identity_validation_expression,omitempty"`
	TTLSeconds                   int      `json:"ttl_seconds"`
	ProviderARNs                 []string `json:"provider_arns"`
}

// GatewayResponse is the effective configuration of one of the 21
// gateway response types, with DEFAULT_4XX/DEFAULT_5XX inheritance already
// applied. The artifact lists all 21 types.
type GatewayResponse struct {
	Type string `json:"type"`
	// Status is the configured status; 0 means the error's own status.
	Status    int         `json:"status"`
	Params    []*Mapping  `json:"params"`
	Templates []*Template `json:"templates"`
	// From says where the configuration came from: "default", "custom",
	// "DEFAULT_4XX" or "DEFAULT_5XX".
	From string `json:"from"`
}

// Stage is a named deployment with its settings.
type Stage struct {
	Name                string            `json:"name"`
	Description         string            `json:"description,omitempty"`
	Variables           map[string]string `json:"variables"`
	MethodSettings      []*MethodSetting  `json:"method_settings"`
	AccessLog           *AccessLog        `json:"access_log,omitempty"`
	Canary              *Canary           `json:"canary,omitempty"`
	Tracing             bool              `json:"tracing"`
	CacheClusterEnabled bool              `json:"cache_cluster_enabled"`
	CacheClusterSize    string            `json:"cache_cluster_size,omitempty"`
	ClientCertificateID string            `json:"client_certificate_id,omitempty"`
}

// MethodSetting overrides settings for a method ("/path", "GET") or for
// all ("*", "*").
type MethodSetting struct {
	ResourcePath string `json:"resource_path"`
	Verb         string `json:"verb"`

	ThrottleRate              *float64 `json:"throttle_rate,omitempty"`
	ThrottleBurst             *int     `json:"throttle_burst,omitempty"`
	LoggingLevel              string   `json:"logging_level,omitempty"`
	DataTrace                 *bool    `json:"data_trace,omitempty"`
	Metrics                   *bool    `json:"metrics,omitempty"`
	CachingEnabled            *bool    `json:"caching_enabled,omitempty"`
	CacheTTL                  *int     `json:"cache_ttl,omitempty"`
	CacheEncrypted            *bool    `json:"cache_encrypted,omitempty"`
	CacheRequireAuth          *bool    `json:"cache_require_authorization,omitempty"`
	CacheUnauthorizedStrategy string   `json:"cache_unauthorized_strategy,omitempty"`
}

// AccessLog configures access logging.
type AccessLog struct {
	Format      string `json:"format"`
	Destination string `json:"destination,omitempty"`
}

// Canary sends part of a stage's traffic to a canary.
type Canary struct {
	PercentTraffic float64           `json:"percent_traffic"`
	Variables      map[string]string `json:"variables"`
	UseStageCache  bool              `json:"use_stage_cache"`
}

// UsagePlan throttles and meters API keys.
type UsagePlan struct {
	Name     string            `json:"name"`
	ID       string            `json:"id"`
	Stages   []*UsagePlanStage `json:"stages"`
	Throttle *Throttle         `json:"throttle,omitempty"`
	Quota    *Quota            `json:"quota,omitempty"`
	Keys     []string          `json:"keys"`
}

// UsagePlanStage is a stage in a usage plan, with per-method throttles.
type UsagePlanStage struct {
	Stage     string            `json:"stage"`
	Throttles []*MethodThrottle `json:"throttles"`
}

// MethodThrottle is a per-method throttle within a usage plan.
type MethodThrottle struct {
	ResourcePath string    `json:"resource_path"`
	Verb         string    `json:"verb"`
	Throttle     *Throttle `json:"throttle"`
}

// Throttle is a token bucket.
type Throttle struct {
	RateLimit  *float64 `json:"rate_limit,omitempty"`
	BurstLimit *int     `json:"burst_limit,omitempty"`
}

// Quota caps the requests of a key per period.
type Quota struct {
	Limit  int    `json:"limit"`
	Period string `json:"period"`
	Offset int    `json:"offset"`
}

// APIKey is a declared key. Its value is supplied when serving.
type APIKey struct {
	Name       string `json:"name"`
	ID         string `json:"id"`
	Enabled    bool   `json:"enabled"`
	CustomerID string `json:"customer_id,omitempty"`
}

// DomainName is a custom domain with its base path mappings.
type DomainName struct {
	Name     string             `json:"name"`
	Mappings []*BasePathMapping `json:"mappings"`
}

// BasePathMapping maps a base path ("" for none) to a stage ("" for the
// stage named in the path).
type BasePathMapping struct {
	BasePath string `json:"base_path"`
	Stage    string `json:"stage"`
}
