package cfn

import (
	"slices"
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"gwc.dev/gwc/schema"
)

// methods adds a Method for every verb of every resource.
//
// A method refers to its resource, authorizer, validator and models with
// Ref (a model's Ref is its name), so CloudFormation creates them first
// without any DependsOn.
func (e *emitter) methods() {
	for _, r := range e.api.Resources {
		for _, m := range r.Methods {
			e.method(r, m)
		}
	}
}

func (e *emitter) method(r *schema.Resource, m *schema.Method) {
	id := e.id(methodKey(r.Path, m.Verb))
	res := &apigateway.Method{
		RestApiId:           e.ref(apiID),
		ResourceId:          e.resourceRef(r.Path),
		HttpMethod:          m.Verb,
		OperationName:       text(m.OperationName),
		AuthorizationScopes: slices.Clone(m.Scopes),
	}
	if m.APIKeyRequired {
		required := true
		res.ApiKeyRequired = &required
	}
	authorization := m.Authorization
	if m.Authorizer != "" {
		if _, ok := e.declared.authorizers[m.Authorizer]; !ok {
			e.errorf(schema.At(m.Src, "authorizer"), "%s %s names authorizer %q, which the API does not declare", m.Verb, r.Path, m.Authorizer)
		} else {
			res.AuthorizerId = text(e.ref(e.id(authorizerKey(m.Authorizer))))
			if authorization == "" {
				authorization = "CUSTOM"
				if e.declared.authorizers[m.Authorizer] == "COGNITO_USER_POOLS" {
					authorization = "COGNITO_USER_POOLS"
				}
			}
		}
	}
	if authorization == "" {
		authorization = "NONE"
	}
	res.AuthorizationType = &authorization
	if m.Validator != "" {
		if !e.declared.validators[m.Validator] {
			e.errorf(schema.At(m.Src, "request", "validator"), "%s %s names request validator %q, which the API does not declare", m.Verb, r.Path, m.Validator)
		} else {
			res.RequestValidatorId = text(e.ref(e.id(validatorKey(m.Validator))))
		}
	}
	if len(m.RequestParams) > 0 {
		res.RequestParameters = map[string]string{}
		for _, p := range m.RequestParams {
			res.RequestParameters[p.Expr()] = e.boolean(p.Required)
		}
	}
	res.RequestModels = e.contentModels(m.RequestModels, m, r)
	for _, mr := range m.Responses {
		res.MethodResponses = append(res.MethodResponses, e.methodResponse(mr, m, r))
	}
	slices.SortFunc(res.MethodResponses, func(a, b apigateway.Method_MethodResponse) int {
		return compareStatus(a.StatusCode, b.StatusCode)
	})
	res.Integration = e.integration(id, m.Integration)
	e.add(id, res)
}

// contentModels maps media types to models, by Ref so that the models
// exist before the method.
func (e *emitter) contentModels(cms []*schema.ContentModel, m *schema.Method, r *schema.Resource) map[string]string {
	if len(cms) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, cm := range cms {
		if !e.declared.models[cm.Model] {
			e.errorf(cm.Src.Range(), "%s %s uses model %q, which the API does not declare", m.Verb, r.Path, cm.Model)
			continue
		}
		out[cm.ContentType] = e.ref(e.id(modelKey(cm.Model)))
	}
	return out
}

func (e *emitter) methodResponse(mr *schema.MethodResponse, m *schema.Method, r *schema.Resource) apigateway.Method_MethodResponse {
	out := apigateway.Method_MethodResponse{
		StatusCode:     strconv.Itoa(mr.Status),
		ResponseModels: e.contentModels(mr.Models, m, r),
	}
	if len(mr.Headers) > 0 {
		out.ResponseParameters = map[string]string{}
		for _, h := range mr.Headers {
			out.ResponseParameters["method.response.header."+h.Name] = e.boolean(h.Required)
		}
	}
	return out
}

// compareStatus orders status codes numerically.
func compareStatus(a, b string) int {
	x, _ := strconv.Atoi(a)
	y, _ := strconv.Atoi(b)
	return x - y
}
