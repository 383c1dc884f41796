package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var gatewayResponseNoCORS = &lint.Rule{
	ID:       "GATEWAY_RESPONSE_NO_CORS",
	Category: lint.Correctness,
	Severity: diag.Warning,
	Summary:  "API Gateway's own error responses without CORS headers in an API that browsers call cross-origin",
	Check:    checkGatewayCORS,
}

func checkGatewayCORS(p *lint.Pass) {
	if !usesCORS(p) {
		return
	}
	byType := map[string]*schema.GatewayResponse{}
	for _, g := range p.API.GatewayResponses {
		byType[g.Type] = g
	}
	var missing []string
	for _, family := range []string{"DEFAULT_4XX", "DEFAULT_5XX"} {
		g := byType[family]
		if g == nil {
			missing = append(missing, family)
		} else if !hasAllowOrigin(g) {
			p.Reportf(g.Src.KeyRange(), "%s has no Access-Control-Allow-Origin header while the API uses CORS: browsers report API Gateway's own errors as CORS failures", family)
		}
	}
	if len(missing) > 0 {
		p.Reportf(p.API.Src.KeyRange(), "the API answers browsers with CORS headers, but %s not customized: API Gateway's own errors (401, 403, 429, 5xx...) carry no Access-Control-Allow-Origin, and browsers report a CORS failure instead of the real status; add gatewayResponses: %s: params: header.Access-Control-Allow-Origin",
			strings.Join(missing, " and ")+map[bool]string{true: " are", false: " is"}[len(missing) > 1], missing[0])
	}
	for _, g := range p.API.GatewayResponses {
		if strings.HasPrefix(g.Type, "DEFAULT_") || g.Type == "REQUEST_TOO_LARGE" || hasAllowOrigin(g) || p.Generated(g.Src) {
			continue
		}
		p.Reportf(g.Src.KeyRange(), "gateway response %s is customized without Access-Control-Allow-Origin: a customized type takes nothing from DEFAULT_4XX/DEFAULT_5XX, so browsers see this error as a CORS failure", g.Type)
	}
}

func hasAllowOrigin(g *schema.GatewayResponse) bool {
	for _, mp := range g.Params {
		if strings.EqualFold(mp.Target, "gatewayresponse.header.Access-Control-Allow-Origin") {
			return true
		}
	}
	return false
}
