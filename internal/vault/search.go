package vault

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// termSize is how much of the HMAC-SHA256 a search term keeps.
const termSize = 16

// Domain bytes in the HMAC input keep an exact term of a one-word value apart
// from the word term of the same word.
const (
	domainExact = 'e'
	domainWord  = 'w'
)

// SearchTerms returns the blind index terms to store for a value: the exact
// term of the whole normalised value, then one term per distinct word of at
// least two letters or digits (words are split at anything else, so
// "jan.devries@example.nl" has the words devries, example and nl). A term is
// kind + ":" + hex of a 16-byte HMAC-SHA256 under the index key; the key is
// derived from the lowest configured master version, so terms stay the same
// across rotations (see IndexVersion). Values are compared after Normalise.
// An empty value has no terms.
//
// kind names the field ("name", "email", "bsn"); it must be 1 to 32 of
// a-z, 0-9 and '_', and SearchTerms panics otherwise.
//
// To search, look up ExactTerm(kind, query) for an exact match, or require
// every one of WordTerms(kind, query) for a match on whole words in any
// order. Prefixes and substrings are not searchable.
func (k *Keyring) SearchTerms(kind string, value string) []string {
	checkKind(kind)
	v := Normalise(value)
	if v == "" {
		return nil
	}
	return append([]string{k.term(kind, domainExact, v)}, k.wordTerms(kind, v)...)
}

// ExactTerm is the term SearchTerms stores for the whole of value, or "" if
// value normalises to nothing.
func (k *Keyring) ExactTerm(kind, value string) string {
	checkKind(kind)
	v := Normalise(value)
	if v == "" {
		return ""
	}
	return k.term(kind, domainExact, v)
}

// WordTerms are the terms SearchTerms stores for the words of value.
func (k *Keyring) WordTerms(kind, value string) []string {
	checkKind(kind)
	return k.wordTerms(kind, Normalise(value))
}

func (k *Keyring) wordTerms(kind, normalised string) []string {
	var terms []string
	seen := make(map[string]bool)
	for _, w := range strings.FieldsFunc(normalised, notWordRune) {
		if utf8.RuneCountInString(w) < 2 || seen[w] {
			continue
		}
		seen[w] = true
		terms = append(terms, k.term(kind, domainWord, w))
	}
	return terms
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// term is kind:hex(HMAC(indexKey, kind 0x00 domain 0x00 text)[:16]).
func (k *Keyring) term(kind string, domain byte, text string) string {
	m := hmac.New(sha256.New, k.index.key[:])
	m.Write([]byte(kind))
	m.Write([]byte{0, domain, 0})
	m.Write([]byte(text))
	sum := m.Sum(nil)
	return kind + ":" + hex.EncodeToString(sum[:termSize])
}

func checkKind(kind string) {
	ok := len(kind) >= 1 && len(kind) <= 32
	for i := 0; ok && i < len(kind); i++ {
		c := kind[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if !ok {
		panic("vault: search term kind " + `"` + kind + `"` + " is not 1-32 of a-z, 0-9, _")
	}
}

// folds maps lower-case letters that Unicode does not decompose, and
// typographic punctuation, to what a Dutch user would type instead.
var folds = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d",
	'þ': "th", 'ı': "i",
	'\u2018': "'", '\u2019': "'", '\u02bc': "'", '\u00b4': "'", '`': "'",
	'\u2010': "-", '\u2012': "-", '\u2013': "-", '\u2014': "-", '\u2015': "-", '\u2212': "-",
}

// Normalise makes a value comparable for search: Unicode compatibility
// decomposition (NFKD) with combining marks removed (é→e, ü→u, ĳ→ij,
// full-width letters to ASCII), lower case, a few letters folded that have
// no decomposition (ß→ss, ø→o, æ→ae, ł→l), typographic quotes and dashes to
// ASCII, invisible format and control characters dropped, runs of white
// space collapsed to one space and the ends trimmed. "José  de Vries" and
// "jose de vries" both become "jose de vries". Normalise is idempotent.
func Normalise(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Cc) || r == utf8.RuneError:
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		r = unicode.ToLower(r)
		if f, ok := folds[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
