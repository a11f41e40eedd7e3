package web

import (
	"bytes"
	"encoding/base64"
	"github.com/opstap/opstap"
	"image/png"
	"net/http"
	"net/url"
	"time"

	"github.com/opstap/opstap/internal/auth"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

// SessionCookie names the session cookie.
const SessionCookie = "opstap_session"

func (h *Handler) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: h.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(h.DB.SessionPolicy().MaxAge / time.Second)})
}

func (h *Handler) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Path: "/", HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

type loginData struct {
	Next string
	OIDC bool
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if a != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	p := h.newPage(r, "Sign in")
	p.Data = loginData{Next: httpx.LocalPath(r.URL.Query().Get("next")), OIDC: h.OIDC != nil}
	return h.render(w, r, http.StatusOK, "login", p)
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	email, pw := r.PostFormValue("email"), r.PostFormValue("password")
	next := httpx.LocalPath(r.PostFormValue("next"))
	token, s, err := h.DB.Login(r.Context(), email, pw, httpx.ClientAddress(r))
	if err != nil {
		p := h.newPage(r, "Sign in")
		p.setError(err)
		p.Form.Set("email", email)
		p.Data = loginData{Next: next, OIDC: h.OIDC != nil}
		return h.render(w, r, httpx.Status(err), "login", p)
	}
	h.setSessionCookie(w, token)
	if !auth.SessionUsable(s.MFARequired, s.MFADone) {
		http.Redirect(w, r, "/login/totp?next="+url.QueryEscape(next), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

type totpData struct {
	Next     string
	Enrol    bool
	Secret   string
	QR       string // data: URL of the QR code image
	DemoCode string
}

func (h *Handler) totpForm(w http.ResponseWriter, r *http.Request, _ *opstap.Actor) error {
	a := httpx.AuthFrom(r)
	if a.Session == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if a.Actor != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	p := h.newPage(r, "Second factor")
	d, err := h.totpData(r, a.Session)
	if err != nil {
		return err
	}
	p.Data = d
	return h.render(w, r, http.StatusOK, "totp", p)
}

func (h *Handler) totpData(r *http.Request, s *store.Session) (*totpData, error) {
	d := &totpData{Next: httpx.LocalPath(r.URL.Query().Get("next")), Enrol: !s.MFAEnrolled}
	if r.Method == http.MethodPost {
		d.Next = httpx.LocalPath(r.PostFormValue("next"))
	}
	if d.Enrol {
		key, err := h.DB.BeginTOTPEnrolment(r.Context(), s.UserID)
		if err != nil {
			return nil, err
		}
		d.Secret = key.Secret()
		// The secret is shown as text too: without the image, one types it in.
		if img, err := key.Image(200, 200); err == nil {
			var buf bytes.Buffer
			if png.Encode(&buf, img) == nil {
				d.QR = "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
			}
		}
	}
	if h.Demo {
		// A demo convenience, not a step of signing in: when no code can be
		// shown (none set up yet, none left this half minute), none is.
		if code, err := h.DB.DemoTOTPCode(r.Context(), s.UserID); err == nil {
			d.DemoCode = code
		}
	}
	return d, nil
}

func (h *Handler) totp(w http.ResponseWriter, r *http.Request, _ *opstap.Actor) error {
	a := httpx.AuthFrom(r)
	if a.Session == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	next := httpx.LocalPath(r.PostFormValue("next"))
	err := h.DB.VerifySecondFactor(r.Context(), a.Session, r.PostFormValue("code"), httpx.ClientAddress(r))
	if err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	p := h.newPage(r, "Second factor")
	p.setError(err)
	d := &totpData{Next: next, Enrol: !a.Session.MFAEnrolled}
	if d.Enrol || h.Demo {
		// A failed enrolment shows a fresh key; the old one was never confirmed.
		nd, derr := h.totpData(r, a.Session)
		if derr != nil {
			return derr
		}
		d = nd
	}
	p.Data = d
	return h.render(w, r, httpx.Status(err), "totp", p)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := h.DB.Logout(r.Context(), a); err != nil {
		return err
	}
	h.clearSessionCookie(w)
	h.redirect(w, r, "/login", i18n.T(httpx.Lang(r), "You are signed out."))
	return nil
}

// language stores the choice in a cookie (and on the account when signed in).
func (h *Handler) language(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	lang := r.PostFormValue("lang")
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	if a != nil {
		if err := h.DB.SetLanguage(r.Context(), a, lang); err != nil {
			return err
		}
	}
	http.Redirect(w, r, httpx.LocalPath(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}
