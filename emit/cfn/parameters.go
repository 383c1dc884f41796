package cfn

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// maxParameterDescription is CloudFormation's limit on a Parameter's
// Description.
const maxParameterDescription = 4000

// nameParameters gives every placeholder that names no resource of the
// template a Parameter: ${lambda_arn} becomes LambdaArn, ${MyFn.Arn}
// becomes MyFnArn; a name that is already a valid logical ID stays as it
// is. Parameters never take a resource's logical ID, and two placeholders
// that read alike still get two Parameters.
func (e *emitter) nameParameters() {
	alloc := newIDAllocator(slices.Collect(maps.Keys(e.resourceIDs))...)
	for raw := range e.params {
		base := raw
		if !isLogicalID(raw) {
			base = pascal(raw)
		}
		alloc.want(raw, base)
	}
	e.paramNames = alloc.resolve()
	for raw, uses := range e.params {
		desc := parameterDescription(raw, slices.Sorted(maps.Keys(uses)))
		e.tmpl.Parameters[e.paramNames[raw]] = cloudformation.Parameter{Type: "String", Description: &desc}
	}
}

// parameterDescription says what a Parameter stands for and where it is
// used, so that whoever deploys the template knows what to supply.
func parameterDescription(raw string, uses []string) string {
	desc := fmt.Sprintf("Value of ${%s} in the gwc definition, used by %s.", raw, strings.Join(uses, ", "))
	if len(desc) > maxParameterDescription {
		desc = desc[:maxParameterDescription-4] + " …"
	}
	return desc
}

// parameterNames returns the template's Parameters, sorted.
func (e *emitter) parameterNames() []string {
	return slices.Sorted(maps.Values(e.paramNames))
}
