package web

import (
	"github.com/opstap/opstap"
	"net/http"

	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() { registrars = append(registrars, (*Handler).registerEmployerCV) }

func (h *Handler) registerEmployerCV(mux *http.ServeMux) {
	mux.HandleFunc("GET /employer/candidates/{id}/cv", h.authed(h.employerCVs))
	mux.HandleFunc("GET /employer/candidates/{id}/cv/{doc}", h.authed(h.employerCV))
}

type employerCVData struct {
	CandidateID string
	CVs         []store.Document
}

// employerCVs shows the CVs a placed candidate agreed to share [004].
func (h *Handler) employerCVs(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "CV")
	docs, err := h.DB.EmployerCVs(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	p.Data = employerCVData{CandidateID: r.PathValue("id"), CVs: docs}
	return h.render(w, r, http.StatusOK, "employer_cv", p)
}

func (h *Handler) employerCV(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	doc, content, err := h.DB.EmployerCV(r.Context(), a, r.PathValue("id"), r.PathValue("doc"))
	if err != nil {
		return err
	}
	httpx.ServeDocument(w, doc, content)
	return nil
}
