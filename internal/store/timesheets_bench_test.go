package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/gen"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/ubl"
)

// moneyBench is a municipality's flex month at scale: 5,000 placements
// spread over ten employers, each with 80 approved days of 8 hours from 1
// January 2026 (400,000 timesheet lines; February holds 28 days of each),
// the seed's contract terms and everyone's billing details.
type moneyBench struct {
	db      *store.DB
	finance *opstap.Actor
	month   opstap.Month
}

const benchPlacements, benchDays, benchEmployers = 5000, 80, 10

func newMoneyBench(b *testing.B, d store.Dialect) *moneyBench {
	ctx, sys := context.Background(), &opstap.Actor{System: true}
	db := storetest.Open(b, d)
	muni, coach := benchStaff(b, db)
	importSample(b, db)
	user := func(org, email string, r opstap.Role) *opstap.Actor {
		u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: org, Email: email, Name: email, Grants: []access.GrantSpec{{Role: r}}})
		if err != nil {
			b.Fatal(err)
		}
		return u.Actor(db.Now(), "")
	}
	km, fin := user(muni, "km@almere.nl", opstap.RoleCaseManager), user(coach.OrgID, "fin@p.nl", opstap.RoleFinance)
	parties := map[string]invoice.Party{
		fin.OrgID: {LegalID: "12345678", LegalScheme: ubl.KvK, VATNumber: "NL001234567B01", Street: "Stationsplein", HouseNumber: "1",
			PostalCode: "1315 KT", City: "Almere", IBAN: "NL91ABNA0417164300"},
		muni: {LegalID: "00000001002220647000", LegalScheme: ubl.OIN, Street: "Stadhuisplein", HouseNumber: "1", PostalCode: "1315 HR", City: "Almere"},
	}
	var assignments []string
	for i := range benchEmployers {
		e, err := db.CreateEmployer(ctx, km, flex.Employer{Name: fmt.Sprintf("Bakkerij %02d", i),
			Locations: []flex.Location{{Name: "Winkel", Address: "Markt 1", Postcode4: "1315"}}})
		if err != nil {
			b.Fatal(err)
		}
		a, err := db.CreateAssignment(ctx, km, flexAssignment(e))
		if err != nil {
			b.Fatal(err)
		}
		assignments = append(assignments, a.ID)
		parties[e.ID] = invoice.Party{LegalID: fmt.Sprintf("876543%02d", i), LegalScheme: ubl.KvK, Street: "Markt", HouseNumber: "1",
			PostalCode: "1315 AA", City: "Almere"}
	}
	for org, p := range parties {
		if err := db.SetBillingParty(ctx, fin, org, p); err != nil {
			b.Fatal(err)
		}
	}
	first := opstap.Date{Year: 2026, Month: 1, Day: 1}
	terms := billing.DefaultTerms("0034", first)
	terms.ContractStart = first
	terms.FeeTiers = []billing.Tier{{UpTo: 1_000_000, Rate: 2000}, {UpTo: 2_500_000, Rate: 1500}, {Rate: 1000}}
	terms.MonthlyMinimum, terms.Licences, terms.LicencePrice = 250_000, 2, 4_500
	if _, err := db.AddContractTerms(ctx, fin, terms); err != nil {
		b.Fatal(err)
	}
	ids, err := gen.Dossiers(ctx, db, muni, coach.UserID, benchPlacements, 0, "GEN", 1)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := storetest.GenerateHours(ctx, db, storetest.Hours{Assignments: assignments, Candidates: ids, First: first,
		Days: benchDays, By: coach.UserID}); err != nil {
		b.Fatal(err)
	}
	return &moneyBench{db: db, finance: fin, month: opstap.Month{Year: 2026, Month: 2}}
}

// BenchmarkMonthHours: finance's month overview of hours (the store query
// behind /hours/month): every candidate's read decided, the first page's
// logged, the totals of all.
func BenchmarkMonthHours(b *testing.B) {
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			f := newMoneyBench(b, d)
			ctx := context.Background()
			var total, cpu time.Duration
			for b.Loop() {
				t0, c0 := time.Now(), cpuTime()
				mh, err := f.db.FindMonthHours(ctx, f.finance, f.month, 0)
				if err != nil {
					b.Fatal(err)
				}
				if len(mh.Rows) != store.MonthHoursPage || mh.Count != benchPlacements || mh.Total.Minutes != benchPlacements*28*480 {
					b.Fatalf("%d rows, %d minutes", len(mh.Rows), mh.Total.Minutes)
				}
				total, cpu = total+time.Since(t0), cpu+cpuTime()-c0
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/month")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/month")
		})
	}
}

// BenchmarkFinanceMonth: finance's invoicing page of the month (revenue,
// fee and the invoices to issue per municipality and employer).
func BenchmarkFinanceMonth(b *testing.B) {
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			f := newMoneyBench(b, d)
			ctx := context.Background()
			c0 := cpuTime()
			for b.Loop() {
				im, err := f.db.FinanceMonth(ctx, f.finance, f.month)
				if err != nil {
					b.Fatal(err)
				}
				if len(im.Municipalities) != 1 || len(im.Municipalities[0].Employers) != benchEmployers {
					b.Fatalf("%+v", im)
				}
			}
			b.ReportMetric(float64((cpuTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkIssueMonth: a municipality's month invoiced, ten employer
// invoices of 500 lines and the monthly invoice, each rendered as PDF and
// SI-UBL and kept. Between runs the invoices are credited (not timed), which
// makes way for the next round.
func BenchmarkIssueMonth(b *testing.B) {
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			f := newMoneyBench(b, d)
			ctx := context.Background()
			if err := f.db.ClosePeriod(ctx, f.finance, f.month); err != nil {
				b.Fatal(err)
			}
			var cpu time.Duration
			for b.Loop() {
				c0 := cpuTime()
				issued, err := f.db.IssueMonth(ctx, f.finance, f.month, render.InvoiceFiles)
				if err != nil || len(issued) != benchEmployers+1 {
					b.Fatalf("%v: %d issued", err, len(issued))
				}
				cpu += cpuTime() - c0
				b.StopTimer()
				for _, s := range issued {
					if _, err := f.db.CreditInvoice(ctx, f.finance, s.ID, "benchmark round", render.InvoiceFiles); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
