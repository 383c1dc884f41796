// Package openapi exports a compiled API as an OpenAPI 3.0 document with
// API Gateway's x-amazon-apigateway-* extensions.
//
// The export is the inverse of gwc's OpenAPI reader (schema.LoadOpenAPI):
// reading an exported document back and compiling it gives the same
// artifact, byte for byte. Everything API Gateway's importer reads is
// written the way AWS's own exports write it: integrations, authorizers
// and IAM as security schemes, request validators, gateway responses,
// binary media types, the resource policy, documentation. What only gwc
// knows (stages, usage plans, API keys, domain names, the endpoint type,
// tags) goes into x-gateway-* extensions in gwc's own vocabulary, so
// nothing is lost.
//
// The document describes the normalized API that compile returns, not the
// definition as written: CORS appears as the OPTIONS methods and headers
// it expanded into, every path parameter is declared, defaults are
// spelled out and models refer to each other by OpenAPI references.
//
// kin-openapi types the document; none of its types appear in this
// package's API.
package openapi
