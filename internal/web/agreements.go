package web

import (
	"net/http"
	"net/url"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerAgreements)
	addNav(navItem{Order: 36, Href: "/portal/agreements", Label: "My agreements", Roles: []opstap.Role{opstap.RoleCandidate}})
}

// registerAgreements adds the privacy statement and the cooperation
// agreement at the start of a trajectory [000 art 4; 004]: the coach's
// tab on the candidate's file and the candidate's portal page.
func (h *Handler) registerAgreements(mux *http.ServeMux) {
	mux.HandleFunc("GET /candidates/{id}/agreements", h.authed(h.agreementsPage))
	mux.HandleFunc("POST /candidates/{id}/agreements", h.authed(h.formPost("Agreements", h.renderAgreements, h.offerAgreement)))
	mux.HandleFunc("POST /candidates/{id}/agreements/{aid}/signed", h.authed(h.formPost("Agreements", h.renderAgreements, h.signedAgreement)))
	mux.HandleFunc("GET /portal/agreements", h.authed(h.portalAgreements))
	mux.HandleFunc("POST /portal/agreements/{aid}/accept", h.authed(h.acceptAgreement))
}

type agreementsData struct {
	ID         string
	Agreements []store.Agreement
	Kinds      []privacy.AgreementKind
	Signed     []store.Document // signed forms in the dossier, for the coach
	Complete   bool
}

func (h *Handler) loadAgreements(r *http.Request, id string, staff bool) (agreementsData, error) {
	a := httpx.AuthFrom(r).Actor
	d := agreementsData{ID: id, Kinds: privacy.AgreementKinds}
	var err error
	if d.Agreements, err = h.DB.Agreements(r.Context(), a, id); err != nil {
		return d, err
	}
	plain := make([]privacy.Agreement, len(d.Agreements))
	for i, g := range d.Agreements {
		plain[i] = g.Agreement
	}
	d.Complete = privacy.StartComplete(plain)
	if staff {
		docs, err := h.DB.Documents(r.Context(), a, id, store.PurposeGuidance, "")
		if err != nil {
			return d, err
		}
		for _, doc := range docs {
			if doc.Kind == dossier.DocSignedAgreement {
				d.Signed = append(d.Signed, doc)
			}
		}
	}
	return d, nil
}

func (h *Handler) agreementsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderAgreements(w, r, http.StatusOK, h.newPage(r, "Agreements"))
}

func (h *Handler) renderAgreements(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	d, err := h.loadAgreements(r, r.PathValue("id"), true)
	if err != nil {
		return err
	}
	if p.Form.Get("version") == "" {
		p.Form.Set("version", privacy.AgreementDefaultVersion)
	}
	p.Data = d
	return h.render(w, r, status, "agreements", p)
}

func (h *Handler) offerAgreement(r *http.Request, a *opstap.Actor) (string, string, error) {
	id := r.PathValue("id")
	g := privacy.Agreement{Kind: privacy.AgreementKind(r.PostFormValue("kind")), Version: r.PostFormValue("version")}
	_, err := h.DB.OfferAgreement(r.Context(), a, id, g)
	return "/candidates/" + url.PathEscape(id) + "/agreements", "Recorded as handed over; the candidate can accept it in the portal.", err
}

func (h *Handler) signedAgreement(r *http.Request, a *opstap.Actor) (string, string, error) {
	_, err := h.DB.RecordSignedAgreement(r.Context(), a, r.PathValue("aid"), r.PostFormValue("document_id"))
	return "/candidates/" + url.PathEscape(r.PathValue("id")) + "/agreements", "Signed form recorded.", err
}

func (h *Handler) portalAgreements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "My agreements")
	id, err := h.DB.OwnCandidateID(r.Context(), a)
	var d agreementsData
	if err == nil {
		d, err = h.loadAgreements(r, id, false)
	}
	if err != nil {
		return err
	}
	p.Data = d
	return h.render(w, r, http.StatusOK, "portal_agreements", p)
}

func (h *Handler) acceptAgreement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if _, err := h.DB.AcceptAgreement(r.Context(), a, r.PathValue("aid")); err != nil {
		return err
	}
	h.redirect(w, r, "/portal/agreements", i18n.T(httpx.Lang(r), "Thank you: your acceptance is recorded."))
	return nil
}
