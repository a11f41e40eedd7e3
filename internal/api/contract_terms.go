package api

import (
	"net/http"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/httpx"
)

func init() { routeGroups = append(routeGroups, (*Handler).contractTermsRoutes) }

// contractTermsRoutes: the contract terms per municipality, versioned by
// the date they take effect [003 art 5, 6], and the yearly premium cap
// table (Participatiewet art 31 lid 2 onder j).
func (h *Handler) contractTermsRoutes() []route {
	return []route{
		{"GET /api/v1/contract-terms", h.authed(h.contractTerms)},
		{"GET /api/v1/contract-terms/{cbs}", h.authed(h.municipalityTerms)},
		{"POST /api/v1/contract-terms/{cbs}", h.authed(h.addContractTerms)},
		{"GET /api/v1/premium-caps", h.authed(h.premiumCaps)},
		{"PUT /api/v1/premium-caps/{year}", h.authed(h.setPremiumCap)},
	}
}

func (h *Handler) contractTerms(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ms, err := h.DB.ContractTerms(r.Context(), a)
	if err != nil {
		return err
	}
	for i := range ms {
		ms[i].Versions = nonNil(ms[i].Versions)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"municipalities": nonNil(ms)})
	return nil
}

func (h *Handler) municipalityTerms(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	m, err := h.DB.MunicipalityContractTerms(r.Context(), a, r.PathValue("cbs"))
	if err != nil {
		return err
	}
	m.Versions = nonNil(m.Versions)
	httpx.WriteJSON(w, http.StatusOK, m)
	return nil
}

func (h *Handler) addContractTerms(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var t billing.Terms
	if err := httpx.DecodeJSON(w, r, &t); err != nil {
		return err
	}
	t.Municipality = r.PathValue("cbs")
	out, err := h.DB.AddContractTerms(r.Context(), a, t)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (h *Handler) premiumCaps(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	cs, err := h.DB.PremiumCaps(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"caps": nonNil(cs)})
	return nil
}

func (h *Handler) setPremiumCap(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var c billing.Cap
	if err := httpx.DecodeJSON(w, r, &c); err != nil {
		return err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return opstap.FieldError("year", "the year must lie between 2000 and 2200")
	}
	c.Year = year
	if err := h.DB.SetPremiumCap(r.Context(), a, c); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, c)
	return nil
}
