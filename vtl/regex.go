package vtl

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Java regular expressions run on Go's RE2 engine after a translation of
// the syntax the two spell differently. Constructs RE2 cannot run
// (backreferences, lookaround, possessive quantifiers, atomic groups) fail
// the render with a clear message rather than matching differently.

var regexCache sync.Map // string -> *regexp.Regexp, bounded by regexCacheMax

const regexCacheMax = 256

var regexCacheLen int32
var regexCacheMu sync.Mutex

var posixClasses = map[string]string{
	"Lower": `a-z`, "Upper": `A-Z`, "ASCII": `\x00-\x7F`, "Alpha": `a-zA-Z`,
	"Digit": `0-9`, "Alnum": `a-zA-Z0-9`, "Punct": `!-/:-@\[-` + "`" + `{-~`,
	"Graph": `!-~`, "Print": ` -~`, "Blank": ` \t`, "Cntrl": `\x00-\x1F\x7F`,
	"XDigit": `0-9a-fA-F`, "Space": ` \t\n\x0B\f\r`,
}

// translateJavaRegex rewrites Java regex syntax into RE2 syntax.
func translateJavaRegex(p string) (string, error) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			switch {
			case n >= '1' && n <= '9' && !inClass:
				return "", &javaException{"PatternSyntaxException: backreferences are not supported"}
			case n == 'p' || n == 'P':
				if i+2 < len(p) && p[i+2] == '{' {
					end := strings.IndexByte(p[i:], '}')
					if end > 0 {
						name := p[i+3 : i+end]
						name = strings.TrimPrefix(name, "Is")
						if cls, ok := posixClasses[name]; ok {
							if n == 'P' {
								if inClass {
									return "", &javaException{"PatternSyntaxException: negated class inside a class is not supported"}
								}
								b.WriteString("[^" + cls + "]")
							} else if inClass {
								b.WriteString(cls)
							} else {
								b.WriteString("[" + cls + "]")
							}
							i += end
							continue
						}
						b.WriteString(p[i : i+end+1])
						i += end
						continue
					}
				}
				b.WriteString(p[i : i+2])
				i++
			case n == 'Z':
				b.WriteString(`(?:\n?\z)`)
				i++
			case n == 'h':
				b.WriteString(`[ \t\xA0\x{1680}\x{180e}\x{2000}-\x{200a}\x{202f}\x{205f}\x{3000}]`)
				i++
			case n == 'R' || n == 'X' || n == 'G' || n == 'k':
				return "", &javaException{"PatternSyntaxException: \\" + string(n) + " is not supported"}
			case n == 'Q':
				end := strings.Index(p[i+2:], `\E`)
				lit := p[i+2:]
				if end >= 0 {
					lit = p[i+2 : i+2+end]
					i += 2 + end + 1
				} else {
					i = len(p)
				}
				b.WriteString(regexp.QuoteMeta(lit))
			default:
				b.WriteString(p[i : i+2])
				i++
			}
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == '[' && inClass:
			if i+1 < len(p) && p[i+1] == ':' {
				b.WriteString(`\[`)
			} else {
				return "", &javaException{"PatternSyntaxException: nested character classes are not supported"}
			}
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		case c == '&' && inClass && i+1 < len(p) && p[i+1] == '&':
			return "", &javaException{"PatternSyntaxException: character class intersection is not supported"}
		case c == '(' && !inClass && i+2 < len(p) && p[i+1] == '?':
			switch p[i+2] {
			case '=', '!', '>':
				return "", &javaException{"PatternSyntaxException: lookahead and atomic groups are not supported"}
			case '<':
				if i+3 < len(p) && (p[i+3] == '=' || p[i+3] == '!') {
					return "", &javaException{"PatternSyntaxException: lookbehind is not supported"}
				}
				b.WriteString("(?P<")
				i += 2
				continue
			}
			b.WriteByte(c)
		case (c == '+') && !inClass && i > 0 && (p[i-1] == '*' || p[i-1] == '+' || p[i-1] == '?' || p[i-1] == '}') && !(i > 1 && p[i-2] == '\\'):
			return "", &javaException{"PatternSyntaxException: possessive quantifiers are not supported"}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// compileJavaRegex compiles a Java regex; whole anchors it for matches().
func compileJavaRegex(p string, whole bool) (*regexp.Regexp, error) {
	key := p
	if whole {
		key = "\x00" + p
	}
	if re, ok := regexCache.Load(key); ok {
		return re.(*regexp.Regexp), nil
	}
	t, err := translateJavaRegex(p)
	if err != nil {
		return nil, err
	}
	if whole {
		t = `^(?:` + t + `)$`
	}
	re, cerr := regexp.Compile(t)
	if cerr != nil {
		return nil, &javaException{"PatternSyntaxException: " + cerr.Error()}
	}
	regexCacheMu.Lock()
	if regexCacheLen < regexCacheMax {
		// The pattern may live in memory a later render reuses (the
		// body, or a string the template built): the key must not.
		regexCache.Store(strings.Clone(key), re)
		regexCacheLen++
	}
	regexCacheMu.Unlock()
	return re, nil
}

// javaReplace implements replaceAll/replaceFirst with Java's replacement
// syntax: $n and ${name} insert groups, a backslash quotes the next char.
func javaReplace(re *regexp.Regexp, s, repl string, all bool, limit int) (string, error) {
	matches := re.FindAllStringSubmatchIndex(s, -1)
	if !all && len(matches) > 1 {
		matches = matches[:1]
	}
	if len(matches) == 0 {
		return s, nil
	}
	var b strings.Builder
	last := 0
	for _, m := range matches {
		b.WriteString(s[last:m[0]])
		if err := expandJava(&b, re, s, repl, m); err != nil {
			return "", err
		}
		last = m[1]
		if b.Len() > limit {
			return "", &javaException{"OutOfMemoryError"}
		}
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

func expandJava(b *strings.Builder, re *regexp.Regexp, s, repl string, m []int) error {
	groups := len(m)/2 - 1
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		switch c {
		case '\\':
			i++
			if i >= len(repl) {
				return &javaException{"IllegalArgumentException: character to be escaped is missing"}
			}
			b.WriteByte(repl[i])
		case '$':
			i++
			if i >= len(repl) {
				return &javaException{"IllegalArgumentException: Illegal group reference: group index is missing"}
			}
			g := -1
			if repl[i] == '{' {
				end := strings.IndexByte(repl[i:], '}')
				if end < 0 {
					return &javaException{"IllegalArgumentException: named capturing group is missing trailing '}'"}
				}
				name := repl[i+1 : i+end]
				g = re.SubexpIndex(name)
				if g < 0 {
					return &javaException{"IllegalArgumentException: No group with name {" + name + "}"}
				}
				i += end
			} else {
				if repl[i] < '0' || repl[i] > '9' {
					return &javaException{"IllegalArgumentException: Illegal group reference"}
				}
				g = int(repl[i] - '0')
				if g > groups {
					return &javaException{"IndexOutOfBoundsException: No group " + strconv.Itoa(g)}
				}
				// Java takes more digits while the group number stays valid.
				for i+1 < len(repl) && repl[i+1] >= '0' && repl[i+1] <= '9' {
					ng := g*10 + int(repl[i+1]-'0')
					if ng > groups {
						break
					}
					g = ng
					i++
				}
			}
			if m[2*g] >= 0 {
				b.WriteString(s[m[2*g]:m[2*g+1]])
			}
		default:
			b.WriteByte(c)
		}
	}
	return nil
}

// javaSplit is String.split(regex, limit), including Java's removal of
// trailing empty strings when limit is 0 and of a leading empty string
// produced by a zero-width match at the start.
func javaSplit(s, pattern string, limit int) (*List, error) {
	var parts []string
	// Java's fast path: a one-character pattern that is not a regex
	// metacharacter splits literally.
	if len(pattern) == 1 && !strings.ContainsAny(pattern, ".$|()[{^?*+\\") {
		parts = strings.Split(s, pattern)
		if limit > 0 && len(parts) > limit {
			parts = append(parts[:limit-1], strings.Join(parts[limit-1:], pattern))
		}
	} else {
		re, err := compileJavaRegex(pattern, false)
		if err != nil {
			return nil, err
		}
		matches := re.FindAllStringIndex(s, -1)
		last := 0
		for _, m := range matches {
			if limit > 0 && len(parts) == limit-1 {
				break
			}
			if m[1] == 0 && m[0] == 0 {
				continue // zero-width match at the start yields no leading ""
			}
			if m[0] == m[1] && m[0] >= len(s) {
				continue
			}
			parts = append(parts, s[last:m[0]])
			last = m[1]
		}
		parts = append(parts, s[last:])
	}
	if len(s) == 0 {
		parts = []string{""}
	} else if limit == 0 {
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
	}
	l := &List{items: make([]Value, len(parts)), fixed: true}
	for i, p := range parts {
		l.items[i] = String(p)
	}
	return l, nil
}
