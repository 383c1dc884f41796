package draft4

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"gwc.dev/gwc/internal/javaregex"
)

// The format checks follow what API Gateway's validator
// (json-schema-validator 2.2) delegates to: Joda-Time for date-time,
// javax.mail's strict InternetAddress for email, Guava's
// InternetDomainName and InetAddresses for hostname, ipv4 and ipv6,
// java.net.URI for uri, an ECMAScript regex parser for regex. Each is
// written here from those libraries' documented grammar; where they are
// large (javax.mail, java.net.URI) the check is the grammar's core and the
// package documentation lists what is left out.
func checkFormat(f formatKind, s string) bool {
	switch f {
	case fmtDateTime:
		return isDateTime(s)
	case fmtEmail:
		return isEmail(s)
	case fmtHostname:
		return isHostname(s)
	case fmtIPv4:
		b, ok := parseIP(s)
		return ok && len(b) == 4
	case fmtIPv6:
		b, ok := parseIP(s)
		return ok && len(b) == 16
	case fmtURI:
		return isURI(s)
	case fmtRegex:
		_, err := javaregex.Compile(s)
		var unsupported *javaregex.UnsupportedError
		return err == nil || errors.As(err, &unsupported)
	}
	return true
}

// isDateTime parses yyyy-MM-dd'T'HH:mm:ss[.f{1,12}] and a zone offset as
// Joda-Time's parser built by the validator does: fixed-width fields,
// literals matched ignoring case, "Z" or ±HH[[:]mm[[:]ss]] as the offset,
// and every field in range for its calendar (no 24:00, no leap second, no
// February 30).
func isDateTime(s string) bool {
	num := func(i, n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	lit := func(i int, c byte) bool {
		return i < len(s) && (s[i] == c || s[i]|0x20 == c|0x20 && c >= 'A' && c <= 'Z')
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && lit(4, '-') && lit(7, '-') && lit(10, 'T') && lit(13, ':') && lit(16, ':')) {
		return false
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || sec > 59 {
		return false
	}
	i := 19
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && j-i-1 < 12 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'Z' || s[i] == 'z') {
		return i+1 == len(s)
	}
	if i >= len(s) || s[i] != '+' && s[i] != '-' {
		return false
	}
	i++
	if h, ok := num(i, 2); !ok || h > 23 {
		return false
	}
	i += 2
	sep := false
	for field := 0; field < 2 && i < len(s); field++ {
		if s[i] == ':' {
			if field == 0 {
				sep = true
			} else if !sep {
				return false
			}
			i++
		} else if sep {
			return false
		}
		v, ok := num(i, 2)
		if !ok || v > 59 {
			return false
		}
		i += 2
	}
	return i == len(s)
}

func daysIn(year, month int) int {
	switch month {
	case 4, 6, 9, 11:
		return 30
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}

// isEmail checks an address as javax.mail's InternetAddress does in
// strict mode: a non-empty local part and domain around the first "@", no
// white space or control characters, no specials outside a quoted local
// part or a domain literal, no dot at either end of a part and no two dots
// in a row. A single-label domain (user@host) is valid.
func isEmail(s string) bool {
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return false
		}
	}
	at := strings.IndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	dotted := func(p string) bool {
		return !strings.HasPrefix(p, ".") && !strings.HasSuffix(p, ".") && !strings.Contains(p, "..")
	}
	if !(len(local) >= 2 && local[0] == '"' && local[len(local)-1] == '"') {
		if strings.ContainsAny(local, `()<>,;:\"[]`) || !dotted(local) {
			return false
		}
	}
	if strings.HasPrefix(domain, "[") {
		return strings.HasSuffix(domain, "]")
	}
	return !strings.ContainsAny(domain, `()<>@,;:\"[]`) && dotted(domain)
}

// isHostname checks a name as Guava's InternetDomainName.from does: at
// most 253 characters without a final dot, at most 127 labels of 1 to 63
// characters, ASCII characters only letters, digits, "-" and "_", no
// label starting or ending with "-" or "_", and a last label that does not
// start with a digit.
func isHostname(s string) bool {
	s = strings.NewReplacer("\u3002", ".", "\uff0e", ".", "\uff61", ".").Replace(s)
	s = strings.TrimSuffix(s, ".")
	if utf8.RuneCountInString(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) > 127 {
		return false
	}
	for i, l := range labels {
		n := utf8.RuneCountInString(l)
		if n < 1 || n > 63 {
			return false
		}
		for j := 0; j < len(l); j++ {
			c := l[j]
			if c < 0x80 && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
		if first, last := l[0], l[len(l)-1]; first == '-' || first == '_' || last == '-' || last == '_' {
			return false
		}
		if i == len(labels)-1 && l[0] >= '0' && l[0] <= '9' {
			return false
		}
	}
	return true
}

// parseIP parses an address as Guava's InetAddresses.forString and
// returns its bytes as java.net.InetAddress keeps them: an IPv6 address
// that maps an IPv4 one (::ffff:a.b.c.d) becomes that 4-byte IPv4
// address, so the validator takes it for IPv4 and not for IPv6.
func parseIP(s string) ([]byte, bool) {
	hasColon := strings.Contains(s, ":")
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' && hasColon && strings.Contains(s[i:], ":") {
			return nil, false // a dot before a colon
		}
		if c != '.' && c != ':' && !isHex(c) {
			return nil, false
		}
	}
	if !hasColon {
		b, ok := parseIPv4(s)
		return b, ok
	}
	if strings.Contains(s, ".") {
		i := strings.LastIndexByte(s, ':')
		v4, ok := parseIPv4(s[i+1:])
		if !ok {
			return nil, false
		}
		s = s[:i+1] + hex16(v4[0], v4[1]) + ":" + hex16(v4[2], v4[3])
	}
	parts := strings.Split(s, ":")
	if len(parts) < 3 || len(parts) > 9 {
		return nil, false
	}
	skip := -1
	for i := 1; i < len(parts)-1; i++ {
		if parts[i] == "" {
			if skip >= 0 {
				return nil, false
			}
			skip = i
		}
	}
	hi, lo := len(parts), 0
	if skip >= 0 {
		hi, lo = skip, len(parts)-skip-1
		if parts[0] == "" {
			if hi--; hi != 0 {
				return nil, false
			}
		}
		if parts[len(parts)-1] == "" {
			if lo--; lo != 0 {
				return nil, false
			}
		}
	}
	skipped := 8 - (hi + lo)
	if skip >= 0 && skipped < 1 || skip < 0 && skipped != 0 {
		return nil, false
	}
	b := make([]byte, 0, 16)
	hextet := func(p string) bool {
		if len(p) == 0 || len(p) > 4 {
			return false
		}
		v := 0
		for j := 0; j < len(p); j++ {
			v = v<<4 | hexVal(p[j])
		}
		b = append(b, byte(v>>8), byte(v))
		return true
	}
	for i := 0; i < hi; i++ {
		if !hextet(parts[i]) {
			return nil, false
		}
	}
	for i := 0; i < skipped; i++ {
		b = append(b, 0, 0)
	}
	for i := lo; i > 0; i-- {
		if !hextet(parts[len(parts)-i]) {
			return nil, false
		}
	}
	mapped := true
	for i := 0; i < 10; i++ {
		mapped = mapped && b[i] == 0
	}
	if mapped && b[10] == 0xff && b[11] == 0xff {
		return b[12:], true
	}
	return b, true
}

func parseIPv4(s string) ([]byte, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return nil, false
	}
	b := make([]byte, 4)
	for i, p := range parts {
		if len(p) == 0 || len(p) > 3 || len(p) > 1 && p[0] == '0' {
			return nil, false
		}
		v := 0
		for j := 0; j < len(p); j++ {
			if p[j] < '0' || p[j] > '9' {
				return nil, false
			}
			v = v*10 + int(p[j]-'0')
		}
		if v > 255 {
			return nil, false
		}
		b[i] = byte(v)
	}
	return b, true
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

func hex16(a, b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[a>>4], digits[a&15], digits[b>>4], digits[b&15]})
}

// URI character classes of RFC 2396, as java.net.URI uses them.
const (
	uriMark     = "-_.!~*'()"
	uriReserved = ";/?:@&=+$,[]"
	uriPchar    = ":@&=+$,"
	uriRegName  = "$,;:@&=+"
)

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// uriChars reports whether s[i:j] has only characters that are alphanumeric,
// in extra, escapes (%XX), or, like java.net.URI allows, visible non-ASCII
// characters.
func uriChars(s, extra string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < 0x80 && (isAlnum(c) || strings.IndexByte(extra, c) >= 0):
			i++
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 3
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r <= 0x80 || unicode.Is(unicode.Zs, r) || r == '\u2028' || r == '\u2029' || unicode.IsControl(r) {
				return false
			}
			i += n
		default:
			return false
		}
	}
	return true
}

// isURI checks a string as new java.net.URI(s) does: any URI reference,
// relative or absolute (RFC 2396 with Java's deviations: an empty
// authority before a path, visible non-ASCII characters).
func isURI(s string) bool {
	uric := uriMark + uriReserved
	if i := strings.IndexByte(s, '#'); i >= 0 {
		if !uriChars(s[i+1:], uric) {
			return false
		}
		s = s[:i]
	}
	if p := strings.IndexAny(s, ":/?"); p >= 0 && s[p] == ':' {
		if p == 0 {
			return false
		}
		scheme := s[:p]
		if !(scheme[0] >= 'a' && scheme[0] <= 'z' || scheme[0] >= 'A' && scheme[0] <= 'Z') {
			return false
		}
		for j := 1; j < len(scheme); j++ {
			if c := scheme[j]; !isAlnum(c) && c != '+' && c != '-' && c != '.' {
				return false
			}
		}
		rest := s[p+1:]
		if !strings.HasPrefix(rest, "/") {
			// Opaque: mailto:a@b, urn:x:y.
			return rest != "" && uriChars(rest, uric)
		}
		s = rest
	}
	if strings.HasPrefix(s, "//") {
		s = s[2:]
		end := strings.IndexAny(s, "/?")
		if end < 0 {
			end = len(s)
		}
		auth := s[:end]
		if auth == "" && end == len(s) {
			return false
		}
		if auth != "" && !uriChars(auth, uriMark+uriRegName) && !isServerAuthority(auth) {
			return false
		}
		s = s[end:]
	}
	path, query, hasQuery := strings.Cut(s, "?")
	if !uriChars(path, uriMark+uriPchar+";/") {
		return false
	}
	return !hasQuery || uriChars(query, uric)
}

// isServerAuthority accepts [userinfo@]host[:port] where host may be an
// IPv6 literal, the one authority form with characters outside reg-name.
func isServerAuthority(a string) bool {
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		if !uriChars(a[:i], uriMark+";:&=+$,") {
			return false
		}
		a = a[i+1:]
	}
	if !strings.HasPrefix(a, "[") {
		return false
	}
	end := strings.IndexByte(a, ']')
	if end < 0 {
		return false
	}
	if b, ok := parseIP(a[1:end]); !ok || len(b) != 16 && !strings.Contains(a[1:end], ":") {
		return false
	}
	port := a[end+1:]
	if port == "" {
		return true
	}
	if port[0] != ':' {
		return false
	}
	for j := 1; j < len(port); j++ {
		if port[j] < '0' || port[j] > '9' {
			return false
		}
	}
	return true
}
