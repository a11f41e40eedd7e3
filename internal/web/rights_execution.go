package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
)

func init() { registrars = append(registrars, (*Handler).registerRightsExecution) }

// registerRightsExecution adds the page where a rectification or screening
// request's change is recorded (privacy officer) and a granted
// rectification is confirmed (the coach, who gets a notification with the
// link) [001; 002 art 7.2].
func (h *Handler) registerRightsExecution(mux *http.ServeMux) {
	mux.HandleFunc("GET /privacy/requests/{id}/change", h.authed(h.changePage))
	mux.HandleFunc("POST /privacy/requests/{id}/change", h.authed(h.formPost("Change to carry out", h.renderChange, h.setChange)))
	mux.HandleFunc("POST /privacy/requests/{id}/change/apply", h.authed(h.formPost("Change to carry out", h.renderChange, h.applyChange)))
}

type changeData struct {
	C           *store.RightsChange
	Officer     bool
	Rectifiable []opstap.Category
	Screenable  []opstap.Category
}

// Screened reports whether c is among the recorded categories.
func (d changeData) Screened(c opstap.Category) bool { return slices.Contains(d.C.Screen, c) }

// Fields lists the recorded corrected values in a stable order.
func (d changeData) Fields() [][2]string {
	if d.C.Rectification == nil {
		return nil
	}
	var out [][2]string
	for k, v := range d.C.Rectification.Values {
		out = append(out, [2]string{k, v})
	}
	slices.SortFunc(out, func(x, y [2]string) int {
		if x[0] < y[0] {
			return -1
		}
		return 1
	})
	return out
}

func (h *Handler) changePage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderChange(w, r, http.StatusOK, h.newPage(r, "Change to carry out"))
}

// renderChange shows the privacy officer the recorded change and its
// forms; anyone else sees a granted rectification to confirm, which the
// policy allows only to who may write the category.
func (h *Handler) renderChange(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a, id := httpx.AuthFrom(r).Actor, r.PathValue("id")
	d := changeData{Officer: access.IsPrivacyOfficer(a, false),
		Rectifiable: privacy.Rectifiable, Screenable: privacy.Screenable}
	var err error
	if d.Officer {
		d.C, err = h.DB.FindRightsChange(r.Context(), a, id)
	} else {
		d.C, err = h.DB.RightsChangeToApply(r.Context(), a, id)
	}
	if err != nil {
		return err
	}
	if d.C.Kind == privacy.RightRectification && d.C.Rectification != nil && p.Form.Get("values") == "" && p.Form.Get("category") == "" {
		p.Form.Set("category", string(d.C.Rectification.Category))
		text := ""
		for _, f := range d.Fields() {
			text += f[0] + " = " + f[1] + "\n"
		}
		p.Form.Set("values", text)
	}
	p.Data = d
	return h.render(w, r, status, "rights_change", p)
}

func (h *Handler) setChange(r *http.Request, a *opstap.Actor) (string, string, error) {
	id := r.PathValue("id")
	var err error
	if r.PostFormValue("kind") == string(privacy.RightScreening) {
		var cats []opstap.Category
		for _, c := range r.PostForm["categories"] {
			cats = append(cats, opstap.Category(c))
		}
		_, err = h.DB.SetScreening(r.Context(), a, id, cats)
	} else {
		var values map[string]string
		if values, err = privacy.ParseRectification(r.PostFormValue("values")); err == nil {
			_, err = h.DB.SetRectification(r.Context(), a, id, privacy.Rectification{Category: opstap.Category(r.PostFormValue("category")), Values: values})
		}
	}
	return changeLink(id), "Change recorded; it is carried out when the request is granted.", err
}

func (h *Handler) applyChange(r *http.Request, a *opstap.Actor) (string, string, error) {
	_, err := h.DB.ApplyRectification(r.Context(), a, r.PathValue("id"))
	return changeLink(r.PathValue("id")), "The correction was made.", err
}

func changeLink(id string) string { return "/privacy/requests/" + url.PathEscape(id) + "/change" }
