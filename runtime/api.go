// Package runtime serves a compiled API with API Gateway's request
// lifecycle. It loads only artifacts (never definitions), verifies them,
// prepares everything a request needs at load time (the routing trie,
// parsed templates, compiled patterns and schemas), and then serves
// requests from that read-only state.
//
// The behaviour follows the specification in apigw-behaviour.md; section
// numbers in comments refer to it.
package runtime

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"gwc.dev/gwc/artifact"
	"gwc.dev/gwc/vtl/apigw"
)

// Options configure how an artifact is served.
type Options struct {
	// DefaultStage names the stage of an artifact that declares none
	// (default "dev").
	DefaultStage string
	// StageVariables set or override stage variables of every stage, as
	// AWS allows without a redeploy.
	StageVariables map[string]string
	// Backends perform integration calls, by integration type (HTTP and
	// HTTP_PROXY). MOCK needs none. A type without a backend answers with
	// a 500 that says so.
	Backends map[string]Backend
	// Functions run Lambda functions (AWS and AWS_PROXY integrations,
	// Lambda authorizers); nil answers those methods with a 500.
	Functions Functions
	// Tokens verify Cognito user pool tokens; Signatures verify SigV4
	// signatures of AWS_IAM methods (nil: the form is checked, not the
	// signature).
	Tokens     TokenVerifier
	Signatures SignatureVerifier
	// APIKeys are the values of the API keys the definition declares, by
	// name. Keys are never part of the artifact. APIKeyLookup, when set,
	// is asked for the keys APIKeys lacks (gwc serve reads the
	// environment).
	APIKeys      map[string]string
	APIKeyLookup func(name string) (string, bool)
	// Usage keeps throttle and quota state; nil turns usage plans and
	// stage throttling off, with a warning.
	Usage UsageStore
	// AccountID and Region fill $context.accountId and ARNs.
	AccountID string
	Region    string
	// Logger receives warnings and server logs; nil discards them.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

func (o *Options) defaults() {
	if o.DefaultStage == "" {
		o.DefaultStage = "dev"
	}
	if o.AccountID == "" {
		o.AccountID = "123456789012"
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// API is a loaded artifact: read-only after Load, shared by every request.
type API struct {
	Name   string
	ID     string
	Digest string
	// DeploymentID identifies the deployment, as $context.deploymentId.
	DeploymentID string
	// userAgent is what HTTP integrations send as User-Agent.
	userAgent string
	// Warnings name what the artifact uses that gwc cannot serve yet; the
	// methods concerned answer with a 500 that says so.
	Warnings []string

	opts      Options
	root      *node
	resources []*Resource
	stages    map[string]*Stage
	gateway   [numErrorTypes]gatewayResponse
	binary    []mediaRange
	models    *modelSet

	// loader is set while the API loads.
	loader *loader

	authorizers map[string]*authorizer
	keys        *keyring
	// domains are the custom domain names by host name, lower case;
	// executeDisabled answers other hosts 403 (§2.1).
	domains         map[string]*domain
	executeDisabled bool
}

// Resource is a resource with its methods.
type Resource struct {
	ID      string
	Path    string
	methods []*Method
	any     *Method
}

// Stage is a stage with its variables.
type Stage struct {
	Name      string
	Variables map[string]string
	// variables is Variables in a stable order; templateVars the same as
	// templates see them, built once.
	variables    []pathParam
	templateVars apigw.Params
	// accessLog is the stage's access log format, parsed; nil when the
	// stage sets none.
	accessLog []templatePart
}

// Load prepares an artifact for serving. digest is the artifact's digest
// (from its manifest). An artifact that compiled loads; an error here means
// the artifact is not one gwc build wrote.
func Load(a *artifact.API, digest string, opts Options) (*API, error) {
	opts.defaults()
	api := &API{
		Name:         a.Name,
		ID:           a.ID,
		Digest:       digest,
		DeploymentID: deploymentID(digest),
		userAgent:    "AmazonAPIGateway_" + a.ID,
		opts:         opts,
		stages:       map[string]*Stage{},
	}
	for _, t := range a.BinaryMediaTypes {
		api.binary = append(api.binary, parseMediaRange(t))
	}
	var err error
	if api.models, err = compileModels(a); err != nil {
		return nil, err
	}
	if err := api.loadStages(a); err != nil {
		return nil, err
	}
	if err := api.loadGatewayResponses(a); err != nil {
		return nil, err
	}
	if err := api.loadAuthorizers(a); err != nil {
		return nil, err
	}
	api.keys = api.loadUsage(a)
	api.loadDomains(a)
	api.loader = newLoader()
	if err := api.loadResources(a); err != nil {
		return nil, err
	}
	api.loader = nil
	for _, w := range api.Warnings {
		opts.Logger.Warn(w, "api", a.Name)
	}
	return api, nil
}

func deploymentID(digest string) string {
	d := strings.TrimPrefix(digest, "sha256:")
	if len(d) >= 6 {
		return d[:6]
	}
	return "local0"
}

func (api *API) loadStages(a *artifact.API) error {
	add := func(s *artifact.Stage) {
		st := &Stage{Name: s.Name, Variables: map[string]string{}}
		for k, v := range s.Variables {
			st.Variables[k] = v
		}
		for k, v := range api.opts.StageVariables {
			st.Variables[k] = v
		}
		for _, k := range sortedKeys(st.Variables) {
			st.variables = append(st.variables, pathParam{k, st.Variables[k]})
			st.templateVars.Add(k, st.Variables[k])
		}
		if s.AccessLog != nil && s.AccessLog.Format != "" {
			st.accessLog = parseSubstitution(s.AccessLog.Format)
		}
		api.stages[st.Name] = st
	}
	for _, s := range a.Stages {
		add(s)
	}
	if len(a.Stages) == 0 {
		add(&artifact.Stage{Name: api.opts.DefaultStage})
	}
	return nil
}

// Stage returns the stage named name.
func (api *API) Stage(name string) *Stage { return api.stages[name] }

// StageNames lists the stages, sorted.
func (api *API) StageNames() []string { return sortedKeys(api.stages) }

func (api *API) loadResources(a *artifact.API) error {
	byID := map[string]*node{}
	for _, ar := range a.Resources {
		r := &Resource{ID: ar.ID, Path: ar.Path}
		n := &node{resource: r}
		if ar.ParentID == "" {
			if api.root != nil {
				return fmt.Errorf("invalid artifact: two root resources")
			}
			api.root = n
		} else {
			parent := byID[ar.ParentID]
			if parent == nil {
				return fmt.Errorf("invalid artifact: resource %s comes before its parent", ar.Path)
			}
			part := ar.PathPart
			switch {
			case strings.HasSuffix(part, "+}"):
				n.name = part[1 : len(part)-2]
				parent.greedy = n
			case strings.HasPrefix(part, "{"):
				n.name = part[1 : len(part)-1]
				parent.param = n
			default:
				if parent.literal == nil {
					parent.literal = map[string]*node{}
				}
				parent.literal[part] = n
			}
		}
		byID[ar.ID] = n
		for _, am := range ar.Methods {
			m, err := api.loadMethod(r, am)
			if err != nil {
				return fmt.Errorf("invalid artifact: %s %s: %w", am.Verb, ar.Path, err)
			}
			if m.Verb == "ANY" {
				r.any = m
			} else {
				r.methods = append(r.methods, m)
			}
		}
		api.resources = append(api.resources, r)
	}
	if api.root == nil {
		return fmt.Errorf("invalid artifact: no root resource")
	}
	return nil
}

// Resources lists the API's resources, sorted by path.
func (api *API) Resources() []*Resource { return api.resources }

// Methods lists a resource's methods, ANY last.
func (r *Resource) Methods() []*Method {
	out := slices.Clone(r.methods)
	if r.any != nil {
		out = append(out, r.any)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
