package server_test

import (
	"context"
	"github.com/opstap/opstap/internal/consent"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/trajectory"
)

// TestKeylessCandidatePage: in a database restored without its key file,
// a candidate's page and API answer 503 with a message that says what to
// do, never a 500 (issue 8 point 6).
func TestKeylessCandidatePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		id := demoCandidate(t, db, "kandidaat@demo.opstap.nl")
		if _, err := db.SQL.Exec(rebindOne(db, `UPDATE candidate_keys SET wrapped_key = NULL WHERE candidate_id = ?`), id); err != nil {
			t.Fatal(err)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		resp, body := coach.do("GET", "/candidates/"+id, nil, nil)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "sleutelbestand") {
			t.Fatalf("page: %d", resp.StatusCode)
		}
		resp, raw := coach.do("GET", "/api/v1/candidates/"+id, nil, map[string]string{"Accept-Language": "en"})
		var ae apiError
		decode(t, raw, &ae)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(ae.Error.Message, "key file") {
			t.Fatalf("api: %d %s", resp.StatusCode, raw)
		}
	})
}

// TestStatutoryRetentionSourceShown: the retention page and the records of
// processing show the statutory period with its source [001 "Termijn
// bewaren gegevens"] (issue 8 point 10).
func TestStatutoryRetentionSourceShown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		po := e.browser()
		po.login("privacy@demo.opstap.nl")
		for _, path := range []string{"/privacy/retention", "/privacy/processing"} {
			resp, body := po.do("GET", path, nil, nil)
			if resp.StatusCode != 200 || !strings.Contains(body, "10 jaar (privacyreglement aanbieder, seed 001); AWR art. 52: minimaal 7") {
				t.Fatalf("%s: %d lacks the statutory source", path, resp.StatusCode)
			}
		}
	})
}

// TestEmployerPagesShowOnlyThePlacement_003art7_7: the employer of a
// proposed placement sees the candidate's name and contact for the work,
// in pages and API, but not the birth date, the address, the
// municipality's client number or the coach; nor who uploaded a CV
// [003 art 7.7 lid 2, 002 art 5.1] (issue 8 point 8).
func TestEmployerPagesShowOnlyThePlacement_003art7_7(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		j := newJourney(t, db)
		ctx := context.Background()
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.upload("/candidates/"+j.candidate+"/dossier/documents", "cv", "cv-jaap.pdf", storetest.PDF("cv")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", resp.StatusCode)
		}
		cu, err := db.FindUserByEmail(ctx, "coach@demo.opstap.nl")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateTrajectory(ctx, cu.Actor(db.Now(), ""), j.candidate, store.NewTrajectory{Kind: trajectory.KindFlex}); err != nil {
			t.Fatal(err)
		}
		self := demoCandidateActor(t, db, j.candidate)
		if _, err := db.RecordConsent(ctx, self, j.candidate, consent.Change{Topic: consent.ShareCV, Given: true}); err != nil {
			t.Fatal(err)
		}
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		if resp, _ := km.do("POST", "/assignments/"+j.assignment.ID+"/proposals", url.Values{"candidate_id": {j.candidate}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("proposal: %d", resp.StatusCode)
		}
		// Before the fix the employer read all of these.
		leaks := []string{"1985", "01-06-1985", "J-1", "1315", "Sanne de Boer", "coach_user_id", "commissioner_org_id", "uploaded_by", "uploader_name"}
		boss := e.browser()
		boss.login("werkgever@demo.opstap.nl")
		shown := []struct{ path, want string }{
			{"/api/v1/candidates/" + j.candidate, "jaap@example.nl"},
			{"/api/v1/candidates/" + j.candidate + "/data/basic", "Journée"},
			{"/candidates/" + j.candidate, "jaap@example.nl"},
			{"/api/v1/employer/candidates/" + j.candidate + "/cvs", "cv-jaap.pdf"},
			{"/employer/candidates/" + j.candidate + "/cv", "cv-jaap.pdf"},
		}
		for _, s := range shown {
			resp, body := boss.do("GET", s.path, nil, nil)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, s.want) {
				t.Fatalf("GET %s: %d, want 200 with %q", s.path, resp.StatusCode, s.want)
			}
			for _, l := range leaks {
				if strings.Contains(body, l) {
					t.Errorf("GET %s shows %q to the employer", s.path, l)
				}
			}
		}
		for _, p := range []string{"/candidates/" + j.candidate + "/trajectory", "/api/v1/candidates/" + j.candidate + "/trajectories", "/api/v1/candidates/" + j.candidate + "/consents"} {
			resp, body := boss.do("GET", p, nil, nil)
			if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Sanne de Boer") {
				t.Errorf("GET %s: %d, want 403", p, resp.StatusCode)
			}
		}
		// The coach still sees the whole record.
		if resp, body := coach.do("GET", "/candidates/"+j.candidate, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "01-06-1985") || !strings.Contains(body, "J-1") {
			t.Fatalf("coach's page: %d", resp.StatusCode)
		}
	})
}

// TestConsentViewsAgree_004: the visibility page and "Mijn toestemmingen"
// show the same answer, whichever page the candidate used (issue 8
// point 9).
func TestConsentViewsAgree_004(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		cvRow := regexp.MustCompile(`Cv of profiel delen met werkgevers</th>\s*<td[^>]*>([^<]*)</td>`)
		views := func() (flexAgreed bool, consents string) {
			t.Helper()
			_, flexPage := cand.do("GET", "/portal/flex", nil, nil)
			_, consentPage := cand.do("GET", "/portal/consents", nil, nil)
			m := cvRow.FindStringSubmatch(consentPage)
			if m == nil {
				t.Fatal("no CV row on my consents")
			}
			return strings.Contains(flexPage, "U stemde in op"), m[1]
		}
		post := func(path string, form url.Values) {
			t.Helper()
			if resp, body := cand.do("POST", path, form, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("POST %s: %d %s", path, resp.StatusCode, body)
			}
		}
		steps := []struct {
			name        string
			path        string
			form        url.Values
			flex        bool
			consentsSay string
		}{
			{"agree on the visibility page", "/portal/flex", url.Values{"on": {"1"}}, true, "gegeven"},
			{"withdraw on my consents", "/portal/consents", url.Values{"topic": {"share_cv_with_employers"}, "given": {"no"}}, false, "ingetrokken"},
			{"agree on my consents", "/portal/consents", url.Values{"topic": {"share_cv_with_employers"}, "given": {"yes"}}, true, "gegeven"},
			{"withdraw on the visibility page", "/portal/flex", url.Values{"on": {"0"}}, false, "ingetrokken"},
		}
		for _, s := range steps {
			post(s.path, s.form)
			if fl, co := views(); fl != s.flex || co != s.consentsSay {
				t.Fatalf("after %s: visibility page agreed=%v, my consents %q; want %v, %q", s.name, fl, co, s.flex, s.consentsSay)
			}
		}
	})
}
