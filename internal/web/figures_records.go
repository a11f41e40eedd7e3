package web

import (
	"net/http"
	"slices"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, func(h *Handler, mux *http.ServeMux) {
		mux.HandleFunc("GET /figures/records", h.authed(h.figureRecordsPage))
	})
}

// recordsData is the drill-down of one figure: the pseudonymous records it
// counts, in the table that fits them (Kind).
type recordsData struct {
	Result        *store.FigureRecords
	Label         string
	Kind          string // registrations, candidates, placements or outflows
	Registrations []figures.Registration
	Candidates    []string
	Placements    []figures.PlacementFact
	Outflows      []figures.Outflow
}

// drill fills the drill-down of figure id, reporting whether it exists.
func (d *recordsData) drill(id string) bool {
	r := d.Result.Records
	regs := func(min int) {
		d.Kind = "registrations"
		for _, x := range r.Registrations {
			if min == 0 || (x.OnBenefit && x.BenefitMonths >= min) {
				d.Registrations = append(d.Registrations, x)
			}
		}
	}
	places := func(keep func(figures.PlacementFact) bool) {
		d.Kind = "placements"
		for _, x := range r.Placements {
			if keep(x) {
				d.Placements = append(d.Placements, x)
			}
		}
	}
	all := func(figures.PlacementFact) bool { return true }
	switch id {
	case "registrations":
		regs(0)
	case "benefit1":
		regs(12)
	case "benefit3":
		regs(36)
	case "matchable":
		d.Kind, d.Candidates = "candidates", r.Matchable
	case "placements", "hours", "duration":
		places(all)
	case "over3":
		places(func(x figures.PlacementFact) bool { return x.Over3Months })
	case "over6":
		places(func(x figures.PlacementFact) bool { return x.Over6Months })
	case "over24":
		places(func(x figures.PlacementFact) bool { return x.Over24Hours })
	case "unique":
		d.Kind = "candidates"
		for _, x := range r.Placements {
			if !slices.Contains(d.Candidates, x.Candidate) {
				d.Candidates = append(d.Candidates, x.Candidate)
			}
		}
		slices.Sort(d.Candidates)
	case "outflow":
		d.Kind, d.Outflows = "outflows", r.Outflows
	default:
		return false
	}
	for _, def := range figureDefs {
		if def.id == id {
			d.Label = def.label
		}
	}
	return true
}

// figureRecordsPage shows the pseudonymous records one figure of the
// dashboard counts (issue 10 item 7).
func (h *Handler) figureRecordsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	q := r.URL.Query()
	p := h.newPage(r, "Records behind a figure")
	per, err := parsePeriod(q.Get("start"), q.Get("end"))
	var res *store.FigureRecords
	if err == nil {
		res, err = h.DB.MunicipalityRecords(r.Context(), a, q.Get("municipality"), per)
	}
	if err != nil {
		return err
	}
	d := &recordsData{Result: res}
	if !d.drill(q.Get("figure")) {
		return opstap.Errorf(opstap.ENOTFOUND, "no such figure")
	}
	p.Data = d
	return h.render(w, r, http.StatusOK, "figures_records", p)
}

// Hours writes approved minutes as decimal hours, as the export does.
func (*recordsData) Hours(m int64) string { return opstap.Minutes(m).Decimal() }
