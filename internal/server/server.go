// Package server composes Opstap's HTTP surface: the HTML pages, the JSON
// API, health and readiness probes and Prometheus metrics, behind
// middleware for authentication, cross-origin protection, security headers
// and request logs that carry no personal data.
package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/api"
	"github.com/opstap/opstap/internal/auth"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/web"
)

// Server is the HTTP handler of one Opstap process.
type Server struct {
	DB      *store.DB
	Web     *web.Handler
	API     *api.Handler
	Metrics *prometheus.Registry

	// Proxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (--trusted-proxies); none by default.
	Proxies httpx.Proxies
	// MetricsToken, when set, is the bearer token /metrics asks for on
	// the main address.
	MetricsToken string
	// MetricsApart serves /metrics only on its own address (MetricsHandler,
	// --metrics-addr), not on the main one.
	MetricsApart bool
	// Shed, when set, bounds the requests served at once; beyond it they
	// are answered 503 with Retry-After (--max-in-flight).
	Shed *httpx.Shedder

	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	cop      *http.CrossOriginProtection
}

// New builds the server. trustedOrigins are extra origins (scheme://host)
// allowed to post, e.g. the public URL behind a proxy.
func New(db *store.DB, w *web.Handler, trustedOrigins []string) (*Server, error) {
	s := &Server{DB: db, Web: w, API: &api.Handler{DB: db}, Metrics: prometheus.NewRegistry(), cop: http.NewCrossOriginProtection()}
	for _, o := range trustedOrigins {
		if err := s.cop.AddTrustedOrigin(o); err != nil {
			return nil, opstap.Errorf(opstap.EBADREQUEST, "invalid trusted origin %q", o)
		}
	}
	s.cop.SetDenyHandler(http.HandlerFunc(s.denyCrossOrigin))
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "opstap_http_requests_total", Help: "HTTP requests by route pattern and status."}, []string{"route", "code"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "opstap_http_request_duration_seconds", Help: "HTTP request latency by route pattern.", Buckets: prometheus.DefBuckets}, []string{"route"})
	s.Metrics.MustRegister(s.requests, s.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.SQL, "opstap"), newOpsCollector(db))
	return s, nil
}

// Handler returns the root handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", s.metricsGate())
	s.API.Register(mux)
	s.Web.Register(mux)
	inner := securityHeaders(s.crossOrigin(s.authenticate(s.Web.FormGuard(mux))))
	shed := func(h http.Handler) http.Handler { return h }
	if s.Shed != nil {
		shed = s.Shed.Wrap
	}
	return s.resolve(s.observe(mux, shed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			// Its own bearer token, not an API token: answered before
			// authentication.
			securityHeaders(mux).ServeHTTP(w, r)
			return
		}
		inner.ServeHTTP(w, r)
	}))))
}

// MetricsHandler serves /metrics for a listener of its own
// (--metrics-addr), which is meant to be reachable only from the
// monitoring network.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metricsHandler(s.MetricsToken))
	return mux
}

// metricsGate is /metrics on the main address: absent when it is served
// apart or no token is configured (the figures describe the service's
// load and routes, nothing for the internet), else behind the token.
func (s *Server) metricsGate() http.Handler {
	if s.MetricsApart || s.MetricsToken == "" {
		return http.NotFoundHandler()
	}
	return s.metricsHandler(s.MetricsToken)
}

// metricsHandler is the Prometheus handler, behind token when it is set.
func (s *Server) metricsHandler(token string) http.Handler {
	prom := promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{})
	if token == "" {
		return prom
	}
	want := sha256.Sum256([]byte("Bearer " + token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := sha256.Sum256([]byte(r.Header.Get("Authorization")))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		prom.ServeHTTP(w, r)
	})
}

// resolve settles the client's address and scheme once, believing the
// forwarding headers only from the trusted proxies.
func (s *Server) resolve(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, s.Proxies.Resolve(r))
	})
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	// Keys that no longer match the database's (another server recorded a
	// new master key version) take this server out of the load balancer.
	if err := s.DB.VerifyKeys(ctx); err != nil {
		http.Error(w, "keys do not match the database", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// crossOrigin refuses state-changing browser requests from other origins
// (Go's Sec-Fetch-Site/Origin check). A request that carries the session
// cookie must moreover carry one of those headers: every browser we
// support sends them, so their absence means a forged request.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	protected := s.cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if _, err := r.Cookie(web.SessionCookie); err == nil && r.Header.Get("Sec-Fetch-Site") == "" && r.Header.Get("Origin") == "" {
			s.denyCrossOrigin(w, r)
			return
		}
		protected.ServeHTTP(w, r)
	})
}

func (s *Server) denyCrossOrigin(w http.ResponseWriter, r *http.Request) {
	err := opstap.Errorf(opstap.EFORBIDDEN, "cross-origin request refused")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		httpx.WriteJSONError(w, r, err)
		return
	}
	http.Error(w, i18n.T(httpx.Lang(r), "cross-origin request refused"), http.StatusForbidden)
}

// authenticate resolves a bearer token or the session cookie. A bad bearer
// token on the API is refused at once; a stale cookie is cleared.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := httpx.ClientAddress(r)
		au := &httpx.Auth{}
		if h := r.Header.Get("Authorization"); h != "" {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				httpx.WriteJSONError(w, r, opstap.Errorf(opstap.EUNAUTHORIZED, "unknown API token"))
				return
			}
			a, err := s.DB.TokenActor(r.Context(), strings.TrimSpace(tok), addr)
			if err != nil {
				httpx.WriteJSONError(w, r, err)
				return
			}
			au.Actor, au.Bearer = a, true
		} else if c, err := r.Cookie(web.SessionCookie); err == nil && c.Value != "" {
			sess, a, err := s.DB.SessionActor(r.Context(), c.Value, addr)
			switch {
			case err == nil:
				au.Session, au.SessionToken = sess, c.Value
				if auth.SessionUsable(sess.MFARequired, sess.MFADone) {
					au.Actor = a
				}
			case opstap.ErrorCode(err) == opstap.EUNAUTHORIZED:
				http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Path: "/", MaxAge: -1})
			default:
				httpx.WriteJSONError(w, r, err)
				return
			}
		}
		r = httpx.WithAuth(r, au)
		if au.Actor != nil && r.Header.Get("Accept-Language") == "" {
			if _, err := r.Cookie("lang"); err != nil {
				if u, err := s.DB.FindUserByID(r.Context(), au.Actor.UserID); err == nil {
					r = httpx.WithLang(r, u.Language)
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		// Nothing is stored by browsers or shared caches unless a handler
		// says so (the static files do): API answers and pages carry
		// personal data.
		h.Set("Cache-Control", "no-store")
		if httpx.HTTPS(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}
