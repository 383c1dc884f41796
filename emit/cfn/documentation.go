package cfn

import (
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
)

// documentation adds the documentation parts and, when the definition
// names one, the documentation version that snapshots them (so it depends
// on every part).
func (e *emitter) documentation() {
	doc := e.api.Documentation
	if doc == nil {
		return
	}
	seen := map[string]bool{}
	var parts []string
	for _, p := range doc.Parts {
		key := docPartKey(p)
		if seen[key] {
			e.errorf(p.Src.Range(), "two documentation parts have the same location (%s %s %s %s %s); API Gateway keeps one part per location",
				p.Type, p.Path, p.Method, p.StatusCode, p.Name)
			continue
		}
		seen[key] = true
		id := e.id(key)
		props, err := canonicalJSON(nonNilMap(p.Properties))
		if err != nil {
			e.errorf(p.Src.Range(), "documentation part properties: %v", err)
			continue
		}
		e.add(id, &apigateway.DocumentationPart{
			RestApiId: e.ref(apiID),
			Location: &apigateway.DocumentationPart_Location{
				Type:       text(p.Type),
				Path:       text(p.Path),
				Method:     text(p.Method),
				StatusCode: text(p.StatusCode),
				Name:       text(p.Name),
			},
			Properties: props,
		})
		parts = append(parts, id)
	}
	if doc.Version != "" {
		e.add(e.id(docVersionKey), &apigateway.DocumentationVersion{
			RestApiId:                  e.ref(apiID),
			DocumentationVersion:       doc.Version,
			AWSCloudFormationDependsOn: dependsOn(parts...),
		})
	}
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
