package candidate

import (
	"errors"
	"strings"

	"github.com/opstap/opstap"
)

// Registration is an aanmelding: what a commissioner's case manager or the
// provider supplies to register a candidate. The same fields make up the
// API body and the bulk CSV columns (docs/candidates-csv.md).
type Registration struct {
	CommissionerOrgID string      `json:"commissioner_org_id" validate:"required,max=64"`
	ExternalRef       string      `json:"external_ref" validate:"max=64"`
	CoachUserID       string      `json:"coach_user_id,omitempty" validate:"max=64"`
	RegisteredOn      opstap.Date `json:"registered_on"`
	Basic             Basic       `json:"basic" validate:"required"`
	BSN               string      `json:"bsn,omitempty" validate:"max=20"`
	BenefitKind       string      `json:"benefit_kind,omitempty" validate:"max=50"`
	BenefitStart      opstap.Date `json:"benefit_start"`
}

// Validate checks a registration against today's date. Every field at
// fault is reported (errors.Join), so that a form shows all at once.
func (r *Registration) Validate(today opstap.Date) error {
	r.ExternalRef = strings.TrimSpace(r.ExternalRef)
	var errs []error
	if r.CommissionerOrgID == "" {
		errs = append(errs, opstap.FieldError("commissioner_org_id", "commissioner is required"))
	}
	if len(r.ExternalRef) > 64 {
		errs = append(errs, opstap.FieldError("external_ref", "external reference is at most 64 characters"))
	}
	if r.RegisteredOn.IsZero() {
		r.RegisteredOn = today
	}
	if r.RegisteredOn.After(today) {
		errs = append(errs, opstap.FieldError("registered_on", "registration date must not lie in the future"))
	}
	errs = append(errs, r.Basic.Validate(today))
	if r.BSN != "" {
		b := BSN{Number: r.BSN}
		if err := b.Validate(); err != nil {
			errs = append(errs, err)
		} else {
			r.BSN = b.Number
		}
	}
	if r.BenefitKind != "" || !r.BenefitStart.IsZero() {
		b := Benefit{Kind: r.BenefitKind, Start: r.BenefitStart}
		// The registration carries the benefit as benefit_kind and
		// benefit_start; its errors must name the fields the client sent.
		errs = append(errs, opstap.RenameFields(b.Validate(today), benefitFields))
	}
	return errors.Join(errs...)
}

var benefitFields = map[string]string{"kind": "benefit_kind", "start": "benefit_start"}

// GuidedBy applies who guides a candidate when the registration names no
// coach: a provider's coach who registers a candidate guides them, whether
// through the form or the API (issue 14 item 3).
func (r *Registration) GuidedBy(a *opstap.Actor) {
	if r.CoachUserID == "" && a != nil && !a.System && a.OrgKind == opstap.OrgProvider && a.Has(opstap.RoleCoach, opstap.Write) {
		r.CoachUserID = a.UserID
	}
}

// OwnCommissioner names a's organisation as the commissioner of a
// registration that names none, when a is a commissioner's user: a
// commissioner registers its own candidates (the store refuses another).
func (r *Registration) OwnCommissioner(a *opstap.Actor) {
	if r.CommissionerOrgID == "" && a != nil && !a.System && a.OrgKind.Commissioner() {
		r.CommissionerOrgID = a.OrgID
	}
}

// MessageDuplicateBSN refuses a second registration of one person: a BSN
// identifies a person, and the commissioner already registered this one.
const MessageDuplicateBSN = "a candidate with this BSN is already registered for this commissioner"

// DuplicateBSN is the cause of a refused registration or BSN change whose
// BSN the commissioner registered before. CandidateID names the existing
// candidate only when the user may open that file, so that the form can
// offer the way to it instead of a second person.
type DuplicateBSN struct {
	CandidateID string
}

func (d *DuplicateBSN) Error() string { return MessageDuplicateBSN }

// DuplicateError is the field error of a duplicate BSN, keeping the
// existing candidate as its cause.
func DuplicateError(existing string) error {
	return &opstap.Error{Code: opstap.ECONFLICT, Field: "bsn", Message: MessageDuplicateBSN, Err: &DuplicateBSN{CandidateID: existing}}
}
