package render

import (
	"bytes"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/csvsafe"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/sheet"
	"github.com/opstap/opstap/internal/store"
)

// The export of the pseudonymous per-placement facts behind a
// municipality's placement figures (issue 10 item 8; docs/figures.md
// "Export"), as CSV and XLSX. Every text cell goes through csvsafe, so a
// value starting with = + - @ is never taken for a formula.

// PlacementColumns are the export's CSV columns, documented in
// docs/figures.md.
var PlacementColumns = []string{"placement_id", "candidate_id", "first_day", "last_day", "running", "outcome", "hours_per_week", "days", "months",
	"approved_hours", "longer_than_3_months", "longer_than_6_months", "above_24_hours"}

// PlacementsCSV writes the rows ';' separated with the documented header:
// dates ISO, months and hours with a decimal comma, yes/no as 1/0.
func PlacementsCSV(fp *store.FigurePlacements) ([]byte, error) {
	var buf bytes.Buffer
	w := csvsafe.NewWriter(&buf)
	w.Comma = ';'
	rows := [][]string{PlacementColumns}
	bit := func(b bool) string { return strconv.Itoa(map[bool]int{true: 1}[b]) }
	for _, p := range fp.Placements {
		rows = append(rows, []string{p.ID, p.Candidate, p.First.String(), p.Last.String(), bit(p.Running), p.Outcome, strconv.Itoa(p.HoursPerWeek),
			strconv.Itoa(p.Days), p.Months.Dutch(), opstap.Minutes(p.ApprovedMinutes).Decimal(), bit(p.Over3Months), bit(p.Over6Months), bit(p.Over24Hours)})
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// PlacementsXLSX writes the rows as a workbook in the reader's language:
// dates, counts and hours as numeric cells.
func PlacementsXLSX(fp *store.FigurePlacements, lang string) ([]byte, error) {
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	sh := sheet.Sheet{Name: t("Placements"), Columns: []sheet.Column{
		{Title: t("Placement"), Kind: sheet.Text, Width: 38}, {Title: t("Candidate (pseudonym)"), Kind: sheet.Text, Width: 38},
		{Title: t("First day"), Kind: sheet.Date}, {Title: t("Last day counted"), Kind: sheet.Date}, {Title: t("Still running"), Kind: sheet.Text},
		{Title: t("Outcome"), Kind: sheet.Text}, {Title: t("Hours a week"), Kind: sheet.Integer}, {Title: t("Days"), Kind: sheet.Integer},
		{Title: t("Months"), Kind: sheet.Text, Width: 10}, {Title: t("Approved hours"), Kind: sheet.Hours},
		{Title: t("Longer than 3 months"), Kind: sheet.Text}, {Title: t("Longer than 6 months"), Kind: sheet.Text},
		{Title: t("Above 24 hours a week"), Kind: sheet.Text}}}
	yes := func(b bool) string { return yesNo(t, b) }
	for _, p := range fp.Placements {
		sh.Rows = append(sh.Rows, []any{p.ID, p.Candidate, p.First, p.Last, yes(p.Running), p.Outcome, p.HoursPerWeek, p.Days, p.Months.Dutch(),
			opstap.Minutes(p.ApprovedMinutes), yes(p.Over3Months), yes(p.Over6Months), yes(p.Over24Hours)})
	}
	return sheet.Bytes(sh)
}

// PlacementsFileName names the export: plaatsingen-0034-2024-01-01_2024-12-31.csv.
func PlacementsFileName(fp *store.FigurePlacements, ext string) string {
	return "plaatsingen-" + fp.Municipality.CBS + "-" + fp.Period.Start.String() + "_" + fp.Period.End.String() + "." + ext
}

// FigureContentType is the media type of an export format.
func FigureContentType(format string) string {
	if format == "csv" {
		return "text/csv; charset=utf-8"
	}
	return ContentType(format)
}
