package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).complaintRoutes) }

// complaintRoutes: registration, the desk's queue and handling of
// complaints [000 art 12; 004 "Vragen, opmerkingen en klachten"].
func (h *Handler) complaintRoutes() []route {
	return []route{
		{"GET /api/v1/complaints", h.authed(h.complaintQueue)},
		{"GET /api/v1/complaints/handlers", h.authed(h.complaintHandlers)},
		{"GET /api/v1/complaints/{id}", h.authed(h.complaint)},
		{"POST /api/v1/complaints/{id}/acknowledge", h.authed(h.complaintStep(complaint.StepAcknowledge))},
		{"POST /api/v1/complaints/{id}/assign", h.authed(h.complaintStep(complaint.StepAssign))},
		{"POST /api/v1/complaints/{id}/outcome", h.authed(h.complaintStep(complaint.StepOutcome))},
		{"POST /api/v1/complaints/{id}/escalate", h.authed(h.complaintStep(complaint.StepEscalate))},
		{"POST /api/v1/complaints/{id}/notes", h.authed(h.complaintStep(complaint.StepNote))},
		{"GET /api/v1/candidates/{id}/complaints", h.authed(h.candidateComplaints)},
		{"POST /api/v1/candidates/{id}/complaints", h.authed(h.fileComplaint)},
	}
}

func (h *Handler) complaintQueue(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	status, q, p, err := queueParams(r)
	if err != nil {
		return err
	}
	cs, pg, err := h.DB.FindComplaints(r.Context(), a, store.ComplaintFilter{Status: status, Query: q, Paging: p})
	return writePage(w, "complaints", cs, pg, err)
}

// queueParams reads the parameters of the complaints desk's and the
// privacy officer's queues: status (open, overdue, closed or all; the
// older closed=true is all), q and the paging.
func queueParams(r *http.Request) (status, q string, p store.Paging, err error) {
	p, err = listPaging(r)
	closed, cerr := httpx.QueryBool(r, "closed")
	status, q = r.URL.Query().Get("status"), r.URL.Query().Get("q")
	if closed && status == "" {
		status = store.ListAll
	}
	return status, q, p, errors.Join(err, cerr)
}

func (h *Handler) complaintHandlers(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	hs, err := h.DB.ComplaintHandlers(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"handlers": nonNil(hs)})
	return nil
}

func (h *Handler) complaint(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	c, err := h.DB.FindComplaint(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, c)
	return nil
}

// stepBody returns the body a handling step takes: only the fields that
// step uses, with their rules, so a field of another step is refused and a
// missing one named before anything is read.
func stepBody(kind complaint.StepKind) any {
	switch kind {
	case complaint.StepAcknowledge:
		return &struct {
			On opstap.Date `json:"on"`
		}{}
	case complaint.StepAssign:
		return &struct {
			HandlerUserID string `json:"handler_user_id" validate:"required,max=64"`
		}{}
	case complaint.StepOutcome:
		return &struct {
			Outcome complaint.Outcome `json:"outcome" validate:"required,max=50"`
			Text    string            `json:"text" validate:"required,max=10000"`
			On      opstap.Date       `json:"on"`
		}{}
	case complaint.StepEscalate:
		return &struct {
			EscalatedTo complaint.Escalation `json:"escalated_to" validate:"required,max=50"`
			Text        string               `json:"text" validate:"max=10000"`
			On          opstap.Date          `json:"on"`
		}{}
	}
	return &struct {
		Text string `json:"text" validate:"required,max=10000"`
	}{}
}

// complaintStep serves one handling step; the body holds the step's fields.
func (h *Handler) complaintStep(kind complaint.StepKind) func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		body := stepBody(kind)
		if err := httpx.DecodeJSON(w, r, body); err != nil {
			return err
		}
		// The step's body holds a subset of Step's fields under the same names.
		var st complaint.Step
		if b, err := json.Marshal(body); err != nil {
			return err
		} else if err := json.Unmarshal(b, &st); err != nil {
			return err
		}
		st.Kind = kind
		c, err := h.DB.HandleComplaint(r.Context(), a, r.PathValue("id"), st)
		if err != nil {
			return err
		}
		httpx.WriteJSON(w, http.StatusOK, c)
		return nil
	}
}

func (h *Handler) candidateComplaints(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	cs, _, err := h.DB.FindComplaints(r.Context(), a, store.ComplaintFilter{CandidateID: r.PathValue("id"), Status: store.ListAll, Paging: store.Paging{Limit: store.MaxLimit}})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"complaints": nonNil(cs)})
	return nil
}

func (h *Handler) fileComplaint(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var n complaint.New
	if err := httpx.DecodeJSON(w, r, &n); err != nil {
		return err
	}
	c, err := h.DB.FileComplaint(r.Context(), a, r.PathValue("id"), n)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, c)
	return nil
}
