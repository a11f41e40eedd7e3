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
// "Opvolgen" with its kind and deadline, not its description.
func TestCoachFollowsFiledRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		lisa := demoCandidate(t, db, "kandidaat@demo.opstap.nl")
		u, err := db.FindUserByEmail(ctx, "coach@demo.opstap.nl")
		if err != nil {
			t.Fatal(err)
		}
		const secret = "Lisa wil weten wie haar medische gegevens zag"
		if _, err := db.FileRightsRequest(ctx, u.Actor(db.Now(), "127.0.0.1"), lisa, privacy.NewRightsRequest{Kind: privacy.RightAccess, Description: secret}); err != nil {
			t.Fatal(err)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		resp, body := coach.do("GET", "/", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "het verzoek dat u indiende (") || !strings.Contains(body, "beantwoord zijn") {
			t.Fatalf("home: %d, no filed request under Opvolgen", resp.StatusCode)
		}
		if strings.Contains(body, secret) {
			t.Fatal("the coach's home shows the request's description")
		}
	})
}
