package openapi

import (
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"gwc.dev/gwc/schema"
)

// paths writes every resource with its methods. A resource without
// methods is written only when no other resource lies below it: compile
// adds the ancestors of every resource again, so writing those would say
// nothing.
func (e *exporter) paths() *openapi3.Paths {
	paths := openapi3.NewPathsWithCapacity(len(e.api.Resources))
	opNames := map[string]int{}
	for _, r := range e.api.Resources {
		for _, m := range r.Methods {
			if m.OperationName != "" {
				opNames[m.OperationName]++
			}
		}
	}
	// compile puts every ancestor of a resource in the tree, so a
	// resource has descendants exactly when it is some resource's parent.
	parents := map[string]bool{}
	for _, r := range e.api.Resources {
		if r.Path != "/" {
			parents[parentPath(r.Path)] = true
		}
	}
	for _, r := range e.api.Resources {
		if len(r.Methods) == 0 && parents[r.Path] {
			continue
		}
		item := &openapi3.PathItem{}
		for _, m := range r.Methods {
			op := e.operation(m, opNames[m.OperationName] > 1)
			if m.Verb == "ANY" {
				item.Extensions = map[string]any{awsExt + "any-method": op}
				continue
			}
			item.SetOperation(m.Verb, op)
		}
		paths.Set(r.Path, item)
	}
	return paths
}

func parentPath(path string) string {
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return "/"
	}
	return path[:i]
}

// operation writes one method. Operation IDs must be unique in OpenAPI;
// a name several methods share goes into x-gateway-operation-name
// instead, which the reader takes as the method's name.
func (e *exporter) operation(m *schema.Method, sharedName bool) *openapi3.Operation {
	op := &openapi3.Operation{
		Summary:     m.Summary,
		Description: m.Description,
		Extensions:  map[string]any{},
	}
	if sharedName {
		op.Extensions[gwcExt+"operation-name"] = m.OperationName
	} else {
		op.OperationID = m.OperationName
	}
	e.request(m, op)
	op.Responses = e.responses(m, op)
	if sec := e.security(m); sec != nil {
		op.Security = &openapi3.SecurityRequirements{sec}
	}
	if in := m.Integration; in != nil && in.Type != "" {
		op.Extensions[awsExt+"integration"] = integration(in)
	}
	return op
}

// parameterIn maps API Gateway's parameter locations to OpenAPI's.
var parameterIn = map[string]string{"path": "path", "querystring": "query", "header": "header"}

// request writes the method request: parameters, body models and the
// validator. OpenAPI path parameters are always required; a method that
// declares one optional gets its whole request in x-gateway-request,
// which the reader takes instead of what it translates.
func (e *exporter) request(m *schema.Method, op *openapi3.Operation) {
	optionalPath := false
	for _, p := range m.RequestParams {
		param := &openapi3.Parameter{
			Name:     p.Name,
			In:       parameterIn[p.Location],
			Required: p.Required,
			Schema:   stringSchema(),
		}
		if p.Location == "path" {
			optionalPath = optionalPath || !p.Required
			param.Required = true
		}
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: param})
	}
	if len(m.RequestModels) > 0 {
		content := openapi3.Content{}
		for _, cm := range m.RequestModels {
			content[cm.ContentType] = &openapi3.MediaType{Schema: &openapi3.SchemaRef{Ref: schemaRef(cm.Model)}}
		}
		op.RequestBody = &openapi3.RequestBodyRef{Value: &openapi3.RequestBody{Content: content}}
	}
	if m.Validator != "" {
		op.Extensions[awsExt+"request-validator"] = m.Validator
	}
	if optionalPath {
		op.Extensions[gwcExt+"request"] = gwcRequest(m)
	}
}

func stringSchema() *openapi3.SchemaRef {
	return &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}}
}

// gwcRequest is a method request in gwc's vocabulary (#MethodRequest).
func gwcRequest(m *schema.Method) map[string]any {
	req := map[string]any{}
	if len(m.RequestParams) > 0 {
		params := map[string]any{}
		for _, p := range m.RequestParams {
			params[p.Location+"."+p.Name] = map[string]any{"required": p.Required}
		}
		req["params"] = params
	}
	if len(m.RequestModels) > 0 {
		models := map[string]any{}
		for _, cm := range m.RequestModels {
			models[cm.ContentType] = cm.Model
		}
		req["models"] = models
	}
	if m.Validator != "" {
		req["validator"] = m.Validator
	}
	return req
}

// responses writes the method responses. OpenAPI requires at least one
// response, so a method that declares none gets the default response,
// which the reader ignores. A response model the reader would reject (a
// primitive type) is left out of the content, and the method's responses
// go into x-gateway-responses as well.
func (e *exporter) responses(m *schema.Method, op *openapi3.Operation) *openapi3.Responses {
	out := openapi3.NewResponsesWithCapacity(max(len(m.Responses), 1))
	if len(m.Responses) == 0 {
		out.Set("default", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("Default response")})
		return out
	}
	primitive := false
	for _, mr := range m.Responses {
		status := strconv.Itoa(mr.Status)
		resp := openapi3.NewResponse().WithDescription(status + " response")
		for _, h := range mr.Headers {
			if resp.Headers == nil {
				resp.Headers = openapi3.Headers{}
			}
			resp.Headers[h.Name] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
				Required: h.Required,
				Schema:   stringSchema(),
			}}}
		}
		for _, cm := range mr.Models {
			if e.primitiveModel(cm.Model) {
				primitive = true
				continue
			}
			if resp.Content == nil {
				resp.Content = openapi3.Content{}
			}
			resp.Content[cm.ContentType] = &openapi3.MediaType{Schema: &openapi3.SchemaRef{Ref: schemaRef(cm.Model)}}
		}
		out.Set(status, &openapi3.ResponseRef{Value: resp})
	}
	if primitive {
		op.Extensions[gwcExt+"responses"] = gwcResponses(m)
	}
	return out
}

// gwcResponses are a method's responses in gwc's vocabulary.
func gwcResponses(m *schema.Method) map[string]any {
	out := map[string]any{}
	for _, mr := range m.Responses {
		r := map[string]any{}
		if len(mr.Headers) > 0 {
			headers := map[string]any{}
			for _, h := range mr.Headers {
				headers[h.Name] = map[string]any{"required": h.Required}
			}
			r["headers"] = headers
		}
		if len(mr.Models) > 0 {
			models := map[string]any{}
			for _, cm := range mr.Models {
				models[cm.ContentType] = cm.Model
			}
			r["models"] = models
		}
		out[strconv.Itoa(mr.Status)] = r
	}
	return out
}

// security is the method's security requirement: its authorizer (with
// its scopes), the API key and IAM, all in one requirement because API
// Gateway applies them together.
func (e *exporter) security(m *schema.Method) openapi3.SecurityRequirement {
	req := openapi3.SecurityRequirement{}
	if m.Authorizer != "" {
		scopes := m.Scopes
		if scopes == nil {
			scopes = []string{}
		}
		req[m.Authorizer] = scopes
	}
	if m.APIKeyRequired {
		req[e.apiKeyScheme] = []string{}
	}
	if m.Authorization == "AWS_IAM" {
		req[e.iamScheme] = []string{}
	}
	if len(req) == 0 {
		return nil
	}
	return req
}
