package cfn

import (
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
)

// gatewayResponses adds the customized gateway responses. A status of 0
// keeps the type's default, so StatusCode is left out.
func (e *emitter) gatewayResponses() {
	for _, g := range e.api.GatewayResponses {
		r := &apigateway.GatewayResponse{
			ResponseType:       g.Type,
			RestApiId:          e.ref(apiID),
			ResponseParameters: mappings(g.Params),
			ResponseTemplates:  templates(g.Templates),
		}
		if g.Status != 0 {
			r.StatusCode = text(strconv.Itoa(g.Status))
		}
		e.add(e.id(gatewayResponseKey(g.Type)), r)
	}
}
