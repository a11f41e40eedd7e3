package privacy_test

import (
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/privacy"
)

func day(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestDisclosureValidate_003bewerkersArt4_2: the requester and the legal
// basis are verified and recorded, the commissioner is informed before the
// disclosure unless the law forbids it, and the candidate is informed or
// the legal reason not to is recorded [000 art 6, 004].
func TestDisclosureValidate_003bewerkersArt4_2(t *testing.T) {
	today := day("2026-06-15")
	valid := func() privacy.Disclosure {
		return privacy.Disclosure{Requester: " UWV ", LegalBasis: "art. 30c Wet SUWI", Ground: privacy.GroundLegalObligation,
			Verification: "Schriftelijke vordering op briefpapier, teruggebeld via het algemene nummer", Categories: []opstap.Category{opstap.CatBasic, opstap.CatBenefit},
			DisclosedOn: day("2026-06-10"), ControllerInformedOn: day("2026-06-09")}
	}
	tests := []struct {
		name  string
		edit  func(*privacy.Disclosure)
		field string
	}{
		{"valid", func(*privacy.Disclosure) {}, ""},
		{"candidate informed", func(d *privacy.Disclosure) { d.CandidateInformedOn = day("2026-06-11") }, ""},
		{"candidate withheld", func(d *privacy.Disclosure) { d.CandidateWithheld = "Lopend fraudeonderzoek, art. 23 AVG" }, ""},
		{"controller not informed by law", func(d *privacy.Disclosure) {
			d.ControllerInformedOn, d.ControllerNotInformed = opstap.Date{}, "Geheimhouding strafvorderlijk onderzoek"
		}, ""},
		{"no requester", func(d *privacy.Disclosure) { d.Requester = "  " }, "requester"},
		{"no legal basis", func(d *privacy.Disclosure) { d.LegalBasis = "" }, "legal_basis"},
		{"consent is no legal duty", func(d *privacy.Disclosure) { d.Ground = "a" }, "avg_ground"},
		{"not verified", func(d *privacy.Disclosure) { d.Verification = "" }, "verification"},
		{"nothing disclosed", func(d *privacy.Disclosure) { d.Categories = nil }, "categories"},
		{"unknown category", func(d *privacy.Disclosure) { d.Categories = []opstap.Category{"shoe_size"} }, "categories"},
		{"no date", func(d *privacy.Disclosure) { d.DisclosedOn = opstap.Date{} }, "disclosed_on"},
		{"future disclosure", func(d *privacy.Disclosure) { d.DisclosedOn = day("2026-06-16") }, "disclosed_on"},
		{"controller neither informed nor excused", func(d *privacy.Disclosure) { d.ControllerInformedOn = opstap.Date{} }, "controller_informed_on"},
		{"controller both", func(d *privacy.Disclosure) { d.ControllerNotInformed = "x" }, "controller_informed_on"},
		{"controller told afterwards", func(d *privacy.Disclosure) { d.ControllerInformedOn = day("2026-06-11") }, "controller_informed_on"},
		{"candidate both", func(d *privacy.Disclosure) {
			d.CandidateInformedOn, d.CandidateWithheld = day("2026-06-11"), "x"
		}, "candidate_withheld"},
		{"candidate future", func(d *privacy.Disclosure) { d.CandidateInformedOn = day("2026-07-01") }, "candidate_informed_on"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := valid()
			tc.edit(&d)
			err := d.Validate(today)
			if got := field(err); got != tc.field {
				t.Fatalf("field %q, want %q (%v)", got, tc.field, err)
			}
			if err == nil && d.Requester != "UWV" {
				t.Fatalf("requester not trimmed: %q", d.Requester)
			}
		})
	}
}

func field(err error) string {
	if err == nil {
		return ""
	}
	e := opstap.AsError(err)
	if e == nil {
		return "not an opstap error: " + err.Error()
	}
	return e.Field
}

// TestDisclosureCandidateView: a disclosure is shown to the candidate
// unless a legal reason to withhold it is recorded; informing them later
// lifts the withholding.
func TestDisclosureCandidateView(t *testing.T) {
	d := privacy.Disclosure{DisclosedOn: day("2026-06-10"), CandidateWithheld: "Lopend onderzoek"}
	if d.CandidateMayKnow() || d.InformPending() {
		t.Fatal("a withheld disclosure is shown or pending")
	}
	if err := d.Inform(day("2026-07-01"), day("2026-06-15")); field(err) != "candidate_informed_on" {
		t.Fatalf("future inform: %v", err)
	}
	if err := d.Inform(opstap.Date{}, day("2026-06-15")); field(err) != "candidate_informed_on" {
		t.Fatalf("no date: %v", err)
	}
	if err := d.Inform(day("2026-06-14"), day("2026-06-15")); err != nil || !d.CandidateMayKnow() || d.InformPending() {
		t.Fatalf("inform: %v %+v", err, d)
	}
	if p := (privacy.Disclosure{}); !p.InformPending() {
		t.Fatal("a fresh disclosure is not pending")
	}
}
