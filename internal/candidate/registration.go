package candidate

import (
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

// Validate checks a registration against today's date.
func (r *Registration) Validate(today opstap.Date) error {
	r.ExternalRef = strings.TrimSpace(r.ExternalRef)
	if r.CommissionerOrgID == "" {
		return opstap.FieldError("commissioner_org_id", "commissioner is required")
	}
	if len(r.ExternalRef) > 64 {
		return opstap.FieldError("external_ref", "external reference is at most 64 characters")
	}
	if r.RegisteredOn.IsZero() {
		r.RegisteredOn = today
	}
	if r.RegisteredOn.After(today) {
		return opstap.FieldError("registered_on", "registration date must not lie in the future")
	}
	if err := r.Basic.Validate(today); err != nil {
		return err
	}
	if r.BSN != "" {
		b := BSN{Number: r.BSN}
		if err := b.Validate(); err != nil {
			return err
		}
		r.BSN = b.Number
	}
	if r.BenefitKind != "" || !r.BenefitStart.IsZero() {
		b := Benefit{Kind: r.BenefitKind, Start: r.BenefitStart}
		if err := b.Validate(today); err != nil {
			return err
		}
	}
	return nil
}
