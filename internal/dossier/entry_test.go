package dossier_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/dossier"
)

// TestEntryKindCategory_002art4: the dossier holds conversation notes,
// correspondence, instruments used, third-party references and results
// judged by the coach [004 "Kandidaten", 001]: category notes; diagnoses
// and medical notes are the medical segment, the expert's only [002 art
// 4.3, 5.1]. CVs and diplomas are education data, letters and agreements
// notes [002 art 4].
func TestEntryKindCategory_002art4(t *testing.T) {
	entries := map[dossier.EntryKind]opstap.Category{
		"conversation_note": opstap.CatNotes, "correspondence": opstap.CatNotes, "instrument": opstap.CatNotes,
		"third_party_reference": opstap.CatNotes, "result": opstap.CatNotes,
		"diagnosis": opstap.CatMedical, "medical_note": opstap.CatMedical,
		"action_plan": "", "": "",
	}
	for k, want := range entries {
		if got := k.Category(); got != want {
			t.Errorf("entry %q: %q, want %q", k, got, want)
		}
	}
	for _, k := range dossier.KindsOf(opstap.CatMedical) {
		if k.Category() != opstap.CatMedical {
			t.Errorf("medical segment lists %q", k)
		}
	}
	if len(dossier.KindsOf(opstap.CatNotes)) != 5 || len(dossier.KindsOf(opstap.CatMedical)) != 2 {
		t.Errorf("segments %v %v", dossier.KindsOf(opstap.CatNotes), dossier.KindsOf(opstap.CatMedical))
	}
	docs := map[dossier.DocumentKind]opstap.Category{
		"cv": opstap.CatEducation, "diploma": opstap.CatEducation,
		"letter": opstap.CatNotes, "signed_agreement": opstap.CatNotes, "other": opstap.CatNotes, "photo": "",
	}
	for k, want := range docs {
		if got := k.Category(); got != want {
			t.Errorf("document %q: %q, want %q", k, got, want)
		}
	}
}

// TestEntryInput_004: short conversation notes [004 "Kandidaten"] with a
// title, a text within its limit and the day it happened, never later than
// today.
func TestEntryInput_004(t *testing.T) {
	today := opstap.Date{Year: 2026, Month: time.March, Day: 2}
	note := func(f func(*dossier.EntryInput)) dossier.EntryInput {
		in := dossier.EntryInput{Kind: dossier.EntryConversationNote, Title: " Intake ", Body: " Eerste gesprek. ", OccurredOn: today}
		if f != nil {
			f(&in)
		}
		return in
	}
	tests := []struct {
		name       string
		in         dossier.EntryInput
		field, msg string
	}{
		{"a conversation note of today", note(nil), "", ""},
		{"a diagnosis of last year", note(func(in *dossier.EntryInput) { in.Kind, in.OccurredOn = dossier.EntryDiagnosis, today.AddMonths(-12) }), "", ""},
		{"a title of 200 characters", note(func(in *dossier.EntryInput) { in.Title = strings.Repeat("é", 200) }), "", ""},
		{"a text of 20,000 characters", note(func(in *dossier.EntryInput) { in.Body = strings.Repeat("ë", 20000) }), "", ""},
		{"an empty text", note(func(in *dossier.EntryInput) { in.Body = "" }), "", ""},
		{"an action plan is a report, not an entry", note(func(in *dossier.EntryInput) { in.Kind = "action_plan" }), "kind", "unknown kind of dossier entry"},
		{"a blank title", note(func(in *dossier.EntryInput) { in.Title = "  " }), "title", "title is required"},
		{"a title of 201 characters", note(func(in *dossier.EntryInput) { in.Title = strings.Repeat("a", 201) }), "title", "the title is longer than %d characters"},
		{"a text of 20,001 characters", note(func(in *dossier.EntryInput) { in.Body = strings.Repeat("a", 20001) }), "body", "the text is longer than %d characters"},
		{"no date", note(func(in *dossier.EntryInput) { in.OccurredOn = opstap.Date{} }), "occurred_on", "date is required"},
		{"tomorrow", note(func(in *dossier.EntryInput) { in.OccurredOn = today.AddDays(1) }), "occurred_on", "the date lies in the future"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate(today)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if in.Title != strings.TrimSpace(tt.in.Title) || in.Body != strings.TrimSpace(tt.in.Body) {
					t.Fatalf("not trimmed: %q %q", in.Title, in.Body)
				}
				return
			}
			if e := opstap.AsError(err); e == nil || e.Code != opstap.EINVALID || e.Field != tt.field || e.Message != tt.msg {
				t.Fatalf("got %v, want %s: %s", err, tt.field, tt.msg)
			}
		})
	}
}

// TestCheckDocumentSize: a document may be 10 MiB, not a byte more.
func TestCheckDocumentSize(t *testing.T) {
	for n, refused := range map[int64]bool{0: false, 10 << 20: false, 10<<20 + 1: true, 1 << 30: true} {
		err := dossier.CheckDocumentSize(n)
		if (err != nil) != refused {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if e := opstap.AsError(err); refused && (e.Field != "file" || e.Message != "the file is larger than %d MiB" || e.Args[0] != 10) {
			t.Fatalf("%d bytes: %+v", n, e)
		}
	}
}
