// Package i18n translates Opstap's user-facing texts. Code and templates
// write English; the Dutch catalogue maps each English text (a fmt format)
// to its Dutch form. Dutch is the default language.
package i18n

import (
	"fmt"
	"strings"
)

// Languages offered, default first.
var Languages = []string{"nl", "en"}

// Default is the language when the user chose none.
const Default = "nl"

// Supported reports whether lang is offered.
func Supported(lang string) bool { return lang == "nl" || lang == "en" }

// T translates the English format msg into lang and fills in args. A text
// missing from the catalogue falls back to English; a test keeps the
// catalogue complete.
func T(lang, msg string, args ...any) string {
	cat := en
	if lang == "nl" {
		cat = nl
	}
	if d, ok := cat[msg]; ok {
		msg = d
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether the Dutch catalogue knows msg.
func Has(msg string) bool {
	_, ok := nl[msg]
	return ok
}

// FromAcceptLanguage picks a supported language from the header, or Default.
func FromAcceptLanguage(h string) string {
	for _, part := range strings.Split(h, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		base := strings.SplitN(tag, "-", 2)[0]
		if Supported(base) {
			return base
		}
	}
	return Default
}

// Add merges Dutch texts into the catalogue; feature packages call it from
// an init function so that each keeps its own texts beside its code.
func Add(texts map[string]string) {
	for k, v := range texts {
		nl[k] = v
	}
}
