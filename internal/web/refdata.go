package web

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerRefdata)
	addNav(navItem{Order: 82, Href: "/admin/refdata", Label: "Reference data", Roles: []opstap.Role{opstap.RoleAdmin}})
}

// registerRefdata adds the administrator's reference-data page: counts,
// import history and an upload form per file (docs/refdata.md).
func (h *Handler) registerRefdata(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/refdata", h.authed(h.refdataPage))
	mux.HandleFunc("POST /admin/refdata/{kind}", h.authed(h.refdataUpload))
}

type refdataData struct {
	Status *store.RefdataStatus
}

func (h *Handler) refdataPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderRefdata(w, r, http.StatusOK, h.newPage(r, "Reference data"))
}

func (h *Handler) renderRefdata(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	st, err := h.DB.RefdataOverview(r.Context(), httpx.AuthFrom(r).Actor)
	if err != nil {
		return err
	}
	p.Data = refdataData{Status: st}
	return h.render(w, r, status, "refdata", p)
}

// importer is DB.ImportOccupations or DB.ImportPostcodes.
type importer func(context.Context, *opstap.Actor, string, io.Reader) (*store.RefdataImport, error)

// refdataImporter returns the import for the form's kind and the message
// shown after it.
func (h *Handler) refdataImporter(kind string) (importer, string) {
	switch kind {
	case store.RefdataOccupations:
		return h.DB.ImportOccupations, "%d occupations imported: %d added, %d removed."
	case store.RefdataPostcodes:
		return h.DB.ImportPostcodes, "%d postcodes imported: %d added, %d removed."
	}
	return nil, ""
}

func (h *Handler) refdataUpload(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	kind := r.PathValue("kind")
	imp, done := h.refdataImporter(kind)
	if imp == nil {
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	up, err := httpx.ReadUpload(w, r, "file", store.MaxRefdataFile)
	var res *store.RefdataImport
	if err == nil {
		res, err = imp(r.Context(), a, up.Filename, bytes.NewReader(up.Content))
	}
	if err != nil {
		if opstap.ErrorCode(err) == opstap.EFORBIDDEN {
			return err
		}
		p := h.newPage(r, "Reference data")
		p.setError(err)
		// Each form has its own file field: show the error beside the one sent.
		if msg, ok := p.Errors["file"]; ok {
			delete(p.Errors, "file")
			p.Errors[kind+"-file"] = msg
		}
		return h.renderRefdata(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/admin/refdata", i18n.T(httpx.Lang(r), done, res.Rows, res.Added, res.Removed))
	return nil
}
