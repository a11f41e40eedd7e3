package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

func init() { registrars = append(registrars, (*Handler).registerDossier) }

func (h *Handler) registerDossier(mux *http.ServeMux) {
	mux.HandleFunc("GET /candidates/{id}/dossier", h.authed(h.dossier))
	mux.HandleFunc("POST /candidates/{id}/dossier/entries", h.authed(h.createEntry))
	mux.HandleFunc("GET /candidates/{id}/dossier/entries/{entry}", h.authed(h.entryForm))
	mux.HandleFunc("POST /candidates/{id}/dossier/entries/{entry}", h.authed(h.updateEntry))
	mux.HandleFunc("GET /candidates/{id}/dossier/entries/{entry}/history", h.authed(h.entryHistory))
	mux.HandleFunc("POST /candidates/{id}/dossier/documents", h.authed(h.uploadDocument))
	mux.HandleFunc("GET /candidates/{id}/dossier/documents/{doc}", h.authed(h.downloadDocument))
	mux.HandleFunc("GET /candidates/{id}/medical", h.authed(h.medical))
	mux.HandleFunc("POST /candidates/{id}/medical/entries", h.authed(h.createEntry))
	mux.HandleFunc("POST /candidates/{id}/medical/limitations", h.authed(h.setLimitations))
}

// option is a value with its English label for a select or checkbox list.
type option struct{ Value, Label string }

var kindLabels = map[dossier.EntryKind]string{
	dossier.EntryConversationNote:    "Conversation note",
	dossier.EntryCorrespondence:      "Correspondence",
	dossier.EntryInstrument:          "Instrument (test or training)",
	dossier.EntryThirdPartyReference: "Third-party reference",
	dossier.EntryResult:              "Result",
	dossier.EntryDiagnosis:           "Diagnosis",
	dossier.EntryMedicalNote:         "Medical note",
}

var docLabels = map[dossier.DocumentKind]string{
	dossier.DocCV: "CV", dossier.DocDiploma: "Diploma", dossier.DocLetter: "Letter",
	dossier.DocSignedAgreement: "Signed agreement", dossier.DocOther: "Other document",
}

func kindOptions(kinds []dossier.EntryKind) []option {
	var out []option
	for _, k := range kinds {
		out = append(out, option{string(k), kindLabels[k]})
	}
	return out
}

func docOptions() []option {
	var out []option
	for _, k := range dossier.DocumentKinds {
		out = append(out, option{string(k), docLabels[k]})
	}
	return out
}

// dossierData is what the dossier, entry and medical pages show.
type dossierData struct {
	View        string // list, entry, history or medical: one template shows them all
	ID          string
	Page        *store.DossierPage
	Entries     store.EntryList
	Kinds       []option
	DocKinds    []option
	Kind        string
	PageNo      int
	NeedsReason bool
	Entry       *store.Entry
	History     []store.EntryVersion
	Limits      *store.Limitations
	LimitList   []dossier.Limitation
	Today       string
}

// KindLabel and DocLabel give a kind's English label for .T.
func (d *dossierData) KindLabel(k dossier.EntryKind) string   { return kindLabels[k] }
func (d *dossierData) DocLabel(k dossier.DocumentKind) string { return docLabels[k] }

// KiB is a size in whole KiB, rounded up.
func (d *dossierData) KiB(n int64) int64 { return (n + 1023) / 1024 }

// PageLink is the link to the page delta pages from the current one, for
// the current kind.
func (d *dossierData) PageLink(delta int) string {
	v := url.Values{}
	if d.Kind != "" {
		v.Set("kind", d.Kind)
	}
	v.Set("page", strconv.Itoa(d.PageNo+delta))
	return "/candidates/" + d.ID + "/dossier?" + v.Encode()
}

func (h *Handler) newDossierData(r *http.Request) *dossierData {
	return &dossierData{ID: r.PathValue("id"), Kinds: kindOptions(dossier.NoteKinds),
		DocKinds: docOptions(), LimitList: dossier.LimitationList, Today: opstap.DateOf(h.DB.Now()).String()}
}

// dossier shows the latest entries, the add form and the documents. The
// store logs one audit entry per category read.
func (h *Handler) dossier(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.dossierPage(w, r, http.StatusOK, h.newPage(r, "Dossier"))
}

func (h *Handler) dossierPage(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	d := h.newDossierData(r)
	d.Kind = r.URL.Query().Get("kind")
	// The page's own links carry the number; anything else shows the first.
	d.PageNo, _ = strconv.Atoi(r.URL.Query().Get("page"))
	dp, err := h.DB.DossierPage(r.Context(), httpx.AuthFrom(r).Actor, d.ID, store.EntryQuery{Kind: dossier.EntryKind(d.Kind), Page: d.PageNo}, store.PurposeGuidance, "")
	if e := opstap.AsError(err); e != nil && e.Field == "reason" {
		// A coach who is not assigned states a reason first [001].
		d.NeedsReason = true
		p.setError(err)
		p.Data = d
		return h.render(w, r, http.StatusForbidden, "dossier", p)
	} else if err != nil {
		return err
	}
	d.Page = dp
	p.Title = p.T("Dossier of %s", dp.Candidate.Basic.FirstName+" "+dp.Candidate.Basic.LastName)
	p.Data = d
	return h.render(w, r, status, "dossier", p)
}

// entryFromForm reads an entry from a posted form; a malformed date or a
// value above the API's limits is refused naming its field.
func entryFromForm(r *http.Request) (dossier.EntryInput, error) {
	in := dossier.EntryInput{Kind: dossier.EntryKind(r.PostFormValue("kind")), Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	v, err := postedInt(r, "version")
	if err != nil {
		return in, err
	}
	in.Version = v
	d, err := opstap.ParseDate(strings.TrimSpace(r.PostFormValue("occurred_on")))
	if err != nil {
		return in, opstap.FieldError("occurred_on", "not a valid date")
	}
	in.OccurredOn = d
	return in, formLimits(&in)
}

// segmentPath is the page of the segment an entry kind belongs to.
func segmentPath(id string, k dossier.EntryKind) string {
	if k.Category() == opstap.CatMedical {
		return "/candidates/" + id + "/medical"
	}
	return "/candidates/" + id + "/dossier"
}

func (h *Handler) createEntry(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id := r.PathValue("id")
	in, err := entryFromForm(r)
	medical := strings.HasSuffix(r.URL.Path, "/medical/entries")
	if err == nil && (in.Kind.Category() == opstap.CatMedical) != medical {
		err = opstap.FieldError("kind", "unknown kind of dossier entry")
	}
	if err == nil {
		_, err = h.DB.CreateEntry(r.Context(), a, id, in, store.PurposeGuidance)
	}
	if err != nil {
		p := h.formPage(r, "Dossier", err)
		if medical {
			return h.medicalPage(w, r, httpx.Status(err), p)
		}
		return h.dossierPage(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, segmentPath(id, in.Kind), i18n.T(httpx.Lang(r), "Entry added."))
	return nil
}

// entryForm shows one entry with a form for its next version.
func (h *Handler) entryForm(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.entryPage(w, r, http.StatusOK, h.newPage(r, "Edit entry"))
}

func (h *Handler) entryPage(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	d := h.newDossierData(r)
	e, err := h.DB.Entry(r.Context(), httpx.AuthFrom(r).Actor, d.ID, r.PathValue("entry"), store.PurposeGuidance, "")
	if err != nil {
		return err
	}
	d.Entry, d.View = e, "entry"
	if e.Kind.Category() == opstap.CatMedical {
		d.Kinds = kindOptions(dossier.MedicalKinds)
	}
	if len(p.Form) == 0 {
		p.Form = url.Values{"kind": {string(e.Kind)}, "title": {e.Title}, "body": {e.Body}, "occurred_on": {e.OccurredOn.String()}}
	}
	p.Data = d
	return h.render(w, r, status, "dossier", p)
}

func (h *Handler) updateEntry(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id := r.PathValue("id")
	in, err := entryFromForm(r)
	if err == nil {
		_, err = h.DB.UpdateEntry(r.Context(), a, id, r.PathValue("entry"), in, store.PurposeGuidance)
	}
	if err != nil {
		p := h.formPage(r, "Edit entry", err)
		return h.entryPage(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, segmentPath(id, in.Kind), i18n.T(httpx.Lang(r), "Entry saved; the earlier version is kept in its history."))
	return nil
}

func (h *Handler) entryHistory(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "History of the entry")
	d := h.newDossierData(r)
	vs, err := h.DB.EntryHistory(r.Context(), a, d.ID, r.PathValue("entry"), store.PurposeGuidance, "")
	if err != nil {
		return err
	}
	d.History, d.View = vs, "history"
	p.Data = d
	return h.render(w, r, http.StatusOK, "dossier", p)
}

func (h *Handler) uploadDocument(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id := r.PathValue("id")
	up, err := httpx.ReadUpload(w, r, "file", dossier.MaxDocumentSize)
	if err == nil {
		_, err = h.DB.UploadDocument(r.Context(), a, id, dossier.DocumentKind(r.FormValue("kind")), up.Filename, up.Content)
	}
	if err != nil {
		p := h.newPage(r, "Dossier")
		p.setError(err)
		return h.dossierPage(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/candidates/"+id+"/dossier", i18n.T(httpx.Lang(r), "Document stored."))
	return nil
}

func (h *Handler) downloadDocument(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	doc, content, err := h.DB.DownloadDocument(r.Context(), a, r.PathValue("id"), r.PathValue("doc"), store.PurposeGuidance, "")
	if err != nil {
		return err
	}
	httpx.ServeDocument(w, doc, content)
	return nil
}

// medical is the medical segment: entries and the limitations editor, for
// medical experts only [002 art 4.3, 5.1]; the policy refuses everyone else.
func (h *Handler) medical(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.medicalPage(w, r, http.StatusOK, h.newPage(r, "Medical segment"))
}

func (h *Handler) medicalPage(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	d := h.newDossierData(r)
	d.Kinds, d.View = kindOptions(dossier.MedicalKinds), "medical"
	var err error
	if d.Entries, err = h.DB.Entries(r.Context(), a, d.ID, opstap.CatMedical, store.EntryQuery{}, store.PurposeGuidance, ""); err != nil {
		return err
	}
	if d.Limits, err = h.DB.Limitations(r.Context(), a, d.ID, store.PurposeGuidance, ""); err != nil {
		return err
	}
	p.Data = d
	return h.render(w, r, status, "dossier", p)
}

func (h *Handler) setLimitations(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id := r.PathValue("id")
	if err := parseForm(r); err != nil {
		return err
	}
	l := store.Limitations{Codes: r.PostForm["codes"], SharedWithConsent: r.PostFormValue("shared_with_consent") == "yes"}
	if _, err := h.DB.SetLimitations(r.Context(), a, id, l); err != nil {
		p := h.newPage(r, "Medical segment")
		p.setError(err)
		return h.medicalPage(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/candidates/"+id+"/medical", i18n.T(httpx.Lang(r), "Limitations saved."))
	return nil
}
