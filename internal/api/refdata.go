package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).refdataRoutes) }

// refdataRoutes: the reference data the flex platform codes against (ESCO
// occupations, 4-digit postcodes). It holds no personal data, so every
// signed-in user may read it.
func (h *Handler) refdataRoutes() []route {
	return []route{
		{"GET /api/v1/occupations", h.authed(h.occupations)},
		{"GET /api/v1/postcodes/{code4}", h.authed(h.postcode)},
	}
}

func (h *Handler) occupations(w http.ResponseWriter, r *http.Request, _ *opstap.Actor) error {
	limit, err := httpx.QueryInt(r, "limit", store.DefaultOccupationResults, 1, store.MaxOccupationResults)
	if err != nil {
		return err
	}
	occs, err := h.DB.FindOccupations(r.Context(), r.URL.Query().Get("q"), limit)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"occupations": nonNil(occs)})
	return nil
}

func (h *Handler) postcode(w http.ResponseWriter, r *http.Request, _ *opstap.Actor) error {
	p, err := h.DB.FindPostcode(r.Context(), r.PathValue("code4"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, p)
	return nil
}
