package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/chart"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerFigures)
	addNav(navItem{Order: 46, Href: "/figures", Label: "Figures", Roles: []opstap.Role{opstap.RoleCaseManager, opstap.RoleFinance, opstap.RoleAdmin, opstap.RoleAuditor}})
	for _, r := range []opstap.Role{opstap.RoleCaseManager, opstap.RoleFinance} {
		cardLinks(r, link{"/figures", "Figures of the flex instrument"})
	}
}

// registerFigures adds the municipality's dashboard (issue 10 items 1, 6).
func (h *Handler) registerFigures(mux *http.ServeMux) {
	mux.HandleFunc("GET /figures", h.authed(h.figuresPage))
	mux.HandleFunc("GET /figures/placements/{format}", h.authed(h.figurePlacementsFile))
}

// figurePlacementsFile downloads the pseudonymous rows behind the placement
// figures of the page's municipality and period (issue 10 item 8).
func (h *Handler) figurePlacementsFile(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	format := r.PathValue("format")
	if format != "csv" && format != "xlsx" {
		return opstap.Errorf(opstap.ENOTFOUND, "no such export")
	}
	q := r.URL.Query()
	p, err := parsePeriod(q.Get("start"), q.Get("end"))
	if err != nil {
		return err
	}
	fp, err := h.DB.FigurePlacementFacts(r.Context(), a, q.Get("municipality"), p)
	if err != nil {
		return err
	}
	return download.FigurePlacements(w, r, fp, format)
}

// figureRow is one figure of the dashboard: its name, its value for the
// period and, per month, the values of the trend with their chart.
type figureRow struct {
	ID     string
	Label  string
	Value  string
	Months []figureMonth
	Chart  chart.Chart
}

type figureMonth struct {
	Month string
	Value string
}

type figuresData struct {
	Municipalities []store.FigureMunicipality
	Chosen         string
	Result         *store.MunicipalFigures
	Rows           []figureRow
	// CanImport offers the history import (issue 10 item 3), CanCompare
	// the provider-wide view (item 8).
	CanImport, CanCompare bool
}

// figureDefs are the figures in the order of the e-mail "Resultaat 12
// maanden" [seed 003], each with how to read its value.
var figureDefs = []struct {
	id, label string
	value     func(f figures.Figures, dutch bool) (float64, string)
}{
	{"registrations", "Registrations", count(func(f figures.Figures) int { return f.Registrations })},
	{"matchable", "Matchable on the last day", count(func(f figures.Figures) int { return f.MatchableOnEnd })},
	{"benefit1", "More than 1 year on benefit (%)", count(func(f figures.Figures) int { return f.BenefitOver1Year.Percent })},
	{"benefit3", "More than 3 years on benefit (%)", count(func(f figures.Figures) int { return f.BenefitOver3Years.Percent })},
	{"placements", "Placements", count(func(f figures.Figures) int { return f.Placements })},
	{"over3", "Placements longer than 3 months", count(func(f figures.Figures) int { return f.PlacementsOver3Months })},
	{"over6", "Placements longer than 6 months", count(func(f figures.Figures) int { return f.PlacementsOver6Months })},
	{"over24", "Placements above 24 hours a week", count(func(f figures.Figures) int { return f.PlacementsOver24Hours })},
	{"hours", "Average hours per month", tenths(func(f figures.Figures) figures.Tenths { return f.AvgHoursPerMonth })},
	{"duration", "Average duration in months", tenths(func(f figures.Figures) figures.Tenths { return f.AvgDurationMonths })},
	{"unique", "Unique placed candidates", count(func(f figures.Figures) int { return f.UniquePlacedCandidates })},
	{"outflow", "Outflow to regular work", count(func(f figures.Figures) int { return f.OutflowRegularWork })},
}

func count(get func(figures.Figures) int) func(figures.Figures, bool) (float64, string) {
	return func(f figures.Figures, _ bool) (float64, string) {
		n := get(f)
		return float64(n), strconv.Itoa(n)
	}
}

func tenths(get func(figures.Figures) figures.Tenths) func(figures.Figures, bool) (float64, string) {
	return func(f figures.Figures, dutch bool) (float64, string) {
		t := get(f)
		if dutch {
			return float64(t) / 10, t.Dutch()
		}
		return float64(t) / 10, t.String()
	}
}

// figureRows lays out every figure with its monthly trend and chart.
func figureRows(res *store.MunicipalFigures, dutch bool) []figureRow {
	var rows []figureRow
	for _, d := range figureDefs {
		row := figureRow{ID: d.id, Label: d.label}
		_, row.Value = d.value(res.Figures, dutch)
		var pts []chart.Point
		for _, m := range res.Trend {
			v, text := d.value(m.Figures, dutch)
			label := m.Month.Dutch()
			row.Months = append(row.Months, figureMonth{Month: label, Value: text})
			pts = append(pts, chart.Point{Label: monthLabel(m.Month), Value: v, Text: text})
		}
		row.Chart = chart.Bars(pts, dutch)
		rows = append(rows, row)
	}
	return rows
}

// monthLabel is a bar's short label: mm-yy.
func monthLabel(m opstap.Month) string { return fmt.Sprintf("%02d-%02d", int(m.Month), m.Year%100) }

// defaultPeriod is the twelve months up to today: the e-mail's "12 maanden",
// with "matchable on the last day" as matchable now.
func defaultPeriod(today opstap.Date) figures.Period {
	return figures.Period{Start: opstap.MonthOf(today).Add(-11).First(), End: today}
}

// figuresPage shows a municipality's figures for a period: the form, the
// figures and a chart with its table per figure. A municipality's case
// manager sees their own; the provider's readers choose.
func (h *Handler) figuresPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Figures of the flex instrument")
	ms, err := h.DB.FigureMunicipalities(r.Context(), a)
	if err != nil {
		return err
	}
	d := figuresData{Municipalities: ms, CanImport: access.Can(a, access.ImportFigureHistory),
		CanCompare: access.Can(a, access.ReadProviderFigures)}
	q := r.URL.Query()
	period := defaultPeriod(opstap.DateOf(h.DB.Now()))
	p.Form.Set("start", period.Start.Dutch())
	p.Form.Set("end", period.End.Dutch())
	for _, f := range []string{"municipality", "start", "end"} {
		if v := q.Get(f); v != "" {
			p.Form.Set(f, v)
		}
	}
	d.Chosen = p.Form.Get("municipality")
	if d.Chosen == "" && len(ms) > 0 {
		d.Chosen = ms[0].CBS
	}
	p.Data = &d
	if len(ms) == 0 {
		return h.render(w, r, http.StatusOK, "figures", p)
	}
	res, err := h.figuresFor(r, d.Chosen, p.Form.Get("start"), p.Form.Get("end"))
	if err != nil {
		if opstap.ErrorCode(err) != opstap.EINVALID {
			return err
		}
		p.setError(err)
		return h.render(w, r, httpx.Status(err), "figures", p)
	}
	d.Result, d.Rows = res, figureRows(res, p.Lang == "nl")
	return h.render(w, r, http.StatusOK, "figures", p)
}

func (h *Handler) figuresFor(r *http.Request, cbs, start, end string) (*store.MunicipalFigures, error) {
	p, err := parsePeriod(start, end)
	if err != nil {
		return nil, err
	}
	return h.DB.MunicipalityFigures(r.Context(), httpx.AuthFrom(r).Actor, cbs, p)
}

// parsePeriod reads the period's days as typed (ISO or Dutch); an empty
// one is left for the period's own check to name.
func parsePeriod(start, end string) (figures.Period, error) {
	var p figures.Period
	for _, f := range []struct {
		name, value string
		dst         *opstap.Date
	}{{"start", start, &p.Start}, {"end", end, &p.End}} {
		if f.value == "" {
			continue
		}
		d, err := opstap.ParseDate(f.value)
		if err != nil {
			return p, opstap.FieldError(f.name, "not a valid date")
		}
		*f.dst = d
	}
	return p, nil
}
