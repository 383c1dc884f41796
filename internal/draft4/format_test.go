package draft4

import (
	"strings"
	"testing"
)

// The expectations follow the documented behaviour of the Java libraries
// API Gateway's validator calls for each format.
var formatCases = []struct {
	f       formatKind
	valid   []string
	invalid []string
}{
	// Joda-Time, yyyy-MM-dd'T'HH:mm:ss, an optional fraction of 1 to 12
	// digits, then "Z" or an offset; literals match ignoring case; fields
	// must exist in the ISO calendar.
	{fmtDateTime,
		[]string{"2024-02-29T23:59:59Z", "2024-01-01t00:00:00z", "2024-01-01T00:00:00.123456789012+01:00",
			"2024-01-01T00:00:00+0100", "2024-01-01T00:00:00.5-05:30", "0000-01-01T00:00:00Z", "2000-02-29T00:00:00Z"},
		[]string{"2024-01-01T00:00:00.1234567890123Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:60Z", "2023-02-29T00:00:00Z",
			"1900-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-01T00:00:00", "2024-01-01 00:00:00Z",
			"24-01-01T00:00:00Z", "2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00+01:60", "2024-01-01T00:00:00.Z",
			"2024-01-01T00:00Z", "2024-01-01", "2024-01-01T00:00:00Zx", "２024-01-01T00:00:00Z"}},
	// javax.mail InternetAddress, strict.
	{fmtEmail,
		[]string{"a@b", "a.b+c@example.com", "o'hara@example.com", "a@[192.168.0.1]", `"a.b"@example.com`, "ü@example.com"},
		[]string{"", "a", "@b", "a@", "a@b@c", ".a@b", "a.@b", "a..b@c", "a@b..c", "a@.b", "a@b.", "a b@c", "a@b c",
			"a(b)@c", "a@[1.2.3.4", "a<b>@c", "a\t@b"}},
	// Guava InternetDomainName.
	{fmtHostname,
		[]string{"example", "www.example.com", "a_b.example.com", "xn--nw2a.xn--j6w193g", "example.com.", "ünïcödé.com",
			strings.Repeat("a", 63) + ".com", "a。b"},
		[]string{"", ".", "-a.com", "a-.com", "_a.com", "a..com", "1.2.3.4", "a.1com", strings.Repeat("a", 64) + ".com",
			"a b.com", "a!.com", strings.Repeat("a.", 127) + "a", strings.Repeat("abcdefghi.", 26)}},
	// Guava InetAddresses; java.net.InetAddress turns an IPv4-mapped IPv6
	// address into the IPv4 address it maps.
	{fmtIPv4,
		[]string{"0.0.0.0", "255.255.255.255", "192.168.0.1", "::ffff:1.2.3.4", "::ffff:102:304"},
		[]string{"01.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.a", " 1.2.3.4", "1.2.3.4 ", "", "1..2.3", "::1"}},
	{fmtIPv6,
		[]string{"::", "::1", "1:2:3:4:5:6:7:8", "1::8", "::1.2.3.4", "fe80::1", "FE80::ABCD", "1:2:3:4:5:6:1.2.3.4"},
		[]string{"::ffff:1.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::2", "1::2:", "12345::", "1.2.3.4", "fe80::1%eth0",
			"1:2:3:4:5:6:7", ":::", "1:2:3:4:5:6:7::8", "::g", "1.2.3.4::", ""}},
	// java.net.URI: any URI reference.
	{fmtURI,
		[]string{"", "abc", "/a/b?c#d", "http://example.com:80/a%20b", "mailto:a@b", "urn:x:y", "http://[::1]:8080/",
			"http://é.com/ü", "//host/path", "http:///path", "?q", "#f", "a:b/c", "http://a/b?[x]"},
		[]string{"http://a b", ":x", "1abc:x", "a:", "http://", "%zz", "a%2", "a#b#c", "http://a/b c", "http://a/[x]",
			"a\u00a0b", "a\u0085b", `\\share`}},
}

func TestFormats(t *testing.T) {
	for _, c := range formatCases {
		for _, s := range c.valid {
			if !checkFormat(c.f, s) {
				t.Errorf("format %d: %q refused", c.f, s)
			}
		}
		for _, s := range c.invalid {
			if checkFormat(c.f, s) {
				t.Errorf("format %d: %q accepted", c.f, s)
			}
		}
	}
}
