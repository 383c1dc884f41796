package runtime

import "strings"

// mediaRange is a binaryMediaTypes entry: a media type, or a range with a
// wildcard subtype (image/*) or both (*/*).
type mediaRange struct{ typ, sub string }

func parseMediaRange(s string) mediaRange {
	typ, sub, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "/")
	return mediaRange{typ, sub}
}

// isBinary reports whether a media type is one of the API's binary media
// types (§7.4). */* covers everything; type/* a whole type; a wildcard
// type with a fixed subtype (*/json) matches nothing, as on API Gateway.
func (api *API) isBinary(mt string) bool {
	if mt == "" || len(api.binary) == 0 {
		return false
	}
	typ, sub, _ := strings.Cut(mt, "/")
	for _, r := range api.binary {
		switch {
		case r.typ == "*" && r.sub == "*":
			return true
		case r.typ == "*":
		case r.typ == typ && (r.sub == "*" || r.sub == sub):
			return true
		}
	}
	return false
}
