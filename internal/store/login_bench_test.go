package store_test

import (
	"context"
	"testing"

	"github.com/opstap/opstap"

	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/store/storetest"
)

// BenchmarkLogin measures a whole password sign-in: throttle check, account
// lookup, argon2id verification, session insert and audit entry.
func BenchmarkLogin(b *testing.B) {
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := context.Background()
			sys := &opstap.Actor{System: true}
			org := &account.Organisation{Name: "Provider", Kind: opstap.OrgProvider}
			if err := db.CreateOrganisation(ctx, sys, org); err != nil {
				b.Fatal(err)
			}
			if _, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: org.ID, Email: "a@b.nl", Name: "A", Password: "correct horse battery",
				Grants: []access.GrantSpec{{Role: opstap.RoleFinance}}}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, _, err := db.Login(ctx, "a@b.nl", "correct horse battery", "127.0.0.1"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "logins/s")
		})
	}
}
