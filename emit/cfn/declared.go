package cfn

import "gwc.dev/gwc/schema"

// declared holds the names an API declares, so that references to them
// can be checked: compile checks them already, but a model that did not
// come from compile must not give a template that cannot deploy.
type declared struct {
	models, validators, stages, apiKeys map[string]bool
	// authorizers maps an authorizer's name to its type.
	authorizers map[string]string
}

func index(api *schema.API) declared {
	d := declared{
		models: map[string]bool{}, validators: map[string]bool{}, stages: map[string]bool{}, apiKeys: map[string]bool{},
		authorizers: map[string]string{},
	}
	for _, m := range api.Models {
		d.models[m.Name] = true
	}
	for _, v := range api.RequestValidators {
		d.validators[v.Name] = true
	}
	for _, s := range api.Stages {
		d.stages[s.Name] = true
	}
	for _, k := range api.APIKeys {
		d.apiKeys[k.Name] = true
	}
	for _, a := range api.Authorizers {
		d.authorizers[a.Name] = a.Type
	}
	return d
}
