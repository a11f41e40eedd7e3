package web

import (
	"net/http"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/mgmtreport"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerMgmtReports)
	addNav(navItem{Order: 46, Href: "/management-reports", Label: "Management reports", Roles: []opstap.Role{opstap.RoleCaseManager, opstap.RoleFinance}})
	cardLinks(opstap.RoleCaseManager, link{"/management-reports", "Management reports"})
	cardLinks(opstap.RoleFinance, link{"/management-reports", "Management reports"})
}

// registerMgmtReports adds the pages of the municipality's monthly
// management report and quarterly progress report (issue 10 items 4, 5).
func (h *Handler) registerMgmtReports(mux *http.ServeMux) {
	mux.HandleFunc("GET /management-reports", h.authed(h.mgmtReportsPage))
	mux.HandleFunc("GET /management-reports/monthly", h.authed(h.monthlyReportPage))
	mux.HandleFunc("GET /management-reports/monthly/{format}", h.authed(h.monthlyReportFile))
	mux.HandleFunc("GET /management-reports/quarterly", h.authed(h.quarterlyReportPage))
	mux.HandleFunc("GET /management-reports/quarterly/pdf", h.authed(h.quarterlyReportFile))
	mux.HandleFunc("GET /management-reports/stored/{id}", h.authed(h.monthlyReportPage))
	mux.HandleFunc("GET /management-reports/stored/{id}/{format}", h.authed(h.monthlyReportFile))
}

type mgmtReportsData struct {
	Municipalities []store.ReportMunicipality
	Stored         []store.StoredReport
	LastMonth      opstap.Month
	LastQuarter    mgmtreport.Quarter
}

func (h *Handler) mgmtReportsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Management reports")
	_, muns, err := h.DB.ReportChoices(r.Context(), a)
	if err != nil {
		return err
	}
	stored, err := h.DB.StoredReports(r.Context(), a)
	if err != nil {
		return err
	}
	this := opstap.MonthOf(opstap.DateOf(h.DB.Now()))
	p.Data = mgmtReportsData{Municipalities: muns, Stored: stored, LastMonth: this.Add(-1), LastQuarter: mgmtreport.QuarterOf(this).Previous()}
	return h.render(w, r, http.StatusOK, "mgmt_reports", p)
}

type monthlyReportData struct {
	R       *mgmtreport.Monthly
	Figures []render.Figure
	Period  string
	Files   string // the path of the downloads, without format
	Query   string
}

// monthlyReport makes the report the request asks for: a stored one by id,
// or one made now for ?municipality=&from=&to=.
func (h *Handler) monthlyReport(r *http.Request) (*mgmtreport.Monthly, string, string, error) {
	a := httpx.AuthFrom(r).Actor
	if id := r.PathValue("id"); id != "" {
		rep, err := h.DB.StoredMonthly(r.Context(), a, id)
		return rep, "/management-reports/stored/" + id, "", err
	}
	q := r.URL.Query()
	cbs, err := h.reportMunicipality(r)
	if err != nil {
		return nil, "", "", err
	}
	last := opstap.MonthOf(opstap.DateOf(h.DB.Now())).Add(-1)
	from, err := formMonth("from", q.Get("from"), last)
	if err != nil {
		return nil, "", "", err
	}
	to, err := formMonth("to", q.Get("to"), from)
	if err != nil {
		return nil, "", "", err
	}
	rep, err := h.DB.MonthlyReport(r.Context(), a, cbs, from, to)
	query := "?municipality=" + cbs + "&from=" + from.String() + "&to=" + to.String()
	return rep, "/management-reports/monthly", query, err
}

// reportMunicipality is the municipality asked for, by default the
// reader's own.
func (h *Handler) reportMunicipality(r *http.Request) (string, error) {
	if cbs := strings.TrimSpace(r.URL.Query().Get("municipality")); cbs != "" {
		return cbs, nil
	}
	own, err := h.DB.OwnMunicipality(r.Context(), httpx.AuthFrom(r).Actor)
	if err == nil && own == "" {
		err = opstap.FieldError("municipality", "unknown municipality")
	}
	return own, err
}

func formMonth(field, v string, def opstap.Month) (opstap.Month, error) {
	if strings.TrimSpace(v) == "" {
		return def, nil
	}
	m, err := opstap.ParseMonth(strings.TrimSpace(v))
	if err != nil {
		return m, opstap.FieldError(field, "not a valid month")
	}
	return m, nil
}

func (h *Handler) monthlyReportPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rep, files, query, err := h.monthlyReport(r)
	if err != nil {
		return err
	}
	p := h.newPage(r, "Management report")
	p.Data = monthlyReportData{R: rep, Figures: render.MonthlyFigures(rep), Period: render.PeriodName(rep.Period), Files: files, Query: query}
	return h.render(w, r, http.StatusOK, "mgmt_report_monthly", p)
}

func (h *Handler) monthlyReportFile(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	format := r.PathValue("format")
	if format != "pdf" && format != "xlsx" {
		return opstap.Errorf(opstap.ENOTFOUND, "no such report")
	}
	rep, _, _, err := h.monthlyReport(r)
	if err != nil {
		return err
	}
	return download.Files{DB: h.DB}.MonthlyReport(w, r, a, rep, format)
}

type quarterlyReportData struct {
	R         *mgmtreport.Quarterly
	Months    []quarterMonth
	Attention [4][]string
	Query     string
}

type quarterMonth struct {
	Label string
	S     mgmtreport.Summary
}

func (h *Handler) quarterlyReport(r *http.Request) (*mgmtreport.Quarterly, string, error) {
	cbs, err := h.reportMunicipality(r)
	if err != nil {
		return nil, "", err
	}
	q := mgmtreport.QuarterOf(opstap.MonthOf(opstap.DateOf(h.DB.Now()))).Previous()
	if v := strings.TrimSpace(r.URL.Query().Get("quarter")); v != "" {
		if q, err = mgmtreport.ParseQuarter(v); err != nil {
			return nil, "", err
		}
	}
	rep, err := h.DB.QuarterlyReport(r.Context(), httpx.AuthFrom(r).Actor, cbs, q)
	return rep, "?municipality=" + cbs + "&quarter=" + q.String(), err
}

func (h *Handler) quarterlyReportPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rep, query, err := h.quarterlyReport(r)
	if err != nil {
		return err
	}
	p := h.newPage(r, "Progress report")
	d := quarterlyReportData{R: rep, Query: query, Attention: render.AttentionLines(rep.Attention, p.T)}
	for _, s := range rep.Months {
		d.Months = append(d.Months, quarterMonth{render.PeriodName(s.Period), s})
	}
	d.Months = append(d.Months, quarterMonth{p.T("Quarter"), rep.Total})
	p.Data = d
	return h.render(w, r, http.StatusOK, "mgmt_report_quarterly", p)
}

func (h *Handler) quarterlyReportFile(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rep, _, err := h.quarterlyReport(r)
	if err != nil {
		return err
	}
	return download.Files{DB: h.DB}.QuarterlyReport(w, r, a, rep)
}
