// Package privacy holds the rules of the provider's privacy duties that are
// not about one feature's data: the register of disclosures required by
// law, the agreements a candidate receives at the start of a trajectory,
// and the processor duties towards each commissioner (sub-processors,
// audits, the end of the contract). Pure: no storage, no HTTP.
package privacy

import (
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// AVGGround is the ground of AVG art 6(1) a disclosure rests on. A
// disclosure the law requires rests on (c), a legal obligation, or (e), a
// task in the public interest of the requester [000 art 6].
type AVGGround string

// The grounds a disclosure required by law can rest on.
const (
	GroundLegalObligation AVGGround = "c"
	GroundPublicTask      AVGGround = "e"
)

// AVGGrounds lists the grounds in a stable order.
var AVGGrounds = []AVGGround{GroundLegalObligation, GroundPublicTask}

const maxDisclosureText = 2000

// Disclosure is a disclosure of a candidate's data that the law required,
// e.g. to UWV or the municipality's enforcement [000 art 6; 004
// "Verstrekken gegevens aan derden"]. Before disclosing, the provider
// verifies who asks and on which legal basis, and informs the controller
// (the commissioner) first unless the law forbids it [003 bewerkers art
// 4.2]; the candidate is informed too, unless a legal reason stands in the
// way [004 "Toestemming kandidaat": "Ook in deze gevallen wordt de
// kandidaat echter geïnformeerd"].
type Disclosure struct {
	Requester    string            `json:"requester" validate:"required,max=2000"`         // the organisation that asked, e.g. "UWV"
	Contact      string            `json:"contact" validate:"max=2000"`                    // who asked on its behalf and their reference
	LegalBasis   string            `json:"legal_basis" validate:"required,max=2000"`       // the provision that obliges, e.g. "art. 30c Wet SUWI"
	Ground       AVGGround         `json:"avg_ground" validate:"required,max=50"`          // AVG art 6(1)
	Verification string            `json:"verification" validate:"required,max=2000"`      // how the requester and the basis were verified
	Categories   []opstap.Category `json:"categories" validate:"required,items=20,max=50"` // what was disclosed
	Description  string            `json:"description" validate:"max=2000"`                // what exactly, in words
	DisclosedOn  opstap.Date       `json:"disclosed_on" validate:"required"`               // when it left
	// The controller informed beforehand, or the legal reason why not.
	ControllerInformedOn  opstap.Date `json:"controller_informed_on"`
	ControllerNotInformed string      `json:"controller_not_informed" validate:"max=2000"`
	// The candidate informed, or the legal reason to withhold it.
	CandidateInformedOn opstap.Date `json:"candidate_informed_on"`
	CandidateWithheld   string      `json:"candidate_withheld" validate:"max=2000"`
}

// Validate checks a disclosure as recorded on today, and tidies its texts.
func (d *Disclosure) Validate(today opstap.Date) error {
	for _, s := range []*string{&d.Requester, &d.Contact, &d.LegalBasis, &d.Verification, &d.Description, &d.ControllerNotInformed, &d.CandidateWithheld} {
		*s = strings.TrimSpace(*s)
	}
	if err := d.validateTexts(); err != nil {
		return err
	}
	if err := validateCategories(d.Categories); err != nil {
		return err
	}
	return d.validateDates(today)
}

func (d *Disclosure) validateTexts() error {
	switch {
	case d.Requester == "":
		return opstap.FieldError("requester", "name the organisation that asked")
	case d.LegalBasis == "":
		return opstap.FieldError("legal_basis", "name the statutory provision that obliges the disclosure")
	case d.Ground != GroundLegalObligation && d.Ground != GroundPublicTask:
		return opstap.FieldError("avg_ground", "a disclosure required by law rests on AVG article 6(1)(c) or (e)")
	case d.Verification == "":
		return opstap.FieldError("verification", "say how the requester and the legal basis were verified")
	}
	for field, s := range map[string]string{"requester": d.Requester, "contact": d.Contact, "legal_basis": d.LegalBasis, "verification": d.Verification,
		"description": d.Description, "controller_not_informed": d.ControllerNotInformed, "candidate_withheld": d.CandidateWithheld} {
		if utf8.RuneCountInString(s) > maxDisclosureText {
			return opstap.FieldError(field, "the text is too long")
		}
	}
	return nil
}

func validateCategories(cats []opstap.Category) error {
	if len(cats) == 0 {
		return opstap.FieldError("categories", "choose the categories of data disclosed")
	}
	for _, c := range cats {
		if !c.Valid() {
			return opstap.FieldError("categories", "unknown data category")
		}
	}
	return nil
}

func (d *Disclosure) validateDates(today opstap.Date) error {
	switch {
	case d.DisclosedOn.IsZero():
		return opstap.FieldError("disclosed_on", "when was the data disclosed?")
	case d.DisclosedOn.After(today):
		return opstap.FieldError("disclosed_on", "record a disclosure once it took place")
	case d.ControllerInformedOn.IsZero() == (d.ControllerNotInformed == ""):
		return opstap.FieldError("controller_informed_on", "give the day the commissioner was informed, or the legal reason why not")
	case !d.ControllerInformedOn.IsZero() && d.ControllerInformedOn.After(d.DisclosedOn):
		return opstap.FieldError("controller_informed_on", "the commissioner is informed before the disclosure")
	case !d.CandidateInformedOn.IsZero() && d.CandidateWithheld != "":
		return opstap.FieldError("candidate_withheld", "either the candidate was informed or there is a legal reason not to")
	case !d.CandidateInformedOn.IsZero() && d.CandidateInformedOn.After(today):
		return opstap.FieldError("candidate_informed_on", "the date lies in the future")
	}
	return nil
}

// CandidateMayKnow reports whether the candidate may see the disclosure in
// the portal: always, unless a legal reason to withhold it is recorded
// (e.g. an investigation the candidate may not learn of yet). Showing it
// in the portal is itself a way of informing them.
func (d *Disclosure) CandidateMayKnow() bool { return d.CandidateWithheld == "" }

// InformPending reports whether the candidate still has to be informed.
func (d *Disclosure) InformPending() bool {
	return d.CandidateInformedOn.IsZero() && d.CandidateWithheld == ""
}

// Inform records that the candidate was informed on the day, which also
// lifts a withholding whose reason has passed.
func (d *Disclosure) Inform(on, today opstap.Date) error {
	switch {
	case on.IsZero():
		return opstap.FieldError("candidate_informed_on", "the date is required")
	case on.After(today):
		return opstap.FieldError("candidate_informed_on", "the date lies in the future")
	}
	d.CandidateInformedOn, d.CandidateWithheld = on, ""
	return nil
}
