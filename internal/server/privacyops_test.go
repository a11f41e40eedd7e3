package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestBlockedGrantStopsOpenSession_003bewerkersArt5: a right blocked in the
// access review stops the holder's open session on the next request.
func TestBlockedGrantStopsOpenSession_003bewerkersArt5(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		lisa := demoCandidate(t, db, "kandidaat@demo.opstap.nl")
		if resp, body := coach.do("GET", "/candidates/"+lisa, nil, nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Lisa Hendriks") {
			t.Fatalf("coach before block: %d", resp.StatusCode)
		}
		admin := e.browser()
		admin.login("beheer@demo.opstap.nl")
		resp, body := admin.do("GET", "/privacy/reviews?all=1", nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Sanne de Boer") || !strings.Contains(body, "Rechtenreview") {
			t.Fatalf("review page: %d", resp.StatusCode)
		}
		u, err := db.FindUserByEmail(context.Background(), "coach@demo.opstap.nl")
		if err != nil {
			t.Fatal(err)
		}
		if resp, _ := admin.do("POST", "/privacy/reviews/"+u.Grants[0].ID+"/block", url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("block: %d", resp.StatusCode)
		}
		if resp, body := coach.do("GET", "/candidates/"+lisa, nil, nil); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Lisa Hendriks") {
			t.Fatalf("blocked coach still opens the file in the open session: %d", resp.StatusCode)
		}
		if resp, _ := coach.do("GET", "/api/v1/candidates/"+lisa, nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("blocked coach through the API: %d", resp.StatusCode)
		}
	})
}

// TestPrivacyOfficerPages_AVGart30_33: the privacy officer records a breach
// (Amsterdam time), sees its clock, and opens the records of processing as
// page and PDF.
func TestPrivacyOfficerPages_AVGart30_33(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		po := e.browser()
		po.login("privacy@demo.opstap.nl")
		disc := e.now().In(amsterdam()).Add(-2 * time.Hour).Format("2006-01-02T15:04")
		resp, body := po.do("POST", "/privacy/breaches", url.Values{"discovered_at": {""}, "description": {"x"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("breach without moment: %d", resp.StatusCode)
		}
		resp, body = po.do("POST", "/privacy/breaches", url.Values{"discovered_at": {disc}, "description": {"USB-stick kwijt"}, "categories": {"basic", "bsn"}, "status": {"suspected"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("record breach: %d %s", resp.StatusCode, body)
		}
		resp, body = po.do("GET", resp.Header.Get("Location"), nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Resterende tijd: 2 d 2") || !strings.Contains(body, "USB-stick kwijt") {
			t.Fatalf("breach page: %d\n%s", resp.StatusCode, body)
		}
		resp, body = po.do("GET", "/privacy/processing", nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Verwerkingsregister") || !strings.Contains(body, "Gemeente Almere") {
			t.Fatalf("processing page: %d", resp.StatusCode)
		}
		if resp, body := po.do("GET", "/privacy/processing.pdf", nil, nil); resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
			t.Fatalf("processing PDF: %d", resp.StatusCode)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.do("GET", "/privacy/breaches", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("coach opens the breach register: %d", resp.StatusCode)
		}
	})
}

func amsterdam() *time.Location { return opstap.Amsterdam }

// demoCandidate returns the id of the candidate with this portal account.
func demoCandidate(t *testing.T, db *store.DB, email string) string {
	t.Helper()
	u, err := db.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	q := "SELECT id FROM candidates WHERE user_id = ?"
	if db.Dialect == store.Postgres {
		q = "SELECT id FROM candidates WHERE user_id = $1"
	}
	if err := db.SQL.QueryRow(q, u.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
