package privacy

import (
	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
)

// ErasureFacts are what the store finds about a candidate before erasing
// them, by request or when their retention period has passed.
type ErasureFacts struct {
	Erased     bool                   // the data key is already destroyed
	LegalHold  bool                   // a legal hold that was not lifted
	Placements []flex.PlacementStatus // the statuses of their placements
	// UnpaidPremium: a premium payment the bank has not executed yet.
	UnpaidPremium bool
	// UnpaidHours: approved hours whose premium or travel costs were never
	// paid (no accrual recorded): money owed to them.
	UnpaidHours bool
}

// The refusals of an erasure.
var (
	ErrErased      = opstap.Errorf(opstap.ECONFLICT, "this candidate is already erased")
	ErrLegalHold   = opstap.Errorf(opstap.ECONFLICT, "this candidate is under a legal hold")
	ErrObligations = opstap.Errorf(opstap.ECONFLICT, "this candidate has running financial obligations")
)

// CheckErasure refuses an erasure, with its reason, where the law keeps the
// data [001 "Termijn bewaren gegevens": deleted earlier on request "tenzij de
// wet zich hiertegen verzet", and what a statutory duty needs only after
// that duty; DOMAIN.md §4]: a candidate already erased; under a legal hold
// (the law forbids it); with running financial obligations — a placement
// still live (proposed, accepted or confirmed: its hours and premium are
// still to be administered), a premium payment not yet executed, or
// approved hours whose premium or travel costs were never paid.
func CheckErasure(f ErasureFacts) error {
	switch {
	case f.Erased:
		return ErrErased
	case f.LegalHold:
		return ErrLegalHold
	case f.UnpaidPremium || f.UnpaidHours:
		return ErrObligations
	}
	for _, s := range f.Placements {
		if s.Live() {
			return ErrObligations
		}
	}
	return nil
}
