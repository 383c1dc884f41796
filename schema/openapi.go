package schema

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"gwc.dev/gwc/diag"
)

// Diagnostic codes of the OpenAPI adapter.
const (
	CodeOpenAPI     = "OPENAPI"
	CodeUnsupported = "UNSUPPORTED"
)

// LintIgnoreExtension marks findings of gwc lint as ignored on the
// OpenAPI object that carries it. The translation skips it wherever it
// stands; lint reads it from the document.
const LintIgnoreExtension = "x-gateway-lint-ignore"

// Extension prefixes: AWS's own, and gwc's vocabulary.
const (
	awsExt = "x-amazon-apigateway-"
	gwcExt = "x-gateway-"
)

// LoadOpenAPI reads an OpenAPI 2.0, 3.0 or 3.1 document (JSON or YAML) and
// translates it into a definition tree in gwc's vocabulary. AWS's
// x-amazon-apigateway-* extensions are read as API Gateway's importer
// reads them; x-gateway-* extensions carry gwc's own vocabulary (the
// fields of #API, #Method and #Authorizer, in kebab case) and override
// what the translation produced. Positions stay those of the document, so
// the schema's checks point into it.
func LoadOpenAPI(f *File, ds *diag.Set) *Node {
	doc, err := ParseYAML(f)
	if err != nil {
		if p, ok := err.(*Problem); ok {
			ds.Errorf(p.Range, CodeOpenAPI, "%s", p.Msg)
		} else {
			ds.Errorf(diag.At(diag.Pos{File: f.Name}), CodeOpenAPI, "%v", err)
		}
		return nil
	}
	return TranslateOpenAPI(f, doc, ds)
}

// TranslateOpenAPI is LoadOpenAPI for a document already read.
func TranslateOpenAPI(f *File, doc *Node, ds *diag.Set) *Node {
	if doc.Kind != MapKind {
		ds.Errorf(doc.Range(), CodeOpenAPI, "an OpenAPI document is a map, not %s", describeNode(doc))
		return nil
	}
	t := &oasTranslator{f: f, doc: doc, ds: ds, inlineNames: map[string]bool{}}
	return t.translate()
}

// IsOpenAPI reports whether a parsed document looks like OpenAPI (it has a
// swagger or openapi version field).
func IsOpenAPI(doc *Node) bool {
	return doc.Get("swagger") != nil || doc.Get("openapi") != nil
}

type oasTranslator struct {
	f   *File
	doc *Node
	ds  *diag.Set
	v2  bool

	api *Node
	// authorizers and apiKeySchemes classify the security schemes.
	authorizers   map[string]*Node
	apiKeySchemes map[string]bool
	iamSchemes    map[string]bool
	models        *Node
	inlineNames   map[string]bool
}

func (t *oasTranslator) warnf(n *Node, code, format string, args ...any) {
	t.ds.Warnf(n.KeyRange(), code, format, args...)
}

func (t *oasTranslator) errorf(r diag.Range, format string, args ...any) {
	t.ds.Errorf(r, CodeOpenAPI, format, args...)
}

func (t *oasTranslator) translate() *Node {
	doc := t.doc
	switch {
	case doc.Get("swagger") != nil:
		if v := scalarText(doc.Get("swagger")); v != "2.0" {
			t.errorf(doc.Get("swagger").Range(), "swagger version %q is not supported (want 2.0)", v)
			return nil
		}
		t.v2 = true
	case doc.Get("openapi") != nil:
		v := scalarText(doc.Get("openapi"))
		if !strings.HasPrefix(v, "3.0") && !strings.HasPrefix(v, "3.1") {
			t.errorf(doc.Get("openapi").Range(), "OpenAPI version %q is not supported (want 2.0, 3.0 or 3.1)", v)
			return nil
		}
	default:
		t.errorf(doc.Range(), "not an OpenAPI document: it has neither a swagger nor an openapi version field")
		return nil
	}
	info := doc.Get("info")
	title := scalarText(info.Get("title"))
	if title == "" {
		t.errorf(KeyAt(doc, "info"), "info.title is the API's name and must be set")
		return nil
	}
	root := NewMap(doc.Pos)
	apis := root.Set("api", NewMap(doc.Pos))
	t.api = apis.Set(title, NewMap(info.Pos))
	t.api.KeyPos = info.Get("title").Pos
	t.copyString(info, "description", t.api, "description")
	t.copyString(info, "version", t.api, "version")

	t.rootExtensions()
	t.securitySchemes()
	t.schemas()
	t.paths()
	t.gwcExtensions(doc, MustSchema().Def("#API"), t.api, root)
	if t.models != nil && len(t.models.Entries) > 0 {
		if existing := t.api.Get("modelSchemas"); existing == nil {
			t.api.Set("modelSchemas", t.models)
		}
	}
	return root
}

func scalarText(n *Node) string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case StringKind, NumberKind:
		return n.Str
	case BoolKind:
		return strconv.FormatBool(n.Bool)
	}
	return ""
}

func (t *oasTranslator) copyString(from *Node, key string, to *Node, as string) {
	if v := from.Get(key); v != nil && v.Kind == StringKind {
		to.Set(as, v)
	}
}

// rootExtensions reads the API-level x-amazon-apigateway-* extensions.
func (t *oasTranslator) rootExtensions() {
	for _, e := range t.doc.Entries {
		name, ok := strings.CutPrefix(e.Key, awsExt)
		if !ok {
			continue
		}
		switch name {
		case "api-key-source":
			t.api.Set("apiKeySource", upper(e))
		case "binary-media-types":
			t.api.Set("binaryMediaTypes", e)
		case "minimum-compression-size":
			t.api.Set("minimumCompressionSize", number(e))
		case "endpoint-configuration":
			ep := NewMap(e.Pos)
			for _, f := range e.Entries {
				switch f.Key {
				case "vpcEndpointIds":
					ep.Set("vpcEndpointIds", f)
				case "disableExecuteApiEndpoint":
					t.api.Set("disableExecuteApiEndpoint", f)
				case "types":
					if len(f.Items) == 1 {
						ep.Set("type", upper(f.Items[0]))
					} else {
						t.errorf(f.Range(), "cannot create an API with multiple endpoint types")
					}
				case "ipAddressType":
					ep.Set("ipAddressType", f)
				case LintIgnoreExtension:
					// Read by gwc lint from the document itself.
				default:
					t.warnf(f, CodeOpenAPI, "unknown field %q in %s (ignored)", f.Key, e.Key)
				}
			}
			if len(ep.Entries) > 0 {
				t.api.Set("endpoint", ep)
			}
		case "policy":
			t.api.Set("policy", e)
		case "request-validators":
			vs := NewMap(e.Pos)
			for _, v := range e.Entries {
				out := NewMap(v.Pos)
				for _, f := range v.Entries {
					switch f.Key {
					case "validateRequestBody":
						out.Set("body", f)
					case "validateRequestParameters":
						out.Set("params", f)
					case LintIgnoreExtension:
						// Read by gwc lint from the document itself.
					default:
						t.warnf(f, CodeOpenAPI, "unknown field %q in a request validator (ignored)", f.Key)
					}
				}
				vs.Set(v.Key, keyed(out, v))
			}
			t.api.Set("requestValidators", vs)
		case "request-validator":
			t.api.Set("requestValidator", e)
		case "gateway-responses":
			gr := NewMap(e.Pos)
			for _, g := range e.Entries {
				out := NewMap(g.Pos)
				for _, f := range g.Entries {
					switch f.Key {
					case "statusCode":
						out.Set("status", number(f))
					case "responseParameters":
						out.Set("params", t.cfnStrings(f))
					case "responseTemplates":
						out.Set("templates", t.templates(f))
					case LintIgnoreExtension:
						// Read by gwc lint from the document itself.
					default:
						t.warnf(f, CodeOpenAPI, "unknown field %q in a gateway response (ignored)", f.Key)
					}
				}
				gr.Set(g.Key, keyed(out, g))
			}
			t.api.Set("gatewayResponses", gr)
		case "documentation":
			t.documentation(e)
		case "cors", "importexport-version":
			t.warnf(e, CodeUnsupported, "%s is an HTTP API extension; REST APIs ignore it (use x-gateway-cors for CORS)", e.Key)
		case "tag-value":
		default:
			t.warnf(e, CodeUnsupported, "%s is not an extension API Gateway reads at the API level (ignored)", e.Key)
		}
	}
}

func (t *oasTranslator) documentation(e *Node) {
	out := NewMap(e.Pos)
	if v := e.Get("version"); v != nil {
		out.Set("version", stringOf(v))
	}
	if parts := e.Get("documentationParts"); parts != nil {
		out.Set("parts", parts)
	}
	t.api.Set("documentation", out)
}

// keyed gives a new node the key position of the node it translates.
func keyed(n, from *Node) *Node {
	n.KeyPos = from.KeyPos
	return n
}

// upper upper-cases a string node (AWS's OpenAPI vocabulary writes enums
// in lower case: "when_no_match", "http_proxy").
func upper(n *Node) *Node {
	if n.Kind != StringKind {
		return n
	}
	c := *n
	c.Str = strings.ToUpper(n.Str)
	return &c
}

// number turns a numeric string ("200", "29000") into a number node, as
// API Gateway's importer accepts both.
func number(n *Node) *Node {
	if n.Kind == StringKind {
		if _, err := strconv.ParseFloat(strings.TrimSpace(n.Str), 64); err == nil {
			c := *n
			c.Kind = NumberKind
			c.Str = strings.TrimSpace(n.Str)
			c.Text = nil
			return &c
		}
	}
	return n
}

// stringOf turns a scalar into a string node.
func stringOf(n *Node) *Node {
	if n.Kind == NumberKind || n.Kind == BoolKind {
		c := *n
		c.Str = scalarText(n)
		c.Kind = StringKind
		return &c
	}
	return n
}

// cfnString flattens a CloudFormation intrinsic into a string with ${}
// placeholders: {"Ref": "X"} → "${X}", {"Fn::GetAtt": ["X", "Arn"]} →
// "${X.Arn}", {"Fn::Sub": "..."} → "...", {"Fn::Join": [d, parts]} →
// the joined parts. Anything else is left for the schema to reject.
func (t *oasTranslator) cfnString(n *Node) *Node {
	s, ok := t.flattenIntrinsic(n)
	if !ok {
		return n
	}
	out := NewString(s, n.Pos)
	out.KeyPos = n.KeyPos
	if n.Kind == StringKind {
		out.Text = n.Text
	}
	return out
}

func (t *oasTranslator) flattenIntrinsic(n *Node) (string, bool) {
	switch n.Kind {
	case StringKind:
		return n.Str, true
	case NumberKind, BoolKind:
		return scalarText(n), true
	case MapKind:
		if len(n.Entries) != 1 {
			return "", false
		}
		e := n.Entries[0]
		switch e.Key {
		case "Ref":
			if e.Kind == StringKind {
				return "${" + e.Str + "}", true
			}
		case "Fn::GetAtt":
			if e.Kind == ListKind && len(e.Items) == 2 {
				return "${" + e.Items[0].String() + "." + e.Items[1].String() + "}", true
			}
			if e.Kind == StringKind {
				return "${" + e.Str + "}", true
			}
		case "Fn::Sub":
			if e.Kind == StringKind {
				return e.Str, true
			}
			if e.Kind == ListKind && len(e.Items) == 2 && e.Items[0].Kind == StringKind {
				s := e.Items[0].Str
				for _, v := range e.Items[1].Entries {
					val, ok := t.flattenIntrinsic(v)
					if !ok {
						return "", false
					}
					s = strings.ReplaceAll(s, "${"+v.Key+"}", val)
				}
				return s, true
			}
		case "Fn::Join":
			if e.Kind == ListKind && len(e.Items) == 2 && e.Items[1].Kind == ListKind {
				parts := make([]string, 0, len(e.Items[1].Items))
				for _, p := range e.Items[1].Items {
					s, ok := t.flattenIntrinsic(p)
					if !ok {
						return "", false
					}
					parts = append(parts, s)
				}
				return strings.Join(parts, e.Items[0].String()), true
			}
		}
	}
	return "", false
}

// cfnStrings applies cfnString to every value of a map.
func (t *oasTranslator) cfnStrings(n *Node) *Node {
	if n.Kind != MapKind {
		return n
	}
	out := NewMap(n.Pos)
	out.KeyPos = n.KeyPos
	for _, e := range n.Entries {
		out.Set(e.Key, keyed(t.cfnString(e), e))
	}
	return out
}

// templates reads a requestTemplates or responseTemplates map. A null
// template is an empty one; a template written as Fn::Sub keeps that
// fact, so CloudFormation output substitutes it again.
func (t *oasTranslator) templates(n *Node) *Node {
	if n.Kind != MapKind {
		return n
	}
	out := NewMap(n.Pos)
	out.KeyPos = n.KeyPos
	for _, e := range n.Entries {
		var v *Node
		switch {
		case e.Kind == NullKind:
			v = NewString("", e.Pos)
		case e.Kind == MapKind && len(e.Entries) == 1 && e.Entries[0].Key == "Fn::Sub":
			v = t.cfnString(e)
			v.CFNSub = true
		default:
			v = t.cfnString(e)
		}
		out.Set(e.Key, keyed(v, e))
	}
	return out
}

// securitySchemes classifies the security schemes: Lambda and Cognito
// authorizers (x-amazon-apigateway-authorizer), IAM (authtype awsSigv4)
// and API keys (an apiKey scheme named x-api-key without an authorizer).
func (t *oasTranslator) securitySchemes() {
	t.authorizers = map[string]*Node{}
	t.apiKeySchemes = map[string]bool{}
	t.iamSchemes = map[string]bool{}
	schemes := t.doc.Get("securityDefinitions")
	if !t.v2 {
		schemes = t.doc.Path("components", "securitySchemes")
	}
	out := NewMap(KeyAt(t.doc, "components").Start)
	for _, s := range entries(schemes) {
		s = t.deref(s)
		authType := strings.ToLower(scalarText(s.Get("x-amazon-apigateway-authtype")))
		if gw := s.Get(gwcExt + "authorizer"); gw != nil {
			out.Set(s.Key, keyed(gw, s))
			t.authorizers[s.Key] = gw
			continue
		}
		if az := s.Get(awsExt + "authorizer"); az != nil {
			a := t.authorizer(s, az)
			out.Set(s.Key, keyed(a, s))
			t.authorizers[s.Key] = a
			continue
		}
		switch {
		case authType == "awssigv4":
			t.iamSchemes[s.Key] = true
		case scalarText(s.Get("type")) == "apiKey" && strings.EqualFold(scalarText(s.Get("name")), "x-api-key") && scalarText(s.Get("in")) == "header":
			t.apiKeySchemes[s.Key] = true
		default:
			t.warnf(s, CodeUnsupported, "security scheme %q is neither an API Gateway authorizer, AWS_IAM (x-amazon-apigateway-authtype: awsSigv4) nor the x-api-key header; operations that use it get no authorization from it", s.Key)
		}
	}
	if len(out.Entries) > 0 {
		t.api.Set("authorizers", out)
	}
}

func (t *oasTranslator) authorizer(scheme, az *Node) *Node {
	a := NewMap(az.Pos)
	for _, f := range az.Entries {
		switch f.Key {
		case "type":
			a.Set("type", upper(f))
		case "authorizerUri":
			a.Set("uri", t.cfnString(f))
		case "authorizerCredentials":
			a.Set("credentials", t.cfnString(f))
		case "identitySource":
			a.Set("identitySource", f)
		case "identityValidationExpression":
			a.Set("identityValidationExpression", f)
		case "authorizerResultTtlInSeconds":
			a.Set("ttl", number(f))
		case "providerARNs":
			arns := NewList(f.Pos)
			for _, it := range f.Items {
				arns.Append(t.cfnString(it))
			}
			a.Set("providerARNs", keyed(arns, f))
		case "authorizerPayloadFormatVersion", "enableSimpleResponses", "jwtConfiguration":
			t.warnf(f, CodeUnsupported, "%s is an HTTP API authorizer setting; REST APIs ignore it", f.Key)
		case LintIgnoreExtension:
			// Read by gwc lint from the document itself.
		default:
			t.warnf(f, CodeOpenAPI, "unknown field %q in x-amazon-apigateway-authorizer (ignored)", f.Key)
		}
	}
	typ := strings.ToUpper(scalarText(az.Get("type")))
	// A TOKEN or Cognito authorizer without an identity source reads the
	// header the scheme names.
	if a.Get("identitySource") == nil && (typ == "TOKEN" || typ == "COGNITO_USER_POOLS") {
		if h := scalarText(scheme.Get("name")); h != "" && scalarText(scheme.Get("in")) == "header" {
			a.Set("identitySource", NewString("method.request.header."+h, scheme.Get("name").Pos))
		}
	}
	return a
}

var modelNameRE = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// schemas turns the document's schemas into models.
func (t *oasTranslator) schemas() {
	defs := t.doc.Get("definitions")
	if !t.v2 {
		defs = t.doc.Path("components", "schemas")
	}
	t.models = NewMap(KeyAt(t.doc, "components").Start)
	if defs != nil {
		t.models.Pos = defs.Pos
	}
	for _, s := range entries(defs) {
		if !modelNameRE.MatchString(s.Key) {
			t.ds.Errorf(s.KeyRange(), CodeOpenAPI, "schema name %q is not a valid model name: API Gateway model names are alphanumeric", s.Key)
			continue
		}
		t.inlineNames[s.Key] = true
		t.models.Set(s.Key, keyed(t.convertSchema(s, 0), s))
	}
}

// schemaRefName returns the schema a local $ref names.
func schemaRefName(ref string) (string, bool) {
	for _, p := range []string{"#/definitions/", "#/components/schemas/"} {
		if name, ok := strings.CutPrefix(ref, p); ok && !strings.Contains(name, "/") {
			return name, true
		}
	}
	return "", false
}

// droppedSchemaKeywords are OpenAPI's additions to JSON Schema that API
// Gateway's draft-04 models do not have.
var droppedSchemaKeywords = map[string]bool{
	"discriminator": true, "example": true, "examples": true, "readOnly": true, "writeOnly": true,
	"xml": true, "externalDocs": true, "deprecated": true, "nullable": true,
}

// convertSchema turns an OpenAPI schema into a JSON Schema draft-04
// document: references to other schemas become model references, nullable
// becomes a null type, OpenAPI 3.1's const and numeric exclusive bounds
// take their draft-04 form, and OpenAPI-only keywords are dropped.
func (t *oasTranslator) convertSchema(n *Node, depth int) *Node {
	if depth > 64 {
		t.errorf(n.Range(), "the schema nests more than 64 levels deep")
		return n
	}
	switch n.Kind {
	case ListKind:
		out := NewList(n.Pos)
		out.KeyPos = n.KeyPos
		for _, it := range n.Items {
			out.Append(t.convertSchema(it, depth+1))
		}
		return out
	case MapKind:
	default:
		return n
	}
	out := NewMap(n.Pos)
	out.KeyPos = n.KeyPos
	if ref := n.Get("$ref"); ref != nil && ref.Kind == StringKind {
		name, ok := schemaRefName(ref.Str)
		if !ok {
			t.errorf(ref.Range(), "$ref %q: API Gateway models may refer only to other models of the document (#/definitions/X or #/components/schemas/X)", ref.Str)
			return n
		}
		out.Set("$ref", NewString(ModelRefPrefix+name, ref.Pos))
		return out
	}
	for _, e := range n.Entries {
		switch {
		case droppedSchemaKeywords[e.Key] || strings.HasPrefix(e.Key, "x-"):
			continue
		case e.Key == "const":
			l := NewList(e.Pos)
			l.Append(e)
			out.Set("enum", keyed(l, e))
		case (e.Key == "exclusiveMinimum" || e.Key == "exclusiveMaximum") && e.Kind == NumberKind:
			bound := "minimum"
			if e.Key == "exclusiveMaximum" {
				bound = "maximum"
			}
			out.Set(bound, e)
			out.Set(e.Key, NewBool(true, e.Pos))
		case e.Key == "properties" || e.Key == "patternProperties" || e.Key == "definitions":
			props := NewMap(e.Pos)
			for _, p := range e.Entries {
				props.Set(p.Key, keyed(t.convertSchema(p, depth+1), p))
			}
			out.Set(e.Key, keyed(props, e))
		case e.Key == "items" || e.Key == "additionalProperties" || e.Key == "not" ||
			e.Key == "allOf" || e.Key == "anyOf" || e.Key == "oneOf" || e.Key == "additionalItems":
			out.Set(e.Key, keyed(t.convertSchema(e, depth+1), e))
		default:
			out.Set(e.Key, e)
		}
	}
	if nullable := n.Get("nullable"); nullable != nil && nullable.Kind == BoolKind && nullable.Bool {
		if typ := out.Get("type"); typ != nil && typ.Kind == StringKind {
			l := NewList(typ.Pos)
			l.Append(typ)
			l.Append(NewString("null", nullable.Pos))
			out.Set("type", keyed(l, typ))
		}
	}
	return out
}

// modelFor returns the name of the model for a body schema: the schema a
// $ref names, or a new model made from an inline schema.
func (t *oasTranslator) modelFor(s *Node, hint string) *Node {
	if ref := s.Get("$ref"); ref != nil && ref.Kind == StringKind {
		if name, ok := schemaRefName(ref.Str); ok {
			return NewString(name, ref.Pos)
		}
		t.errorf(ref.Range(), "$ref %q: a body model must refer to #/definitions/X or #/components/schemas/X", ref.Str)
		return nil
	}
	name := t.inlineName(hint)
	t.models.Set(name, keyed(t.convertSchema(s, 0), s))
	return NewString(name, s.Pos)
}

// responseModelFor is modelFor for a response body, which API Gateway's
// importer requires to be an object or an array: it rejects a primitive
// response schema.
func (t *oasTranslator) responseModelFor(s *Node, hint string) *Node {
	target := s
	if ref := s.Get("$ref"); ref != nil && ref.Kind == StringKind {
		if n, ok := t.pointer(ref.Str); ok {
			target = n
		}
	}
	switch typ := target.Get("type"); {
	case typ == nil:
	case typ.Kind == StringKind && typ.Str != "object" && typ.Str != "array":
		t.errorf(typ.Range(), "API Gateway's importer rejects a response schema of type %s: a method response model must be an object or an array", typ.Str)
		return nil
	}
	return t.modelFor(s, hint)
}

// inlineName makes a model name for an inline schema from a hint such as
// "getPets Response 200", unique among the document's models.
func (t *oasTranslator) inlineName(hint string) string {
	var b strings.Builder
	upperNext := true
	for _, r := range hint {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if upperNext {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upperNext = false
		} else {
			upperNext = true
		}
	}
	base := b.String()
	if base == "" {
		base = "Model"
	}
	name := base
	for i := 2; t.inlineNames[name]; i++ {
		name = base + strconv.Itoa(i)
	}
	t.inlineNames[name] = true
	return name
}

// deref resolves a local $ref (#/...) to the node it points at.
func (t *oasTranslator) deref(n *Node) *Node {
	for range 16 {
		ref := n.Get("$ref")
		if ref == nil || ref.Kind != StringKind {
			return n
		}
		target, ok := t.pointer(ref.Str)
		if !ok {
			t.errorf(ref.Range(), "$ref %q does not resolve in this document (API Gateway does not import external references)", ref.Str)
			return n
		}
		n = target
	}
	return n
}

func (t *oasTranslator) pointer(ref string) (*Node, bool) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	cur := t.doc
	for _, part := range strings.Split(rest, "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		cur = cur.Get(part)
		if cur == nil {
			return nil, false
		}
	}
	return cur, true
}

var oasVerbs = []string{"get", "put", "post", "delete", "patch", "options", "head"}

// paths translates every operation into a method.
func (t *oasTranslator) paths() {
	paths := t.doc.Get("paths")
	if paths == nil {
		return
	}
	resources := NewMap(paths.Pos)
	resources.KeyPos = paths.KeyPos
	for _, item := range paths.Entries {
		if strings.HasPrefix(item.Key, "x-") {
			continue
		}
		item = t.derefKeep(item)
		res := NewMap(item.Pos)
		for _, op := range item.Entries {
			verb := ""
			switch {
			case slices.Contains(oasVerbs, op.Key):
				verb = strings.ToUpper(op.Key)
			case op.Key == awsExt+"any-method":
				verb = "ANY"
			case op.Key == "parameters" || op.Key == "summary" || op.Key == "description" || op.Key == "servers" || strings.HasPrefix(op.Key, "x-"):
				continue
			case op.Key == "trace":
				t.warnf(op, CodeUnsupported, "API Gateway methods cannot be TRACE; the operation is ignored")
				continue
			default:
				t.warnf(op, CodeOpenAPI, "unknown field %q in a path item (ignored)", op.Key)
				continue
			}
			res.Set(verb, keyed(t.method(item, op, verb), op))
		}
		resources.Set(item.Key, keyed(res, item))
	}
	t.api.Set("resources", resources)
}

// derefKeep resolves a $ref but keeps the referring node's key and key
// position.
func (t *oasTranslator) derefKeep(n *Node) *Node {
	target := t.deref(n)
	if target == n {
		return n
	}
	c := *target
	c.Key, c.KeyPos = n.Key, n.KeyPos
	return &c
}

func (t *oasTranslator) method(item, op *Node, verb string) *Node {
	m := NewMap(op.Pos)
	if id := op.Get("operationId"); id != nil {
		m.Set("operationName", id)
	}
	t.copyString(op, "summary", m, "summary")
	t.copyString(op, "description", m, "description")
	hint := scalarText(op.Get("operationId"))
	if hint == "" {
		hint = strings.ToLower(verb) + " " + item.Key
	}
	req := NewMap(op.Pos)
	t.parameters(item, op, req, hint)
	if body := op.Get("requestBody"); body != nil && !t.v2 {
		body = t.deref(body)
		models := NewMap(body.Pos)
		for _, ct := range entries(body.Get("content")) {
			if s := ct.Get("schema"); s != nil {
				if name := t.modelFor(t.deref0(s), hint+" Request"); name != nil {
					models.Set(ct.Key, keyed(name, ct))
				}
			}
		}
		if len(models.Entries) > 0 {
			req.Set("models", keyed(models, body))
		}
	}
	if v := op.Get(awsExt + "request-validator"); v != nil {
		req.Set("validator", v)
	}
	if len(req.Entries) > 0 {
		m.Set("request", req)
	}
	t.security(op, m)
	if auth := op.Get(awsExt + "auth"); auth != nil {
		m.Set("authorization", upper(auth.Get("type")))
	}
	if responses := op.Get("responses"); responses != nil {
		m.Set("responses", t.responses(responses, op, hint))
	}
	if in := op.Get(awsExt + "integration"); in != nil {
		m.Set("integration", keyed(t.integration(in, verb), in))
	}
	for _, e := range op.Entries {
		if strings.HasPrefix(e.Key, awsExt) && e.Key != awsExt+"integration" && e.Key != awsExt+"request-validator" && e.Key != awsExt+"auth" {
			t.warnf(e, CodeUnsupported, "%s is not an extension API Gateway reads on an operation (ignored)", e.Key)
		}
	}
	t.gwcExtensions(op, MustSchema().Def("#Method"), m, nil)
	return m
}

// deref0 resolves $ref only when it points somewhere other than a schema,
// since schema references become model references.
func (t *oasTranslator) deref0(s *Node) *Node {
	if ref := s.Get("$ref"); ref != nil {
		if _, ok := schemaRefName(ref.Str); ok {
			return s
		}
		return t.deref(s)
	}
	return s
}

// parameters declares the operation's path, query and header parameters
// (path-level ones included) and, for Swagger 2.0, reads the body
// parameter's model.
func (t *oasTranslator) parameters(item, op, req *Node, hint string) {
	params := NewMap(op.Pos)
	var all []*Node
	for _, p := range items(item.Get("parameters")) {
		all = append(all, t.deref(p))
	}
	for _, p := range items(op.Get("parameters")) {
		p = t.deref(p)
		name, in := scalarText(p.Get("name")), scalarText(p.Get("in"))
		// Operation parameters override path-level ones of the same name
		// and location.
		all = slices.DeleteFunc(all, func(q *Node) bool {
			return scalarText(q.Get("name")) == name && scalarText(q.Get("in")) == in
		})
		all = append(all, p)
	}
	for _, p := range all {
		name, in := scalarText(p.Get("name")), scalarText(p.Get("in"))
		var loc string
		switch in {
		case "path":
			loc = "path"
		case "query":
			loc = "querystring"
		case "header":
			loc = "header"
		case "body":
			if s := p.Get("schema"); s != nil {
				consumes := stringList(op.Get("consumes"))
				if len(consumes) == 0 {
					consumes = stringList(t.doc.Get("consumes"))
				}
				if len(consumes) == 0 {
					consumes = []string{"application/json"}
				}
				if name := t.modelFor(t.deref0(s), hint+" Request"); name != nil {
					models := NewMap(p.Pos)
					for _, ct := range consumes {
						models.Set(ct, NewString(name.Str, name.Pos))
					}
					req.Set("models", models)
				}
			}
			continue
		case "formData":
			t.warnf(p, CodeUnsupported, "formData parameter %q: API Gateway does not model form fields; the parameter is ignored", name)
			continue
		case "cookie":
			t.warnf(p, CodeUnsupported, "cookie parameter %q: API Gateway REST APIs cannot declare cookies; the parameter is ignored", name)
			continue
		default:
			t.errorf(p.Range(), "parameter %q has location %q; want path, query, header or body", name, in)
			continue
		}
		decl := NewMap(p.Pos)
		required := p.Get("required")
		if required == nil {
			required = NewBool(in == "path", p.Pos)
		}
		decl.Set("required", required)
		params.Set(loc+"."+name, keyed(decl, p))
	}
	if len(params.Entries) > 0 {
		req.Set("params", params)
	}
}

// security reads the operation's security requirements: authorizer
// schemes name the authorizer (with their scopes), the API key scheme
// requires a key, and a sigv4 scheme means AWS_IAM.
//
// An operation without its own security inherits the document's: API
// Gateway's importer applies root-level security to such operations
// (recorded on AWS by LocalStack's test_import_with_global_api_key_authorizer,
// 2025-07), although its "known issues" page says otherwise.
func (t *oasTranslator) security(op, m *Node) {
	sec := op.Get("security")
	if sec == nil {
		sec = t.doc.Get("security")
	}
	if sec == nil {
		return
	}
	if len(sec.Items) > 1 {
		t.warnf(sec, CodeOpenAPI, "API Gateway applies all security requirements of an operation together, not as alternatives")
	}
	for _, req := range sec.Items {
		for _, s := range req.Entries {
			switch {
			case t.authorizers[s.Key] != nil:
				if m.Get("authorizer") != nil {
					t.errorf(s.KeyRange(), "an operation can use only one authorizer, but this one names %s and %s", m.Get("authorizer").Str, s.Key)
					continue
				}
				m.Set("authorizer", NewString(s.Key, s.KeyPos))
				if len(s.Items) > 0 {
					m.Set("scopes", s)
				}
			case t.apiKeySchemes[s.Key]:
				m.Set("apiKeyRequired", NewBool(true, s.KeyPos))
			case t.iamSchemes[s.Key]:
				m.Set("authorization", NewString("AWS_IAM", s.KeyPos))
			default:
				if t.doc.Path("components", "securitySchemes", s.Key) == nil && t.doc.Path("securityDefinitions", s.Key) == nil {
					t.warnf(s, CodeOpenAPI, "security scheme %q is not defined; API Gateway's importer ignores it", s.Key)
				}
			}
		}
	}
}

// responses translates operation responses into method responses.
func (t *oasTranslator) responses(rs *Node, op *Node, hint string) *Node {
	out := NewMap(rs.Pos)
	for _, r := range rs.Entries {
		if r.Key == "default" {
			t.warnf(r, CodeOpenAPI, "API Gateway method responses need a status code; the OpenAPI default response is ignored")
			continue
		}
		if strings.HasPrefix(r.Key, "x-") {
			continue
		}
		r = t.derefKeep(r)
		mr := NewMap(r.Pos)
		if hs := r.Get("headers"); hs != nil {
			headers := NewMap(hs.Pos)
			for _, h := range hs.Entries {
				h = t.derefKeep(h)
				decl := NewMap(h.Pos)
				if req := h.Get("required"); req != nil {
					decl.Set("required", req)
				}
				headers.Set(h.Key, keyed(decl, h))
			}
			mr.Set("headers", keyed(headers, hs))
		}
		models := NewMap(r.Pos)
		if t.v2 {
			if s := r.Get("schema"); s != nil {
				produces := stringList(op.Get("produces"))
				if len(produces) == 0 {
					produces = stringList(t.doc.Get("produces"))
				}
				if len(produces) == 0 {
					produces = []string{"application/json"}
				}
				if name := t.responseModelFor(t.deref0(s), hint+" Response "+r.Key); name != nil {
					for _, ct := range produces {
						models.Set(ct, NewString(name.Str, name.Pos))
					}
				}
			}
		} else {
			for _, ct := range entries(r.Get("content")) {
				if s := ct.Get("schema"); s != nil {
					if name := t.responseModelFor(t.deref0(s), hint+" Response "+r.Key); name != nil {
						models.Set(ct.Key, keyed(name, ct))
					}
				}
			}
		}
		if len(models.Entries) > 0 {
			mr.Set("models", models)
		}
		out.Set(r.Key, keyed(mr, r))
	}
	return out
}

// integrationKinds maps AWS's integration types to gwc's keys.
var oasIntegrationKeys = map[string]string{
	"mock": "mock", "http": "http", "http_proxy": "httpProxy", "aws": "aws", "aws_proxy": "awsProxy",
}

var integrationDefs = map[string]string{
	"mock": "#MockIntegration", "http": "#HTTPIntegration", "httpProxy": "#HTTPProxyIntegration",
	"aws": "#AWSIntegration", "awsProxy": "#AWSProxyIntegration",
}

// integration translates x-amazon-apigateway-integration. Fields that do
// not apply to the integration's type (AWS exports carry some, such as
// passthroughBehavior on proxy integrations) are dropped, with a warning
// when they would have changed something.
func (t *oasTranslator) integration(x *Node, verb string) *Node {
	out := NewMap(x.Pos)
	typ := strings.ToLower(scalarText(x.Get("type")))
	key, ok := oasIntegrationKeys[typ]
	if !ok {
		t.errorf(At(x, "type"), "integration type %q is not one of http, http_proxy, aws, aws_proxy, mock", scalarText(x.Get("type")))
		return out
	}
	def := MustSchema().Def(integrationDefs[key])
	body := NewMap(x.Pos)
	body.KeyPos = x.KeyPos
	set := func(field string, src, v *Node) {
		if def.Field(field) == nil {
			if !ignorableOnType(src.Key, key) {
				t.warnf(src, CodeOpenAPI, "%s does not apply to %s integrations; API Gateway ignores it", src.Key, strings.ToUpper(typ))
			}
			return
		}
		body.Set(field, keyed(v, src))
	}
	connection := NewMap(x.Pos)
	for _, f := range x.Entries {
		switch f.Key {
		case "type":
		case "uri":
			set("uri", f, t.cfnString(f))
		case "httpMethod":
			set("method", f, upper(f))
		case "credentials":
			set("credentials", f, t.cfnString(f))
		case "requestParameters":
			set("params", f, t.cfnStrings(f))
		case "requestTemplates":
			set("templates", f, t.templates(f))
		case "passthroughBehavior":
			set("passthrough", f, upper(f))
		case "contentHandling":
			set("contentHandling", f, f)
		case "timeoutInMillis":
			set("timeout", f, number(f))
		case "cacheKeyParameters":
			set("cacheKeyParameters", f, f)
		case "cacheNamespace":
			set("cacheNamespace", f, f)
		case "connectionType":
			connection.Set("type", upper(f))
		case "connectionId":
			connection.Set("id", t.cfnString(f))
		case "tlsConfig":
			set("tls", f, f)
		case "responses":
			set("responses", f, t.integrationResponses(f))
		case "integrationTarget":
			t.warnf(f, CodeUnsupported, "integrationTarget (a private integration through a VPC link V2) is not supported by gwc: the emitted CloudFormation and the local runtime omit it")
		case "integrationSubtype", "payloadFormatVersion":
			t.warnf(f, CodeUnsupported, "%s is an HTTP API integration setting; REST APIs ignore it", f.Key)
		case "responseTransferMode":
			if strings.ToUpper(scalarText(f)) != "BUFFERED" {
				t.warnf(f, CodeUnsupported, "responseTransferMode %s is not supported by gwc; responses are buffered", scalarText(f))
			}
		case LintIgnoreExtension:
			// Read by gwc lint from the document itself.
		default:
			t.warnf(f, CodeOpenAPI, "unknown field %q in x-amazon-apigateway-integration (ignored)", f.Key)
		}
	}
	if len(connection.Entries) > 0 {
		if def.Field("connection") != nil {
			body.Set("connection", connection)
		} else if scalarText(connection.Get("type")) != "INTERNET" {
			t.warnf(x, CodeOpenAPI, "connectionType does not apply to %s integrations; API Gateway ignores it", strings.ToUpper(typ))
		}
	}
	out.Set(key, body)
	return out
}

// ignorableOnType lists fields AWS's exports write on every integration,
// which carry no meaning for some types, so dropping them says nothing
// the user needs to hear.
func ignorableOnType(field, key string) bool {
	switch field {
	case "passthroughBehavior", "timeoutInMillis", "cacheKeyParameters", "cacheNamespace":
		return true
	case "httpMethod":
		return key == "mock"
	case "contentHandling":
		return key == "httpProxy"
	}
	return false
}

func (t *oasTranslator) integrationResponses(rs *Node) *Node {
	out := NewMap(rs.Pos)
	for _, r := range rs.Entries {
		ir := NewMap(r.Pos)
		for _, f := range r.Entries {
			switch f.Key {
			case "statusCode":
				ir.Set("status", number(f))
			case "responseParameters":
				ir.Set("params", t.cfnStrings(f))
			case "responseTemplates":
				ir.Set("templates", t.templates(f))
			case "contentHandling":
				ir.Set("contentHandling", f)
			case LintIgnoreExtension:
				// Read by gwc lint from the document itself.
			default:
				t.warnf(f, CodeOpenAPI, "unknown field %q in an integration response (ignored)", f.Key)
			}
		}
		out.Set(r.Key, keyed(ir, r))
	}
	return out
}

// gwcExtensions applies x-gateway-* extensions found on n: each names a
// field of def in kebab case (x-gateway-usage-plans is usagePlans) and
// replaces what the translation produced for it. x-gateway-lint at the
// document root goes to the definition's lint block.
func (t *oasTranslator) gwcExtensions(n *Node, def *Type, into, root *Node) {
	for _, e := range n.Entries {
		name, ok := strings.CutPrefix(e.Key, gwcExt)
		if !ok {
			continue
		}
		if name == "lint" && root != nil {
			root.Set("lint", e)
			continue
		}
		if name == "lint-ignore" {
			continue
		}
		field := camel(name)
		if def.field(field) == nil {
			var names []string
			for _, f := range def.Fields {
				names = append(names, gwcExt+kebab(f.Name))
			}
			t.ds.Errorf(e.KeyRange(), CodeSchema, "%s is not a gwc extension here%s", e.Key, closestHint(e.Key, names))
			continue
		}
		into.Set(field, keyed(e, e))
	}
}

func closestHint(s string, names []string) string {
	if c := Closest(s, names); c != "" {
		return fmt.Sprintf("; did you mean %s?", c)
	}
	return ""
}

// camel turns kebab-case into camelCase.
func camel(s string) string {
	parts := strings.Split(s, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// kebab turns camelCase into kebab-case.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
