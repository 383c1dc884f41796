package cfn

import (
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"gwc.dev/gwc/schema"
)

// domainNames adds the custom domain names and their base path mappings.
// Private custom domain names are AWS::ApiGateway::DomainNameV2, which
// needs a resource policy the definition does not carry (and which
// goformation v7.14.9 does not have); they are reported and left out.
func (e *emitter) domainNames() {
	for _, d := range e.api.DomainNames {
		if d.EndpointType == "PRIVATE" {
			e.warnf(d.Src.KeyRange(), "private custom domain name %s needs AWS::ApiGateway::DomainNameV2 with a resource policy, which gwc does not emit; the template leaves it and its mappings out", d.Name)
			continue
		}
		id := e.id(domainKey(d.Name))
		at := func(keys ...string) use { return use{id, "", schema.At(d.Src, keys...)} }
		r := &apigateway.DomainName{
			DomainName:                          text(d.Name),
			CertificateArn:                      e.subPtr(d.CertificateArn, at("certificateArn").named("CertificateArn")),
			RegionalCertificateArn:              e.subPtr(d.RegionalCertificateArn, at("regionalCertificateArn").named("RegionalCertificateArn")),
			OwnershipVerificationCertificateArn: e.subPtr(d.OwnershipCertificateArn, at("ownershipCertificateArn").named("OwnershipVerificationCertificateArn")),
			SecurityPolicy:                      text(d.SecurityPolicy),
			Tags:                                e.tags(d.Tags),
		}
		if d.EndpointType != "" {
			r.EndpointConfiguration = &apigateway.DomainName_EndpointConfiguration{Types: []string{d.EndpointType}}
		}
		if d.TruststoreURI != "" {
			r.MutualTlsAuthentication = &apigateway.DomainName_MutualTlsAuthentication{
				TruststoreUri:     e.subPtr(d.TruststoreURI, at("mutualTls", "truststoreUri").named("MutualTlsAuthentication.TruststoreUri")),
				TruststoreVersion: text(d.TruststoreVersion),
			}
		}
		e.add(id, r)
		for _, m := range d.Mappings {
			bpm := &apigateway.BasePathMapping{
				DomainName: e.ref(id),
				RestApiId:  text(e.ref(apiID)),
				BasePath:   text(m.BasePath),
			}
			if m.Stage != "" {
				if !e.declared.stages[m.Stage] {
					e.errorf(schema.At(m.Src, "stage"), "base path mapping %s/%s names stage %q, which the API does not declare", d.Name, m.BasePath, m.Stage)
					continue
				}
				bpm.Stage = text(e.ref(e.id(stageKey(m.Stage))))
			}
			e.add(e.id(mappingKey(d.Name, m.BasePath)), bpm)
		}
	}
}

// named returns u for the property prop.
func (u use) named(prop string) use {
	u.prop = prop
	return u
}
