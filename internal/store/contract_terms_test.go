package store_test

import (
	"context"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// providerUser adds a user of the provider with one role.
func providerUser(t *testing.T, db *store.DB, email string, role opstap.Role) *opstap.Actor {
	t.Helper()
	ctx := context.Background()
	orgs, err := db.FindOrganisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Kind == opstap.OrgProvider {
			u, err := db.CreateUser(ctx, &opstap.Actor{System: true}, account.NewUser{OrgID: o.ID, Email: email, Name: email, Grants: []access.GrantSpec{{Role: role}}})
			if err != nil {
				t.Fatal(err)
			}
			return u.Actor(db.Now(), "127.0.0.1")
		}
	}
	t.Fatal("no provider")
	return nil
}

func TestContractTermsVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		finance := providerUser(t, db, "fin@p.nl", opstap.RoleFinance)
		d := func(s string) opstap.Date { x, _ := opstap.ParseDate(s); return x }

		v1 := billing.DefaultTerms("0034", d("2026-01-01"))
		v1.FeeTiers = []billing.Tier{{UpTo: 1_000_000, Rate: 2000}, {UpTo: 2_500_000, Rate: 1500}, {Rate: 1000}}
		v1.MonthlyMinimum, v1.Licences, v1.LicencePrice = 300_000, 2, 17_500
		for _, a := range []*opstap.Actor{f.manager, f.coach} {
			if _, err := db.AddContractTerms(ctx, a, v1); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
				t.Fatalf("%s added terms: %v", a.Email, err)
			}
		}
		if _, err := db.AddContractTerms(ctx, finance, v1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddContractTerms(ctx, finance, v1); fieldOrCode(err) != "valid_from" {
			t.Fatalf("a second version on the same day: %v", err)
		}
		bad := v1
		bad.Municipality = "9999"
		if _, err := db.AddContractTerms(ctx, finance, bad); fieldOrCode(err) != "municipality" {
			t.Fatalf("unknown municipality: %v", err)
		}
		bad = v1
		bad.FeeTiers = []billing.Tier{{UpTo: 5, Rate: 1}}
		if _, err := db.AddContractTerms(ctx, finance, bad); fieldOrCode(err) != "fee_tiers" {
			t.Fatalf("bad tiers: %v", err)
		}
		v2 := v1
		v2.ValidFrom, v2.HourlyRate, v2.TravelRule, v2.TravelPerKm, v2.ContractEnd, v2.Note = d("2026-07-01"), 1250, billing.TravelPerKm, 23, d("2027-12-31"), "verlenging"
		if _, err := db.AddContractTerms(ctx, finance, v2); err != nil {
			t.Fatal(err)
		}

		mt, err := db.MunicipalityContractTerms(ctx, finance, "0034")
		if err != nil {
			t.Fatal(err)
		}
		if len(mt.Versions) != 2 || mt.Versions[0].ValidFrom != v2.ValidFrom || mt.Name != "Gemeente Almere" {
			t.Fatalf("versions %+v", mt)
		}
		got := mt.Versions[0]
		if got.HourlyRate != 1250 || got.TravelPerKm != 23 || got.ContractEnd != v2.ContractEnd || len(got.FeeTiers) != 3 ||
			got.FeeTiers[1] != v1.FeeTiers[1] || got.Note != "verlenging" || got.LicencePrice != 17_500 || got.VATRate != 2100 {
			t.Fatalf("round trip: %+v", got)
		}
		if mt.Versions[1].ContractEnd != (opstap.Date{}) {
			t.Errorf("no end date came back as %v", mt.Versions[1].ContractEnd)
		}
		err = db.WithTx(ctx, func(tx *store.Tx) error {
			june, err := tx.TermsOn(ctx, "0034", d("2026-06-30"))
			if err != nil || june.HourlyRate != 1175 {
				t.Errorf("30 June: %+v, %v", june, err)
			}
			july, err := tx.TermsOn(ctx, "0034", d("2026-07-01"))
			if err != nil || july.HourlyRate != 1250 {
				t.Errorf("1 July: %+v, %v", july, err)
			}
			if _, err := tx.TermsOn(ctx, "0034", d("2025-12-31")); opstap.ErrorCode(err) != opstap.ECONFLICT {
				t.Errorf("before any terms: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A closed month is never rewritten: a version may start only
		// after the last closed month [issue 9 item 1, 7].
		month, _ := opstap.ParseMonth("2026-08")
		if err := db.ClosePeriod(ctx, finance, month); err != nil {
			t.Fatal(err)
		}
		inClosed := v2
		inClosed.ValidFrom, inClosed.HourlyRate = d("2026-08-31"), 1300
		if _, err := db.AddContractTerms(ctx, finance, inClosed); fieldOrCode(err) != "valid_from" {
			t.Fatalf("a version inside a closed month: %v", err)
		}
		inClosed.ValidFrom = d("2026-09-01")
		if _, err := db.AddContractTerms(ctx, finance, inClosed); err != nil {
			t.Fatalf("a version after the closed month: %v", err)
		}
		all, err := db.ContractTerms(ctx, finance)
		if err != nil || len(all) != 2 {
			t.Fatalf("all municipalities: %d, %v", len(all), err)
		}
		if _, err := db.ContractTerms(ctx, f.manager); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("case manager read the terms: %v", err)
		}
	})
}

func TestPremiumCaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		admin := providerUser(t, db, "beheer@p.nl", opstap.RoleAdmin)
		finance := providerUser(t, db, "fin@p.nl", opstap.RoleFinance)
		c := billing.Cap{Year: 2026, Amount: 262_000, Source: "Staatscourant 2025 (voorbeeld)"}
		for _, a := range []*opstap.Actor{finance, f.manager} {
			if err := db.SetPremiumCap(ctx, a, c); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
				t.Fatalf("%s set the cap: %v", a.Email, err)
			}
		}
		if err := db.SetPremiumCap(ctx, admin, billing.Cap{Year: 2026, Amount: 262_000}); fieldOrCode(err) != "source" {
			t.Fatalf("no source: %v", err)
		}
		if err := db.SetPremiumCap(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
		c.Amount = 263_000
		if err := db.SetPremiumCap(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPremiumCap(ctx, admin, billing.Cap{Year: 2025, Amount: 255_000, Source: "Staatscourant 2024"}); err != nil {
			t.Fatal(err)
		}
		caps, err := db.PremiumCaps(ctx, finance)
		if err != nil || len(caps) != 2 || caps[0] != c {
			t.Fatalf("caps %+v, %v", caps, err)
		}
		if _, err := db.PremiumCaps(ctx, f.manager); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("case manager read the caps: %v", err)
		}
	})
}
