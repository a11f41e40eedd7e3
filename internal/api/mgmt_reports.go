package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/mgmtreport"
)

func init() { routeGroups = append(routeGroups, (*Handler).mgmtReportRoutes) }

// mgmtReportRoutes: the municipality's monthly management report and
// quarterly progress report [003 art 5 lid 10, 11].
func (h *Handler) mgmtReportRoutes() []route {
	return []route{
		{"GET /api/v1/municipalities/{cbs}/monthly-report", h.authed(h.monthlyReport)},
		{"GET /api/v1/municipalities/{cbs}/quarterly-report", h.authed(h.quarterlyReport)},
		{"GET /api/v1/management-reports", h.authed(h.storedReports)},
		{"GET /api/v1/management-reports/{id}", h.authed(h.storedReport)},
		{"GET /api/v1/municipalities/{cbs}/monthly-report/{format}", h.authed(h.monthlyReportFile)},
		{"GET /api/v1/municipalities/{cbs}/quarterly-report/pdf", h.authed(h.quarterlyReportFile)},
		{"GET /api/v1/management-reports/{id}/{format}", h.authed(h.storedReportFile)},
	}
}

// reportPeriod reads from and to (YYYY-MM): both default to last month,
// to to from.
func reportPeriod(r *http.Request, now opstap.Month) (from, to opstap.Month, err error) {
	q := r.URL.Query()
	if from, err = monthParam("from", q.Get("from"), now.Add(-1)); err != nil {
		return
	}
	to, err = monthParam("to", q.Get("to"), from)
	return
}

func (h *Handler) monthlyReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	from, to, err := reportPeriod(r, opstap.MonthOf(opstap.DateOf(h.DB.Now())))
	if err != nil {
		return err
	}
	rep, err := h.DB.MonthlyReport(r.Context(), a, r.PathValue("cbs"), from, to)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rep)
	return nil
}

// quarterParam reads the quarter (2026-Q3); absent, the last ended one.
func quarterParam(v string, today opstap.Date) (mgmtreport.Quarter, error) {
	if v == "" {
		return mgmtreport.QuarterOf(opstap.MonthOf(today)).Previous(), nil
	}
	return mgmtreport.ParseQuarter(v)
}

func (h *Handler) quarterlyReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	q, err := quarterParam(r.URL.Query().Get("quarter"), opstap.DateOf(h.DB.Now()))
	if err != nil {
		return err
	}
	rep, err := h.DB.QuarterlyReport(r.Context(), a, r.PathValue("cbs"), q)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rep)
	return nil
}

func (h *Handler) storedReports(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rs, err := h.DB.StoredReports(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"reports": nonNil(rs)})
	return nil
}

func (h *Handler) storedReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rep, err := h.DB.StoredMonthly(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rep)
	return nil
}

// fileFormat checks the {format} of a download.
func fileFormat(r *http.Request) (string, error) {
	f := r.PathValue("format")
	if f != "pdf" && f != "xlsx" {
		return "", opstap.Errorf(opstap.ENOTFOUND, "no such report")
	}
	return f, nil
}

func (h *Handler) monthlyReportFile(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	format, err := fileFormat(r)
	if err != nil {
		return err
	}
	from, to, err := reportPeriod(r, opstap.MonthOf(opstap.DateOf(h.DB.Now())))
	if err != nil {
		return err
	}
	rep, err := h.DB.MonthlyReport(r.Context(), a, r.PathValue("cbs"), from, to)
	if err != nil {
		return err
	}
	return download.Files{DB: h.DB}.MonthlyReport(w, r, a, rep, format)
}

func (h *Handler) storedReportFile(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	format, err := fileFormat(r)
	if err != nil {
		return err
	}
	rep, err := h.DB.StoredMonthly(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return download.Files{DB: h.DB}.MonthlyReport(w, r, a, rep, format)
}

func (h *Handler) quarterlyReportFile(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	q, err := quarterParam(r.URL.Query().Get("quarter"), opstap.DateOf(h.DB.Now()))
	if err != nil {
		return err
	}
	rep, err := h.DB.QuarterlyReport(r.Context(), a, r.PathValue("cbs"), q)
	if err != nil {
		return err
	}
	return download.Files{DB: h.DB}.QuarterlyReport(w, r, a, rep)
}
