package cfn

import (
	"github.com/awslabs/goformation/v7/cloudformation"
)

// outputs adds the API's id, its root resource's id, and each stage's
// invoke URL on the execute-api endpoint.
func (e *emitter) outputs() {
	e.tmpl.Outputs["ApiId"] = cloudformation.Output{
		Value:       e.ref(apiID),
		Description: text("The id of the REST API."),
	}
	e.tmpl.Outputs["ApiRootResourceId"] = cloudformation.Output{
		Value:       e.getAtt(apiID, "RootResourceId"),
		Description: text("The id of the REST API's root resource (/)."),
	}
	for _, s := range e.api.Stages {
		id := e.id(stageKey(s.Name))
		// The stage's own Ref (its name) ties the output to the stage.
		url := "https://${" + apiID + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${" + id + "}/"
		e.tmpl.Outputs[id+"InvokeUrl"] = cloudformation.Output{
			Value:       e.sub(url, use{id: id}),
			Description: text("The invoke URL of stage " + s.Name + "."),
		}
	}
}
