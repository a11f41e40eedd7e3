package billing

import (
	"slices"

	"github.com/opstap/opstap"
)

// HoursLine returns the net amount of an invoice line: worked time at an
// hourly rate, rounded once to the cent, half away from zero. Negative
// minutes make a correction line that mirrors the line it corrects.
func HoursLine(m opstap.Minutes, ratePerHour opstap.Cents) (opstap.Cents, error) {
	return ratePerHour.MulHours(m)
}

// CountLine returns the net amount of count × price (licences, advice days,
// the monthly minimum as one unit).
func CountLine(count int64, price opstap.Cents) (opstap.Cents, error) {
	return price.Times(count)
}

// Line is an invoice line as far as the totals care: its net amount and the
// VAT rate it carries.
type Line struct {
	Net opstap.Cents       `json:"net_cents"`
	VAT opstap.BasisPoints `json:"vat_basis_points"`
}

// VATGroup is the VAT breakdown for one rate: the sum of the net lines at
// that rate and the VAT on that sum.
type VATGroup struct {
	Rate opstap.BasisPoints `json:"rate_basis_points"`
	Base opstap.Cents       `json:"base_cents"`
	VAT  opstap.Cents       `json:"vat_cents"`
}

// Totals are an invoice's totals.
type Totals struct {
	Net   opstap.Cents `json:"net_cents"`
	VAT   opstap.Cents `json:"vat_cents"`
	Gross opstap.Cents `json:"gross_cents"`
	// ByRate lists the VAT per rate, lowest rate first.
	ByRate []VATGroup `json:"by_rate"`
}

// InvoiceTotals adds the lines and computes the VAT per rate: the net lines
// of one rate are summed and the VAT is that sum × the rate, rounded once.
// This is EN 16931's rule (BR-CO-17: the VAT of a category is its taxable
// amount × its rate), so the totals of the PDF and of the e-invoice agree to
// the cent, and a validator recomputing them finds the same figures.
func InvoiceTotals(lines []Line) (Totals, error) {
	base := map[opstap.BasisPoints]opstap.Cents{}
	var t Totals
	var err error
	for _, l := range lines {
		if l.VAT < 0 || l.VAT > 10000 {
			return Totals{}, opstap.FieldError("vat_basis_points", "a VAT rate lies between 0 and 100 %")
		}
		if base[l.VAT], err = base[l.VAT].Add(l.Net); err != nil {
			return Totals{}, err
		}
		if t.Net, err = t.Net.Add(l.Net); err != nil {
			return Totals{}, err
		}
	}
	rates := make([]opstap.BasisPoints, 0, len(base))
	for r := range base {
		rates = append(rates, r)
	}
	slices.Sort(rates)
	for _, r := range rates {
		vat, err := base[r].MulBasisPoints(r)
		if err != nil {
			return Totals{}, err
		}
		if t.VAT, err = t.VAT.Add(vat); err != nil {
			return Totals{}, err
		}
		t.ByRate = append(t.ByRate, VATGroup{Rate: r, Base: base[r], VAT: vat})
	}
	if t.Gross, err = t.Net.Add(t.VAT); err != nil {
		return Totals{}, err
	}
	return t, nil
}

// DueDate is the date an invoice must be paid: its date plus the payment
// term in days [003 art 6.2 lid 3: 30 days].
func DueDate(invoiceDate opstap.Date, termDays int) opstap.Date {
	return invoiceDate.AddDays(termDays)
}
