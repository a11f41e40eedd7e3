package render

import (
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
)

// TestPlacementPDFs_003art5lid4: both confirmations are sound PDFs; the
// employer's holds the name and shared limitations, the candidate's the
// premium [003 art 5 lid 3], and neither anything medical [002 art 5.1].
func TestPlacementPDFs_003art5lid4(t *testing.T) {
	c := samplePlacement()
	emp, cand, err := PlacementPDFs(c)
	if err != nil {
		t.Fatal(err)
	}
	et, ct := checkPDF(t, emp), checkPDF(t, cand)
	if et == "" {
		return // pdftotext is missing; the structure was checked
	}
	for _, want := range []string{"Zoë Müller", "geen zwaar tilwerk", "02-03-2026", "maandag"} {
		if !strings.Contains(et, want) {
			t.Errorf("employer's confirmation lacks %q", want)
		}
	}
	for _, want := range []string{"Bakkerij De Korenschoof", "Stationsstraat 1", "werkgever@demo.opstap.nl", "2,00"} {
		if !strings.Contains(ct, want) {
			t.Errorf("candidate's confirmation lacks %q", want)
		}
	}
	if strings.Contains(ct, "tilwerk") || strings.Contains(et, "premie") {
		t.Error("a party reads what is for the other")
	}
}

func samplePlacement() *store.PlacementConfirmation {
	first, _ := opstap.ParseDate("2026-03-02")
	return &store.PlacementConfirmation{
		Placement: &flex.Placement{EmployerName: "Bakkerij De Korenschoof", AssignmentTitle: "Hulp in de bakkerij", FirstDay: first,
			LastDay: first.AddMonths(3).AddDays(-1), HoursPerWeek: 24, Days: []string{"mon", "tue", "wed"}},
		Provider: "Opstap Re-integratie B.V.", Municipality: "Gemeente Almere", CandidateName: "Zoë Müller", LocationName: "Winkel",
		LocationAddress: "Stationsstraat 1", Postcode4: "1315", StartTime: "06:00", EndTime: "14:00", Contact: "Ahmed Yilmaz · werkgever@demo.opstap.nl",
		Limitations: []string{"no_heavy_lifting"}, PremiumCents: billing.DefaultPremiumPerHour, Premium: billing.PremiumWhole, ConfirmedAt: time.Date(2026, 2, 20, 10, 0, 0, 0, time.UTC),
	}
}

// TestPlacementPDFNoPremiumUnder27: the candidate's confirmation promises no
// premium for hours worked under 27 (Participatiewet art 31 lid 7), and says
// from which day it starts when the 27th birthday falls in the placement.
func TestPlacementPDFNoPremiumUnder27(t *testing.T) {
	tests := []struct {
		promise      billing.PremiumPromise
		want, refuse string
	}{
		{billing.PremiumNone, "geen premie", "2,00"},
		{billing.PremiumPartly, "Vanaf 15-04-2026", "U ontvangt bovenop"},
		{billing.PremiumUnknown, "hangt af van uw leeftijd", "2,00"},
		{billing.PremiumWhole, "2,00 per gewerkt uur", "27 jaar"},
	}
	for _, tt := range tests {
		c := samplePlacement()
		c.Premium = tt.promise
		c.PremiumFrom, _ = opstap.ParseDate("2026-04-15")
		_, cand, err := PlacementPDFs(c)
		if err != nil {
			t.Fatal(err)
		}
		ct := checkPDF(t, cand)
		if ct == "" {
			return
		}
		ct = strings.Join(strings.Fields(ct), " ")
		if !strings.Contains(ct, tt.want) || strings.Contains(ct, tt.refuse) {
			t.Errorf("promise %v: want %q, not %q, in:\n%s", tt.promise, tt.want, tt.refuse, ct)
		}
	}
}
