// Package i18n translates Opstap's user-facing texts. Code and templates
// write a message ID: the English text itself (a fmt format), or
// "context|English" where one English text needs two translations. The
// translations live in catalogue files, locales/<lang>/<area>.toml, embedded
// in the binary and loaded at start into a go-i18n bundle, which also picks
// the plural form (CLDR rules) for N. Dutch is the default language.
// docs/i18n.md tells how to add or change a text.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// Languages offered, default first.
var Languages = []string{"nl", "en"}

// Default is the language when the user chose none.
const Default = "nl"

// Supported reports whether lang is offered.
func Supported(lang string) bool { return lang == "nl" || lang == "en" }

//go:embed locales
var files embed.FS

// cat is the catalogue loaded from the embedded files. A file that does not
// parse or an ID defined twice stops the program at start; the catalogue
// test finds it first.
var cat = mustLoad()

type catalogue struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	msgs       map[string]map[string]*goi18n.Message // lang → ID → message
}

func mustLoad() *catalogue {
	c, err := loadCatalogue(files, "locales")
	if err != nil {
		panic("i18n: " + err.Error())
	}
	return c
}

func loadCatalogue(fsys fs.FS, root string) (*catalogue, error) {
	msgs, err := parseFiles(fsys, root)
	if err != nil {
		return nil, err
	}
	b := goi18n.NewBundle(language.English)
	c := &catalogue{bundle: b, localizers: map[string]*goi18n.Localizer{}, msgs: msgs}
	for lang, m := range msgs {
		list := make([]*goi18n.Message, 0, len(m))
		for _, msg := range m {
			list = append(list, msg)
		}
		if err := b.AddMessages(language.Make(lang), list...); err != nil {
			return nil, err
		}
	}
	for _, lang := range Languages {
		c.localizers[lang] = goi18n.NewLocalizer(b, lang)
	}
	return c, nil
}

// identity keeps a message as it is: messages are fmt formats, not
// templates.
var identity = template.IdentityParser{}

// lookup returns the form of message id in lang for count n (nil: no count),
// falling back to English and then to the ID's own English text.
func (c *catalogue) lookup(lang, id string, n any) string {
	if n == nil {
		// Without a count the form is always "other": a map lookup, which
		// is some 40 times faster than the localizer's language matching.
		if m := c.msgs[lang][id]; m != nil {
			return m.Other
		}
		if m := c.msgs["en"][id]; m != nil {
			return m.Other
		}
		return English(id)
	}
	l := c.localizers[lang]
	if l == nil {
		l = c.localizers["en"]
	}
	s, err := l.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateParser: identity})
	if s != "" {
		return s
	}
	_ = err // not in the catalogue: the ID is the English text
	return English(id)
}

// English is the English text of a message ID: the ID without its context.
func English(id string) string {
	if _, text, ok := strings.Cut(id, "|"); ok {
		return text
	}
	return id
}

// T translates the message msg into lang and fills in args with
// fmt.Sprintf. A text missing from the catalogue falls back to English; the
// catalogue test keeps the catalogue complete.
func T(lang, msg string, args ...any) string {
	s := cat.lookup(lang, msg, nil)
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// N translates a message that counts something: it picks the plural form
// for n ("1 kandidaat", "2 kandidaten") and formats it with n as the first
// argument followed by args. n is an integer of any integer type. The catalogue gives such a message its forms
// in both languages: "%d candidates" = { one = "%d candidate", other = … }.
func N(lang, msg string, n any, args ...any) string {
	s := cat.lookup(lang, msg, n)
	return fmt.Sprintf(s, append([]any{n}, args...)...)
}

// Has reports whether the Dutch catalogue knows msg.
func Has(msg string) bool {
	_, ok := cat.msgs["nl"][msg]
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
