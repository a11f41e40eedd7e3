package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).payoutRoutes) }

// payoutRoutes: candidates' premium and travel payouts as SEPA batches
// [003 art 5 lid 3, 9; Participatiewet art 31 lid 2 onder j].
func (h *Handler) payoutRoutes() []route {
	return []route{
		{"GET /api/v1/payout-batches", h.authed(h.payoutBatches)},
		{"POST /api/v1/payout-batches", h.authed(h.createPayoutBatch)},
		{"GET /api/v1/payout-batches/{id}/pain001", h.authed(download.Files{DB: h.DB}.Payout)},
		{"POST /api/v1/payout-batches/{id}/paid", h.authed(h.payoutPaid)},
		{"GET /api/v1/payouts", h.authed(h.payouts)},
	}
}

func (h *Handler) payoutBatches(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	bs, err := h.DB.PayoutBatches(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"batches": nonNil(bs)})
	return nil
}

func (h *Handler) createPayoutBatch(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var req store.PayoutRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	b, err := h.DB.CreatePayoutBatch(r.Context(), a, req)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, b)
	return nil
}

func (h *Handler) payoutPaid(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		PaidOn opstap.Date `json:"paid_on" validate:"required"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := h.DB.RecordPayoutPaid(r.Context(), a, r.PathValue("id"), in.PaidOn)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, b)
	return nil
}

func (h *Handler) payouts(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ps, err := h.DB.Payouts(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"payouts": nonNil(ps)})
	return nil
}
