package web

import (
	"net/http"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, func(h *Handler, mux *http.ServeMux) {
		mux.HandleFunc("GET /figures/provider", h.authed(h.providerFiguresPage))
	})
}

// providerColumns are the counts the provider-wide view compares.
var providerColumns = []struct {
	label string
	get   func(figures.Figures) int
}{
	{"Registrations", func(f figures.Figures) int { return f.Registrations }},
	{"Matchable on the last day", func(f figures.Figures) int { return f.MatchableOnEnd }},
	{"Placements", func(f figures.Figures) int { return f.Placements }},
	{"Placements longer than 3 months", func(f figures.Figures) int { return f.PlacementsOver3Months }},
	{"Unique placed candidates", func(f figures.Figures) int { return f.UniquePlacedCandidates }},
	{"Outflow to regular work", func(f figures.Figures) int { return f.OutflowRegularWork }},
}

type providerCell struct {
	Now, Before int
	Change      string // +2, −1, 0
}

type providerRow struct {
	Name  string
	CBS   string
	Cells []providerCell
}

type providerData struct {
	Result  *store.ProviderFigures
	Columns []string
	Rows    []providerRow
	Total   providerRow
}

func providerRowOf(c store.FigureComparison) providerRow {
	var r providerRow
	if c.Municipality != nil {
		r.Name, r.CBS = c.Municipality.Name, c.Municipality.CBS
	}
	for _, col := range providerColumns {
		now, before := col.get(c.Current), col.get(c.Previous)
		change := strconv.Itoa(now - before)
		if now > before {
			change = "+" + change
		}
		r.Cells = append(r.Cells, providerCell{Now: now, Before: before, Change: change})
	}
	return r
}

// providerFiguresPage shows every municipality's counts beside those of the
// period before (issue 10 item 8), for the provider's management.
func (h *Handler) providerFiguresPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Figures of all municipalities")
	if !access.Can(a, access.ReadProviderFigures) {
		return opstap.Errorf(opstap.EFORBIDDEN, "you are not allowed to do this")
	}
	period := defaultPeriod(opstap.DateOf(h.DB.Now()))
	p.Form.Set("start", period.Start.Dutch())
	p.Form.Set("end", period.End.Dutch())
	q := r.URL.Query()
	for _, f := range []string{"start", "end"} {
		if v := q.Get(f); v != "" {
			p.Form.Set(f, v)
		}
	}
	d := &providerData{}
	for _, c := range providerColumns {
		d.Columns = append(d.Columns, c.label)
	}
	p.Data = d
	per, err := parsePeriod(p.Form.Get("start"), p.Form.Get("end"))
	var res *store.ProviderFigures
	if err == nil {
		res, err = h.DB.ProviderFigures(r.Context(), a, per)
	}
	if err != nil {
		if opstap.ErrorCode(err) != opstap.EINVALID {
			return err
		}
		p.setError(err)
		return h.render(w, r, httpx.Status(err), "figures_provider", p)
	}
	d.Result = res
	for _, c := range res.Municipalities {
		d.Rows = append(d.Rows, providerRowOf(c))
	}
	d.Total = providerRowOf(res.Total)
	return h.render(w, r, http.StatusOK, "figures_provider", p)
}
