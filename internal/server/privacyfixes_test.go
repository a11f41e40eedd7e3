package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
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
