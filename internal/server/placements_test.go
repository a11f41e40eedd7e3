package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestPlacementJourney: the case manager creates an assignment, sees the
// ranked candidates and proposes one; the candidate and the employer
// accept; the municipality confirms and both confirmations are sound PDFs
// [003 art 5 lid 4]. The employer sees the candidate's name but not the
// dossier or the medical segment [003 art 7.7 lid 2, 002 art 5.1].
func TestPlacementJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		j := newJourney(t, db)
		post := func(b *browser, path string, form url.Values, want int) {
			t.Helper()
			if resp, body := b.do("POST", path, form, nil); resp.StatusCode != want {
				t.Fatalf("POST %s: %d, want %d: %s", path, resp.StatusCode, want, body)
			}
		}
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		base := "/assignments/" + j.assignment.ID + "/placements"
		if resp, body := km.do("GET", base, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "Jaap Journée") {
			t.Fatalf("ranked candidates: %d", resp.StatusCode)
		}
		post(km, "/assignments/"+j.assignment.ID+"/proposals", url.Values{"candidate_id": {j.candidate}, "last_day": {j.assignment.Start.AddMonths(7).String()}}, http.StatusUnprocessableEntity)
		post(km, "/assignments/"+j.assignment.ID+"/proposals", url.Values{"candidate_id": {j.candidate}}, http.StatusSeeOther)
		_, body := km.do("GET", "/api/v1/assignments/"+j.assignment.ID+"/placements", nil, nil)
		var list struct{ Placements []store.PlacementView }
		decode(t, body, &list)
		if len(list.Placements) != 1 || list.Placements[0].Status != flex.PlacementProposed {
			t.Fatalf("placements: %s", body)
		}
		pid := list.Placements[0].ID

		cand := e.browser()
		cand.login("jaap@example.nl")
		if resp, body := cand.do("GET", "/portal/placements", nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "Bakkerij De Korenschoof") {
			t.Fatalf("portal placements: %d", resp.StatusCode)
		}
		post(cand, "/placements/"+pid+"/answer", url.Values{"accept": {"1"}}, http.StatusSeeOther)
		emp := e.browser()
		emp.login("werkgever@demo.opstap.nl")
		if resp, body := emp.do("GET", "/employer/placements", nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "Jaap Journée") {
			t.Fatalf("employer placements: %d", resp.StatusCode)
		}
		// The proposal card through the API (issue 12 item 14): experience
		// and availability, no birth date or address.
		_, body = emp.do("GET", "/api/v1/placements/"+pid, nil, nil)
		var pv store.PlacementView
		decode(t, body, &pv)
		if pv.Card == nil || len(pv.Card.Experience) != 1 || pv.Card.Experience[0].Months != 6 || strings.Contains(body, "1985") || strings.Contains(body, "1315AB") {
			t.Fatalf("the employer's proposal card: %s", body)
		}
		post(emp, "/placements/"+pid+"/confirm", nil, http.StatusForbidden)
		post(emp, "/placements/"+pid+"/answer", url.Values{"accept": {"1"}}, http.StatusSeeOther)
		post(km, "/placements/"+pid+"/confirm", nil, http.StatusSeeOther)

		pdfs := []struct {
			b     *browser
			party string
			want  string
		}{{emp, "employer", "Jaap Journée"}, {cand, "candidate", "Stadhuisplein 12"}, {km, "employer", "Jaap Journée"}}
		for _, p := range pdfs {
			resp, pdf := p.b.do("GET", "/placements/"+pid+"/confirmations/"+p.party, nil, nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
				t.Fatalf("%s confirmation: %d", p.party, resp.StatusCode)
			}
			if text := checkConfirmationPDF(t, []byte(pdf)); text != "" && !strings.Contains(text, p.want) {
				t.Fatalf("%s confirmation lacks %q", p.party, p.want)
			}
		}
		forbidden := []struct {
			b    *browser
			path string
		}{
			{emp, "/placements/" + pid + "/confirmations/candidate"},
			{emp, "/candidates/" + j.candidate + "/dossier"},
			{emp, "/candidates/" + j.candidate + "/medical"},
			{cand, "/placements/" + pid + "/confirmations/employer"},
		}
		for _, f := range forbidden {
			if resp, _ := f.b.do("GET", f.path, nil, nil); resp.StatusCode != http.StatusForbidden {
				t.Errorf("GET %s: %d, want 403", f.path, resp.StatusCode)
			}
		}
		if resp, body := km.do("GET", "/placements/"+pid, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "/confirmations/candidate") {
			t.Fatalf("placement page: %d", resp.StatusCode)
		}
		// An extension (issue 11 item 10): the municipality reads its
		// motivation; the employer and the candidate get the extension
		// without it (kept sealed), not as an empty text the document's
		// minLength forbids. The contract check validates each answer.
		motivation := "Finishing the season with the team, agreed with the employer."
		ext := `{"until":"` + j.assignment.Start.AddMonths(4).String() + `","motivation":"` + motivation + `","extend_last_day":false}`
		if resp, body := km.doBody("POST", "/api/v1/placements/"+pid+"/extensions", ext, map[string]string{"Content-Type": "application/json"}); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("extension: %d %s", resp.StatusCode, body)
		}
		for _, r := range []struct {
			b    *browser
			sees bool
		}{{km, true}, {emp, false}, {cand, false}} {
			resp, body := r.b.do("GET", "/api/v1/placements/"+pid, nil, nil)
			if resp.StatusCode != 200 || !strings.Contains(body, `"extensions"`) || strings.Contains(body, motivation) != r.sees || strings.Contains(body, `"motivation": ""`) {
				t.Errorf("placement with an extension: %d %.600s", resp.StatusCode, body)
			}
		}
	})
}

// journey is the journey's own assignment (Thursday and Friday at the demo
// bakery) and a ready candidate with a portal account.
type journey struct {
	assignment *flex.Assignment
	candidate  string
}

func newJourney(t *testing.T, db *store.DB) *journey {
	t.Helper()
	ctx, sys := context.Background(), &opstap.Actor{System: true}
	actor := func(email string) *opstap.Actor {
		u, err := db.FindUserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(db.Now(), "")
	}
	km, coach := actor("klantmanager@demo.opstap.nl"), actor("coach@demo.opstap.nl")
	es, err := db.FindEmployers(ctx, km)
	if err != nil {
		t.Fatal(err)
	}
	var bakery *flex.Employer
	for _, e := range es {
		if e.Name == "Bakkerij De Korenschoof" {
			bakery = e
		}
	}
	if bakery == nil {
		t.Fatal("no demo bakery")
	}
	start := opstap.DateOf(db.Now()).AddDays(21)
	a, err := db.CreateAssignment(ctx, km, flex.Assignment{EmployerID: bakery.ID, LocationID: bakery.Locations[0].ID, Title: "Inpakker",
		Occupation: "8160.2", HoursPerWeek: 16, Days: []string{"thu", "fri"}, StartTime: "08:00", EndTime: "16:00", Start: start, PlannedEnd: start.AddMonths(2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordDisplacementCheck(ctx, km, a.ID, flex.DisplacementCheck{CheckedOn: opstap.DateOf(db.Now()), Positive: true,
		Motivation: "Packing for the weekend market, no regular job is replaced."}); err != nil {
		t.Fatal(err)
	}
	if a, err = db.SetAssignmentStatus(ctx, km, a.ID, flex.StatusOpen); err != nil {
		t.Fatal(err)
	}
	born, _ := opstap.ParseDate("1985-06-01")
	c, err := db.RegisterCandidate(ctx, km, candidate.Registration{CommissionerOrgID: km.OrgID, ExternalRef: "J-1", CoachUserID: coach.UserID,
		Basic: candidate.Basic{FirstName: "Jaap", LastName: "Journée", BirthDate: born, Email: "jaap@example.nl", Postcode: "1315AB"},
		BSN:   storetest.BSN(4), BenefitKind: "participatiewet", BenefitStart: born.AddMonths(12 * 30)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveFlexProfile(ctx, km, c.ID, flex.Profile{HoursPerWeek: 32, Days: []string{"mon", "tue", "wed", "thu", "fri"}, MaxTravelKm: 20,
		Occupations: []flex.ProfileOccupation{{Code: "8160.2", ExperienceMonths: 6}}}); err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: km.OrgID, Email: "jaap@example.nl", Name: "Jaap Journée", Password: demo.Password,
		Grants: []access.GrantSpec{{Role: opstap.RoleCandidate, Access: opstap.Write}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.LinkCandidateUser(ctx, sys, c.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	flags := []struct {
		a *opstap.Actor
		f access.Flag
	}{{km, access.FlagMatchable}, {coach, access.FlagCoachApproval}, {u.Actor(db.Now(), ""), access.FlagConsent}}
	for _, f := range flags {
		if err := db.SetFlexFlag(ctx, f.a, c.ID, f.f, true); err != nil {
			t.Fatal(err)
		}
	}
	return &journey{assignment: a, candidate: c.ID}
}

// checkConfirmationPDF checks a PDF with qpdf (structure) and pdffonts
// (every font embedded), as internal/render's tests do; with CI set a
// missing tool fails. It returns the text when pdftotext exists.
func checkConfirmationPDF(t *testing.T, b []byte) string {
	t.Helper()
	tool := func(name string) string {
		p, err := exec.LookPath(name)
		if err != nil && os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: install qpdf and poppler-utils", name)
		}
		return p
	}
	p := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if q := tool("qpdf"); q != "" {
		if out, err := exec.Command(q, "--check", p).CombinedOutput(); err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors")) {
			t.Fatalf("qpdf --check: %v\n%s", err, out)
		}
	}
	if f := tool("pdffonts"); f != "" {
		out, err := exec.Command(f, p).CombinedOutput()
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if err != nil || len(lines) < 3 {
			t.Fatalf("pdffonts: %v\n%s", err, out)
		}
		for _, l := range lines[2:] {
			if fs := strings.Fields(l); len(fs) < 7 || fs[len(fs)-5] != "yes" {
				t.Errorf("font not embedded: %s", l)
			}
		}
	}
	if x := tool("pdftotext"); x != "" {
		out, err := exec.Command(x, p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	return ""
}
