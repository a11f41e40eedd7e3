package privacy_test

import (
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/privacy"
)

// TestAgreements_000art4: the privacy statement and the cooperation
// agreement are offered in a named version; receipt is confirmed once,
// by the candidate in the portal or by staff with a signed form; the start
// is complete when both are confirmed.
func TestAgreements_000art4(t *testing.T) {
	for _, tc := range []struct {
		name  string
		g     privacy.Agreement
		field string
	}{
		{"privacy statement", privacy.Agreement{Kind: privacy.AgreementPrivacyStatement, Version: " 2026-01 "}, ""},
		{"unknown kind", privacy.Agreement{Kind: "house_rules", Version: "1"}, "kind"},
		{"no version", privacy.Agreement{Kind: privacy.AgreementCooperation, Version: " "}, "version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if f := field(tc.g.ValidateOffer()); f != tc.field {
				t.Fatalf("field %q, want %q", f, tc.field)
			}
		})
	}
	g := privacy.Agreement{Kind: privacy.AgreementCooperation, Version: "1"}
	if err := g.Confirm(privacy.AgreementPortal, false); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
		t.Fatalf("staff accepts in the portal: %v", err)
	}
	if err := g.Confirm(privacy.AgreementSignedUpload, true); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
		t.Fatalf("candidate records a signed upload: %v", err)
	}
	if err := g.Confirm(privacy.AgreementPortal, true); err != nil {
		t.Fatal(err)
	}
	if err := g.Confirm(privacy.AgreementSignedUpload, false); opstap.ErrorCode(err) != opstap.ECONFLICT {
		t.Fatalf("confirmed twice: %v", err)
	}
	ps := privacy.Agreement{Kind: privacy.AgreementPrivacyStatement, Version: "1"}
	if privacy.StartComplete([]privacy.Agreement{g, ps}) {
		t.Fatal("complete without the privacy statement confirmed")
	}
	ps.Method = privacy.AgreementSignedUpload
	if !privacy.StartComplete([]privacy.Agreement{g, ps}) {
		t.Fatal("not complete with both confirmed")
	}
}
