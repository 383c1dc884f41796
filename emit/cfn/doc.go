// Package cfn turns a compiled API into an AWS CloudFormation template.
//
// The template describes the API resource by resource (RestApi, the
// Resource tree, one Method per verb, Models, Authorizers, …) rather than
// as an OpenAPI Body, so that every property is visible in a diff and each
// resource has a stable, readable logical ID. A Deployment whose logical ID
// carries the artifact digest makes every changed API redeploy; each stage
// is a Stage resource pointing at it.
//
// Strings that name account-dependent things (integration URIs, role and
// certificate ARNs, …) may carry CloudFormation placeholders such as
// ${AWS::Region} or ${MyFunctionArn}; those become Fn::Sub, and names that
// are not resources of the template become template Parameters. API
// Gateway's own ${stageVariables.x} is escaped so that CloudFormation
// leaves it alone.
//
// goformation types the resources; none of its types appear in this
// package's API.
package cfn
