package schema

import (
	"gwc.dev/gwc/diag"
)

// Definition is everything gwc read from one set of input files: the API
// and the configuration of the tools that check it.
type Definition struct {
	API *API
	// Lint is the lint block of a CUE definition, for the linter.
	Lint *Node
	// Files are the files read, by name, for source excerpts and
	// position mapping.
	Files map[string]*File
	// Format says which adapter read the definition: "cue" or "openapi".
	Format string
}

// Every model type keeps Src, the tree node it was built from, so that any
// check can point at the exact field it complains about: Src.Get("uri").

// API is one REST API with everything that belongs to it.
type API struct {
	Src  *Node
	Name string

	Description string
	Version     string

	EndpointType              string // EDGE, REGIONAL or PRIVATE
	VPCEndpointIDs            []string
	IPAddressType             string
	DisableExecuteAPIEndpoint bool
	BinaryMediaTypes          []string
	APIKeySource              string // HEADER or AUTHORIZER
	MinimumCompressionSize    *int
	// Policy is the resource policy as plain JSON values.
	Policy any
	Tags   map[string]string

	CORS *CORS

	Models            []*Model
	RequestValidators []*RequestValidator
	// DefaultValidator names the validator of methods that name none.
	DefaultValidator string
	Authorizers      []*Authorizer
	GatewayResponses []*GatewayResponse
	Resources        []*Resource
	Stages           []*Stage
	UsagePlans       []*UsagePlan
	APIKeys          []*APIKey
	DomainNames      []*DomainName
	Documentation    *Documentation
}

// CORS is the convenience block that compile expands into OPTIONS methods
// and response headers.
type CORS struct {
	Src           *Node
	Origins       []string
	Methods       []string
	Headers       []string
	ExposeHeaders []string
	Credentials   bool
	MaxAge        *int
}

// Model is a request or response model: a JSON Schema draft-04 document.
// References to other models read {"$ref": "#/models/Name"} here; compile
// rewrites them to the URLs API Gateway uses.
type Model struct {
	Src    *Node
	Name   string
	Schema map[string]any
}

// RequestValidator says what a validator checks.
type RequestValidator struct {
	Src    *Node
	Name   string
	Body   bool
	Params bool
}

// Authorizer is a Lambda (TOKEN or REQUEST) or Cognito authorizer.
type Authorizer struct {
	Src                          *Node
	Name                         string
	Type                         string // TOKEN, REQUEST, COGNITO_USER_POOLS
	URI                          string
	Credentials                  string
	IdentitySources              []string
	IdentityValidationExpression string
	TTL                          int
	ProviderARNs                 []string
}

// GatewayResponse customises one of the responses API Gateway generates.
type GatewayResponse struct {
	Src       *Node
	Type      string
	Status    int // 0 keeps the type's default status
	Params    []*Mapping
	Templates []*Template
}

// Resource is one resource path and its methods.
type Resource struct {
	Src     *Node
	Path    string
	Methods []*Method
}

// Method is one verb on one resource.
type Method struct {
	Src  *Node
	Verb string

	OperationName string
	Summary       string
	Description   string

	// Authorization is NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS.
	Authorization  string
	Authorizer     string
	Scopes         []string
	APIKeyRequired bool

	RequestParams []*RequestParam
	// RequestModels maps a content type (or $default) to a model name.
	RequestModels []*ContentModel
	// Validator names the request validator, "" for none.
	Validator string

	Integration *Integration
	Responses   []*MethodResponse
}

// RequestParam declares a method request parameter.
type RequestParam struct {
	Src      *Node
	Location string // path, querystring or header
	Name     string
	Required bool
}

// Expr is the parameter's mapping expression, method.request.<loc>.<name>.
func (p *RequestParam) Expr() string { return "method.request." + p.Location + "." + p.Name }

// ContentModel pairs a media type with a model name.
type ContentModel struct {
	Src         *Node
	ContentType string
	Model       string
}

// Integration types.
const (
	MOCK      = "MOCK"
	HTTP      = "HTTP"
	HTTPProxy = "HTTP_PROXY"
	AWS       = "AWS"
	AWSProxy  = "AWS_PROXY"
)

// Integration is where a method sends the request.
type Integration struct {
	Src  *Node
	Type string

	URI        string
	HTTPMethod string
	// Credentials is the IAM role (or caller credentials) for AWS
	// integrations.
	Credentials string

	ConnectionType string // INTERNET or VPC_LINK
	ConnectionID   string
	TLSInsecure    *bool
	TLSServerName  string

	RequestParams    []*Mapping
	RequestTemplates []*Template
	Passthrough      string
	ContentHandling  string
	TimeoutMillis    int

	CacheKeyParameters []string
	CacheNamespace     string

	Responses []*IntegrationResponse
}

// IsProxy reports whether the integration forwards the request as it is.
func (i *Integration) IsProxy() bool { return i.Type == HTTPProxy || i.Type == AWSProxy }

// Mapping maps one parameter: Target (the full form, such as
// integration.request.header.X) from Source (a mapping expression).
type Mapping struct {
	Src    *Node
	Target string
	Source string
}

// Template is a mapping template for one content type.
type Template struct {
	Src         *Node
	ContentType string
	Text        string
	// Sub marks a template whose ${Name} placeholders CloudFormation
	// substitutes (written as Fn::Sub in an OpenAPI body).
	Sub bool
}

// IntegrationResponse maps an integration's answer to a method response.
type IntegrationResponse struct {
	Src *Node
	// Pattern is the selection pattern; "" for the default response.
	Pattern         string
	Status          int
	Params          []*Mapping
	Templates       []*Template
	ContentHandling string
}

// MethodResponse declares a status a method may answer with.
type MethodResponse struct {
	Src     *Node
	Status  int
	Headers []*ResponseHeader
	Models  []*ContentModel
}

// ResponseHeader declares a method response header.
type ResponseHeader struct {
	Src      *Node
	Name     string
	Required bool
}

// Stage is a named deployment of the API.
type Stage struct {
	Src                  *Node
	Name                 string
	Description          string
	Variables            []*Variable
	MethodSettings       []*MethodSetting
	AccessLog            *AccessLog
	Canary               *Canary
	Tracing              bool
	CacheClusterEnabled  bool
	CacheClusterSize     string
	ClientCertificateID  string
	WebACLArn            string
	DocumentationVersion string
	Tags                 map[string]string
}

// Variable is a stage variable.
type Variable struct {
	Src   *Node
	Name  string
	Value string
}

// MethodSetting overrides settings for one method, or all ("*/*").
type MethodSetting struct {
	Src *Node
	// ResourcePath is the resource path ("/pets/{id}"), or "*" for every
	// resource; Verb is the method, or "*".
	ResourcePath string
	Verb         string

	ThrottleRate              *float64
	ThrottleBurst             *int
	LoggingLevel              string
	DataTrace                 *bool
	Metrics                   *bool
	CachingEnabled            *bool
	CacheTTL                  *int
	CacheEncrypted            *bool
	CacheRequireAuth          *bool
	CacheUnauthorizedStrategy string
}

// AccessLog configures a stage's access logs.
type AccessLog struct {
	Src         *Node
	Destination string
	Format      string
}

// Canary splits a stage's traffic to a canary.
type Canary struct {
	Src            *Node
	PercentTraffic float64
	Deployment     string
	Variables      []*Variable
	UseStageCache  bool
}

// UsagePlan meters and limits API keys.
type UsagePlan struct {
	Src         *Node
	Name        string
	Description string
	Stages      []*UsagePlanStage
	Throttle    *Throttle
	Quota       *Quota
	Keys        []string
	Tags        map[string]string
}

// UsagePlanStage is a stage a usage plan covers, with per-method throttles.
type UsagePlanStage struct {
	Src       *Node
	Stage     string
	Throttles []*MethodThrottle
}

// MethodThrottle throttles one method ("/path/VERB") within a plan.
type MethodThrottle struct {
	Src          *Node
	ResourcePath string
	Verb         string
	Throttle     Throttle
}

// Throttle is a token bucket: RateLimit requests a second, BurstLimit deep.
type Throttle struct {
	Src        *Node
	RateLimit  *float64
	BurstLimit *int
}

// Quota caps requests per period.
type Quota struct {
	Src    *Node
	Limit  int
	Period string
	Offset int
}

// APIKey declares an API key; its value is supplied when serving.
type APIKey struct {
	Src         *Node
	Name        string
	Description string
	Enabled     bool
	CustomerID  string
	Tags        map[string]string
}

// DomainName is a custom domain name with its base path mappings.
type DomainName struct {
	Src                     *Node
	Name                    string
	CertificateArn          string
	RegionalCertificateArn  string
	EndpointType            string
	SecurityPolicy          string
	TruststoreURI           string
	TruststoreVersion       string
	OwnershipCertificateArn string
	Mappings                []*BasePathMapping
	Tags                    map[string]string
}

// BasePathMapping maps a base path of a domain to a stage.
type BasePathMapping struct {
	Src *Node
	// BasePath is "" for the empty base path, "(none)".
	BasePath string
	Stage    string
}

// Documentation holds documentation parts.
type Documentation struct {
	Src     *Node
	Version string
	Parts   []*DocumentationPart
}

// DocumentationPart documents one element of the API.
type DocumentationPart struct {
	Src        *Node
	Type       string
	Path       string
	Method     string
	StatusCode string
	Name       string
	Properties map[string]any
}

// At returns the position of the value under keys in n, falling back to the
// nearest node that exists, so that a diagnostic always has a place.
func At(n *Node, keys ...string) diag.Range { return deepest(n, keys).Range() }

// KeyAt is like At but points at the key of the last node found.
func KeyAt(n *Node, keys ...string) diag.Range { return deepest(n, keys).KeyRange() }

// deepest follows keys from n as far as they exist.
func deepest(n *Node, keys []string) *Node {
	for _, k := range keys {
		next := n.Get(k)
		if next == nil {
			break
		}
		n = next
	}
	return n
}
