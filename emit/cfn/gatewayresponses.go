package cfn

import (
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"gwc.dev/gwc/schema"
)

// gatewayResponses adds the customized gateway responses. A status of 0
// keeps the type's default, so StatusCode is left out.
func (e *emitter) gatewayResponses() {
	for _, g := range e.api.GatewayResponses {
		id := e.id(gatewayResponseKey(g.Type))
		r := &apigateway.GatewayResponse{
			ResponseType:       g.Type,
			RestApiId:          e.ref(apiID),
			ResponseParameters: mappings(g.Params),
			ResponseTemplates:  e.templates(g.Templates, use{id, "ResponseTemplates", schema.At(g.Src, "templates")}),
		}
		if g.Status != 0 {
			r.StatusCode = text(strconv.Itoa(g.Status))
		}
		e.add(id, r)
	}
}
