package web

import (
	"net/http"

	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() { registrars = append(registrars, (*Handler).registerEmployerCV) }

func (h *Handler) registerEmployerCV(mux *http.ServeMux) {
	mux.HandleFunc("GET /employer/candidates/{id}/cv", h.requireActor(h.employerCVs))
	mux.HandleFunc("GET /employer/candidates/{id}/cv/{doc}", h.requireActor(h.employerCV))
}

type employerCVData struct {
	CandidateID string
	CVs         []store.Document
}

// employerCVs shows the CVs a placed candidate agreed to share [004].
func (h *Handler) employerCVs(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "CV")
	docs, err := h.DB.EmployerCVs(r.Context(), httpx.AuthFrom(r).Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Data = employerCVData{CandidateID: r.PathValue("id"), CVs: docs}
	h.render(w, r, http.StatusOK, "employer_cv", p)
}

func (h *Handler) employerCV(w http.ResponseWriter, r *http.Request) {
	doc, content, err := h.DB.EmployerCV(r.Context(), httpx.AuthFrom(r).Actor, r.PathValue("id"), r.PathValue("doc"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.ServeDocument(w, doc, content)
}
