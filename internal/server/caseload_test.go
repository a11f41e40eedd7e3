package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestCoachFollowsFiledRequest (issue 12 item 11): a rights request the
// coach filed for their candidate shows on the coach's home page under
// "Opvolgen" with its kind and deadline, not its description, and links to
// the candidate's page, whose section "Privacyverzoeken die u indiende"
// shows how far each request the coach filed is — kind, dates, status —
// never what was asked or answered. Nobody else sees that section.
func TestCoachFollowsFiledRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		lisa := demoCandidate(t, db, "kandidaat@demo.opstap.nl")
		actor := func(email string) *store.User {
			u, err := db.FindUserByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		u := actor("coach@demo.opstap.nl")
		const secret, answer = "Lisa wil weten wie haar medische gegevens zag", "Bezwaar afgewezen: de verwerking is nodig voor het traject"
		open, err := db.FileRightsRequest(ctx, u.Actor(db.Now(), "127.0.0.1"), lisa, privacy.NewRightsRequest{Kind: privacy.RightAccess, Description: secret})
		if err != nil {
			t.Fatal(err)
		}
		closed, err := db.FileRightsRequest(ctx, u.Actor(db.Now(), "127.0.0.1"), lisa, privacy.NewRightsRequest{Kind: privacy.RightObjection, Description: "Bezwaar tegen het delen"})
		if err != nil {
			t.Fatal(err)
		}
		po := actor("privacy@demo.opstap.nl").Actor(db.Now(), "127.0.0.1")
		if _, err := db.AnswerRightsRequest(ctx, po, closed.ID, privacy.RightsAnswer{Status: privacy.RightsRefused, Text: answer}); err != nil {
			t.Fatal(err)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		resp, body := coach.do("GET", "/", nil, nil)
		link := `href="/candidates/` + lisa + `#filed-requests"`
		if resp.StatusCode != 200 || !strings.Contains(body, "het verzoek dat u indiende (") || !strings.Contains(body, "beantwoord zijn") || !strings.Contains(body, link) {
			t.Fatalf("home: %d, no filed request under Opvolgen linked to the candidate's page", resp.StatusCode)
		}
		if strings.Contains(body, secret) || strings.Count(body, "het verzoek dat u indiende (") != 1 {
			t.Fatal("the coach's home shows the request's description, or the answered request")
		}
		resp, body = coach.do("GET", "/candidates/"+lisa, nil, nil)
		section := body[strings.Index(body, `id="filed-requests"`)+1:]
		if resp.StatusCode != 200 || !strings.Contains(body, `id="filed-requests"`) || !strings.Contains(section, "Privacyverzoeken die u indiende") {
			t.Fatalf("candidate page: %d, no section of the requests the coach filed", resp.StatusCode)
		}
		section = section[:strings.Index(section, "</section>")]
		for _, want := range []string{"Inzage in mijn gegevens", open.ReceivedOn.Dutch(), open.DueOn.Dutch(), "Ontvangen", "Bezwaar tegen de verwerking", "Afgewezen"} {
			if !strings.Contains(section, want) {
				t.Errorf("the section lacks %q", want)
			}
		}
		for _, never := range []string{secret, answer, "Bezwaar tegen het delen"} {
			if strings.Contains(body, never) {
				t.Errorf("the candidate page shows %q", never)
			}
		}
		for _, other := range []string{"klantmanager@demo.opstap.nl", "privacy@demo.opstap.nl"} {
			b := e.browser()
			b.login(other)
			if resp, body := b.do("GET", "/candidates/"+lisa, nil, nil); resp.StatusCode == 200 && strings.Contains(body, `id="filed-requests"`) {
				t.Errorf("%s sees the coach's filed requests", other)
			}
		}
	})
}
