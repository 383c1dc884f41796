package cfn

import (
	"maps"
	"slices"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/tags"

	"gwc.dev/gwc/schema"
)

// restAPI adds the RestApi itself.
func (e *emitter) restAPI() {
	a := e.api
	r := &apigateway.RestApi{
		Name:                   text(a.Name),
		Description:            text(a.Description),
		BinaryMediaTypes:       sortedUnique(a.BinaryMediaTypes),
		ApiKeySourceType:       text(a.APIKeySource),
		MinimumCompressionSize: a.MinimumCompressionSize,
		Tags:                   e.tags(a.Tags),
	}
	if a.DisableExecuteAPIEndpoint {
		disable := true
		r.DisableExecuteApiEndpoint = &disable
	}
	if a.EndpointType != "" || len(a.VPCEndpointIDs) > 0 {
		r.EndpointConfiguration = &apigateway.RestApi_EndpointConfiguration{
			VpcEndpointIds: e.subAll(sortedUnique(a.VPCEndpointIDs), use{apiID, "EndpointConfiguration.VpcEndpointIds", schema.At(a.Src, "endpoint", "vpcEndpointIds")}),
		}
		if a.EndpointType != "" {
			r.EndpointConfiguration.Types = []string{a.EndpointType}
		}
	}
	if a.IPAddressType != "" {
		// goformation v7.14.9 predates EndpointConfiguration.IpAddressType.
		e.setProperty(apiID, []string{"EndpointConfiguration", "IpAddressType"}, a.IPAddressType)
	}
	if a.Policy != nil {
		r.Policy = e.policy(a.Policy, use{apiID, "Policy", schema.At(a.Src, "policy")})
	}
	e.add(apiID, r)
}

// tags turns a tag map into CloudFormation's sorted list of Key/Value
// pairs. An empty value is kept (goformation would drop it, and the
// schemas require Value).
func (e *emitter) tags(m map[string]string) []tags.Tag {
	if len(m) == 0 {
		return nil
	}
	out := make([]tags.Tag, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		if v == "" {
			v = e.exact("")
		}
		out = append(out, tags.Tag{Key: k, Value: v})
	}
	return out
}

// sortedUnique returns ss sorted without duplicates (the schemas want
// unique items), or nil.
func sortedUnique(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}
