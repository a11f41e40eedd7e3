package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/auth"
	"github.com/opstap/opstap/internal/httpx"
)

// OIDCConfig configures single sign-on for staff through an OpenID Connect
// provider (the organisation's identity provider).
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string
}

// Register adds the OIDC flags; env supplies OPSTAP_* defaults.
func (c *OIDCConfig) Register(fs *flag.FlagSet, env func(name, def string) string) {
	fs.StringVar(&c.Issuer, "oidc-issuer", env("oidc-issuer", ""), "OpenID Connect issuer URL for staff single sign-on (empty: off)")
	fs.StringVar(&c.ClientID, "oidc-client-id", env("oidc-client-id", ""), "OIDC client id")
	fs.StringVar(&c.ClientSecret, "oidc-client-secret", env("oidc-client-secret", ""), "OIDC client secret (secret; prefer the environment variable)")
	fs.StringVar(&c.RedirectURL, "oidc-redirect-url", env("oidc-redirect-url", ""), "OIDC redirect URL, ending in /login/oidc/callback")
}

// OIDC signs staff in through an OpenID Connect provider. Accounts must
// exist in Opstap already (matched by verified e-mail address): the
// identity provider proves who someone is, Opstap decides what they may do.
// The second factor is still asked, unless the provider attests one.
type OIDC struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	secure   bool
}

// NewOIDC discovers the provider's configuration.
func NewOIDC(ctx context.Context, c OIDCConfig) (*OIDC, error) {
	if c.ClientID == "" || c.RedirectURL == "" {
		return nil, opstap.Errorf(opstap.EBADREQUEST, "OIDC needs --oidc-client-id and --oidc-redirect-url")
	}
	p, err := oidc.NewProvider(ctx, c.Issuer)
	if err != nil {
		return nil, opstap.Errorf(opstap.EUNAVAILABLE, "OIDC provider %s: %v", c.Issuer, err)
	}
	return &OIDC{
		oauth:    oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: c.RedirectURL, Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}},
		verifier: p.Verifier(&oidc.Config{ClientID: c.ClientID}),
		secure:   true,
	}, nil
}

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails; it crashes the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}

const oidcCookie = "opstap_oidc"

func (o *OIDC) start(w http.ResponseWriter, r *http.Request) {
	state, nonce := randomString(), randomString()
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: state + "." + nonce, Path: "/login/oidc", HttpOnly: true, Secure: o.secure, SameSite: http.SameSiteLaxMode, MaxAge: 600})
	http.Redirect(w, r, o.oauth.AuthCodeURL(state, oidc.Nonce(nonce)), http.StatusFound)
}

// claims are the ID token claims used.
type claims struct {
	Email         string   `json:"email"`
	EmailVerified bool     `json:"email_verified"`
	AMR           []string `json:"amr"`
}

// refusal says why single sign-on was refused before any account was looked
// at. It goes to the audit log; the user sees one generic message, so the
// page tells an attacker nothing about which check failed.
type refusal string

func (r refusal) Error() string { return string(r) }

// identify completes the code flow and returns the verified subject,
// e-mail address and whether the provider used more than one factor.
func (o *OIDC) identify(r *http.Request) (subject, email string, mfa bool, err error) {
	q := r.URL.Query()
	c, cerr := r.Cookie(oidcCookie)
	if cerr != nil || len(c.Value) < 10 {
		return "", "", false, refusal("no sign-in in progress")
	}
	state, nonce, _ := cut(c.Value) // a cookie without its two halves matches no state below
	if q.Get("state") != state {
		return "", "", false, refusal("state does not match")
	}
	if q.Get("error") != "" {
		return "", "", false, refusal("the identity provider refused")
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	tok, err := o.oauth.Exchange(ctx, q.Get("code"))
	if err != nil {
		return "", "", false, refusal("code exchange failed")
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return "", "", false, refusal("no ID token")
	}
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return "", "", false, refusal("ID token invalid")
	}
	// go-oidc leaves the nonce to the caller; without this check a token
	// issued for another sign-in could be replayed.
	if idt.Nonce != nonce {
		return "", "", false, refusal("nonce does not match")
	}
	var cl claims
	if err := idt.Claims(&cl); err != nil || cl.Email == "" || !cl.EmailVerified {
		return "", "", false, refusal("e-mail address not verified")
	}
	for _, m := range cl.AMR {
		if m == "mfa" || m == "otp" || m == "hwk" {
			mfa = true
		}
	}
	return idt.Subject, cl.Email, mfa, nil
}

func cut(s string) (a, b string, ok bool) {
	for i := range s {
		if s[i] == '.' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func (h *Handler) oidcCallback(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Path: "/login/oidc", MaxAge: -1})
	sub, email, mfa, err := h.OIDC.identify(r)
	if err != nil {
		// Every refused sign-in is logged, also those refused before an
		// account is known [003 bewerkers art 5].
		if aerr := h.DB.AppendAudit(r.Context(), audit.Entry{Event: audit.EventLoginFailed, Outcome: audit.OutcomeDenied,
			Address: httpx.ClientAddress(r), Detail: "single sign-on: " + err.Error()}); aerr != nil {
			httpx.LogError(r, aerr)
		}
		return h.oidcFailed(w, r, opstap.Errorf(opstap.EUNAUTHORIZED, "single sign-on failed; please try again"))
	}
	token, s, err := h.DB.LoginOIDC(r.Context(), sub, email, mfa, httpx.ClientAddress(r))
	if err != nil {
		return h.oidcFailed(w, r, err)
	}
	h.setSessionCookie(w, token)
	if !auth.SessionUsable(s.MFARequired, s.MFADone) {
		http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (h *Handler) oidcFailed(w http.ResponseWriter, r *http.Request, err error) error {
	p := h.newPage(r, "Sign in")
	p.setError(err)
	p.Data = loginData{Next: "/", OIDC: true}
	return h.render(w, r, httpx.Status(err), "login", p)
}
