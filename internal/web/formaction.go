package web

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
)

// renderer shows a page again with the status and the page's error and
// form.
type renderer func(w http.ResponseWriter, r *http.Request, status int, p *page) error

// formAction is what a form does: where to go next and the message to
// show there (an English key, translated here), or an error.
type formAction func(r *http.Request, a *opstap.Actor) (to, done string, err error)

// formPost runs a form's action after parsing it. On an error the page
// titled title is shown again by show, with the form as sent and the
// message beside its field; on success the browser goes on to the next
// page with the message.
func (h *Handler) formPost(title string, show renderer, do formAction) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		if err := parseForm(r); err != nil {
			return err
		}
		to, done, err := do(r, a)
		if err != nil {
			return show(w, r, httpx.Status(err), h.formPage(r, title, err))
		}
		h.redirect(w, r, to, i18n.T(httpx.Lang(r), done))
		return nil
	}
}

// parseForm reads a posted form into r.PostForm. FormGuard has refused an
// unreadable form before any page saw it; one it did not read (not sent as
// a form) is refused here in the same words.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return opstap.Errorf(opstap.EBADREQUEST, "the form could not be read")
	}
	return nil
}

// forbidden reports whether err is the store's refusal (EFORBIDDEN): for
// a part of a page shown only to those who may see it, which the others'
// page leaves out.
func forbidden(err error) bool { return opstap.ErrorCode(err) == opstap.EFORBIDDEN }

// formPage is the page titled title shown again after a form's error: the
// message beside its field and in the summary, and the form as it was
// sent. An unexpected error is logged as the error page logs it.
func (h *Handler) formPage(r *http.Request, title string, err error) *page {
	httpx.LogError(r, err)
	p := h.newPage(r, title)
	p.setError(err)
	p.Form = r.PostForm
	return p
}
