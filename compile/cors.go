package compile

import (
	"slices"
	"strconv"
	"strings"

	"gwc.dev/gwc/schema"
)

// CORS response headers.
const (
	hdrAllowOrigin      = "Access-Control-Allow-Origin"
	hdrAllowMethods     = "Access-Control-Allow-Methods"
	hdrAllowHeaders     = "Access-Control-Allow-Headers"
	hdrAllowCredentials = "Access-Control-Allow-Credentials"
	hdrExposeHeaders    = "Access-Control-Expose-Headers"
	hdrMaxAge           = "Access-Control-Max-Age"
)

// expandCORS turns the cors block into what API Gateway needs, as the
// console's "Enable CORS" does:
//   - an OPTIONS method with a MOCK integration on every resource that has
//     methods and no OPTIONS of its own, answering the preflight;
//   - Access-Control-Allow-Origin (and the other configured headers) on
//     every response of every non-proxy method (proxy integrations must
//     return them from the backend);
//   - the same origin header on the DEFAULT_4XX and DEFAULT_5XX gateway
//     responses, so that browsers see API Gateway's own errors.
//
// With several origins, a static header cannot answer each of them, so the
// generated templates echo the request's Origin when it is one of them.
func (c *compiler) expandCORS() {
	cors := c.api.CORS
	if cors == nil {
		return
	}
	for _, r := range c.api.Resources {
		if len(r.Methods) == 0 {
			continue
		}
		hasOptions := false
		var verbs []string
		for _, m := range r.Methods {
			if m.Verb == "OPTIONS" {
				hasOptions = true
				continue
			}
			if m.Verb == "ANY" {
				verbs = append(verbs, "DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")
			} else {
				verbs = append(verbs, m.Verb)
			}
			c.corsOnMethod(cors, m)
		}
		if !hasOptions {
			if len(cors.Methods) > 0 {
				verbs = slices.Clone(cors.Methods)
			}
			verbs = append(verbs, "OPTIONS")
			slices.Sort(verbs)
			verbs = slices.Compact(verbs)
			r.Methods = append(r.Methods, c.preflight(cors, r, verbs))
		}
	}
	c.corsOnGatewayResponses(cors)
}

func quote(s string) string { return "'" + s + "'" }

func (c *compiler) singleOrigin(cors *schema.CORS) (string, bool) {
	if len(cors.Origins) == 1 {
		return cors.Origins[0], true
	}
	if slices.Contains(cors.Origins, "*") {
		return "*", true
	}
	return "", false
}

// originTemplate is a Velocity snippet that echoes the request's Origin
// when it is one of the allowed origins.
func originTemplate(origins []string) string {
	conds := make([]string, len(origins))
	for i, o := range origins {
		conds[i] = "$gwcOrigin == " + strconv.Quote(o)
	}
	return "#set($gwcOrigin = $input.params().header.get('Origin'))" +
		"#if(" + strings.Join(conds, " || ") + ")" +
		"#set($context.responseOverride.header." + hdrAllowOrigin + " = $gwcOrigin)" +
		"#end\n"
}

// staticCORSHeaders are the header mappings every CORS response carries
// besides the origin.
func staticCORSHeaders(cors *schema.CORS) map[string]string {
	h := map[string]string{}
	if cors.Credentials {
		h[hdrAllowCredentials] = quote("true")
	}
	if len(cors.ExposeHeaders) > 0 {
		h[hdrExposeHeaders] = quote(strings.Join(cors.ExposeHeaders, ","))
	}
	return h
}

func (c *compiler) preflight(cors *schema.CORS, r *schema.Resource, verbs []string) *schema.Method {
	src := cors.Src
	headers := staticCORSHeaders(cors)
	headers[hdrAllowMethods] = quote(strings.Join(verbs, ","))
	headers[hdrAllowHeaders] = quote(strings.Join(cors.Headers, ","))
	if cors.MaxAge != nil {
		headers[hdrMaxAge] = quote(strconv.Itoa(*cors.MaxAge))
	}
	ir := &schema.IntegrationResponse{Src: src, Status: 200}
	mr := &schema.MethodResponse{Src: src, Status: 200}
	if origin, ok := c.singleOrigin(cors); ok {
		headers[hdrAllowOrigin] = quote(origin)
	} else {
		mr.Headers = append(mr.Headers, &schema.ResponseHeader{Src: src, Name: hdrAllowOrigin})
		ir.Templates = []*schema.Template{{Src: src, ContentType: "application/json", Text: originTemplate(cors.Origins)}}
	}
	for _, name := range sortedKeys(headers) {
		ir.Params = append(ir.Params, &schema.Mapping{Src: src, Target: "method.response.header." + name, Source: headers[name]})
		mr.Headers = append(mr.Headers, &schema.ResponseHeader{Src: src, Name: name})
	}
	slices.SortFunc(mr.Headers, func(a, b *schema.ResponseHeader) int { return strings.Compare(a.Name, b.Name) })
	m := &schema.Method{
		Src:           src,
		Verb:          "OPTIONS",
		Authorization: "NONE",
		Integration: &schema.Integration{
			Src:              src,
			Type:             schema.MOCK,
			RequestTemplates: []*schema.Template{{Src: src, ContentType: "application/json", Text: `{"statusCode": 200}`}},
			Passthrough:      "WHEN_NO_MATCH",
			Responses:        []*schema.IntegrationResponse{ir},
		},
		Responses: []*schema.MethodResponse{mr},
	}
	for _, name := range c.pathParams(r) {
		m.RequestParams = append(m.RequestParams, &schema.RequestParam{Src: src, Location: "path", Name: name, Required: true})
	}
	return m
}

// corsOnMethod adds the CORS headers to a non-proxy method's responses.
func (c *compiler) corsOnMethod(cors *schema.CORS, m *schema.Method) {
	in := m.Integration
	if in == nil || in.IsProxy() {
		return
	}
	headers := staticCORSHeaders(cors)
	origin, single := c.singleOrigin(cors)
	if single {
		headers[hdrAllowOrigin] = quote(origin)
	}
	declare := func(mr *schema.MethodResponse, name string) {
		if !slices.ContainsFunc(mr.Headers, func(h *schema.ResponseHeader) bool { return strings.EqualFold(h.Name, name) }) {
			mr.Headers = append(mr.Headers, &schema.ResponseHeader{Src: cors.Src, Name: name})
			slices.SortFunc(mr.Headers, func(a, b *schema.ResponseHeader) int { return strings.Compare(a.Name, b.Name) })
		}
	}
	for _, mr := range m.Responses {
		for name := range headers {
			declare(mr, name)
		}
		declare(mr, hdrAllowOrigin)
	}
	for _, ir := range in.Responses {
		if responseFor(m, ir.Status) == nil {
			continue
		}
		for _, name := range sortedKeys(headers) {
			target := "method.response.header." + name
			if !slices.ContainsFunc(ir.Params, func(mp *schema.Mapping) bool { return strings.EqualFold(mp.Target, target) }) {
				ir.Params = append(ir.Params, &schema.Mapping{Src: cors.Src, Target: target, Source: headers[name]})
			}
		}
		slices.SortFunc(ir.Params, func(a, b *schema.Mapping) int { return strings.Compare(a.Target, b.Target) })
		if !single {
			prefix := originTemplate(cors.Origins)
			if len(ir.Templates) == 0 {
				// A template replaces passthrough, so pass the body on.
				ir.Templates = []*schema.Template{{Src: cors.Src, ContentType: "application/json", Text: prefix + "$input.body"}}
			}
			for _, t := range ir.Templates {
				t.Text = prefix + t.Text
			}
		}
	}
}

// corsOnGatewayResponses adds the origin header to DEFAULT_4XX and
// DEFAULT_5XX, unless the definition customized it already.
func (c *compiler) corsOnGatewayResponses(cors *schema.CORS) {
	origin, single := c.singleOrigin(cors)
	source := quote(origin)
	if !single {
		source = "method.request.header.Origin"
	}
	headers := staticCORSHeaders(cors)
	headers[hdrAllowOrigin] = source
	for _, typ := range []string{"DEFAULT_4XX", "DEFAULT_5XX"} {
		i := slices.IndexFunc(c.api.GatewayResponses, func(g *schema.GatewayResponse) bool { return g.Type == typ })
		var g *schema.GatewayResponse
		if i < 0 {
			g = &schema.GatewayResponse{Src: cors.Src, Type: typ}
			c.api.GatewayResponses = append(c.api.GatewayResponses, g)
		} else {
			g = c.api.GatewayResponses[i]
		}
		for _, name := range sortedKeys(headers) {
			target := "gatewayresponse.header." + name
			if !slices.ContainsFunc(g.Params, func(mp *schema.Mapping) bool { return strings.EqualFold(mp.Target, target) }) {
				g.Params = append(g.Params, &schema.Mapping{Src: cors.Src, Target: target, Source: headers[name]})
			}
		}
		slices.SortFunc(g.Params, func(a, b *schema.Mapping) int { return strings.Compare(a.Target, b.Target) })
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
