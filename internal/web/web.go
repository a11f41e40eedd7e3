// Package web serves Opstap's HTML pages: server-rendered, working without
// JavaScript, Dutch first and English by choice, built to WCAG 2.1 AA
// (labelled fields, errors beside the field and summarised at the top,
// visible focus, skip link, sufficient contrast).
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Handler serves the HTML pages.
type Handler struct {
	DB *store.DB
	// Demo shows the current TOTP code of demo accounts on the second-factor
	// page, so a newcomer can try every role without an authenticator app.
	Demo bool
	// SecureCookies sets the Secure flag; off only for plain-HTTP development.
	SecureCookies bool
	// OIDC, when set, offers single sign-on for staff.
	OIDC *OIDC

	pages     map[string]*template.Template
	staticSum string
	gzipped   map[string][]byte // stylesheets compressed once: nlds.css is 228 kB, 22 kB gzipped
}

// New parses the templates now, so that a broken template fails at start.
func New(db *store.DB) (*Handler, error) {
	h := &Handler{DB: db, SecureCookies: true, gzipped: map[string][]byte{}}
	sum := sha256.New()
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum.Write(b)
		if strings.HasSuffix(p, ".css") {
			h.gzipped[strings.TrimPrefix(p, "static/")] = gzipBytes(b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	h.staticSum = hex.EncodeToString(sum.Sum(nil))[:12]
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	h.pages = map[string]*template.Template{}
	for _, n := range names {
		base := n[len("templates/") : len(n)-len(".html")]
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, err
		}
		h.pages[base] = t
	}
	return h, nil
}

var funcs = template.FuncMap{
	// dict builds a map for passing several values to a sub-template.
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"date":  func(t time.Time) string { return t.In(opstap.Amsterdam).Format("02-01-2006") },
	"clock": func(t time.Time) string { return t.In(opstap.Amsterdam).Format("15:04") },
	"datetime": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return v.In(opstap.Amsterdam).Format("02-01-2006 15:04")
		case *time.Time:
			if v != nil {
				return v.In(opstap.Amsterdam).Format("02-01-2006 15:04")
			}
		}
		return "—"
	},
}

// page is what every template receives.
type page struct {
	Lang      string
	Title     string
	Actor     *opstap.Actor
	Path      string
	StaticSum string
	Flash     string
	Error     string
	Errors    map[string]string
	Form      url.Values
	Data      any
	Demo      bool
	// Content is the page's own part, rendered before the layout so that
	// the error summary knows the fields the form has (FieldID).
	Content template.HTML

	problems []problem
	fieldIDs map[string]string
	fieldPos map[string]int // the order the form shows its fields in

	// readDecisions asks the store what the actor may read of a candidate.
	readDecisions func(id string, cats ...opstap.Category) (map[opstap.Category]access.Decision, error)
}

// T translates msg into the page's language.
func (p *page) T(msg string, args ...any) string { return i18n.T(p.Lang, msg, args...) }

// N translates a message that counts something, with the plural form for n
// (n is the first argument of the format).
func (p *page) N(msg string, n any, args ...any) string { return i18n.N(p.Lang, msg, n, args...) }

// L translates the code of a label family ("role", "category", …): the
// message ID family + ":" + code, checked against i18n's labels table.
func (p *page) L(family string, code any) string { return i18n.Label(p.Lang, family, code) }

// FieldError returns the error for field, if any.
func (p *page) FieldError(field string) string { return p.Errors[field] }

// HasRole reports whether the actor holds role r.
func (p *page) HasRole(r string) bool {
	return p.Actor != nil && p.Actor.Has(opstap.Role(r), opstap.Read)
}

// navItem is one entry of the main menu, shown to an actor who holds any
// of Caps (decided by access.Can, as the page's store call decides) or any
// of Roles (for pages the store opens by role and organisation), and to
// everyone signed in when both are empty; sorted by Order.
type navItem struct {
	Order int
	Href  string
	Label string
	Roles []opstap.Role
	Caps  []access.Capability
}

// nav is the main menu; feature files add entries from init functions
// with addNav.
var nav = []navItem{
	{Order: 0, Href: "/", Label: "Home"},
	{Order: 80, Href: "/admin/users", Label: "Accounts and rights", Caps: []access.Capability{access.ManageAccounts}},
	{Order: 85, Href: "/audit", Label: "Audit log", Caps: []access.Capability{access.ReadAuditLog}},
	{Order: 99, Href: "/account", Label: "My account"},
}

func addNav(n navItem) {
	nav = append(nav, n)
	sort.SliceStable(nav, func(i, j int) bool { return nav[i].Order < nav[j].Order })
}

// Nav returns the menu entries for the page's actor.
func (p *page) Nav() []navItem {
	var out []navItem
	for _, n := range nav {
		ok := len(n.Roles) == 0 && len(n.Caps) == 0
		for _, r := range n.Roles {
			ok = ok || p.HasRole(string(r))
		}
		for _, c := range n.Caps {
			ok = ok || access.Can(p.Actor, c)
		}
		if ok {
			out = append(out, n)
		}
	}
	return out
}

// OtherLang is the language the switch offers.
func (p *page) OtherLang() string {
	if p.Lang == "en" {
		return "nl"
	}
	return "en"
}

func (h *Handler) newPage(r *http.Request, title string) *page {
	p := &page{Lang: httpx.Lang(r), Path: r.URL.Path, StaticSum: h.staticSum, Errors: map[string]string{}, Form: url.Values{}, Demo: h.Demo}
	p.Title = p.T(title)
	p.Actor = httpx.AuthFrom(r).Actor
	p.readDecisions = func(id string, cats ...opstap.Category) (map[opstap.Category]access.Decision, error) {
		return h.DB.ReadDecisions(r.Context(), p.Actor, id, cats...)
	}
	if c, err := r.Cookie("flash"); err == nil {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			p.Flash = v
		}
	}
	return p
}

// problem is one entry of the error summary: a message, and the field it
// is about ("" when it is about the whole form).
type problem struct{ Field, Message string }

// setError puts err on the page: beside its field when it names one, and
// in the summary at the top in every case. An error that joins several
// (errors.Join) puts each of them, so one submit shows every mistake.
func (p *page) setError(err error) {
	for _, e := range leafErrors(err) {
		msg := httpx.Message(p.Lang, e)
		if p.Error == "" {
			p.Error = msg
		}
		f := ""
		if oe := opstap.AsError(e); oe != nil {
			f = oe.Field
		}
		if _, dup := p.Errors[f]; f != "" && dup {
			continue // one message per field, the first
		}
		if f != "" {
			p.Errors[f] = msg
		}
		p.problems = append(p.problems, problem{Field: f, Message: msg})
	}
}

// leafErrors flattens joined errors, in order.
func leafErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// FieldID records that the input for field name has the element id id, so
// that the error summary links to it, and returns id.
func (p *page) FieldID(name, id string) string {
	if p.fieldIDs == nil {
		p.fieldIDs, p.fieldPos = map[string]string{}, map[string]int{}
	}
	if _, ok := p.fieldIDs[name]; !ok {
		p.fieldPos[name] = len(p.fieldPos)
	}
	p.fieldIDs[name] = id
	return id
}

// summaryItem is a line of the error summary, linked to its field when
// the form shows that field.
type summaryItem struct{ Href, Message string }

// Problems lists the error summary (the NL Design System and GOV.UK
// pattern): every message, each linked to the field it is about, in the
// order of the form; messages about no field of the form come last.
func (p *page) Problems() []summaryItem {
	pos := func(pr problem) int {
		if i, ok := p.fieldPos[pr.Field]; ok {
			return i
		}
		return len(p.fieldPos)
	}
	ps := slices.Clone(p.problems)
	slices.SortStableFunc(ps, func(a, b problem) int { return pos(a) - pos(b) })
	out := make([]summaryItem, 0, len(ps))
	for _, pr := range ps {
		it := summaryItem{Message: pr.Message}
		if id, ok := p.fieldIDs[pr.Field]; ok {
			it.Href = "#" + id
		}
		out = append(out, it)
	}
	return out
}

// render writes the page name with status. A template that cannot be
// found or executed writes nothing and returns the error, which the page
// adapter answers with the error page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) error {
	t, ok := h.pages[name]
	if !ok {
		return fmt.Errorf("unknown template %q", name)
	}
	var body, buf bytes.Buffer
	err := t.ExecuteTemplate(&body, "content", p)
	if err == nil {
		p.Content = template.HTML(body.String()) // escaped by html/template as it was rendered
		err = t.Execute(&buf, p)
	}
	if err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if p.Flash != "" {
		http.SetCookie(w, &http.Cookie{Name: "flash", Path: "/", MaxAge: -1})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// The answer is complete and its status sent: a failing write means the
	// client went away, and there is nobody left to tell.
	_, _ = buf.WriteTo(w)
	return nil
}

// redirect sends the browser on after a successful POST, with a message
// for the next page.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: "flash", Value: url.QueryEscape(flash), Path: "/", HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 60})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// pageFunc is a page handler, in the shape of the JSON API's handlers: it
// writes its answer and returns nil, or returns an error, which the
// adapter (authed, public) answers with the error page. A form that shows
// itself again with its error writes that page and returns nil.
type pageFunc func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error

// authed serves next to signed-in users; visitors without a usable session
// go to the login page first. An error next returns is answered by fail.
func (h *Handler) authed(next pageFunc) http.HandlerFunc {
	return h.requireActor(h.public(next))
}

// public serves next to anyone (a is nil for a visitor); an error next
// returns is answered by fail, unless next had already begun its answer:
// then the error is only logged, since a second answer cannot follow.
func (h *Handler) public(next pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		aw := &answerWriter{ResponseWriter: w}
		err := next(aw, r, httpx.AuthFrom(r).Actor)
		switch {
		case err == nil:
		case aw.answered:
			httpx.LogError(r, err)
		default:
			h.fail(w, r, err)
		}
	}
}

// answerWriter notes whether a handler has begun its answer.
type answerWriter struct {
	http.ResponseWriter
	answered bool
}

func (w *answerWriter) WriteHeader(status int) {
	w.answered = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *answerWriter) Write(b []byte) (int, error) {
	w.answered = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *answerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// fail answers err with the error page, in the user's language, with the
// status of err's code (httpx.Status, as the API answers): 404 for
// ENOTFOUND, 403 for EFORBIDDEN, 500 for an unexpected error, which alone
// is logged. A request whose client went away is answered 499 and not
// logged (httpx.LogError). Page handlers return their errors to the
// adapter, which calls fail; nothing else should.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.LogError(r, err)
	status := httpx.Status(err)
	if httpx.Cancelled(r, err) {
		status = httpx.StatusClientClosed
	}
	p := h.newPage(r, "Error")
	p.setError(err)
	if rerr := h.render(w, r, status, "error", p); rerr != nil {
		slog.ErrorContext(r.Context(), "error page", "route", r.Pattern, "err", rerr)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// registrars add each feature's pages; a feature file appends its own from
// an init function, so features do not edit a shared list.
var registrars = []func(*Handler, *http.ServeMux){(*Handler).registerAccounts}

// Register adds the pages to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.Handle("GET /static/", http.StripPrefix("/static/", h.staticHandler()))
	for _, r := range registrars {
		r(h, mux)
	}
}

func (h *Handler) registerAccounts(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.authed(h.home))
	mux.HandleFunc("GET /login", h.public(h.loginForm))
	mux.HandleFunc("POST /login", h.public(h.login))
	mux.HandleFunc("GET /login/totp", h.public(h.totpForm))
	mux.HandleFunc("POST /login/totp", h.public(h.totp))
	mux.HandleFunc("POST /logout", h.authed(h.logout))
	mux.HandleFunc("POST /language", h.public(h.language))
	mux.HandleFunc("GET /account", h.authed(h.account))
	mux.HandleFunc("POST /account/tokens", h.authed(h.createToken))
	mux.HandleFunc("POST /account/tokens/{id}/revoke", h.authed(h.revokeToken))
	mux.HandleFunc("GET /admin/users", h.authed(h.users))
	mux.HandleFunc("POST /admin/users", h.authed(h.createUser))
	mux.HandleFunc("POST /admin/users/{id}/block", h.authed(h.blockUser))
	mux.HandleFunc("POST /admin/users/{id}/unblock", h.authed(h.unblockUser))
	mux.HandleFunc("POST /admin/users/{id}/grants", h.authed(h.addGrant))
	mux.HandleFunc("POST /admin/grants/{id}/block", h.authed(h.blockGrant))
	mux.HandleFunc("GET /audit", h.authed(h.auditLog))
	mux.HandleFunc("POST /audit/verify", h.authed(h.verifyAudit))
	if h.OIDC != nil {
		h.OIDC.secure = h.SecureCookies
		mux.HandleFunc("GET /login/oidc", h.OIDC.start)
		mux.HandleFunc("GET /login/oidc/callback", h.public(h.oidcCallback))
	}
}

func (h *Handler) staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static") // fails only for an invalid path, which "static" is not
	fsrv := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// URLs carry the content checksum (?v=…), so they can be cached for good.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Add("Vary", "Accept-Encoding")
		if gz, ok := h.gzipped[r.URL.Path]; ok && acceptsGzip(r) {
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(gz)))
			if r.Method != http.MethodHead {
				_, _ = w.Write(gz) // a failing write: the client went away
			}
			return
		}
		fsrv.ServeHTTP(w, r)
	})
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	// NewWriterLevel fails only for an invalid level, and a writer into a
	// buffer does not fail.
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b) // see above
	_ = zw.Close()     // see above
	return buf.Bytes()
}

// acceptsGzip reports whether the client takes a gzip body (q=0 refuses).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";") // no parameters: params is empty
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q, found := strings.CutPrefix(strings.TrimSpace(params), "q=")
			if !found {
				return true
			}
			v, err := strconv.ParseFloat(q, 64)
			return err == nil && v > 0
		}
	}
	return false
}

// requireActor sends visitors without a usable session to the login page.
func (h *Handler) requireActor(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := httpx.AuthFrom(r)
		switch {
		case a.Actor != nil:
			next(w, r)
		case a.Session != nil:
			http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
		default:
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		}
	}
}

// crumb is one step of the breadcrumb trail.
type crumb struct{ Href, Label string }

// Crumbs is the way back from a deep page (issue 12 item 16): the home
// page and the menu section the address lies in, when the page is not the
// section itself; the current page (its title) closes the trail in the
// layout. Only sections on the role's own menu are offered.
func (p *page) Crumbs() []crumb {
	if p.Actor == nil || p.Path == "/" {
		return nil
	}
	var section *navItem
	for _, n := range p.Nav() {
		if n.Href != "/" && strings.HasPrefix(p.Path, n.Href+"/") && (section == nil || len(n.Href) > len(section.Href)) {
			section = &n
		}
	}
	if section == nil {
		return nil
	}
	return []crumb{{"/", p.T("Home")}, {section.Href, p.T(section.Label)}}
}
