package dossier

import (
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// EntryKind is the kind of a dossier entry [004 "Kandidaten", 001].
type EntryKind string

// The kinds of the dossier (category notes) and of the medical segment
// (category medical, medical experts only [002 art 4.3, 5.1]).
const (
	EntryConversationNote    EntryKind = "conversation_note"     // gespreksnotitie
	EntryCorrespondence      EntryKind = "correspondence"        // correspondentie
	EntryInstrument          EntryKind = "instrument"            // tests and trainings used
	EntryThirdPartyReference EntryKind = "third_party_reference" // referenties van derden
	EntryResult              EntryKind = "result"                // results as judged by the coach
	EntryDiagnosis           EntryKind = "diagnosis"             // medical segment
	EntryMedicalNote         EntryKind = "medical_note"          // medical segment
)

// NoteKinds and MedicalKinds list the kinds of each segment in display order.
var (
	NoteKinds    = []EntryKind{EntryConversationNote, EntryCorrespondence, EntryInstrument, EntryThirdPartyReference, EntryResult}
	MedicalKinds = []EntryKind{EntryDiagnosis, EntryMedicalNote}
)

// Category is the data category that guards entries of this kind; "" for
// an unknown kind.
func (k EntryKind) Category() opstap.Category {
	for _, x := range NoteKinds {
		if x == k {
			return opstap.CatNotes
		}
	}
	for _, x := range MedicalKinds {
		if x == k {
			return opstap.CatMedical
		}
	}
	return ""
}

// KindsOf returns the kinds guarded by a category: the medical segment's
// for medical data, the dossier's otherwise.
func KindsOf(cat opstap.Category) []EntryKind {
	if cat == opstap.CatMedical {
		return MedicalKinds
	}
	return NoteKinds
}

// Limits on an entry's text: notes are short [004 "Kandidaten"].
const (
	MaxEntryTitle = 200
	MaxEntryBody  = 20000
)

// EntryInput is what a user writes: a new entry or a new version of one.
type EntryInput struct {
	Kind       EntryKind   `json:"kind" validate:"required,max=50"`
	Title      string      `json:"title" validate:"required,max=200"`
	Body       string      `json:"body" validate:"max=20000"`
	OccurredOn opstap.Date `json:"occurred_on" validate:"required"`
	// Version, when set on an update, must be the current version: it
	// refuses to overwrite a change the writer has not seen.
	Version int `json:"version,omitempty" validate:"min=0,max=2147483647"`
}

// Validate checks and trims the input against today's date: a known kind,
// a title, texts within their limits, a date that is not in the future.
func (in *EntryInput) Validate(today opstap.Date) error {
	in.Title = strings.TrimSpace(in.Title)
	in.Body = strings.TrimSpace(in.Body)
	switch {
	case in.Kind.Category() == "":
		return opstap.FieldError("kind", "unknown kind of dossier entry")
	case in.Title == "":
		return opstap.FieldError("title", "title is required")
	case utf8.RuneCountInString(in.Title) > MaxEntryTitle:
		return opstap.FieldError("title", "the title is longer than %d characters", MaxEntryTitle)
	case utf8.RuneCountInString(in.Body) > MaxEntryBody:
		return opstap.FieldError("body", "the text is longer than %d characters", MaxEntryBody)
	case in.OccurredOn.IsZero():
		return opstap.FieldError("occurred_on", "date is required")
	case in.OccurredOn.After(today):
		return opstap.FieldError("occurred_on", "the date lies in the future")
	}
	return nil
}
