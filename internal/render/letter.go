package render

import (
	"time"

	"github.com/opstap/opstap/internal/privacy"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

// RightsLetterPDF renders the written answer to a rights request that was
// refused or partly refused: the reasons, in writing, as a file the
// candidate keeps [001 "De rechten van de cliënten": "ontvangt de cliënt
// hierover schriftelijk bericht waarin staat uitgelegd waarom"; 002 art 7].
// lang is the reader's language.
func RightsLetterPDF(l *store.RightsLetter, lang string, at time.Time) ([]byte, error) {
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	r := l.Request
	d := Document{
		Title: t("Answer to your privacy request"), Author: l.Provider, Subject: t(privacy.RightsKindLabels[r.Kind]), Lang: lang, Created: at,
		Fields: []Field{
			{t("Candidate"), r.CandidateName},
			{t("Request"), t(privacy.RightsKindLabels[r.Kind])},
			{t("Received on"), r.ReceivedOn.Dutch()},
			{t("Answered on"), r.AnsweredOn.Dutch()},
			{t("Decision"), t(privacy.RightsStatusLabels[r.Status])},
		},
		Heading: t("Reasons"),
		Body:    r.Answer,
		Extra:   []Section{{t("If you disagree"), t("You may ask us to reconsider, file a complaint with us, or complain to the Autoriteit Persoonsgegevens.")}},
		Footer:  t("%s · confidential", l.Provider),
	}
	return PDF(d)
}

// dateTime formats a moment for a reader in Amsterdam.
func dateTime(x time.Time) string {
	if x.IsZero() {
		return ""
	}
	return x.In(opstap.Amsterdam).Format("02-01-2006 15:04")
}
