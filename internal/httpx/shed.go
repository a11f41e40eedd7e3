package httpx

import (
	"net/http"
	"strconv"
	"time"
)

// Shedder admits at most a fixed number of requests at once (issue 13 item
// 10). Beyond capacity, latency would grow without bound for everyone; so a
// request that finds every place taken waits a short while for one and is
// then answered 503 Service Unavailable with Retry-After, which a load
// balancer and a client can act on. Probes and metrics are never shed: an
// overloaded server is still alive and ready.
type Shedder struct {
	slots      chan struct{}
	wait       time.Duration
	retryAfter int // seconds
}

// NewShedder admits max requests at once, each further one waiting up to
// wait for a place.
func NewShedder(max int, wait time.Duration) *Shedder {
	if max < 1 {
		max = 1
	}
	return &Shedder{slots: make(chan struct{}, max), wait: wait, retryAfter: 1}
}

// unshed are the paths answered even at capacity.
var unshed = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// Wrap puts next behind the shedder.
func (s *Shedder) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if unshed[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case s.slots <- struct{}{}:
		default:
			t := time.NewTimer(s.wait)
			select {
			case s.slots <- struct{}{}:
				t.Stop()
			case <-t.C:
				s.refuse(w)
				return
			case <-r.Context().Done():
				t.Stop()
				return // the client has gone
			}
		}
		defer func() { <-s.slots }()
		next.ServeHTTP(w, r)
	})
}

func (s *Shedder) refuse(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(s.retryAfter))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte("Opstap is busy; try again in a moment. / Opstap is druk; probeer het zo opnieuw.\n"))
}
