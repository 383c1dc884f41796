package cfn

import (
	"slices"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
)

// resourceTree adds a Resource for every path but the root, which API
// Gateway creates with the RestApi. A top-level resource's parent is the
// root (Fn::GetAtt Api.RootResourceId); any other's is its parent's Ref.
func (e *emitter) resourceTree() {
	var paths []string
	for _, r := range e.api.Resources {
		if r.Path != "/" {
			paths = append(paths, r.Path)
		}
	}
	paths = append(paths, impliedParents(e.api.Resources)...)
	slices.Sort(paths)
	for _, p := range paths {
		e.add(e.id(resourceKey(p)), &apigateway.Resource{
			RestApiId: e.ref(apiID),
			ParentId:  e.resourceRef(parentPath(p)),
			PathPart:  pathPart(p),
		})
	}
}

// resourceRef is the id of the resource at path, as a property value.
func (e *emitter) resourceRef(path string) string {
	if path == "/" {
		return e.getAtt(apiID, "RootResourceId")
	}
	return e.ref(e.id(resourceKey(path)))
}
