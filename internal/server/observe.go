package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/opstap/opstap/internal/httpx"
)

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// observe records metrics and a log line per request. It logs the route
// pattern, never the path: paths hold identifiers and query strings may
// hold search terms, which can be personal data.
func (s *Server) observe(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				slog.Error("panic serving request", "method", r.Method, "panic", v)
				if sw.status == 0 {
					http.Error(sw, "internal error", http.StatusInternalServerError)
				}
			}
			_, route := mux.Handler(r)
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			status := sw.status
			// A client that went away is not a failure of ours: whatever
			// error the interrupted work returned, count it apart.
			if (status == 0 || status >= 500) && httpx.Cancelled(r, nil) {
				status = httpx.StatusClientClosed
			}
			s.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
			s.duration.WithLabelValues(route).Observe(d.Seconds())
			msg := "request"
			if status == httpx.StatusClientClosed {
				msg = "request cancelled"
			}
			slog.Info(msg, "route", route, "status", status, "ms", d.Milliseconds())
		}()
		next.ServeHTTP(sw, r)
	})
}
