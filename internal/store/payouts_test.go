package store_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/formatcheck"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/timesheet"
)

const (
	providerIBAN = "NL91ABNA0417164300"
	annaIBAN     = "NL20INGB0001234567"
)

// payoutFixture: Almere's terms (€ 2,00 premium, € 0,23 per km) and a cap
// for 2030 of € 40,00, so 24 hours (€ 48,00) cross it; Anna has an IBAN and
// an address.
func newPayoutFixture(t *testing.T, db *store.DB) *hoursFixture {
	t.Helper()
	ctx := context.Background()
	f := newHoursFixture(t, db)
	terms := billing.DefaultTerms("0034", opstap.Date{Year: 2030, Month: 1, Day: 1})
	terms.TravelRule, terms.TravelPerKm = billing.TravelPerKm, 23
	if _, err := db.AddContractTerms(ctx, f.finance, terms); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPremiumCap(ctx, f.admin, billing.Cap{Year: 2030, Amount: 4000, Source: "test"}); err != nil {
		t.Fatal(err)
	}
	fin, _ := json.Marshal(candidate.Financial{IBAN: annaIBAN, AccountHolder: "A. Test"})
	if err := db.WriteCategory(ctx, f.finance, f.anna.ID, opstap.CatFinancial, fin, ""); err != nil {
		t.Fatal(err)
	}
	born, _ := opstap.ParseDate("1988-03-12")
	basic, _ := json.Marshal(candidate.Basic{FirstName: "Anna", LastName: "Test", BirthDate: born, Street: "Stadhuisplein", HouseNumber: "1",
		Postcode: "1315HR", City: "Almere"})
	if err := db.WriteCategory(ctx, f.manager, f.anna.ID, opstap.CatBasic, basic, ""); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *hoursFixture) workWeek(t *testing.T, mon opstap.Date) {
	t.Helper()
	var es []timesheet.Entry
	for i := range 3 {
		es = append(es, timesheet.Entry{Day: mon.AddDays(i), Minutes: hours(8), TravelKm: 10})
	}
	if _, err := f.db.EnterHours(context.Background(), f.boss, f.p.ID, es); err != nil {
		t.Fatal(err)
	}
}

// TestPayoutBatch: finance pays a closed month's premium up to the year's
// cap (excess kept apart for the municipality) plus travel, as a pain.001
// file valid against the EPC schema; the same accrual is never paid twice.
func TestPayoutBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPayoutFixture(t, db)
		ctx := context.Background()
		f.workWeek(t, f.mon)
		req := store.PayoutRequest{Through: f.march, ExecutionDate: opstap.Date{Year: 2030, Month: 5, Day: 6}, DebtorIBAN: providerIBAN}
		if _, err := db.CreatePayoutBatch(ctx, f.finance, req); fieldOrCode(err) != "through_month" {
			t.Fatalf("paying an open month: %v", err)
		}
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*opstap.Actor{f.manager, f.boss, f.self, f.coach} {
			if _, err := db.CreatePayoutBatch(ctx, a, req); fieldOrCode(err) != opstap.EFORBIDDEN {
				t.Fatalf("%s makes a batch: %v", a.Email, err)
			}
		}
		bad := req
		bad.DebtorIBAN = "NL91ABNA0417164301"
		if _, err := db.CreatePayoutBatch(ctx, f.finance, bad); fieldOrCode(err) != "debtor_iban" {
			t.Fatalf("bad IBAN: %v", err)
		}
		b, err := db.CreatePayoutBatch(ctx, f.finance, req)
		// 24 h × € 2,00 = € 48,00 against a cap of € 40,00: € 40,00 paid,
		// € 8,00 excess; travel 30 km × € 0,23 = € 6,90.
		if err != nil || b.Payments != 1 || b.Total != 4000+690 || len(b.Skipped) != 0 {
			t.Fatalf("batch: %v %+v", err, b)
		}
		if _, err := db.CreatePayoutBatch(ctx, f.finance, req); fieldOrCode(err) != "through_month" {
			t.Fatalf("paying March again: %v", err)
		}
		ps, err := db.Payouts(ctx, f.finance)
		if err != nil || len(ps) != 1 || ps[0].Premium != 4000 || ps[0].Excess != 800 || ps[0].Travel != 690 || !ps[0].CapWarning ||
			len(ps[0].Months) != 1 || ps[0].Months[0] != f.march {
			t.Fatalf("payouts: %v %+v", err, ps)
		}
		_, file, err := db.PayoutFile(ctx, f.finance, b.ID)
		if err != nil || !strings.Contains(string(file), annaIBAN) || !strings.Contains(string(file), "<InstdAmt Ccy=\"EUR\">46.90</InstdAmt>") {
			t.Fatalf("file: %v\n%s", err, file)
		}
		path := filepath.Join(t.TempDir(), "payout.xml")
		if err := os.WriteFile(path, file, 0o600); err != nil {
			t.Fatal(err)
		}
		formatcheck.XSD(t, formatcheck.SharedData(t, "validators/sepa/pain.001.001.09-EPC132-08-2023-SCT-C2PSP.xsd"), path)
		if _, _, err := db.PayoutFile(ctx, f.manager, b.ID); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the municipality downloads the file: %v", err)
		}
		if n := auditEvents(t, db, f.privacy, "export"); n < 1 {
			t.Fatalf("the file's payee read is not logged: %d", n)
		}
	})
}

// TestPayoutBatchTwiceAtOnce: two batches made at the same moment pay the
// accrual once; the loser is refused and leaves nothing behind.
func TestPayoutBatchTwiceAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPayoutFixture(t, db)
		ctx := context.Background()
		f.workWeek(t, f.mon)
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		req := store.PayoutRequest{Through: f.march, ExecutionDate: opstap.Date{Year: 2030, Month: 5, Day: 6}, DebtorIBAN: providerIBAN}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { _, errs[i] = db.CreatePayoutBatch(ctx, f.finance, req) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			}
		}
		batches, err := db.PayoutBatches(ctx, f.finance)
		if ok != 1 || err != nil || len(batches) != 1 {
			t.Fatalf("%d batches made (%v), %d listed (%v)", ok, errs, len(batches), err)
		}
		ps, err := db.Payouts(ctx, f.finance)
		if err != nil || len(ps) != 1 {
			t.Fatalf("payments: %v %+v", err, ps)
		}
	})
}

// TestPayoutsWhoSees: two payouts in a year; finance sees all, the
// municipality its candidates', the candidate their own, another
// municipality and an employer none.
func TestPayoutsWhoSees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPayoutFixture(t, db)
		ctx := context.Background()
		if err := db.SetPremiumCap(ctx, f.admin, billing.Cap{Year: 2030, Amount: 233900, Source: "test"}); err != nil {
			t.Fatal(err)
		}
		f.workWeek(t, f.mon)
		f.workWeek(t, f.mon.AddDays(28))
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		req := store.PayoutRequest{Through: f.march, ExecutionDate: opstap.Date{Year: 2030, Month: 5, Day: 6}, DebtorIBAN: providerIBAN}
		if _, err := db.CreatePayoutBatch(ctx, f.finance, req); err != nil {
			t.Fatal(err)
		}
		if err := db.ClosePeriod(ctx, f.finance, f.april); err != nil {
			t.Fatal(err)
		}
		req.Through = f.april
		if b, err := db.CreatePayoutBatch(ctx, f.finance, req); err != nil || b.Payments != 1 || b.Total != 4800+690 {
			t.Fatalf("April: %v %+v", err, b)
		}
		for _, tc := range []struct {
			a    *opstap.Actor
			want int
		}{{f.finance, 2}, {f.manager, 2}, {f.self, 2}, {f.other, 0}} {
			ps, err := db.Payouts(ctx, tc.a)
			if err != nil || len(ps) != tc.want {
				t.Errorf("%s sees %d payouts (%v), want %d", tc.a.Email, len(ps), err, tc.want)
			}
		}
		if _, err := db.Payouts(ctx, f.boss); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Errorf("the employer reads payouts: %v", err)
		}
	})
}

// TestPayoutPaidAndErasure: a payout is paid when finance records the
// bank's execution, not when the file is made. Until then, and while
// approved hours are unpaid, the candidate's data cannot be erased
// (running financial obligations); afterwards it can, and the payment
// survives in pseudonymous form: amounts, months and the pseudonymous id
// stay, the payee's name and IBAN (sealed with the erased key) are gone,
// so the file cannot be made again (issue 9 items 4, 7).
func TestPayoutPaidAndErasure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPayoutFixture(t, db)
		ctx := context.Background()
		f.workWeek(t, f.mon)
		if err := db.EndPlacement(ctx, f.manager, f.p.ID, flex.PlacementEnd{Outcome: flex.OutcomeCompleted, On: f.mon.AddDays(2)}); err != nil {
			t.Fatal(err)
		}
		erase := func() string {
			t.Helper()
			_, err := db.EraseCandidate(ctx, f.privacy, f.anna.ID)
			return fieldOrCode(err)
		}
		if got := erase(); got != opstap.ECONFLICT {
			t.Fatalf("erasure with unpaid hours: %q", got)
		}
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		exec := opstap.Date{Year: 2030, Month: 5, Day: 6}
		b, err := db.CreatePayoutBatch(ctx, f.finance, store.PayoutRequest{Through: f.march, ExecutionDate: exec, DebtorIBAN: providerIBAN})
		if err != nil || !b.PaidOn.IsZero() {
			t.Fatalf("batch: %v %+v", err, b)
		}
		if ps, err := db.Payouts(ctx, f.finance); err != nil || len(ps) != 1 || !ps[0].PaidAt.IsZero() || ps[0].Execution != exec {
			t.Fatalf("made, not paid: %v %+v", err, ps)
		}
		if got := erase(); got != opstap.ECONFLICT {
			t.Fatalf("erasure with a payment the bank has not executed: %q", got)
		}
		db.Now = func() time.Time { return time.Date(2030, 5, 8, 9, 0, 0, 0, time.UTC) }
		for _, c := range []struct {
			a    *opstap.Actor
			on   opstap.Date
			want string
		}{
			{f.manager, exec, opstap.EFORBIDDEN},
			{f.finance, exec.AddDays(-1), "paid_on"},
			{f.finance, exec.AddDays(3), "paid_on"},
			{f.finance, opstap.Date{}, "paid_on"},
		} {
			if _, err := db.RecordPayoutPaid(ctx, c.a, b.ID, c.on); fieldOrCode(err) != c.want {
				t.Fatalf("paid on %s by %s: %v, want %s", c.on, c.a.Email, err, c.want)
			}
		}
		paid, err := db.RecordPayoutPaid(ctx, f.finance, b.ID, exec)
		if err != nil || paid.PaidOn != exec {
			t.Fatalf("paid: %v %+v", err, paid)
		}
		if _, err := db.RecordPayoutPaid(ctx, f.finance, b.ID, exec); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("paid twice: %v", err)
		}
		if got := erase(); got != "" {
			t.Fatalf("erasure once everything is paid: %q", got)
		}
		ps, err := db.Payouts(ctx, f.finance)
		if err != nil || len(ps) != 1 || ps[0].CandidateID != f.anna.ID || ps[0].PaidAt != exec || ps[0].Premium != 4000 || ps[0].Travel != 690 ||
			len(ps[0].Months) != 1 {
			t.Fatalf("the payment after erasure: %v %+v", err, ps)
		}
		bs, err := db.PayoutBatches(ctx, f.finance)
		if err != nil || len(bs) != 1 || bs[0].Total != 4690 || bs[0].PaidOn != exec {
			t.Fatalf("the batch after erasure: %v %+v", err, bs)
		}
		if _, _, err := db.PayoutFile(ctx, f.finance, b.ID); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("the file of an erased payee: %v", err)
		}
	})
}

// TestThirdPayoutRefused: a candidate is paid at most twice a calendar
// year [Participatiewet art 31 lid 2 onder j]: March and April are paid
// in two batches (the second only travel, the cap being reached); a third
// batch in the same year pays May nothing and is refused, May stays unpaid.
func TestThirdPayoutRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPayoutFixture(t, db)
		ctx := context.Background()
		db.Now = func() time.Time { return time.Date(2030, 6, 10, 9, 0, 0, 0, time.UTC) }
		may := opstap.Month{Year: 2030, Month: 5}
		for _, mon := range []opstap.Date{f.mon, f.mon.AddDays(28), f.mon.AddDays(63)} {
			f.workWeek(t, mon)
		}
		exec := opstap.Date{Year: 2030, Month: 6, Day: 11}
		for i, m := range []opstap.Month{f.march, f.april, may} {
			if err := db.ClosePeriod(ctx, f.finance, m); err != nil {
				t.Fatal(err)
			}
			b, err := db.CreatePayoutBatch(ctx, f.finance, store.PayoutRequest{Through: m, ExecutionDate: exec, DebtorIBAN: providerIBAN})
			switch {
			case i < 2 && (err != nil || b.Payments != 1):
				t.Fatalf("payout %d: %v %+v", i+1, err, b)
			case i == 2 && fieldOrCode(err) != "through_month":
				t.Fatalf("third payout in 2030: %v %+v", err, b)
			}
		}
		ps, err := db.Payouts(ctx, f.finance)
		if err != nil || len(ps) != 2 || ps[0].Months[0] != f.april || ps[0].Premium != 0 || ps[0].Travel != 690 {
			t.Fatalf("payouts: %v %+v", err, ps)
		}
	})
}
