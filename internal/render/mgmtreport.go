package render

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/mgmtreport"
	"github.com/opstap/opstap/internal/sheet"
)

// The municipality's management reports as PDF (PDF/A-1b) and XLSX
// [003 art 5 lid 10, 11]; docs/reports-municipality.md defines the
// figures.

// PeriodName names a report's period: "maart 2026" or "januari 2026 – maart 2026".
func PeriodName(p mgmtreport.Period) string {
	if p.From == p.To {
		return invoice.MonthName(p.From)
	}
	return invoice.MonthName(p.From) + " – " + invoice.MonthName(p.To)
}

// CandidateLabel is how a report names a candidate: the name where the
// reader may see it, else the first part of the pseudonymous id.
func CandidateLabel(c mgmtreport.CandidateMoney) string {
	if c.Name != "" {
		return c.Name
	}
	id, _, _ := strings.Cut(c.CandidateID, "-")
	return id
}

// candidatePremium shows an unknown premium as such rather than as zero.
func candidatePremium(t func(string, ...any) string, c mgmtreport.CandidateMoney) string {
	if !c.PremiumKnown {
		return c.Premium.String() + " (" + t("incomplete") + ")"
	}
	return c.Premium.String()
}

// Figure is a headline figure: an English label (translated where shown)
// and its value.
type Figure struct {
	Label string
	Value any
}

// MonthlyFigures are the monthly report's headline figures in the order
// the page, the PDF and the XLSX show them.
func MonthlyFigures(r *mgmtreport.Monthly) []Figure {
	return []Figure{
		{"Placed candidates", r.PlacedCandidates},
		{"Placements running", r.Placements.Running},
		{"Placements started", r.Placements.Started},
		{"Placements ended", r.Placements.Ended},
		{"Assignments opened", r.Assignments.Opened},
		{"Assignments open at the end of the period", r.Assignments.Open},
		{"Assignments filled at the end of the period", r.Assignments.Filled},
		{"Average duration (months)", r.Durations.Average.Dutch()},
		{"Placements shorter than 1 month", r.Durations.UnderOne},
		{"Placements of 1 to 3 months", r.Durations.OneToThree},
		{"Placements of 3 to 6 months", r.Durations.ThreeToSix},
		{"Placements longer than 6 months", r.Durations.MoreThanSix},
		{"Candidates with an incomplete premium", r.PremiumUnknown},
	}
}

// MonthlyReportPDF renders a monthly management report in lang.
func MonthlyReportPDF(r *mgmtreport.Monthly, provider, lang string, made time.Time) ([]byte, error) {
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	fields := []Field{
		{t("Municipality"), r.MunicipalityName + " (" + r.Municipality + ")"},
		{t("Period"), PeriodName(r.Period)},
		{t("Made on"), r.Made.Dutch()},
	}
	for _, f := range MonthlyFigures(r) {
		fields = append(fields, Field{t(f.Label), fmt.Sprint(f.Value)})
	}
	tab := &Table{Caption: t("Financial overview per candidate"),
		Headers: []string{t("Candidate"), t("Placements"), t("Hours"), t("Revenue (€)"), t("Premium (€)"), t("Travel costs (€)")}}
	for _, c := range r.Candidates {
		tab.Rows = append(tab.Rows, []string{CandidateLabel(c), fmt.Sprint(c.Placements), c.Minutes.Decimal(), c.Revenue.String(), candidatePremium(t, c), c.Travel.String()})
	}
	tab.Rows = append(tab.Rows, []string{t("Total"), fmt.Sprint(r.Total.Placements), r.Total.Minutes.Decimal(), r.Total.Revenue.String(), candidatePremium(t, r.Total), r.Total.Travel.String()})
	var lines []string
	for _, p := range r.PlacementLines {
		lines = append(lines, t("%s at %s, %s to %s, %d hours a week, %s months", p.AssignmentTitle, p.EmployerName, p.FirstDay.Dutch(), p.LastDay.Dutch(), p.HoursPerWeek, p.Months.Dutch()))
	}
	d := Document{
		Title: t("Management report %s", PeriodName(r.Period)), Author: provider, Subject: t("Management report (seed 003 art 5 lid 10)"), Lang: lang,
		Created: made, Fields: fields, Table: tab, Footer: t("Management report") + " · " + r.MunicipalityName + " · " + PeriodName(r.Period),
		Extra: []Section{
			{t("Placements"), orNone(t, strings.Join(lines, "\n"))},
			{t("Definitions"), t("Version %d of the definitions: docs/reports-municipality.md. Durations run to the period's last day for a placement still running; months are days ÷ 30.4375. Revenue is approved hours × the assignment's hourly rate, as invoiced; the premium is the accrued premium of the months, as paid or as a payout would pay it.", r.Version)},
		},
	}
	return PDF(d)
}

// QuarterlyReportPDF renders a quarterly progress report in lang.
func QuarterlyReportPDF(r *mgmtreport.Quarterly, provider, lang string, made time.Time) ([]byte, error) {
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	tab := &Table{Caption: t("Figures per month"),
		Headers: []string{t("Month"), t("Placed candidates"), t("Placements started"), t("Assignments open"), t("Hours"), t("Revenue (€)")}}
	for _, s := range append(append([]mgmtreport.Summary{}, r.Months...), r.Total) {
		label := PeriodName(s.Period)
		if s.From != s.To {
			label = t("Quarter")
		}
		tab.Rows = append(tab.Rows, []string{label, fmt.Sprint(s.PlacedCandidates), fmt.Sprint(s.Started), fmt.Sprint(s.AssignmentsOpen), s.Minutes.Decimal(), s.Revenue.String()})
	}
	var trend []string
	for _, x := range r.Trend {
		trend = append(trend, t("%s: %s (from %d to %d)", i18n.Label(lang, "figure", x.Figure), i18n.Label(lang, "trend", x.Direction), x.First, x.Last))
	}
	at := AttentionLines(r.Attention, t)
	d := Document{
		Title: t("Progress report %s", r.Quarter.String()), Author: provider, Subject: t("Progress report (seed 003 art 5 lid 11)"), Lang: lang, Created: made,
		Fields: []Field{{t("Municipality"), r.MunicipalityName + " (" + r.Municipality + ")"}, {t("Quarter"), r.Quarter.String()},
			{t("Attention points as of"), r.Made.Dutch()}},
		Table: tab, Footer: t("Progress report") + " · " + r.MunicipalityName + " · " + r.Quarter.String(),
		Extra: []Section{
			{t("Trend"), strings.Join(trend, "\n")},
			{t("Hour approvals overdue"), orNone(t, strings.Join(at[0], "\n"))},
			{t("Premium caps nearly reached"), orNone(t, strings.Join(at[1], "\n"))},
			{t("Placements near their maximum duration"), orNone(t, strings.Join(at[2], "\n"))},
			{t("Assignments open longer than a month"), orNone(t, strings.Join(at[3], "\n"))},
		},
	}
	return PDF(d)
}

// AttentionLines writes the attention points as lines of text, in the
// order overdue approvals, premium caps, near maximum, long open.
func AttentionLines(a mgmtreport.Attention, t func(string, ...any) string) [4][]string {
	var out [4][]string
	short := func(id string) string { s, _, _ := strings.Cut(id, "-"); return s }
	for _, o := range a.OverdueApprovals {
		out[0] = append(out[0], t("%s at %s (candidate %s): %d days waiting since %s", o.AssignmentTitle, o.EmployerName, short(o.CandidateID), o.Days, o.Oldest.Dutch()))
	}
	for _, c := range a.PremiumCaps {
		out[1] = append(out[1], t("candidate %s: paid € %s and accrued € %s of € %s in %d", short(c.CandidateID), c.Paid, c.Outstanding, c.Cap, c.Year))
	}
	for _, n := range a.NearMaximum {
		out[2] = append(out[2], t("%s at %s (candidate %s): maximum on %s, %d days left", n.AssignmentTitle, n.EmployerName, short(n.CandidateID), n.MaxDay.Dutch(), n.DaysLeft))
	}
	for _, l := range a.LongOpen {
		out[3] = append(out[3], t("%s at %s: open since %s (%d days)", l.Title, l.EmployerName, l.OpenSince.Dutch(), l.Days))
	}
	return out
}

// MonthlyReportXLSX writes the monthly report as a workbook: the figures,
// the money per candidate with totals, and the placements; amounts, hours
// and dates are numeric cells with number formats.
func MonthlyReportXLSX(r *mgmtreport.Monthly, lang string) ([]byte, error) {
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	figures := sheet.Sheet{Name: t("Figures"), Columns: []sheet.Column{{Title: t("Figure"), Kind: sheet.Text, Width: 45}, {Title: t("Value"), Kind: sheet.Text, Width: 14}}}
	figures.Rows = append(figures.Rows, []any{t("Municipality"), r.MunicipalityName + " (" + r.Municipality + ")"}, []any{t("Period"), PeriodName(r.Period)})
	for _, f := range MonthlyFigures(r) {
		figures.Rows = append(figures.Rows, []any{t(f.Label), fmt.Sprint(f.Value)})
	}
	money := sheet.Sheet{Name: t("Per candidate"), Columns: []sheet.Column{
		{Title: t("Candidate (pseudonym)"), Kind: sheet.Text, Width: 38}, {Title: t("Name"), Kind: sheet.Text}, {Title: t("Placements"), Kind: sheet.Integer},
		{Title: t("Hours"), Kind: sheet.Hours}, {Title: t("Revenue (€)"), Kind: sheet.Cents}, {Title: t("Premium (€)"), Kind: sheet.Cents},
		{Title: t("Premium complete"), Kind: sheet.Text, Width: 12}, {Title: t("Travel costs (€)"), Kind: sheet.Cents}}}
	yes := func(b bool) string { return yesNo(t, b) }
	for _, c := range r.Candidates {
		money.Rows = append(money.Rows, []any{c.CandidateID, c.Name, c.Placements, c.Minutes, c.Revenue, c.Premium, yes(c.PremiumKnown), c.Travel})
	}
	money.Footer = []any{t("Total"), nil, r.Total.Placements, r.Total.Minutes, r.Total.Revenue, r.Total.Premium, yes(r.Total.PremiumKnown), r.Total.Travel}
	placements := sheet.Sheet{Name: t("Placements"), Columns: []sheet.Column{
		{Title: t("Placement"), Kind: sheet.Text, Width: 38}, {Title: t("Candidate (pseudonym)"), Kind: sheet.Text, Width: 38}, {Title: t("Assignment"), Kind: sheet.Text},
		{Title: t("Employer"), Kind: sheet.Text}, {Title: t("First day"), Kind: sheet.Date}, {Title: t("Last day"), Kind: sheet.Date},
		{Title: t("Hours a week"), Kind: sheet.Integer}, {Title: t("Months"), Kind: sheet.Text, Width: 10}}}
	for _, p := range r.PlacementLines {
		placements.Rows = append(placements.Rows, []any{p.ID, p.CandidateID, p.AssignmentTitle, p.EmployerName, p.FirstDay, p.LastDay, p.HoursPerWeek, p.Months.Dutch()})
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, figures, money, placements); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MonthlyFileName names a monthly report's download:
// managementrapportage-0034-2026-03.pdf.
func MonthlyFileName(r *mgmtreport.Monthly, ext string) string {
	p := r.From.String()
	if r.To != r.From {
		p += "_" + r.To.String()
	}
	return "managementrapportage-" + r.Municipality + "-" + p + "." + ext
}

// QuarterlyFileName names a progress report's download.
func QuarterlyFileName(r *mgmtreport.Quarterly, ext string) string {
	return "voortgangsrapportage-" + r.Municipality + "-" + r.Quarter.String() + "." + ext
}

// ContentType is the media type of a report download.
func ContentType(format string) string {
	if format == "xlsx" {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/pdf"
}
