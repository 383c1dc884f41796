package openapi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"gwc.dev/gwc/compile"
	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
)

// Version is the OpenAPI version of exported documents: the version API
// Gateway's own exports declare.
const Version = "3.0.1"

// CodeExport marks a part of an API that an OpenAPI document cannot
// represent.
const CodeExport = "OPENAPI_EXPORT"

// Format is an encoding of the document.
type Format string

// The encodings Export writes.
const (
	JSON Format = "json"
	YAML Format = "yaml"
)

// Options tunes the export.
type Options struct {
	// Format is the document's encoding; empty means JSON.
	Format Format
}

// Extension names.
const (
	awsExt = "x-amazon-apigateway-"
	gwcExt = "x-gateway-"
)

// Export writes api, the normalized model compile returns, as an OpenAPI
// 3.0 document. The result depends only on api and opts: the same API
// gives the same bytes, with object keys sorted (the document's own
// fields first at the top level).
//
// An API the document cannot represent (an authorizer whose name is not a
// valid OpenAPI component name) gives an *Error that points at each
// problem in the definition.
func Export(api *schema.API, opts Options) ([]byte, error) {
	if api == nil {
		return nil, errors.New("openapi: no API")
	}
	switch opts.Format {
	case "", JSON, YAML:
	default:
		return nil, fmt.Errorf("openapi: unknown format %q (want json or yaml)", opts.Format)
	}
	e := newExporter(api)
	doc := e.document()
	if len(e.errs) > 0 {
		var set diag.Set
		set.Add(e.errs...)
		return nil, &Error{Diagnostics: set.Sorted()}
	}
	return encode(doc, opts.Format)
}

// Error lists what made an API impossible to export, each problem at its
// place in the definition.
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

// exporter holds the state of one export.
type exporter struct {
	api *schema.API
	// modelURL starts the URL by which compile makes one model refer to
	// another: ...restapis/<id>/models/.
	modelURL string

	// models holds each model's components schema as plain values.
	models map[string]map[string]any
	// exactModels reports whether every model survives as a components
	// schema exactly; when one does not, x-gateway-model-schemas carries
	// them all as written.
	exactModels bool

	// apiKeyScheme and iamScheme name the security schemes for methods
	// that require an API key or use AWS_IAM ("" when none does).
	apiKeyScheme, iamScheme string

	errs []diag.Diagnostic
}

func newExporter(api *schema.API) *exporter {
	return &exporter{
		api:      api,
		modelURL: compile.ModelURL(compile.APIID(api.Name), ""),
		models:   map[string]map[string]any{},
	}
}

func (e *exporter) errorf(src *schema.Node, format string, args ...any) {
	var r diag.Range
	if src != nil {
		r = src.KeyRange()
	}
	e.errs = append(e.errs, diag.Diagnostic{
		Code: CodeExport, Severity: diag.Error, Range: r, Message: fmt.Sprintf(format, args...),
	})
}

// document builds the whole document.
func (e *exporter) document() *openapi3.T {
	a := e.api
	version := a.Version
	if version == "" {
		// OpenAPI requires info.version; the API has none to give.
		version = defaultInfoVersion
	}
	doc := &openapi3.T{
		OpenAPI:    Version,
		Info:       &openapi3.Info{Title: a.Name, Description: a.Description, Version: version},
		Extensions: map[string]any{},
	}
	e.convertModels()
	components := &openapi3.Components{
		Schemas:         e.componentSchemas(),
		SecuritySchemes: e.securitySchemes(),
	}
	if len(components.Schemas) > 0 || len(components.SecuritySchemes) > 0 {
		doc.Components = components
	}
	doc.Paths = e.paths()
	e.apiExtensions(doc)
	e.gwcExtensions(doc.Extensions)
	return doc
}

// defaultInfoVersion is info.version for an API that declares no version.
// Reading the document back gives the API this version, which changes
// nothing gwc builds.
const defaultInfoVersion = "1.0"
