package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var forbiddenRequestHeaderMapping = &lint.Rule{
	ID:       "FORBIDDEN_REQUEST_HEADER_MAPPING",
	Category: lint.Correctness,
	Severity: diag.Error,
	Summary:  "An integration request mapping to a header API Gateway does not let a mapping set",
	Check:    checkForbiddenRequestHeaders,
}

// API Gateway refuses to map these integration request headers (§7.2,
// §15.5); for AWS integrations also the ones it signs or manages.
var (
	forbiddenAlways = []string{"Content-Length", "Transfer-Encoding", "X-Amzn-Trace-Id", "X-Amzn-Apigateway-Api-Id"}
	forbiddenAWS    = []string{"Authorization", "Connection", "Expect", "Proxy-Authenticate", "TE"}
)

func checkForbiddenRequestHeaders(p *lint.Pass) {
	for _, m := range methodsOf(p) {
		in := m.Integration
		if in == nil {
			continue
		}
		aws := in.Type == schema.AWS || in.Type == schema.AWSProxy
		for _, mp := range in.RequestParams {
			name, ok := strings.CutPrefix(mp.Target, "integration.request.header.")
			if !ok {
				continue
			}
			switch {
			case containsFold(forbiddenAlways, name):
				p.Reportf(mp.Src.KeyRange(), "API Gateway does not let a mapping set the %s request header; requests through this integration fail at run time", name)
			case aws && containsFold(forbiddenAWS, name):
				p.Reportf(mp.Src.KeyRange(), "an %s integration cannot map the %s request header: API Gateway signs and manages it for AWS services, and requests fail at run time", in.Type, name)
			}
		}
	}
}
