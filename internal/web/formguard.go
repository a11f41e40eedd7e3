package web

import (
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// maxFormValue is the longest text any form field takes: the longest text
// of any request type (a report's text). Forms with per-field limits
// (limits.go) refuse less, beside the field; this guard is the floor under
// every other form.
const maxFormValue = 100_000

// FormGuard refuses, before any page handler sees it, a posted form
// (application/x-www-form-urlencoded) whose names or values are not valid
// UTF-8, hold a NUL character, or are longer than any field takes: bad
// input is refused naming the field and stores nothing, on every form the
// same way the API's decoder refuses it (issue 11 items 3–4). Uploads
// (multipart) are read by their handlers under their own body limits.
func (h *Handler) FormGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		// A type that does not parse is no form: its handler reads the body.
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
			next.ServeHTTP(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			h.fail(w, r, opstap.Errorf(opstap.EBADREQUEST, "the form could not be read"))
			return
		}
		if err := checkForm(r); err != nil {
			h.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func checkForm(r *http.Request) error {
	for name, values := range r.PostForm {
		if !utf8.ValidString(name) || strings.IndexByte(name, 0) >= 0 {
			return opstap.Errorf(opstap.EBADREQUEST, "the form holds a field name that is not valid text")
		}
		for _, v := range values {
			switch {
			case !utf8.ValidString(v):
				return &opstap.Error{Code: opstap.EBADREQUEST, Field: name, Message: "the field %s is not valid UTF-8 text", Args: []any{name}}
			case strings.IndexByte(v, 0) >= 0:
				return &opstap.Error{Code: opstap.EBADREQUEST, Field: name, Message: "the field %s contains a NUL character", Args: []any{name}}
			case utf8.RuneCountInString(v) > maxFormValue:
				return &opstap.Error{Code: opstap.EINVALID, Field: name, Message: "the field %s is longer than %d characters", Args: []any{name, maxFormValue}}
			}
		}
	}
	return nil
}
