package web

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/csvfile"
	"github.com/opstap/opstap/internal/history"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

func init() { registrars = append(registrars, (*Handler).registerHistory) }

// registerHistory adds the history import (issue 10 item 3), reached from
// the figures page.
func (h *Handler) registerHistory(mux *http.ServeMux) {
	mux.HandleFunc("GET /figures/history", h.authed(h.historyForm))
	mux.HandleFunc("POST /figures/history", h.authed(h.historyUpload))
}

type historyData struct {
	Municipalities []store.FigureMunicipality
	Chosen         string
	Result         *store.HistoryResult
	Rows           []csvfile.RowError
}

// historyPage shows the form: a case manager imports for their own
// municipality, the provider's admin chooses one.
func (h *Handler) historyPage(w http.ResponseWriter, r *http.Request, status int, p *page, d historyData) error {
	a := httpx.AuthFrom(r).Actor
	if !access.Can(a, access.ImportFigureHistory) {
		return opstap.Errorf(opstap.EFORBIDDEN, "you are not allowed to do this")
	}
	ms, err := h.DB.FigureMunicipalities(r.Context(), a)
	if err != nil {
		return err
	}
	d.Municipalities = ms
	if d.Chosen == "" && len(ms) > 0 {
		d.Chosen = ms[0].CBS
	}
	p.Data = d
	return h.render(w, r, status, "figure_history", p)
}

func (h *Handler) historyForm(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.historyPage(w, r, http.StatusOK, h.newPage(r, "Import the municipality's history"), historyData{Chosen: r.URL.Query().Get("municipality")})
}

func (h *Handler) historyUpload(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Import the municipality's history")
	if !access.Can(a, access.ImportFigureHistory) {
		return opstap.Errorf(opstap.EFORBIDDEN, "you are not allowed to do this")
	}
	up, err := httpx.ReadUpload(w, r, "file", history.MaxFile)
	d := historyData{Chosen: r.FormValue("municipality")}
	if err != nil {
		if opstap.ErrorCode(err) == opstap.EINVALID {
			err = opstap.FieldError("file", "choose a CSV file")
		}
		p.setError(err)
		return h.historyPage(w, r, httpx.Status(err), p, d)
	}
	if d.Chosen == "" {
		// One municipality to choose from (a case manager's own): that one.
		ms, err := h.DB.FigureMunicipalities(r.Context(), a)
		if err != nil {
			return err
		}
		if len(ms) == 1 {
			d.Chosen = ms[0].CBS
		}
	}
	recs, err := history.ParseCSV(bytes.NewReader(up.Content), opstap.DateOf(h.DB.Now()))
	var res store.HistoryResult
	if err == nil {
		res, err = h.DB.ImportHistory(r.Context(), a, d.Chosen, recs)
	}
	var fe *csvfile.FileError
	switch {
	case errors.As(err, &fe):
		p.setError(err)
		d.Rows = fe.Rows
		return h.historyPage(w, r, http.StatusUnprocessableEntity, p, d)
	case opstap.ErrorCode(err) == opstap.EINVALID:
		p.setError(err)
		return h.historyPage(w, r, httpx.Status(err), p, d)
	case err != nil:
		return err
	}
	d.Result = &res
	p.Flash = i18n.N(p.Lang, "History imported: %d candidates, of whom %d replaced an earlier import.", res.Candidates, res.Replaced)
	return h.historyPage(w, r, http.StatusOK, p, d)
}
