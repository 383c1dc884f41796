package runtime

import (
	"fmt"
	"net"
	"sort"
	"strings"

	"gwc.dev/gwc/artifact"
)

// Custom domain names and base path mappings (§14.6). A request whose
// Host is one of the API's custom domains is mapped by base path; any
// other host is the execute-api endpoint, with the stage in the path.

type domain struct {
	name string
	// mappings, longest base path first; "" is the (none) mapping.
	mappings []basePath
}

type basePath struct {
	path  string // without slashes at the ends; "" for (none)
	stage string // "" when the stage comes from the path
}

func (api *API) loadDomains(a *artifact.API) {
	api.executeDisabled = a.DisableExecuteAPIEndpoint
	api.domains = map[string]*domain{}
	for _, d := range a.DomainNames {
		dm := &domain{name: d.Name}
		for _, m := range d.Mappings {
			dm.mappings = append(dm.mappings, basePath{strings.Trim(m.BasePath, "/"), m.Stage})
		}
		sort.SliceStable(dm.mappings, func(i, j int) bool { return len(dm.mappings[i].path) > len(dm.mappings[j].path) })
		api.domains[strings.ToLower(d.Name)] = dm
	}
	if api.executeDisabled {
		names := make([]string, 0, len(api.domains))
		for n := range api.domains {
			names = append(names, n)
		}
		sort.Strings(names)
		api.Warnings = append(api.Warnings, fmt.Sprintf("the execute-api endpoint is disabled: requests must name a custom domain in their Host header (%s)", strings.Join(names, ", ")))
	}
}

// domain returns the custom domain a Host header names, if any.
func (api *API) domain(host string) *domain {
	if len(api.domains) == 0 {
		return nil
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return api.domains[strings.ToLower(host)]
}

// match selects the mapping with the longest base path that matches whole
// segments of the path, else the (none) mapping, and returns the rest of
// the path.
func (d *domain) match(path string) (basePath, string, bool) {
	p := strings.TrimPrefix(path, "/")
	for _, m := range d.mappings {
		if m.path == "" {
			return m, path, true
		}
		if p == m.path || strings.HasPrefix(p, m.path+"/") {
			return m, "/" + strings.TrimPrefix(p[len(m.path):], "/"), true
		}
	}
	return basePath{}, "", false
}
