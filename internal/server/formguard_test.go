package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestFormGuard (issue 11 items 3–4 on the web): every posted form, also
// those without per-field limits, refuses a value that is not UTF-8, holds
// a NUL or is longer than any field takes, naming the field, and stores
// nothing.
func TestFormGuard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		po := e.browser()
		po.login("privacy@demo.opstap.nl")
		disc := e.now().In(amsterdam()).Add(-2 * time.Hour).Format("2006-01-02T15:04")
		breach := func(description string) url.Values {
			return url.Values{"discovered_at": {disc}, "description": {description}, "categories": {"basic"}, "status": {"suspected"}}
		}
		before := countRows(t, db, "breaches")
		tests := []struct {
			name        string
			description string
			status      int
			says        string
		}{
			{"NUL", "USB-stick\x00kwijt", http.StatusBadRequest, "het veld description bevat een NUL-teken"},
			{"not UTF-8", "USB-stick \xff kwijt", http.StatusBadRequest, "het veld description is geen geldige UTF-8-tekst"},
			{"too long", strings.Repeat("a", 100_001), http.StatusUnprocessableEntity, "het veld description is langer dan 100000 tekens"},
		}
		for _, tt := range tests {
			resp, body := po.do("POST", "/privacy/breaches", breach(tt.description), nil)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.says) {
				t.Fatalf("%s: %d", tt.name, resp.StatusCode)
			}
		}
		if n := countRows(t, db, "breaches"); n != before {
			t.Fatalf("refused forms stored %d breaches", n-before)
		}
		// The same form with good input still works.
		if resp, _ := po.do("POST", "/privacy/breaches", breach("USB-stick kwijt"), nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("good breach: %d", resp.StatusCode)
		}
	})
}
