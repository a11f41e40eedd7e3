package privacy_test

import (
	"testing"

	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/privacy"
)

// TestErasureRefusal_001: personal data is deleted earlier on request
// "tenzij de wet zich hiertegen verzet", and data a statutory duty needs
// stays until that duty ends [001 "Termijn bewaren gegevens"; DOMAIN.md §4]:
// a legal hold refuses, and so does money still to be administered — a
// live placement, an unexecuted premium payment, unpaid approved hours. An
// ended, declined or cancelled placement keeps nothing back.
func TestErasureRefusal_001(t *testing.T) {
	tests := []struct {
		name string
		f    privacy.ErasureFacts
		want error
	}{
		{"nothing keeps the data", privacy.ErasureFacts{}, nil},
		{"placements that are over", privacy.ErasureFacts{Placements: []flex.PlacementStatus{flex.PlacementEnded, flex.PlacementDeclined, flex.PlacementCancelled}}, nil},
		{"already erased", privacy.ErasureFacts{Erased: true, LegalHold: true}, privacy.ErrErased},
		{"legal hold", privacy.ErasureFacts{LegalHold: true, UnpaidPremium: true}, privacy.ErrLegalHold},
		{"proposed placement", privacy.ErasureFacts{Placements: []flex.PlacementStatus{flex.PlacementEnded, flex.PlacementProposed}}, privacy.ErrObligations},
		{"accepted by the candidate", privacy.ErasureFacts{Placements: []flex.PlacementStatus{flex.PlacementAcceptedByCandidate}}, privacy.ErrObligations},
		{"accepted by the employer", privacy.ErasureFacts{Placements: []flex.PlacementStatus{flex.PlacementAcceptedByEmployer}}, privacy.ErrObligations},
		{"accepted by both", privacy.ErasureFacts{Placements: []flex.PlacementStatus{flex.PlacementAccepted}}, privacy.ErrObligations},
		{"confirmed placement", privacy.ErasureFacts{Placements: []flex.PlacementStatus{flex.PlacementConfirmed}}, privacy.ErrObligations},
		{"premium payment not executed", privacy.ErasureFacts{UnpaidPremium: true}, privacy.ErrObligations},
		{"approved hours never paid", privacy.ErasureFacts{UnpaidHours: true}, privacy.ErrObligations},
	}
	for _, tt := range tests {
		if got := privacy.CheckErasure(tt.f); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
