package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// holder is a handler whose /slow request holds its place until released.
type holder struct{ entered, release chan struct{} }

func (h holder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/slow" {
		h.entered <- struct{}{}
		<-h.release
	}
	w.WriteHeader(http.StatusOK)
}

// occupy starts a /slow request through s and returns once it holds the
// one place, with a function that frees it and waits for it to finish.
func occupy(s http.Handler, h holder) func() {
	done := make(chan struct{})
	go func() {
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/slow", nil))
		close(done)
	}()
	<-h.entered
	return func() { close(h.release); <-done }
}

// TestShedder: at capacity a request waits a short while for a place and
// is then refused with 503 and Retry-After; probes pass at capacity; a
// place that frees up while a request waits admits it.
func TestShedder(t *testing.T) {
	h := holder{make(chan struct{}, 1), make(chan struct{})}
	s := NewShedder(1, 30*time.Millisecond).Wrap(h)
	free := occupy(s, h)
	tests := []struct {
		path   string
		status int
	}{
		{"/candidates", http.StatusServiceUnavailable},
		{"/api/v1/me", http.StatusServiceUnavailable},
		{"/healthz", http.StatusOK},
		{"/readyz", http.StatusOK},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		begin := time.Now()
		s.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
		if rec.Code != tt.status {
			t.Fatalf("%s at capacity: %d, want %d", tt.path, rec.Code, tt.status)
		}
		if tt.status == http.StatusServiceUnavailable {
			if rec.Header().Get("Retry-After") == "" {
				t.Fatalf("%s: 503 without Retry-After", tt.path)
			}
			if waited := time.Since(begin); waited < 25*time.Millisecond {
				t.Fatalf("%s refused after %v, without waiting for a place", tt.path, waited)
			}
		}
	}
	free()

	h = holder{make(chan struct{}, 1), make(chan struct{})}
	s = NewShedder(1, 10*time.Second).Wrap(h)
	free = occupy(s, h)
	got := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/candidates", nil))
		got <- rec.Code
	}()
	time.Sleep(20 * time.Millisecond) // let it wait for the place
	free()
	if code := <-got; code != http.StatusOK {
		t.Fatalf("after the place freed up: %d", code)
	}
}
