package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/sheet"
	"github.com/opstap/opstap/internal/store"
)

// SettlementFileName names a settlement's download: afrekening-0034-2026-H1.pdf.
func SettlementFileName(v *store.SettlementView, ext string) string {
	prefix := "afrekening"
	if v.Status != store.SettlementDrawnUp {
		prefix = "voorlopige-afrekening"
	}
	return fmt.Sprintf("%s-%s-%s.%s", prefix, v.Municipality, v.HalfYear, ext)
}

// settlementTitle is the document's title; a provisional settlement says
// so in it, so a printed copy cannot pass for the drawn-up one.
func settlementTitle(t func(string, ...any) string, v *store.SettlementView) string {
	title := t("Half-year settlement %s, %s", v.HalfYear.Dutch(), v.MunicipalityName)
	if v.Status != store.SettlementDrawnUp {
		title = t("PROVISIONAL") + " " + title
	}
	return title
}

// SettlementOutcome is the sentence that says what happens with the
// balance: paid to the municipality by the due date, or why it is negative
// and what follows. The page, the PDF and the spreadsheet all use it.
func SettlementOutcome(lang string, v *store.SettlementView) string {
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	st := v.Statement
	switch {
	case st.Payable:
		return t("The balance of € %s is paid to the municipality by %s (30 days after the half year) [003 art 6.2 lid 4]; the municipality sends the provider an invoice for it [003 art 6.1 lid 5].",
			st.Balance.String(), st.Due.Dutch())
	case v.Shortfall != nil:
		months := make([]string, len(v.Shortfall.NegativeMonths))
		for i, m := range v.Shortfall.NegativeMonths {
			months[i] = invoice.MonthName(m)
		}
		return t("The balance is negative: the premiums, travel costs and fee above the minimum (together € %s) exceed the realised revenue (€ %s) by € %s; months below zero: %s. The agreement only provides for paying out a positive balance [003 art 6.2 lid 4]: nothing is paid to the municipality, the shortfall is not charged to it and not carried into the next half year.",
			v.Shortfall.Deductions.String(), st.Revenue.String(), v.Shortfall.Amount.String(), strings.Join(months, ", "))
	}
	return t("The balance is zero: nothing is paid.")
}

// SettlementPDF renders a settlement in Dutch, the municipality's language:
// the balance and what follows from it, the figures per month, the fee
// tiers used, and the specification per candidate.
func SettlementPDF(v *store.SettlementView, at time.Time) ([]byte, error) {
	const lang = "nl"
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	st := v.Statement
	status := t("Drawn up on %s", at.In(opstap.Amsterdam).Format("02-01-2006"))
	if v.Status != store.SettlementDrawnUp {
		status = t("Provisional: months may still change")
	}
	fields := []Field{
		{t("From"), v.Provider},
		{t("Municipality"), v.MunicipalityName + " (" + v.Municipality + ")"},
		{t("Period"), st.Half.Start().Dutch() + " – " + st.Half.End().Dutch()},
		{t("Status"), status},
		{t("Balance"), "€ " + st.Balance.String()},
	}
	if st.Payable {
		fields = append(fields, Field{t("Payable by"), st.Due.Dutch()})
	}
	months := Grid{Caption: t("Per month"), Widths: []float64{26, 22, 20, 20, 18, 18, 26, 20},
		Headers: []string{t("Month"), t("Revenue"), t("Premiums"), t("Travel costs"), t("Fee"), t("Minimum"), t("Above minimum"), t("Balance")}}
	for _, m := range st.Months {
		months.Rows = append(months.Rows, []string{invoice.MonthName(m.Month), m.Revenue.String(), m.Premiums.String(), m.Travel.String(),
			m.Fee.String(), m.Minimum.String(), m.FeeAboveMinimum.String(), m.Balance.String()})
	}
	months.Footer = []string{t("Total"), st.Revenue.String(), st.Premiums.String(), st.Travel.String(), "", "", st.FeeAboveMinimum.String(), st.Balance.String()}
	people := Grid{Caption: t("Per candidate"), Widths: []float64{50, 14, 21, 19, 20, 20, 24},
		Headers: []string{t("Candidate"), t("Hours"), t("Revenue"), t("Premium"), t("Excess"), t("Travel costs"), t("Balance")}}
	for _, c := range st.Candidates {
		name := v.Name(c.CandidateID)
		for _, w := range c.Months {
			if w.PremiumUnknown {
				name += " *"
				break
			}
		}
		people.Rows = append(people.Rows, []string{name, c.Minutes.String(), c.Revenue.String(), c.Premium.String(), c.Excess.String(), c.Travel.String(),
			c.Balance.String()})
	}
	people.Footer = []string{t("Total"), st.Minutes.String(), st.Revenue.String(), st.Premiums.String(), st.PremiumExcess.String(), st.Travel.String(), ""}
	extra := []Section{{t("Fee tiers per month"), feeTiersText(t, st)}}
	if st.PremiumExcess > 0 {
		extra = append(extra, Section{t("Premium above the year's maximum"), excessText(t, st)})
	}
	if st.PremiumUnknown > 0 {
		extra = append(extra, Section{t("Premium not decided"), i18n.N(lang, "* The premium of %d candidate-months could not be decided: the candidate was erased or their birth date cannot be read, and no payout recorded it. It counts as zero.", st.PremiumUnknown)})
	}
	d := Document{
		Title: settlementTitle(t, v), Author: v.Provider, Subject: t("Half-year settlement"), Lang: lang, Created: at,
		Fields: fields,
		Body: t("Realised revenue minus the premiums, minus the travel costs, minus the fee insofar as it exceeds the monthly minimum, summed over the six months [003 art 6.1 lid 5].") +
			"\n\n" + SettlementOutcome(lang, v),
		Grids:  []Grid{months, people},
		Extra:  extra,
		Footer: v.Provider + " · " + t("Half-year settlement") + " " + st.Half.String() + " · " + v.Municipality,
	}
	return PDF(d)
}

func feeTiersText(t func(string, ...any) string, st *billing.Statement) string {
	var b strings.Builder
	for _, mt := range st.Terms {
		b.WriteString(invoice.MonthName(mt.Month) + ": ")
		if !mt.Applies {
			b.WriteString(t("no contract terms") + "\n")
			continue
		}
		var tiers []string
		var from opstap.Cents
		for _, tier := range mt.FeeTiers {
			if tier.UpTo == 0 {
				tiers = append(tiers, t("%s %% above € %s", tier.Rate.String(), from.String()))
			} else {
				tiers = append(tiers, t("%s %% up to € %s", tier.Rate.String(), tier.UpTo.String()))
			}
			from = tier.UpTo
		}
		b.WriteString(strings.Join(tiers, ", ") + "; " + t("minimum € %s", mt.MonthlyMinimum.String()) + "\n")
	}
	return strings.ReplaceAll(b.String(), "\n", "\n\n")
}

// SettlementXLSX is the specification as a workbook a controller
// recomputes: the months, the candidates and every candidate's months,
// as numbers with euro and hour formats and totals.
func SettlementXLSX(v *store.SettlementView) ([]byte, error) {
	const lang = "nl"
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	st := v.Statement
	months := sheet.Sheet{Name: t("Per month"), Columns: []sheet.Column{{Title: t("Month"), Kind: sheet.Text, Width: 12},
		{Title: t("Revenue"), Kind: sheet.Cents}, {Title: t("Premiums"), Kind: sheet.Cents}, {Title: t("Travel costs"), Kind: sheet.Cents},
		{Title: t("Fee"), Kind: sheet.Cents}, {Title: t("Minimum"), Kind: sheet.Cents}, {Title: t("Above minimum"), Kind: sheet.Cents},
		{Title: t("Balance"), Kind: sheet.Cents}}}
	for _, m := range st.Months {
		months.Rows = append(months.Rows, []any{m.Month.String(), m.Revenue, m.Premiums, m.Travel, m.Fee, m.Minimum, m.FeeAboveMinimum, m.Balance})
	}
	months.Footer = []any{t("Total"), st.Revenue, st.Premiums, st.Travel, nil, nil, st.FeeAboveMinimum, st.Balance}
	people := sheet.Sheet{Name: t("Per candidate"), Columns: []sheet.Column{{Title: t("Candidate"), Kind: sheet.Text},
		{Title: t("Hours"), Kind: sheet.Hours}, {Title: t("Revenue"), Kind: sheet.Cents}, {Title: t("Premium"), Kind: sheet.Cents},
		{Title: t("Above the maximum"), Kind: sheet.Cents}, {Title: t("Travel costs"), Kind: sheet.Cents}, {Title: t("Balance"), Kind: sheet.Cents}}}
	detail := sheet.Sheet{Name: t("Per candidate per month"), Columns: []sheet.Column{{Title: t("Candidate"), Kind: sheet.Text},
		{Title: t("Month"), Kind: sheet.Text, Width: 12}, {Title: t("Hours"), Kind: sheet.Hours}, {Title: t("Revenue"), Kind: sheet.Cents},
		{Title: t("Premium"), Kind: sheet.Cents}, {Title: t("Above the maximum"), Kind: sheet.Cents}, {Title: t("Travel costs"), Kind: sheet.Cents},
		{Title: t("Premium not decided"), Kind: sheet.Text, Width: 12}}}
	for _, c := range st.Candidates {
		name := v.Name(c.CandidateID)
		people.Rows = append(people.Rows, []any{name, c.Minutes, c.Revenue, c.Premium, c.Excess, c.Travel, c.Balance})
		for _, w := range c.Months {
			unknown := ""
			if w.PremiumUnknown {
				unknown = t("yes")
			}
			detail.Rows = append(detail.Rows, []any{name, w.Month.String(), w.Minutes, w.Revenue, w.Premium, w.Excess, w.Travel, unknown})
		}
	}
	people.Footer = []any{t("Total"), st.Minutes, st.Revenue, st.Premiums, st.PremiumExcess, st.Travel, nil}
	detail.Footer = []any{t("Total"), nil, st.Minutes, st.Revenue, st.Premiums, st.PremiumExcess, st.Travel}
	status := t("drawn up")
	if v.Status != store.SettlementDrawnUp {
		status = t("PROVISIONAL")
	}
	summary := sheet.Sheet{Name: t("Settlement"), Columns: []sheet.Column{{Title: t("Item"), Kind: sheet.Text, Width: 34}, {Title: t("Value"), Kind: sheet.Text, Width: 90}},
		Rows: [][]any{
			{t("Municipality"), v.MunicipalityName + " (" + v.Municipality + ")"},
			{t("Period"), st.Half.Start().Dutch() + " – " + st.Half.End().Dutch()},
			{t("Status"), status},
			{t("Balance"), "€ " + st.Balance.String()},
			{t("What happens"), SettlementOutcome(lang, v)},
		}}
	return sheet.Bytes(summary, months, people, detail)
}

// excessText explains premium above the year's maximum: accrued, never
// paid by the provider, so not deducted; the municipality decides.
func excessText(t func(string, ...any) string, st *billing.Statement) string {
	return t("Premium of EUR %s was accrued above the year's maximum (Participatiewet art 31 lid 2 onder j). The provider does not pay it, so it is not deducted from the balance; the municipality decides on it.", st.PremiumExcess)
}
