package openapi_test

import (
	"testing"
)

// The expectations of the AWS extensions in these tests are AWS's
// documented examples (api-gateway-swagger-extensions-request-validators,
// -gateway-responses, -binary-media-types, -api-key-source,
// -endpoint-configuration, -documentation, openapi-minimum-compression-size
// and openapi-extensions-policy in the API Gateway developer guide); those
// of gwc's extensions are the vocabulary of schema/cue/api.cue.

// TestRequestValidators writes the validators and names each method's
// own. The API's default validator is not written: compile resolved it
// into the methods, and a method that turned it off names none.
func TestRequestValidators(t *testing.T) {
	doc, res := exportDef(t, `
api:
  validated:
    stages: {dev: {}}
    requestValidators:
      basic: {body: true, params: true}
      params-only: {params: true}
    requestValidator: params-only
    resources:
      /a:
        POST:
          request: {validator: basic}
          integration: {httpProxy: {uri: https://example.com/a}}
        GET:
          integration: {httpProxy: {uri: https://example.com/a}}
        PUT:
          request: {validator: NONE}
          integration: {httpProxy: {uri: https://example.com/a}}
`)
	expect(t, at(t, doc, "x-amazon-apigateway-request-validators"), `{
    "basic" : {
      "validateRequestBody" : true,
      "validateRequestParameters" : true
    },
    "params-only" : {
      "validateRequestBody" : false,
      "validateRequestParameters" : true
    }
  }`)
	expect(t, at(t, doc, "paths", "/a", "post", "x-amazon-apigateway-request-validator"), `"basic"`)
	expect(t, at(t, doc, "paths", "/a", "get", "x-amazon-apigateway-request-validator"), `"params-only"`)
	absent(t, doc, "paths", "/a", "put", "x-amazon-apigateway-request-validator")
	absent(t, doc, "x-amazon-apigateway-request-validator")
	checkRoundTrip(t, res)
}

// TestGatewayResponses is the guide's example: statusCode as a string,
// parameters and templates by their full names. DEFAULT_4XX has no
// status of its own.
func TestGatewayResponses(t *testing.T) {
	doc, res := exportDef(t, `
api:
  responses:
    stages: {dev: {}}
    gatewayResponses:
      DEFAULT_4XX:
        params: {gatewayresponse.header.Access-Control-Allow-Origin: "'domain.com'"}
        templates: {application/json: '{"message": test 4xx b }'}
      INVALID_API_KEY:
        status: 429
        templates: {application/json: '{"message": test forbidden }'}
    resources:
      /:
        GET:
          integration: {httpProxy: {uri: https://example.com}}
`)
	expect(t, at(t, doc, "x-amazon-apigateway-gateway-responses"), `{
    "DEFAULT_4XX": {
      "responseParameters": {
        "gatewayresponse.header.Access-Control-Allow-Origin": "'domain.com'"
      },
      "responseTemplates": {
        "application/json": "{\"message\": test 4xx b }"
      }
    },
    "INVALID_API_KEY": {
      "statusCode": "429",
      "responseTemplates": {
        "application/json": "{\"message\": test forbidden }"
      }
    }
  }`)
	checkRoundTrip(t, res)
}

// TestAPISettings writes the API-level settings API Gateway's importer
// reads: binary media types, the API key source, the compression
// threshold, the resource policy and the endpoint configuration (at the
// top level, where Swagger 2.0 and gwc's reader have it, and on a server
// object, where AWS documents it for OpenAPI 3). The endpoint type is not
// part of AWS's extension; it goes into x-gateway-endpoint.
func TestAPISettings(t *testing.T) {
	doc, res := exportDef(t, `
api:
  settings:
    stages: {dev: {}}
    binaryMediaTypes: [application/octet, image/jpeg]
    apiKeySource: AUTHORIZER
    minimumCompressionSize: 0
    endpoint:
      type: PRIVATE
      vpcEndpointIds: [vpce-0212a4ababd5b8c3e, vpce-01d622316a7df47f9]
    disableExecuteApiEndpoint: true
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: execute-api:Invoke
          Resource: [execute-api:/*]
        - Effect: Deny
          Principal: "*"
          Action: execute-api:Invoke
          Resource: [execute-api:/*]
          Condition: {IpAddress: {aws:SourceIp: 192.0.2.0/24}}
    resources:
      /:
        GET:
          integration: {httpProxy: {uri: https://example.com}}
`)
	expect(t, at(t, doc, "x-amazon-apigateway-binary-media-types"), `[ "application/octet", "image/jpeg" ]`)
	expect(t, at(t, doc, "x-amazon-apigateway-api-key-source"), `"AUTHORIZER"`)
	expect(t, at(t, doc, "x-amazon-apigateway-minimum-compression-size"), `0`)
	expect(t, at(t, doc, "x-amazon-apigateway-policy"), `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "execute-api:Invoke",
            "Resource": [
                "execute-api:/*"
            ]
        },
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "execute-api:Invoke",
            "Resource": [
               "execute-api:/*"
            ],
            "Condition" : {
                "IpAddress": {
                    "aws:SourceIp": "192.0.2.0/24"
                }
            }
        }
    ]
}`)
	endpoint := `{
    "vpcEndpointIds": ["vpce-0212a4ababd5b8c3e", "vpce-01d622316a7df47f9"],
    "disableExecuteApiEndpoint": true
}`
	expect(t, at(t, doc, "x-amazon-apigateway-endpoint-configuration"), endpoint)
	servers := at(t, doc, "servers").([]any)
	if len(servers) != 1 {
		t.Fatalf("want one server, got %v", servers)
	}
	expect(t, at(t, servers[0], "x-amazon-apigateway-endpoint-configuration"), endpoint)
	expect(t, at(t, doc, "x-gateway-endpoint"), `{
    "type": "PRIVATE",
    "vpcEndpointIds": ["vpce-0212a4ababd5b8c3e", "vpce-01d622316a7df47f9"]
}`)
	checkRoundTrip(t, res)

	// An EDGE API with nothing to configure writes neither.
	doc, _ = exportDef(t, `
api:
  edge:
    resources:
      /:
        GET:
          integration: {httpProxy: {uri: https://example.com}}
`)
	absent(t, doc, "x-amazon-apigateway-endpoint-configuration")
	absent(t, doc, "servers")
	absent(t, doc, "x-gateway-endpoint")
	expect(t, at(t, doc, "x-amazon-apigateway-api-key-source"), `"HEADER"`)
}

// TestDocumentation is the guide's example of documentation parts.
func TestDocumentation(t *testing.T) {
	doc, res := exportDef(t, `
api:
  documented:
    stages: {dev: {}}
    documentation:
      version: 1.0.3
      parts:
        - location: {type: API}
          properties:
            description: API description
            info: {description: API info description 4, version: API info version 3}
        - location: {type: RESPONSE, path: /, method: GET, statusCode: "200"}
          properties: {description: the greeting}
    resources:
      /:
        GET:
          integration:
            mock: {responses: {default: {status: 200}}}
          responses: {"200": {}}
`)
	expect(t, at(t, doc, "x-amazon-apigateway-documentation"), `{
    "version": "1.0.3",
    "documentationParts": [
       {
         "location": {
           "type": "API"
       },
        "properties": {
          "description": "API description",
          "info": {
            "description": "API info description 4",
            "version": "API info version 3"
          }
        }
      },
      {
        "location": {"type": "RESPONSE", "path": "/", "method": "GET", "statusCode": "200"},
        "properties": {"description": "the greeting"}
      }
    ]
  }`)
	checkRoundTrip(t, res)
}

// TestGatewayExtensions writes what only gwc knows in its own vocabulary,
// every default spelled out.
func TestGatewayExtensions(t *testing.T) {
	doc, res := exportDef(t, `
api:
  gwc:
    description: an API with everything only gwc knows
    version: "7"
    endpoint: {type: REGIONAL}
    tags: {team: pets}
    stages:
      prod:
        variables: {backend: pets.example.com}
        methodSettings:
          "*/*": {throttle: {rateLimit: 10.5, burstLimit: 20}, logging: {level: ERROR}}
          //GET: {caching: {enabled: true, ttl: 30}, metrics: true}
        accessLog: {destination: arn:aws:logs:us-east-1:123456789012:log-group:prod, format: clf}
        canary: {percentTraffic: 5.5, variables: {backend: canary.example.com}}
        cacheCluster: {size: "1.6"}
        webAclArn: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/prod/1
        tags: {env: prod}
    usagePlans:
      gold:
        stages: {prod: {throttle: {//GET: {rateLimit: 2}}}}
        quota: {limit: 100, period: DAY}
        keys: [alice]
    apiKeys:
      alice: {customerId: a-1}
    domainNames:
      pets.example.com:
        certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/1
        endpoint: {type: EDGE}
        mutualTls: {truststoreUri: s3://bucket/truststore.pem}
        mappings: {"": {stage: prod}}
    resources:
      /:
        GET:
          integration: {httpProxy: {uri: https://example.com}}
`)
	expect(t, at(t, doc, "info"), `{"title": "gwc", "description": "an API with everything only gwc knows", "version": "7"}`)
	expect(t, at(t, doc, "x-gateway-endpoint"), `{"type": "REGIONAL"}`)
	expect(t, at(t, doc, "x-gateway-tags"), `{"team": "pets"}`)
	expect(t, at(t, doc, "x-gateway-stages"), `{
  "prod": {
    "variables": {"backend": "pets.example.com"},
    "methodSettings": {
      "*/*": {"throttle": {"rateLimit": 10.5, "burstLimit": 20}, "logging": {"level": "ERROR", "dataTrace": false}},
      "//GET": {"caching": {"enabled": true, "ttl": 30}, "metrics": true}
    },
    "accessLog": {
      "destination": "arn:aws:logs:us-east-1:123456789012:log-group:prod",
      "format": "$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] \"$context.httpMethod $context.resourcePath $context.protocol\" $context.status $context.responseLength $context.requestId"
    },
    "canary": {"percentTraffic": 5.5, "variables": {"backend": "canary.example.com"}, "useStageCache": false},
    "cacheCluster": {"enabled": true, "size": "1.6"},
    "tracing": false,
    "webAclArn": "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/prod/1",
    "tags": {"env": "prod"}
  }
}`)
	expect(t, at(t, doc, "x-gateway-usage-plans"), `{
  "gold": {
    "stages": {"prod": {"throttle": {"//GET": {"rateLimit": 2}}}},
    "quota": {"limit": 100, "period": "DAY", "offset": 0},
    "keys": ["alice"]
  }
}`)
	expect(t, at(t, doc, "x-gateway-api-keys"), `{"alice": {"enabled": true, "customerId": "a-1"}}`)
	expect(t, at(t, doc, "x-gateway-domain-names"), `{
  "pets.example.com": {
    "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/1",
    "endpoint": {"type": "EDGE"},
    "mutualTls": {"truststoreUri": "s3://bucket/truststore.pem"},
    "mappings": {"(none)": {"stage": "prod"}}
  }
}`)
	checkRoundTrip(t, res)
}

// TestImplicitStage leaves out the stage compile adds to a definition
// that declares none, so that the document declares none either.
func TestImplicitStage(t *testing.T) {
	doc, res := exportDef(t, `
api:
  stageless:
    resources:
      /:
        GET:
          integration: {httpProxy: {uri: https://example.com}}
`)
	if len(res.API.Stages) != 1 {
		t.Fatalf("compile no longer adds a stage to a definition without one: %d stages", len(res.API.Stages))
	}
	absent(t, doc, "x-gateway-stages")
	expect(t, at(t, doc, "info"), `{"title": "stageless", "version": "1.0"}`)
	checkRoundTrip(t, res)
}
