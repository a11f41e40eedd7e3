package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/privacy"
)

func init() { routeGroups = append(routeGroups, (*Handler).processorRoutes) }

// processorRoutes: the processor duties [003 bewerkersovereenkomst]:
// sub-processors, the audit schedule per commissioner and its contract.
func (h *Handler) processorRoutes() []route {
	return []route{
		{"GET /api/v1/privacy/sub-processors", h.authed(h.subProcessors)},
		{"POST /api/v1/privacy/sub-processors", h.authed(h.saveSubProcessor)},
		{"PUT /api/v1/privacy/sub-processors/{id}", h.authed(h.saveSubProcessor)},
		{"GET /api/v1/privacy/processor-duties", h.authed(h.processorDuties)},
		{"POST /api/v1/privacy/processor-duties/{org}/audits", h.authed(h.recordProcessorAudit)},
		{"PUT /api/v1/privacy/processor-duties/{org}/contract", h.authed(h.setContract)},
	}
}

func (h *Handler) subProcessors(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ss, err := h.DB.FindSubProcessors(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"sub_processors": ss})
	return nil
}

func (h *Handler) saveSubProcessor(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in privacy.SubProcessor
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	id := r.PathValue("id")
	s, err := h.DB.SaveSubProcessor(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if id == "" {
		status = http.StatusCreated
	}
	httpx.WriteJSON(w, status, s)
	return nil
}

func (h *Handler) processorDuties(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ds, err := h.DB.ProcessorDuties(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"commissioners": ds})
	return nil
}

func (h *Handler) recordProcessorAudit(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		AuditedOn opstap.Date `json:"audited_on" validate:"required"`
		Auditor   string      `json:"auditor" validate:"required,max=500"`
		Findings  string      `json:"findings" validate:"max=5000"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.RecordProcessorAudit(r.Context(), a, r.PathValue("org"), in.AuditedOn, in.Auditor, in.Findings))
}

func (h *Handler) setContract(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in privacy.Contract
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.SetContract(r.Context(), a, r.PathValue("org"), in))
}
