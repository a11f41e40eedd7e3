package billing

import (
	"slices"
	"strings"

	"github.com/opstap/opstap"
)

// Defaults from seed 003; every one is a setting of the terms.
const (
	DefaultHourlyRate     opstap.Cents       = 1175 // charged to employers [003 art 5 lid 8]
	DefaultPremiumPerHour opstap.Cents       = 200  // net premium per worked hour [003 art 5 lid 3, 9]
	DefaultPaymentDays                       = 30   // municipality pays the monthly invoice [003 art 6.2 lid 3]
	DefaultSettlementDays                    = 30   // positive balance paid after the half year [003 art 6.2 lid 4]
	DefaultVATRate        opstap.BasisPoints = 2100 // Dutch standard VAT rate
)

// TravelRule is how a municipality reimburses candidates' travel
// [003 art 5 lid 9].
type TravelRule string

// Travel rules: kilometres × a rate per kilometre, or public-transport
// receipts at cost.
const (
	TravelPerKm    TravelRule = "km"
	TravelReceipts TravelRule = "receipts"
)

// Terms is one version of a municipality's contract terms: the figures the
// service agreement sets [003 art 5, 6]. A new version takes effect from
// ValidFrom and replaces the previous one from that day; it never rewrites
// a period finance has closed (CheckValidFrom).
type Terms struct {
	Municipality string      `json:"municipality" validate:"max=4"` // CBS code
	ValidFrom    opstap.Date `json:"valid_from" validate:"required"`
	// ContractStart and ContractEnd are the agreement's term [003 art 2];
	// ContractEnd is zero for an agreement renewed for an indefinite period.
	ContractStart  opstap.Date        `json:"contract_start" validate:"required"`
	ContractEnd    opstap.Date        `json:"contract_end"`
	HourlyRate     opstap.Cents       `json:"hourly_rate_cents" validate:"required,min=1,max=10000000"`
	PremiumPerHour opstap.Cents       `json:"premium_per_hour_cents" validate:"min=0,max=10000000"`
	TravelRule     TravelRule         `json:"travel_rule" validate:"required,max=20"`
	TravelPerKm    opstap.Cents       `json:"travel_per_km_cents" validate:"min=0,max=10000000"` // with TravelPerKm only
	FeeTiers       []Tier             `json:"fee_tiers" validate:"items=20"`
	MonthlyMinimum opstap.Cents       `json:"monthly_minimum_cents" validate:"min=0,max=10000000"`
	Licences       int64              `json:"licences" validate:"min=0,max=1000"`
	LicencePrice   opstap.Cents       `json:"licence_price_cents" validate:"min=0,max=10000000"` // per licence per month
	AdviceDays     int64              `json:"advice_days" validate:"min=0,max=1000"`             // per month
	AdviceDayPrice opstap.Cents       `json:"advice_day_price_cents" validate:"min=0,max=10000000"`
	VATRate        opstap.BasisPoints `json:"vat_rate_basis_points" validate:"min=0,max=10000"`     // on employer invoices
	FeeVATRate     opstap.BasisPoints `json:"fee_vat_rate_basis_points" validate:"min=0,max=10000"` // on the provider's invoices to the municipality
	PaymentDays    int                `json:"payment_days" validate:"min=0,max=365"`                // term of the monthly invoices
	SettlementDays int                `json:"settlement_days" validate:"min=0,max=365"`             // term of the half-year balance
	Note           string             `json:"note,omitempty" validate:"max=1000"`                   // why this version, e.g. "verlenging 2027"
}

// DefaultTerms returns the seed's figures for a municipality from a date.
// The fee tiers and minimum are blanked out in the seed, so they start as a
// single 0 % tier and no minimum, to be filled in from the agreement.
func DefaultTerms(cbs string, from opstap.Date) Terms {
	return Terms{
		Municipality: cbs, ValidFrom: from, ContractStart: from,
		HourlyRate: DefaultHourlyRate, PremiumPerHour: DefaultPremiumPerHour,
		TravelRule: TravelReceipts, FeeTiers: []Tier{{Rate: 0}},
		VATRate: DefaultVATRate, FeeVATRate: DefaultVATRate,
		PaymentDays: DefaultPaymentDays, SettlementDays: DefaultSettlementDays,
	}
}

// maxRate bounds per-unit prices: no hourly rate, premium, price per
// kilometre or licence in this instrument comes near 100.000 euros, and the
// bound keeps every product of a month far from overflow.
const maxRate opstap.Cents = 10_000_000

// Validate checks a version of the terms, naming the field at fault.
func (t *Terms) Validate() error {
	t.Municipality = strings.TrimSpace(t.Municipality)
	t.Note = strings.TrimSpace(t.Note)
	price := func(field string, c opstap.Cents, positive bool) error {
		switch {
		case positive && (c <= 0 || c > maxRate):
			return opstap.FieldError(field, "the amount must lie between 0,01 and 100.000 euros")
		case c < 0 || c > maxRate:
			return opstap.FieldError(field, "the amount must lie between 0 and 100.000 euros")
		}
		return nil
	}
	vat := func(field string, bp opstap.BasisPoints) error {
		if bp < 0 || bp > 10000 {
			return opstap.FieldError(field, "a VAT rate lies between 0 and 100 %")
		}
		return nil
	}
	days := func(field string, n int) error {
		if n < 0 || n > 365 {
			return opstap.FieldError(field, "a term lies between 0 and 365 days")
		}
		return nil
	}
	count := func(field string, n int64) error {
		if n < 0 || n > 1000 {
			return opstap.FieldError(field, "a number between 0 and 1000")
		}
		return nil
	}
	switch {
	case len(t.Municipality) != 4 || strings.Trim(t.Municipality, "0123456789") != "":
		return opstap.FieldError("municipality", "a municipality is named by its four-digit CBS code")
	case t.ValidFrom.IsZero():
		return opstap.FieldError("valid_from", "the date from which the terms apply is required")
	case t.ContractStart.IsZero():
		return opstap.FieldError("contract_start", "the start of the agreement is required")
	case !t.ContractEnd.IsZero() && !t.ContractEnd.After(t.ContractStart):
		return opstap.FieldError("contract_end", "the end of the agreement lies after its start")
	case t.TravelRule != TravelPerKm && t.TravelRule != TravelReceipts:
		return opstap.FieldError("travel_rule", "choose kilometres or public-transport receipts")
	case t.TravelRule == TravelReceipts && t.TravelPerKm != 0:
		return opstap.FieldError("travel_per_km_cents", "a rate per kilometre only goes with the kilometre rule")
	}
	for _, err := range []error{
		price("hourly_rate_cents", t.HourlyRate, true),
		price("premium_per_hour_cents", t.PremiumPerHour, false),
		price("travel_per_km_cents", t.TravelPerKm, t.TravelRule == TravelPerKm),
		price("monthly_minimum_cents", t.MonthlyMinimum, false),
		price("licence_price_cents", t.LicencePrice, false),
		price("advice_day_price_cents", t.AdviceDayPrice, false),
		count("licences", t.Licences),
		count("advice_days", t.AdviceDays),
		vat("vat_rate_basis_points", t.VATRate),
		vat("fee_vat_rate_basis_points", t.FeeVATRate),
		days("payment_days", t.PaymentDays),
		days("settlement_days", t.SettlementDays),
		ValidateTiers(t.FeeTiers),
	} {
		if err != nil {
			return err
		}
	}
	for _, tier := range t.FeeTiers {
		if tier.UpTo > maxRate*1000 {
			return opstap.FieldError("fee_tiers", "a tier's upper bound is at most 100.000.000 euros")
		}
	}
	return nil
}

// TermsAt returns the version in force on d: the one with the latest
// ValidFrom on or before d. ok is false when no version applies yet.
func TermsAt(versions []Terms, d opstap.Date) (t Terms, ok bool) {
	for _, v := range versions {
		if !v.ValidFrom.After(d) && (!ok || v.ValidFrom.After(t.ValidFrom)) {
			t, ok = v, true
		}
	}
	return t, ok
}

// PremiumPerHourOn is the premium per worked hour a placement starting on
// d promises the candidate: that of the terms in force on d, or the seed's
// default (EUR 2.00 [003 art 5 lid 3, 9]) while the municipality has no
// terms yet.
func PremiumPerHourOn(versions []Terms, d opstap.Date) opstap.Cents {
	if t, ok := TermsAt(versions, d); ok {
		return t.PremiumPerHour
	}
	return DefaultPremiumPerHour
}

// CheckValidFrom refuses a version that would take effect inside a closed
// period: closedThrough is the last month finance closed (zero when none),
// and a change may only start after it, so no closed figure is recomputed.
func CheckValidFrom(from opstap.Date, closedThrough opstap.Month) error {
	if !closedThrough.IsZero() && !from.After(closedThrough.Last()) {
		return opstap.FieldError("valid_from", "the terms cannot change in a closed period: choose a date after %s", closedThrough.Last().Dutch())
	}
	return nil
}

// Charge is one line of the monthly invoice to the municipality
// [003 art 6.1 lid 1–4, 6.2].
type Charge struct {
	Kind  string       `json:"kind"` // "minimum", "licences", "advice"
	Count int64        `json:"count"`
	Price opstap.Cents `json:"price_cents"`
	Net   opstap.Cents `json:"net_cents"`
}

// MonthlyCharges returns the lines the provider invoices the municipality
// each month: the minimum monthly fee, the licences and the advice days, at
// the terms' prices. Lines of zero are left out.
func MonthlyCharges(t Terms) ([]Charge, error) {
	var out []Charge
	for _, c := range []Charge{
		{Kind: "minimum", Count: 1, Price: t.MonthlyMinimum},
		{Kind: "licences", Count: t.Licences, Price: t.LicencePrice},
		{Kind: "advice", Count: t.AdviceDays, Price: t.AdviceDayPrice},
	} {
		net, err := CountLine(c.Count, c.Price)
		if err != nil {
			return nil, err
		}
		if net != 0 {
			c.Net = net
			out = append(out, c)
		}
	}
	return out, nil
}

// SortVersions orders versions by ValidFrom, newest first, as pages list them.
func SortVersions(vs []Terms) {
	slices.SortFunc(vs, func(a, b Terms) int { return strings.Compare(b.ValidFrom.String(), a.ValidFrom.String()) })
}
