package store_test

import (
	"context"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/gen"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// hoursBench is the data set of the money benchmarks: one municipality
// (Almere, 0034) with placements candidates, each on one assignment of one
// employer with days approved days of 8 hours from 1 January 2026
// (storetest.GenerateHours), and a finance user.
type hoursBench struct {
	db      *store.DB
	finance *opstap.Actor
	cbs     string
}

func newHoursBench(b *testing.B, d store.Dialect, placements, days int) *hoursBench {
	b.Helper()
	ctx, sys := context.Background(), &opstap.Actor{System: true}
	db := storetest.Open(b, d)
	muni, coach := benchStaff(b, db)
	_, a := benchAssignment(b, db, muni)
	u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: coach.OrgID, Email: "fin@p.nl", Name: "fin@p.nl", Grants: []access.GrantSpec{{Role: opstap.RoleFinance}}})
	if err != nil {
		b.Fatal(err)
	}
	fin := u.Actor(db.Now(), "")
	ids, err := gen.Dossiers(ctx, db, muni, coach.UserID, placements, 0, "GEN", 1)
	if err != nil {
		b.Fatal(err)
	}
	first, _ := opstap.ParseDate("2026-01-01")
	if _, err := storetest.GenerateHours(ctx, db, storetest.Hours{Assignments: []string{a.ID}, Candidates: ids, First: first, Days: days,
		By: coach.UserID}); err != nil {
		b.Fatal(err)
	}
	return &hoursBench{db: db, finance: fin, cbs: a.Municipality}
}
