package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/auth"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestLoginThrottleConfigured: the throttle set on the database (opstap
// serve --login-failures-per-account, --login-throttle-window) decides, not
// a package variable: with 2 failures per account the third attempt is
// refused, also with the right password, until the window has passed.
func TestLoginThrottleConfigured(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sys := &opstap.Actor{System: true}
		org := &account.Organisation{Name: "Provider", Kind: opstap.OrgProvider}
		if err := db.CreateOrganisation(ctx, sys, org); err != nil {
			t.Fatal(err)
		}
		const pw = "correct horse battery"
		if _, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: org.ID, Email: "a@b.nl", Name: "A", Password: pw,
			Grants: []access.GrantSpec{{Role: opstap.RoleFinance}}}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		db.Now = func() time.Time { return now }
		db.Throttle = auth.Throttle{Account: 2, Window: 10 * time.Minute}
		if th := db.LoginThrottle(); th != (auth.Throttle{Window: 10 * time.Minute, Account: 2, Address: 30}) {
			t.Fatalf("throttle %+v", th)
		}
		for i := range 2 {
			if _, _, err := db.Login(ctx, "a@b.nl", "wrong password!", "192.0.2.1"); opstap.ErrorCode(err) != opstap.EUNAUTHORIZED {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		_, _, err := db.Login(ctx, "a@b.nl", pw, "192.0.2.2")
		if e := opstap.AsError(err); e == nil || e.Code != opstap.ETOOMANY || e.Message != "too many failed attempts; try again in %d minutes" || len(e.Args) != 1 || e.Args[0] != 10 {
			t.Fatalf("third attempt: %v", err)
		}
		now = now.Add(11 * time.Minute)
		if _, _, err := db.Login(ctx, "a@b.nl", pw, "192.0.2.2"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}
