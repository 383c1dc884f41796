// Package compile turns a definition's model into the artifact the runtime
// serves. On the way it resolves every reference, applies the defaults API
// Gateway applies, expands conveniences (CORS), checks everything API
// Gateway would reject at deploy time, and precompiles regular
// expressions, JSON Schemas and mapping templates so that an artifact that
// compiles cannot fail to load.
package compile

import (
	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// Diagnostic codes of the checks in this package.
const (
	CodeInvalidPath         = "INVALID_PATH"
	CodeDuplicatePath       = "DUPLICATE_PATH"
	CodeVariableSiblings    = "VARIABLE_SIBLINGS"
	CodeGreedyChild         = "GREEDY_CHILD"
	CodeDuplicatePathParam  = "DUPLICATE_PATH_PARAMETER"
	CodeUndefined           = "UNDEFINED_REFERENCE"
	CodeAuthorization       = "AUTHORIZATION"
	CodeParameterReused     = "PARAMETER_NAME_REUSED"
	CodeInvalidMapping      = "INVALID_MAPPING"
	CodeUndeclaredParameter = "UNDECLARED_PARAMETER"
	CodeInvalidURI          = "INVALID_URI"
	CodeIntegration         = "INTEGRATION_FIELD"
	CodeInvalidRegex        = "INVALID_REGEX"
	CodeInvalidModel        = "INVALID_MODEL"
	CodeUndeclaredStatus    = "UNDECLARED_STATUS"
	CodeUndeclaredHeader    = "UNDECLARED_HEADER"
	CodeAuthorizer          = "AUTHORIZER"
	CodeGatewayResponse     = "GATEWAY_RESPONSE"
	CodeStage               = "STAGE"
	CodeUsagePlan           = "USAGE_PLAN"
	CodeDomainName          = "DOMAIN_NAME"
	CodeDocumentation       = "DOCUMENTATION"
	CodeTemplateSyntax      = "TEMPLATE_SYNTAX"
	CodeLimit               = "LIMIT"
	CodeEndpoint            = "ENDPOINT"
)

// Options tunes a compilation.
type Options struct {
	// DefaultStage names the stage a definition without stages gets in
	// the emitted CloudFormation (gwc serve names it with its own --stage).
	DefaultStage string
}

// Result is a successful compilation.
type Result struct {
	// API is the normalized model: every resource of the tree, defaults
	// applied, references resolved, CORS expanded, everything sorted.
	// Emitters read it.
	API *schema.API
	// Artifact is what the runtime serves.
	Artifact *artifact.API
	// APIJSON and Manifest are the encoded artifact; Digest is its digest.
	APIJSON  []byte
	Manifest []byte
	Digest   string
}

// Compile checks def and compiles it. It returns nil when def has errors,
// all of which are in ds; warnings go to ds too.
func Compile(def *schema.Definition, opts Options, ds *diag.Set) *Result {
	if def == nil || def.API == nil {
		return nil
	}
	if opts.DefaultStage == "" {
		opts.DefaultStage = "dev"
	}
	c := newCompiler(def.API, opts, ds)
	c.run()
	if ds.HasErrors() {
		return nil
	}
	art := c.artifact()
	apiJSON, manifest, err := artifact.Encode(art)
	if err != nil {
		ds.Errorf(def.API.Src.Range(), "INTERNAL", "%v", err)
		return nil
	}
	return &Result{
		API:      c.api,
		Artifact: art,
		APIJSON:  apiJSON,
		Manifest: manifest,
		Digest:   artifact.Digest(apiJSON),
	}
}

// compiler holds the state of one compilation: the API being normalized,
// indexes by name, and the diagnostics.
type compiler struct {
	api  *schema.API
	opts Options
	ds   *diag.Set
	id   string

	models      map[string]*schema.Model
	authorizers map[string]*schema.Authorizer
	validators  map[string]*schema.RequestValidator
	stages      map[string]*schema.Stage
	keys        map[string]*schema.APIKey
	resources   map[string]*schema.Resource
	// segments holds each resource's parsed path.
	segments map[*schema.Resource][]segment
	// implicitStage is set when the definition declares no stage.
	implicitStage bool
	// regexErrs caches the result of checking each Java pattern.
	regexErrs map[string]error
}

func newCompiler(api *schema.API, opts Options, ds *diag.Set) *compiler {
	return &compiler{
		api:         api,
		opts:        opts,
		ds:          ds,
		id:          APIID(api.Name),
		models:      map[string]*schema.Model{},
		authorizers: map[string]*schema.Authorizer{},
		validators:  map[string]*schema.RequestValidator{},
		stages:      map[string]*schema.Stage{},
		keys:        map[string]*schema.APIKey{},
		resources:   map[string]*schema.Resource{},
		segments:    map[*schema.Resource][]segment{},
		regexErrs:   map[string]error{},
	}
}

func (c *compiler) run() {
	c.index()
	c.checkAPI()
	c.buildTree()
	c.checkModels()
	c.checkAuthorizers()
	for _, r := range c.api.Resources {
		for _, m := range r.Methods {
			c.method(r, m)
		}
	}
	c.checkGatewayResponses()
	c.checkStages()
	c.checkUsagePlans()
	c.checkDomainNames()
	c.checkDocumentation()
	if !c.ds.HasErrors() {
		c.expandCORS()
		c.sortAll()
	}
}

func (c *compiler) errorf(r diag.Range, code, format string, args ...any) {
	c.ds.Errorf(r, code, format, args...)
}

func (c *compiler) warnf(r diag.Range, code, format string, args ...any) {
	c.ds.Warnf(r, code, format, args...)
}

// index builds the name indexes. Names are unique by construction (they
// are map keys), except models, whose two sources the builder merged.
func (c *compiler) index() {
	for _, m := range c.api.Models {
		c.models[m.Name] = m
	}
	for _, a := range c.api.Authorizers {
		c.authorizers[a.Name] = a
	}
	for _, v := range c.api.RequestValidators {
		c.validators[v.Name] = v
	}
	for _, s := range c.api.Stages {
		c.stages[s.Name] = s
	}
	for _, k := range c.api.APIKeys {
		c.keys[k.Name] = k
	}
	if len(c.api.Stages) == 0 {
		c.implicitStage = true
	}
}
