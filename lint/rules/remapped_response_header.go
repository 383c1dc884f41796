package rules

import (
	"strings"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/lint"
	"gwc.dev/gwc/schema"
)

var remappedResponseHeader = &lint.Rule{
	ID:       "REMAPPED_RESPONSE_HEADER",
	Category: lint.Fidelity,
	Severity: diag.Warning,
	Summary:  "A response header mapping that API Gateway renames to x-amzn-Remapped-* or drops",
	Check:    checkRemapped,
}

// remapped are the headers API Gateway renames x-amzn-Remapped-<name>
// when an HTTP or AWS non-proxy integration response maps them (§10.3).
var remapped = []string{
	"Authorization", "Connection", "Content-Length", "Content-MD5", "Date", "Expect", "Host", "Max-Forwards",
	"Proxy-Authenticate", "Server", "Trailer", "Upgrade", "User-Agent", "WWW-Authenticate",
}

func checkRemapped(p *lint.Pass) {
	for _, in := range p.NonProxy() {
		if in.Type == schema.MOCK {
			continue
		}
		for _, ir := range in.Responses {
			for _, mp := range ir.Params {
				name := strings.TrimPrefix(mp.Target, "method.response.header.")
				switch {
				case strings.EqualFold(name, "Transfer-Encoding"):
					p.Reportf(mp.Src.KeyRange(), "API Gateway drops a mapped Transfer-Encoding header; the client never sees it")
				case containsFold(remapped, name):
					p.Reportf(mp.Src.KeyRange(), "API Gateway sends a mapped %s header as x-amzn-Remapped-%s, not as %s; clients that read %s do not see it", name, name, name, name)
				}
			}
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
