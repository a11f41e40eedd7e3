package billing

import (
	"testing"

	"github.com/opstap/opstap"
)

func TestTermsValidate(t *testing.T) {
	good := DefaultTerms("0034", date(t, "2026-01-01"))
	if err := good.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if good.HourlyRate != 1175 || good.PremiumPerHour != 200 || good.PaymentDays != 30 || good.SettlementDays != 30 {
		t.Errorf("defaults differ from seed 003: %+v", good)
	}
	tests := []struct {
		field  string
		change func(*Terms)
	}{
		{"municipality", func(x *Terms) { x.Municipality = "34" }},
		{"valid_from", func(x *Terms) { x.ValidFrom = opstap.Date{} }},
		{"contract_start", func(x *Terms) { x.ContractStart = opstap.Date{} }},
		{"contract_end", func(x *Terms) { x.ContractEnd = x.ContractStart }},
		{"hourly_rate_cents", func(x *Terms) { x.HourlyRate = 0 }},
		{"hourly_rate_cents", func(x *Terms) { x.HourlyRate = 10_000_001 }},
		{"premium_per_hour_cents", func(x *Terms) { x.PremiumPerHour = -1 }},
		{"travel_rule", func(x *Terms) { x.TravelRule = "taxi" }},
		{"travel_per_km_cents", func(x *Terms) { x.TravelPerKm = 23 }}, // receipts rule with a km rate
		{"travel_per_km_cents", func(x *Terms) { x.TravelRule = TravelPerKm }},
		{"fee_tiers", func(x *Terms) { x.FeeTiers = nil }},
		{"fee_tiers", func(x *Terms) { x.FeeTiers = []Tier{{UpTo: 100_000_000_001, Rate: 1}, {Rate: 1}} }},
		{"monthly_minimum_cents", func(x *Terms) { x.MonthlyMinimum = -5 }},
		{"licences", func(x *Terms) { x.Licences = -1 }},
		{"advice_days", func(x *Terms) { x.AdviceDays = 1001 }},
		{"vat_rate_basis_points", func(x *Terms) { x.VATRate = 10001 }},
		{"fee_vat_rate_basis_points", func(x *Terms) { x.FeeVATRate = -1 }},
		{"payment_days", func(x *Terms) { x.PaymentDays = 366 }},
		{"settlement_days", func(x *Terms) { x.SettlementDays = -1 }},
	}
	for _, tt := range tests {
		x := DefaultTerms("0034", date(t, "2026-01-01"))
		tt.change(&x)
		err := x.Validate()
		if e := opstap.AsError(err); e == nil || e.Field != tt.field {
			t.Errorf("%s: %v", tt.field, err)
		}
	}
	km := DefaultTerms("0034", date(t, "2026-01-01"))
	km.TravelRule, km.TravelPerKm = TravelPerKm, 23
	if err := km.Validate(); err != nil {
		t.Errorf("km rule: %v", err)
	}
}

func TestTermsAt(t *testing.T) {
	v1 := DefaultTerms("0034", date(t, "2026-01-01"))
	v2 := v1
	v2.ValidFrom, v2.HourlyRate = date(t, "2026-07-01"), 1250
	versions := []Terms{v2, v1} // order must not matter
	for _, tt := range []struct {
		day  string
		rate opstap.Cents
		ok   bool
	}{
		{"2025-12-31", 0, false}, {"2026-01-01", 1175, true}, {"2026-06-30", 1175, true}, {"2026-07-01", 1250, true}, {"2030-01-01", 1250, true},
	} {
		got, ok := TermsAt(versions, date(t, tt.day))
		if ok != tt.ok || got.HourlyRate != tt.rate {
			t.Errorf("%s: %d, %v", tt.day, got.HourlyRate, ok)
		}
	}
	SortVersions(versions[:])
	if versions[0].ValidFrom != v2.ValidFrom {
		t.Errorf("newest first: %v", versions[0].ValidFrom)
	}
}

func TestCheckValidFrom(t *testing.T) {
	march := month(t, "2026-03")
	if err := CheckValidFrom(date(t, "2026-03-31"), march); opstap.AsError(err) == nil || opstap.AsError(err).Field != "valid_from" {
		t.Errorf("inside the closed March: %v", err)
	}
	if err := CheckValidFrom(date(t, "2026-01-15"), march); err == nil {
		t.Error("before the closed March accepted")
	}
	if err := CheckValidFrom(date(t, "2026-04-01"), march); err != nil {
		t.Errorf("first open day: %v", err)
	}
	if err := CheckValidFrom(date(t, "2020-01-01"), opstap.Month{}); err != nil {
		t.Errorf("nothing closed: %v", err)
	}
}

func TestMonthlyCharges(t *testing.T) {
	x := DefaultTerms("0034", date(t, "2026-01-01"))
	x.MonthlyMinimum, x.Licences, x.LicencePrice, x.AdviceDays, x.AdviceDayPrice = 300_000, 2, 17_500, 0, 95_000
	got, err := MonthlyCharges(x)
	if err != nil {
		t.Fatal(err)
	}
	// Minimum 3.000 and 2 × 175 = 350; no advice days this month.
	if len(got) != 2 || got[0].Kind != "minimum" || got[0].Net != 300_000 || got[1].Kind != "licences" || got[1].Net != 35_000 {
		t.Errorf("charges %+v", got)
	}
}

// TestPremiumPerHourOn_003art5: the premium a placement promises is the
// contract's on its first day; EUR 2.00 [003 art 5 lid 3, 9] without terms.
func TestPremiumPerHourOn_003art5(t *testing.T) {
	d := func(s string) opstap.Date { return date(t, s) }
	vs := []Terms{
		{ValidFrom: d("2026-01-01"), PremiumPerHour: 200},
		{ValidFrom: d("2026-07-01"), PremiumPerHour: 225},
	}
	tests := []struct {
		day  string
		vs   []Terms
		want opstap.Cents
	}{
		{"2026-03-01", vs, 200},
		{"2026-06-30", vs, 200},
		{"2026-07-01", vs, 225},
		{"2025-12-31", vs, 200}, // before any terms: the seed's default
		{"2026-03-01", nil, 200},
	}
	for _, tt := range tests {
		if got := PremiumPerHourOn(tt.vs, d(tt.day)); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.day, got, tt.want)
		}
	}
}
