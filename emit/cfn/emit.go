package cfn

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// Diagnostic codes of this package.
const (
	// CodeUnsupported marks a setting CloudFormation has no property for;
	// the template leaves it out.
	CodeUnsupported = "CFN_UNSUPPORTED"
	// CodeEmit marks a definition the template cannot represent.
	CodeEmit = "CFN_EMIT"
	// CodeLimit marks a template beyond one of CloudFormation's quotas.
	CodeLimit = "CFN_LIMIT"
)

// apiID is the logical ID of the RestApi, which every other resource and
// the users' own placeholders (${Api}) refer to.
const apiID = "Api"

// Options tunes the template.
type Options struct {
	// Description is the template's Description. Empty gives one that
	// names the API and the artifact digest.
	Description string
	// LambdaPermissions adds an AWS::Lambda::Permission for each Lambda
	// function that the API's integrations and authorizers invoke
	// without credentials of their own, so that API Gateway may call it.
	// It is off by default: a function of another account, or one whose
	// permissions are managed elsewhere, would make the stack fail.
	LambdaPermissions bool
	// Nested puts the API's paths (its Resource and Method resources) in
	// nested stacks of at most 450 resources and 800 KB each, so that an
	// API beyond one stack's quotas (500 resources, 1 MB) deploys. The
	// parent's AWS::CloudFormation::Stack resources name their templates
	// by a path relative to the parent's file (Template.NestedFile), as
	// `aws cloudformation package` expects.
	Nested bool
}

// Emit builds the CloudFormation template of api, the normalized model
// compile returns, whose artifact has the given digest ("sha256:<hex>").
// The result depends only on its inputs: the same API and digest give the
// same bytes.
//
// Settings CloudFormation cannot express are left out and reported as
// warnings on the template. A definition the template cannot represent at
// all (an unknown pseudo-parameter, a reference to something the API does
// not declare) gives an *Error.
func Emit(api *schema.API, digest string, opts Options) (*Template, error) {
	if api == nil {
		return nil, fmt.Errorf("emit: no API")
	}
	hexDigest, err := digestHex(digest)
	if err != nil {
		return nil, err
	}
	e := newEmitter(api, hexDigest, opts)
	e.nameAll()
	e.build(digest)
	if len(e.errs) > 0 {
		return nil, &Error{Diagnostics: sortedDiagnostics(e.errs)}
	}
	e.nameParameters()
	doc, err := e.document()
	if err != nil {
		return nil, err
	}
	t := &Template{doc: doc, parameters: e.parameterNames(), at: api.Src.KeyRange()}
	if opts.Nested {
		parent, children, err := nest(doc)
		if err != nil {
			return nil, err
		}
		t.doc = parent
		for _, id := range slices.Sorted(maps.Keys(children)) {
			t.nested = append(t.nested, &Template{doc: children[id], at: t.at, id: id})
		}
	}
	e.checkQuotas(t)
	for _, n := range t.nested {
		e.checkQuotas(n)
	}
	t.warnings = sortedDiagnostics(e.warns)
	return t, nil
}

var digestRE = regexp.MustCompile(`^sha256:([0-9a-f]{64})$`)

// digestHex checks an artifact digest and returns its hex part.
func digestHex(digest string) (string, error) {
	m := digestRE.FindStringSubmatch(digest)
	if m == nil {
		return "", fmt.Errorf("emit: artifact digest %q is not of the form sha256:<64 lower-case hex digits>", digest)
	}
	return m[1], nil
}

// Error lists what made a definition impossible to emit, each problem at
// its place in the definition.
type Error struct {
	Diagnostics []diag.Diagnostic
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Diagnostics))
	for i, d := range e.Diagnostics {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

func sortedDiagnostics(ds []diag.Diagnostic) []diag.Diagnostic {
	var set diag.Set
	set.Add(ds...)
	return set.Sorted()
}

// emitter holds the state of one emission.
type emitter struct {
	api       *schema.API
	hexDigest string
	opts      Options

	tmpl *cloudformation.Template
	// declared indexes the names the API declares.
	declared declared
	// ids maps the key of every thing in the template (see keys.go) to its
	// logical ID.
	ids map[string]string
	// resourceIDs is the set of logical IDs of the template's resources,
	// which placeholders may name.
	resourceIDs map[string]bool

	// lambda lists the functions that get a permission (Options.LambdaPermissions).
	lambda []lambdaCall

	holds    *holds
	overlays map[string]map[string]any

	// params maps each placeholder that names no resource, as written, to
	// where it is used; paramNames maps it to its Parameter's logical ID.
	params     map[string]map[string]bool
	paramNames map[string]string

	errs  []diag.Diagnostic
	warns []diag.Diagnostic
}

func newEmitter(api *schema.API, hexDigest string, opts Options) *emitter {
	t := cloudformation.NewTemplate()
	return &emitter{
		api:         api,
		hexDigest:   hexDigest,
		opts:        opts,
		tmpl:        t,
		declared:    index(api),
		ids:         map[string]string{},
		resourceIDs: map[string]bool{},
		holds:       newHolds(),
		overlays:    map[string]map[string]any{},
		params:      map[string]map[string]bool{},
		paramNames:  map[string]string{},
	}
}

func (e *emitter) errorf(at diag.Range, format string, args ...any) {
	e.errs = append(e.errs, diag.Diagnostic{Code: CodeEmit, Severity: diag.Error, Message: fmt.Sprintf(format, args...), Range: at})
}

func (e *emitter) warnf(at diag.Range, format string, args ...any) {
	e.warns = append(e.warns, diag.Diagnostic{Code: CodeUnsupported, Severity: diag.Warning, Message: fmt.Sprintf(format, args...), Range: at})
}

// build adds every resource and output to the template.
func (e *emitter) build(digest string) {
	e.tmpl.Description = e.opts.Description
	if e.tmpl.Description == "" {
		e.tmpl.Description = fmt.Sprintf("API Gateway REST API %s, generated by gwc from %s", e.api.Name, digest)
	}
	e.restAPI()
	e.resourceTree()
	e.models()
	e.requestValidators()
	e.authorizers()
	e.methods()
	e.gatewayResponses()
	e.documentation()
	e.deployment(digest)
	e.stages()
	e.usagePlans()
	e.domainNames()
	e.lambdaPermissions()
	e.outputs()
}

// add puts a resource into the template under id.
func (e *emitter) add(id string, r cloudformation.Resource) {
	e.tmpl.Resources[id] = r
}

// setProperty sets a property goformation's types do not have (yet), by
// its path under Properties.
func (e *emitter) setProperty(id string, path []string, v any) {
	m := e.overlays[id]
	if m == nil {
		m = map[string]any{}
		e.overlays[id] = m
	}
	for _, k := range path[:len(path)-1] {
		next, _ := m[k].(map[string]any)
		if next == nil {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

// dependsOn returns the sorted, de-duplicated logical IDs of ids, or nil.
func dependsOn(ids ...string) []string {
	out := slices.Clone(ids)
	out = slices.DeleteFunc(out, func(s string) bool { return s == "" })
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil
	}
	return out
}
