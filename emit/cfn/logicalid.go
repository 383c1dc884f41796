package cfn

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// maxLogicalID is CloudFormation's limit on a logical ID's length.
const maxLogicalID = 255

// longBase is the length past which a base name is cut and always given a
// hash suffix, leaving room for the suffix within maxLogicalID.
const longBase = 200

// pascal turns any text into the alphanumeric words of a logical ID:
// "/pets/{petId}" → "PetsPetId", "api.example.com" → "ApiExampleCom",
// "DEFAULT_4XX" → "Default4xx". Everything but ASCII letters and digits
// separates words; a word's first letter is upper-cased, and a word written
// all in capitals is tamed to Title case so that verbs and enum names read
// like the rest.
func pascal(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !isAlnum(r) }) {
		if allUpper(w) {
			w = strings.ToLower(w)
		}
		b.WriteString(strings.ToUpper(w[:1]))
		b.WriteString(w[1:])
	}
	return b.String()
}

func isAlnum(r rune) bool {
	return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// allUpper reports whether a word of more than one character has letters
// and no lower-case letter.
func allUpper(w string) bool {
	if len(w) < 2 {
		return false
	}
	letters := false
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		letters = letters || unicode.IsLetter(r)
	}
	return letters
}

// isLogicalID reports whether s is a valid logical ID as it stands.
func isLogicalID(s string) bool {
	if s == "" || len(s) > maxLogicalID {
		return false
	}
	for _, r := range s {
		if !isAlnum(r) {
			return false
		}
	}
	return true
}

// shortHash is the suffix that tells apart names whose readable forms
// collide: eight hex digits of the SHA-256 of the thing's key.
func shortHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:4])
}

// idAllocator hands out unique logical IDs. Callers ask for a readable
// base name per key (the thing's identity, such as "resource /pets"), then
// resolve a whole batch at once: the result depends only on the set of
// requests, never on the order they were made in, so the same API always
// gets the same IDs. IDs taken in an earlier batch are never given away
// again, which lets some kinds (the resource tree) have first claim on
// their names.
type idAllocator struct {
	taken   map[string]bool
	pending map[string]string // key → base
}

func newIDAllocator(reserved ...string) *idAllocator {
	a := &idAllocator{taken: map[string]bool{}, pending: map[string]string{}}
	for _, id := range reserved {
		a.take(id)
	}
	return a
}

// take marks id as given away. IDs that differ only in case count as the
// same, to be safe with tools that compare them so.
func (a *idAllocator) take(id string) { a.taken[strings.ToLower(id)] = true }

func (a *idAllocator) isTaken(id string) bool { return a.taken[strings.ToLower(id)] }

// want asks for an ID for key, as close to base as uniqueness allows.
func (a *idAllocator) want(key, base string) {
	a.pending[key] = base
}

// resolve assigns every pending key its ID. Among keys that want the same
// base, the one that sorts first keeps it (unless an earlier batch took
// it) and the others get a hash of their key appended.
func (a *idAllocator) resolve() map[string]string {
	byBase := map[string][]string{}
	for key, base := range a.pending {
		byBase[base] = append(byBase[base], key)
	}
	bases := make([]string, 0, len(byBase))
	for base := range byBase {
		bases = append(bases, base)
	}
	slices.Sort(bases)
	out := make(map[string]string, len(a.pending))
	// Plain names first, so that a suffixed name can never take a plain
	// name that another key wants.
	var suffixed []string
	for _, base := range bases {
		keys := byBase[base]
		slices.Sort(keys)
		for i, key := range keys {
			if i == 0 && len(base) <= longBase && !a.isTaken(base) {
				out[key] = base
				a.take(base)
				continue
			}
			suffixed = append(suffixed, key)
		}
	}
	slices.Sort(suffixed)
	for _, key := range suffixed {
		base := a.pending[key]
		if len(base) > longBase {
			base = base[:longBase]
		}
		id := base + shortHash(key)
		for n := 0; a.isTaken(id); n++ {
			id = base + shortHash(key+"\x00"+strconv.Itoa(n))
		}
		out[key] = id
		a.take(id)
	}
	a.pending = map[string]string{}
	return out
}
