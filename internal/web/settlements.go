package web

import (
	"net/http"
	"net/url"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerSettlements)
	addNav(navItem{Order: 42, Href: "/settlements", Label: "Settlements", Roles: []opstap.Role{opstap.RoleFinance, opstap.RoleCaseManager}})
}

// registerSettlements: the half-year settlement with a municipality (issue
// 9 item 6): finance runs and draws it up, the municipality sees its own.
func (h *Handler) registerSettlements(mux *http.ServeMux) {
	mux.HandleFunc("GET /settlements", h.authed(h.settlementsPage))
	mux.HandleFunc("GET /settlements/{municipality}/{half_year}", h.authed(h.settlementPage))
	mux.HandleFunc("POST /settlements/{municipality}/{half_year}", h.authed(h.drawUpSettlement))
	mux.HandleFunc("GET /settlements/{municipality}/{half_year}/pdf", h.authed(download.Files{DB: h.DB}.Settlement("pdf")))
	mux.HandleFunc("GET /settlements/{municipality}/{half_year}/xlsx", h.authed(download.Files{DB: h.DB}.Settlement("xlsx")))
}

type settlementsData struct {
	List     []store.SettlementSummary
	Finance  bool
	Half     billing.HalfYear
	Previous billing.HalfYear
	Next     billing.HalfYear
}

func (h *Handler) settlementsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Half-year settlements")
	half, err := billing.HalfYearField("half_year", r.URL.Query().Get("half_year"), billing.LastHalfYear(opstap.DateOf(h.DB.Now())))
	if err != nil {
		return err
	}
	list, err := h.DB.Settlements(r.Context(), a, half)
	if err != nil {
		return err
	}
	prev := billing.HalfYear{Year: half.Year, Half: 1}
	if half.Half == 1 {
		prev = billing.HalfYear{Year: half.Year - 1, Half: 2}
	}
	p.Data = settlementsData{List: list, Finance: access.Can(a, access.ManageFinance), Half: half, Previous: prev, Next: half.Next()}
	return h.render(w, r, http.StatusOK, "settlements", p)
}

type settlementData struct {
	V       *store.SettlementView
	Outcome string
	Finance bool
	Path    string // /settlements/{municipality}/{half_year}
}

func (h *Handler) settlementPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderSettlement(w, r, http.StatusOK, h.newPage(r, "Half-year settlement"))
}

func (h *Handler) renderSettlement(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	half, err := billing.HalfYearField("half_year", r.PathValue("half_year"), billing.HalfYear{})
	if err != nil {
		return err
	}
	v, err := h.DB.Settlement(r.Context(), a, r.PathValue("municipality"), half)
	if err != nil {
		return err
	}
	p.Title = p.T("Half-year settlement %s, %s", v.HalfYear.Dutch(), v.MunicipalityName)
	p.Data = settlementData{V: v, Outcome: render.SettlementOutcome(p.Lang, v), Finance: access.Can(a, access.ManageFinance),
		Path: "/settlements/" + url.PathEscape(v.Municipality) + "/" + v.HalfYear.String()}
	return h.render(w, r, status, "settlement", p)
}

func (h *Handler) drawUpSettlement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	cbs := r.PathValue("municipality")
	to := "/settlements/" + url.PathEscape(cbs) + "/" + url.PathEscape(r.PathValue("half_year"))
	half, err := billing.HalfYearField("half_year", r.PathValue("half_year"), billing.HalfYear{})
	done := "The settlement is drawn up."
	if err == nil {
		var created bool
		if _, created, err = h.DB.DrawUpSettlement(r.Context(), a, cbs, half); err == nil && !created {
			done = "The settlement was drawn up before; nothing changed."
		}
	}
	return h.afterPost(w, r, err, to, done, "Half-year settlement", h.renderSettlement)
}
