package compile

import (
	"crypto/sha256"
	"math/big"
	"strings"
)

// Identifiers in the artifact look like API Gateway's (ten or six lower-case
// letters and digits) and derive from names, so the same definition always
// gets the same identifiers and no build carries randomness.

func derivedID(n int, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	s := new(big.Int).SetBytes(sum[:]).Text(36)
	for len(s) < n {
		s = "0" + s
	}
	return s[:n]
}

// APIID is the identifier of the API named name, as $context.apiId shows it.
func APIID(name string) string { return derivedID(10, "api", name) }

// ResourceID is the identifier of the resource at path in the API apiID.
func ResourceID(apiID, path string) string {
	if path == "/" {
		return derivedID(10, "root", apiID)
	}
	return derivedID(6, "resource", apiID, path)
}

func authorizerID(apiID, name string) string { return derivedID(6, "authorizer", apiID, name) }
func usagePlanID(apiID, name string) string  { return derivedID(6, "usageplan", apiID, name) }

// APIKeyID is the identifier of the API key named name, as
// $context.identity.apiKeyId shows it.
func APIKeyID(apiID, name string) string { return derivedID(10, "apikey", apiID, name) }
