package server_test

import (
	"context"
	"github.com/opstap/opstap/internal/consent"
	"net/http"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestEmployerCV_004: a CV reaches the employer of a live placement only
// after the candidate's consent, and not after its withdrawal [004
// "Toestemming kandidaat"].
func TestEmployerCV_004(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		var lisa, sandra string
		db.SQL.QueryRow(`SELECT id FROM candidates WHERE external_ref = 'ALM-0001'`).Scan(&lisa)
		db.SQL.QueryRow(`SELECT id FROM candidates WHERE external_ref = 'ALM-0003'`).Scan(&sandra)
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.upload("/candidates/"+lisa+"/dossier/documents", "cv", "cv-lisa.pdf", storetest.PDF("cv")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", resp.StatusCode)
		}
		boss := e.browser()
		boss.login("werkgever@demo.opstap.nl")
		self := demoCandidateActor(t, db, lisa)
		change := func(given bool) {
			if _, err := db.RecordConsent(ctx, self, lisa, consent.Change{Topic: consent.ShareCV, Given: given, Method: consent.Portal}); err != nil {
				t.Fatal(err)
			}
		}
		// The demo's Lisa agreed to be visible to employers, which is this
		// same consent (issue 8 point 9); without it the CV stays home.
		change(false)
		if resp, _ := boss.do("GET", "/employer/candidates/"+lisa+"/cv", nil, nil); resp.StatusCode != 403 {
			t.Fatalf("without consent: %d", resp.StatusCode)
		}
		change(true)
		resp, body := boss.do("GET", "/employer/candidates/"+lisa+"/cv", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "cv-lisa.pdf") {
			t.Fatalf("after consent: %d", resp.StatusCode)
		}
		resp, body = boss.do("GET", "/api/v1/employer/candidates/"+lisa+"/cvs", nil, nil)
		var list struct{ Documents []store.Document }
		decode(t, body, &list)
		if resp.StatusCode != 200 || len(list.Documents) != 1 {
			t.Fatalf("api list: %d %s", resp.StatusCode, body)
		}
		if resp, body := boss.do("GET", "/api/v1/employer/candidates/"+lisa+"/cvs/"+list.Documents[0].ID, nil, nil); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF") {
			t.Fatalf("download: %d", resp.StatusCode)
		}
		// Another candidate, without a placement here, stays out of reach.
		if resp, _ := boss.do("GET", "/api/v1/employer/candidates/"+sandra+"/cvs", nil, nil); resp.StatusCode != 404 {
			t.Fatalf("unplaced candidate: %d", resp.StatusCode)
		}
		change(false)
		if resp, _ := boss.do("GET", "/employer/candidates/"+lisa+"/cv", nil, nil); resp.StatusCode != 403 {
			t.Fatalf("after withdrawal: %d", resp.StatusCode)
		}
		if resp, _ := coach.do("GET", "/api/v1/employer/candidates/"+lisa+"/cvs", nil, nil); resp.StatusCode != 403 {
			t.Fatalf("coach on the employer route: %d", resp.StatusCode)
		}
	})
}
