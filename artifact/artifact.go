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

// Every struct here declares its fields in the order of their JSON names,
// so that encoding/json writes canonical JSON (sorted keys) directly; a
// test keeps it so.

// FormatVersion is the version of the artifact format this build of gwc
// writes and reads. It changes whenever a reader of the old format would
// misread the new one.
const FormatVersion = 1

// API is the compiled form of one REST API.
type API struct {
	APIKeySource              string             `json:"api_key_source"`
	APIKeys                   []*APIKey          `json:"api_keys"`
	Authorizers               []*Authorizer      `json:"authorizers"`
	BinaryMediaTypes          []string           `json:"binary_media_types"`
	DisableExecuteAPIEndpoint bool               `json:"disable_execute_api_endpoint"`
	DomainNames               []*DomainName      `json:"domain_names"`
	EndpointType              string             `json:"endpoint_type"`
	FormatVersion             int                `json:"format_version"`
	GatewayResponses          []*GatewayResponse `json:"gateway_responses"`
	// ID is the API's identifier as $context.apiId shows it; it is
	// derived from the name, so it is stable across builds.
	ID                     string   `json:"id"`
	MinimumCompressionSize *int     `json:"minimum_compression_size,omitempty"`
	Models                 []*Model `json:"models"`
	Name                   string   `json:"name"`
	// Policy is the resource policy, as JSON.
	Policy     any          `json:"policy,omitempty"`
	Resources  []*Resource  `json:"resources"`
	Stages     []*Stage     `json:"stages"`
	UsagePlans []*UsagePlan `json:"usage_plans"`
}

// Resource is one node of the resource tree. Resources are sorted by path;
// the root ("/") comes first.
type Resource struct {
	ID       string    `json:"id"`
	Methods  []*Method `json:"methods"`
	ParentID string    `json:"parent_id,omitempty"`
	Path     string    `json:"path"`
	// PathPart is the last segment: a literal, {name} or {name+}.
	PathPart string `json:"path_part,omitempty"`
}

// Method is one verb of a resource, with every reference resolved.
type Method struct {
	APIKeyRequired bool         `json:"api_key_required"`
	Authorization  string       `json:"authorization"`
	Authorizer     string       `json:"authorizer,omitempty"`
	Integration    *Integration `json:"integration"`
	OperationName  string       `json:"operation_name,omitempty"`
	// RequestModels maps a content type (or $default) to a model name.
	RequestModels map[string]string `json:"request_models"`
	RequestParams []*RequestParam   `json:"request_params"`
	Responses     []*MethodResponse `json:"responses"`
	Scopes        []string          `json:"scopes"`
	Validator     *Validator        `json:"validator,omitempty"`
	Verb          string            `json:"verb"`
}

// RequestParam declares a method request parameter.
type RequestParam struct {
	Location string `json:"location"`
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

// Validator says what request validation a method runs.
type Validator struct {
	Body   bool   `json:"body"`
	Name   string `json:"name"`
	Params bool   `json:"params"`
}

// Integration is where a method sends requests.
type Integration struct {
	CacheKeyParameters []string    `json:"cache_key_parameters"`
	CacheNamespace     string      `json:"cache_namespace,omitempty"`
	ConnectionID       string      `json:"connection_id,omitempty"`
	ConnectionType     string      `json:"connection_type,omitempty"`
	ContentHandling    string      `json:"content_handling,omitempty"`
	Credentials        string      `json:"credentials,omitempty"`
	HTTPMethod         string      `json:"http_method,omitempty"`
	Passthrough        string      `json:"passthrough,omitempty"`
	RequestParams      []*Mapping  `json:"request_params"`
	RequestTemplates   []*Template `json:"request_templates"`
	// Responses are tried in order: patterns sorted by status code, then
	// pattern text; the default response (empty pattern) comes last.
	Responses     []*IntegrationResponse `json:"responses"`
	TimeoutMillis int                    `json:"timeout_millis"`
	TLSInsecure   bool                   `json:"tls_insecure_skip_verification,omitempty"`
	TLSServerName string                 `json:"tls_server_name,omitempty"`
	Type          string                 `json:"type"`
	URI           string                 `json:"uri,omitempty"`
}

// Mapping maps Target (e.g. integration.request.header.X) from Source (a
// mapping expression).
type Mapping struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

// Template is a mapping template for a content type.
type Template struct {
	// CFNSub marks a template CloudFormation substitutes on deploy: its
	// ${Name} placeholders are CloudFormation values, not Velocity.
	CFNSub      bool   `json:"cfn_sub,omitempty"`
	ContentType string `json:"content_type"`
	Text        string `json:"text"`
}

// IntegrationResponse maps an integration's answer to a method response.
type IntegrationResponse struct {
	ContentHandling string     `json:"content_handling,omitempty"`
	Params          []*Mapping `json:"params"`
	// Pattern is a Java regular expression matched against the whole
	// selection value; empty for the default response.
	Pattern   string      `json:"pattern"`
	Status    int         `json:"status"`
	Templates []*Template `json:"templates"`
}

// MethodResponse declares a status the method answers with.
type MethodResponse struct {
	Headers []*ResponseHeader `json:"headers"`
	Models  map[string]string `json:"models"`
	Status  int               `json:"status"`
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
	Credentials                  string   `json:"credentials,omitempty"`
	ID                           string   `json:"id"`
	IdentitySources              []string `json:"identity_sources"`
	IdentityValidationExpression string   `json:"identity_validation_expression,omitempty"`
	Name                         string   `json:"name"`
	ProviderARNs                 []string `json:"provider_arns"`
	TTLSeconds                   int      `json:"ttl_seconds"`
	Type                         string   `json:"type"`
	URI                          string   `json:"uri,omitempty"`
}

// GatewayResponse is the effective configuration of one of the 21
// gateway response types, with DEFAULT_4XX/DEFAULT_5XX inheritance already
// applied. The artifact lists all 21 types.
type GatewayResponse struct {
	// From says where the configuration came from: "default", "custom",
	// "DEFAULT_4XX" or "DEFAULT_5XX".
	From   string     `json:"from"`
	Params []*Mapping `json:"params"`
	// Status is the configured status; 0 means the error's own status.
	Status    int         `json:"status"`
	Templates []*Template `json:"templates"`
	Type      string      `json:"type"`
}

// Stage is a named deployment with its settings.
type Stage struct {
	AccessLog           *AccessLog        `json:"access_log,omitempty"`
	CacheClusterEnabled bool              `json:"cache_cluster_enabled"`
	CacheClusterSize    string            `json:"cache_cluster_size,omitempty"`
	Canary              *Canary           `json:"canary,omitempty"`
	ClientCertificateID string            `json:"client_certificate_id,omitempty"`
	Description         string            `json:"description,omitempty"`
	MethodSettings      []*MethodSetting  `json:"method_settings"`
	Name                string            `json:"name"`
	Tracing             bool              `json:"tracing"`
	Variables           map[string]string `json:"variables"`
}

// MethodSetting overrides settings for a method ("/path", "GET") or for
// all ("*", "*").
type MethodSetting struct {
	CacheEncrypted            *bool    `json:"cache_encrypted,omitempty"`
	CacheRequireAuth          *bool    `json:"cache_require_authorization,omitempty"`
	CacheTTL                  *int     `json:"cache_ttl,omitempty"`
	CacheUnauthorizedStrategy string   `json:"cache_unauthorized_strategy,omitempty"`
	CachingEnabled            *bool    `json:"caching_enabled,omitempty"`
	DataTrace                 *bool    `json:"data_trace,omitempty"`
	LoggingLevel              string   `json:"logging_level,omitempty"`
	Metrics                   *bool    `json:"metrics,omitempty"`
	ResourcePath              string   `json:"resource_path"`
	ThrottleBurst             *int     `json:"throttle_burst,omitempty"`
	ThrottleRate              *float64 `json:"throttle_rate,omitempty"`
	Verb                      string   `json:"verb"`
}

// AccessLog configures access logging.
type AccessLog struct {
	Destination string `json:"destination,omitempty"`
	Format      string `json:"format"`
}

// Canary sends part of a stage's traffic to a canary.
type Canary struct {
	PercentTraffic float64           `json:"percent_traffic"`
	UseStageCache  bool              `json:"use_stage_cache"`
	Variables      map[string]string `json:"variables"`
}

// UsagePlan throttles and meters API keys.
type UsagePlan struct {
	ID       string            `json:"id"`
	Keys     []string          `json:"keys"`
	Name     string            `json:"name"`
	Quota    *Quota            `json:"quota,omitempty"`
	Stages   []*UsagePlanStage `json:"stages"`
	Throttle *Throttle         `json:"throttle,omitempty"`
}

// UsagePlanStage is a stage in a usage plan, with per-method throttles.
type UsagePlanStage struct {
	Stage     string            `json:"stage"`
	Throttles []*MethodThrottle `json:"throttles"`
}

// MethodThrottle is a per-method throttle within a usage plan.
type MethodThrottle struct {
	ResourcePath string    `json:"resource_path"`
	Throttle     *Throttle `json:"throttle"`
	Verb         string    `json:"verb"`
}

// Throttle is a token bucket.
type Throttle struct {
	BurstLimit *int     `json:"burst_limit,omitempty"`
	RateLimit  *float64 `json:"rate_limit,omitempty"`
}

// Quota caps the requests of a key per period.
type Quota struct {
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
	Period string `json:"period"`
}

// APIKey is a declared key. Its value is supplied when serving.
type APIKey struct {
	CustomerID string `json:"customer_id,omitempty"`
	Enabled    bool   `json:"enabled"`
	ID         string `json:"id"`
	Name       string `json:"name"`
}

// DomainName is a custom domain with its base path mappings.
type DomainName struct {
	Mappings []*BasePathMapping `json:"mappings"`
	Name     string             `json:"name"`
}

// BasePathMapping maps a base path ("" for none) to a stage ("" for the
// stage named in the path).
type BasePathMapping struct {
	BasePath string `json:"base_path"`
	Stage    string `json:"stage"`
}

// ModelURL is the URL by which a model refers to another in API Gateway,
// and under which the runtime registers each model's schema.
func ModelURL(apiID, name string) string {
	return "https://apigateway.amazonaws.com/restapis/" + apiID + "/models/" + name
}
