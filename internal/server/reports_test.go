package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestReportJourney: the coach writes an action plan and submits it, the
// candidate approves it in the portal, the coach shares it under consent,
// and the commissioner's case manager downloads the PDF [000 art 5, 004
// "Toestemming kandidaat", "Rapportage naar opdrachtgever"].
func TestReportJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var cid string
		if err := db.SQL.QueryRow(`SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id WHERE u.email = 'kandidaat@demo.opstap.nl'`).Scan(&cid); err != nil {
			t.Fatal(err)
		}
		post := func(b *browser, path string, form url.Values, want int) string {
			t.Helper()
			resp, body := b.do("POST", path, form, nil)
			if resp.StatusCode != want {
				t.Fatalf("POST %s: %d, want %d: %s", path, resp.StatusCode, want, body)
			}
			return body
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		base := "/candidates/" + cid + "/reports"
		post(coach, base, url.Values{"kind": {"action_plan"}, "title": {"Plan voor Lisa — één stap"}, "body": {"Doel: werk."},
			"activity_0": {"Taalcursus"}, "product_0": {"certificaat"}, "planned_0": {"niveau B1"}, "achieved_0": {""}}, http.StatusSeeOther)
		resp, body := coach.do("GET", "/api/v1/candidates/"+cid+"/reports", nil, nil)
		var list struct{ Reports []dossier.Report }
		decode(t, body, &list)
		var rid string
		for _, r := range list.Reports {
			if r.Current().Content.Title == "Plan voor Lisa — één stap" {
				rid = r.ID
			}
		}
		if resp.StatusCode != 200 || rid == "" {
			t.Fatalf("report not listed: %d %s", resp.StatusCode, body)
		}
		// Not approved yet: sharing under consent is refused.
		post(coach, base+"/"+rid+"/share", url.Values{"version": {"1"}, "legal_ground": {"consent"}}, http.StatusConflict)
		post(coach, base+"/"+rid+"/submit", url.Values{}, http.StatusSeeOther)

		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		if resp, body := cand.do("GET", "/portal/reports", nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "Plan voor Lisa — één stap") || !strings.Contains(body, "Taalcursus") {
			t.Fatalf("portal reports: %d", resp.StatusCode)
		} else if !strings.Contains(body, `name="comment" rows="3" maxlength="100000"`) {
			t.Error("the comment has no maxlength")
		}
		// A comment with a NUL is refused by field as in the API, and the
		// version stays open for approval.
		if body := post(cand, "/portal/reports/"+rid+"/comment", url.Values{"version": {"1"}, "comment": {"Graag\x00"}}, http.StatusBadRequest); !strings.Contains(body, "het veld comment bevat een NUL-teken") {
			t.Error("a comment with a NUL: no error at the field")
		}
		post(cand, "/portal/reports/"+rid+"/approve", url.Values{"version": {"1"}}, http.StatusSeeOther)
		if body := post(cand, "/portal/reports/"+rid+"/approve", url.Values{"version": {"1"}}, http.StatusConflict); !strings.Contains(body, "u heeft deze versie al goedgekeurd") {
			t.Fatal("approving twice: no clear message")
		}
		post(coach, base+"/"+rid+"/share", url.Values{"version": {"1"}, "legal_ground": {"consent"}}, http.StatusSeeOther)
		// The same version again: refused with the reason, not sent twice.
		if body := post(coach, base+"/"+rid+"/share", url.Values{"version": {"1"}, "legal_ground": {"consent"}}, http.StatusConflict); !strings.Contains(body, "deze versie is al met de opdrachtgever gedeeld") {
			t.Fatal("sharing a version twice: no clear message")
		}
		if resp, body := coach.do("GET", base, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "goedgekeurd") || !strings.Contains(body, "AVG artikel 6(1)(a)") {
			t.Fatalf("staff reports page: %d", resp.StatusCode)
		}

		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		resp, body = km.do("GET", "/shared", nil, nil)
		m := regexp.MustCompile(`/shared/([0-9a-f-]+)/pdf`).FindStringSubmatch(body)
		if resp.StatusCode != 200 || m == nil || !strings.Contains(body, "Plan voor Lisa — één stap") {
			t.Fatalf("shared list: %d", resp.StatusCode)
		}
		if strings.Count(body, "/pdf\"") != 1 {
			t.Fatal("the case manager sees more than what was shared")
		}
		resp, pdf := km.do("GET", "/shared/"+m[1]+"/pdf", nil, nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
			t.Fatalf("pdf: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		// The candidate may see what was sent about them [002 art 7.1]; an
		// employer never [002 art 5.1]; the case manager sees no drafts.
		if resp, _ := cand.do("GET", "/shared/"+m[1]+"/pdf", nil, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("candidate's right of access: %d", resp.StatusCode)
		}
		emp := e.browser()
		emp.login("werkgever@demo.opstap.nl")
		if resp, _ := emp.do("GET", "/shared/"+m[1]+"/pdf", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("employer downloads a report: %d", resp.StatusCode)
		}
		// The coach finds what they shared from their home page under
		// "Gedeelde documenten", once, and downloads it.
		if _, home := coach.do("GET", "/", nil, nil); !strings.Contains(home, `href="/shared"`) {
			t.Fatal("no link to the shared documents on the coach's home page")
		}
		resp, body = coach.do("GET", "/shared", nil, nil)
		if resp.StatusCode != http.StatusOK || strings.Count(body, "/shared/"+m[1]+"/pdf") != 1 {
			t.Fatalf("coach's shared documents: %d", resp.StatusCode)
		}
		if resp, pdf := coach.do("GET", "/shared/"+m[1]+"/pdf", nil, nil); resp.StatusCode != http.StatusOK || !strings.HasPrefix(pdf, "%PDF-") {
			t.Fatalf("coach downloads the shared pdf: %d", resp.StatusCode)
		}
		// The candidate moves to another coach: the one who shared it still
		// downloads it, through the access policy, not a reason.
		if _, err := db.SQL.Exec(`UPDATE candidates SET coach_user_id = NULL WHERE id = '` + cid + `'`); err != nil {
			t.Fatal(err)
		}
		if resp, pdf := coach.do("GET", "/shared/"+m[1]+"/pdf", nil, nil); resp.StatusCode != http.StatusOK || !strings.HasPrefix(pdf, "%PDF-") {
			t.Fatalf("former coach who shared it downloads the pdf: %d", resp.StatusCode)
		}
		if resp, _ := km.do("GET", base, nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("case manager opens the reports page: %d", resp.StatusCode)
		}
		if resp, body := cand.do("GET", "/portal/consents", nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "<table") {
			t.Fatalf("portal consents: %d", resp.StatusCode)
		}
		post(cand, "/portal/consents", url.Values{"topic": {"newsletters"}, "given": {"yes"}}, http.StatusSeeOther)
	})
}
