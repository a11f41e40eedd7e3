package store_test

import (
	"context"
	"encoding/json"
	"github.com/opstap/opstap/internal/privacy"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/timesheet"
)

// hoursFixture has a confirmed placement of Anna at the bakery: 24 hours a
// week, Monday to Wednesday, from Sunday 3 March 2030 for three months; and
// finance, an admin, a privacy officer and a second employer.
type hoursFixture struct {
	*placementFixture
	p                       *flex.Placement
	finance, admin, privacy *opstap.Actor
	stranger                *opstap.Actor // a user of another client employer
	mon                     opstap.Date   // Monday 4 March 2030
	march, april            opstap.Month
}

func newHoursFixture(t *testing.T, db *store.DB) *hoursFixture {
	t.Helper()
	ctx := context.Background()
	f := &hoursFixture{placementFixture: newPlacementFixture(t, db)}
	p := f.accepted(t)
	var err error
	if f.p, err = db.ConfirmPlacement(ctx, f.manager, p.ID, fakeRender); err != nil {
		t.Fatal(err)
	}
	staff := func(email string, org string, role opstap.Role) *opstap.Actor {
		u, err := db.CreateUser(ctx, &opstap.Actor{System: true}, account.NewUser{OrgID: org, Email: email, Name: email, Grants: []access.GrantSpec{{Role: role}}})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(db.Now(), "127.0.0.1")
	}
	f.finance = staff("fin@p.nl", f.coach.OrgID, opstap.RoleFinance)
	f.admin = staff("admin@p.nl", f.coach.OrgID, opstap.RoleAdmin)
	f.privacy = staff("fg@p.nl", f.coach.OrgID, opstap.RolePrivacyOfficer)
	other, err := db.CreateEmployer(ctx, f.manager, flex.Employer{Name: "Slagerij", Locations: []flex.Location{{Name: "Winkel", Address: "Markt 1", Postcode4: "1315"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.stranger = staff("baas@slagerij.nl", other.ID, opstap.RoleEmployer)
	f.mon, _ = opstap.ParseDate("2030-03-04")
	f.march, f.april = opstap.Month{Year: 2030, Month: 3}, opstap.Month{Year: 2030, Month: 4}
	// The clock stands in May 2030: March and April have ended and can be closed.
	db.Now = func() time.Time { return time.Date(2030, 5, 2, 10, 0, 0, 0, time.UTC) }
	return f
}

func hours(h int) opstap.Minutes { return opstap.Minutes(h) * 60 }

func entry(d opstap.Date, minutes opstap.Minutes) timesheet.Entry {
	return timesheet.Entry{Day: d, Minutes: minutes}
}

// TestHoursEntryAndApproval: the employer enters a week at once (approved
// as entered); the candidate enters a day, the employer approves or
// rejects it with a reason (issue 9 item 2).
func TestHoursEntryAndApproval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		week := []timesheet.Entry{entry(f.mon, hours(8)), {Day: f.mon.AddDays(1), Minutes: 450, TravelKm: 14}, {Day: f.mon.AddDays(2), Minutes: 510, TransitCents: 380}}
		ls, err := db.EnterHours(ctx, f.boss, f.p.ID, week)
		if err != nil || len(ls) != 3 || ls[0].Status != timesheet.StatusApproved || ls[1].TravelKm != 14 || ls[2].TransitCents != 380 || ls[0].Month != f.march {
			t.Fatalf("employer's week: %v %+v", err, ls)
		}
		// Thursday by the candidate: it waits, the employer is told.
		thu := f.mon.AddDays(3)
		sub, err := db.EnterHours(ctx, f.self, f.p.ID, []timesheet.Entry{entry(thu, 90)})
		if err != nil || sub[0].Status != timesheet.StatusSubmitted {
			t.Fatalf("candidate's day: %v %+v", err, sub)
		}
		if _, err := db.EnterHours(ctx, f.self, f.p.ID, []timesheet.Entry{entry(thu, 120)}); err != nil {
			t.Fatalf("the candidate changes the undecided day: %v", err)
		}
		if _, err := db.EnterHours(ctx, f.boss, f.p.ID, []timesheet.Entry{entry(thu, 60)}); fieldOrCode(err) != "entries.0.hours" {
			t.Fatalf("the employer over the candidate's undecided day: %v", err)
		}
		q, err := db.HoursQueue(ctx, f.boss)
		if err != nil || len(q) != 1 || q[0].Minutes != 120 || q[0].CandidateName != "Anna Test" || q[0].AssignmentTitle != "Bakery help" {
			t.Fatalf("queue: %v %+v", err, q)
		}
		if figure(t, db, f.boss, "Hours waiting for your approval") != 1 {
			t.Fatal("employer's home count")
		}
		if err := db.DecideHours(ctx, f.self, f.p.ID, []string{q[0].ID}, true, ""); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the candidate approves own hours: %v", err)
		}
		if err := db.DecideHours(ctx, f.boss, f.p.ID, []string{q[0].ID}, true, ""); err != nil {
			t.Fatal(err)
		}
		if err := db.DecideHours(ctx, f.boss, f.p.ID, []string{q[0].ID}, true, ""); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("deciding twice: %v", err)
		}
		// 8 + 7.5 + 8.5 + 2 = 26 hours on a 24-hour contract: flagged for the municipality.
		fw, err := db.FlaggedWeeks(ctx, f.manager)
		if err != nil || len(fw) != 1 || fw[0].Minutes != hours(26) || fw[0].LimitHours != 24 || fw[0].Monday != f.mon || fw[0].CandidateName != "Anna Test" {
			t.Fatalf("flagged weeks: %v %+v", err, fw)
		}
		if figure(t, db, f.manager, "Weeks above the contracted hours") != 1 {
			t.Fatal("municipality's home count")
		}
		if err := db.NoteFlag(ctx, f.manager, f.p.ID, f.mon); err != nil {
			t.Fatal(err)
		}
		if figure(t, db, f.manager, "Weeks above the contracted hours") != 0 {
			t.Fatal("a noted week still counts")
		}
		// Friday rejected with a reason the candidate reads.
		fri := f.mon.AddDays(4)
		sub, err = db.EnterHours(ctx, f.self, f.p.ID, []timesheet.Entry{entry(fri, 240)})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DecideHours(ctx, f.boss, f.p.ID, []string{sub[0].ID}, false, "kort"); fieldOrCode(err) != "reason" {
			t.Fatalf("rejection without a reason: %v", err)
		}
		if err := db.DecideHours(ctx, f.boss, f.p.ID, []string{sub[0].ID}, false, "Not scheduled on Fridays"); err != nil {
			t.Fatal(err)
		}
		v, err := db.FindPlacementHours(ctx, f.self, f.p.ID, f.mon, f.mon.AddDays(6))
		if err != nil || len(v.Lines) != 5 || v.Lines[4].Status != timesheet.StatusRejected || v.Lines[4].Reason != "Not scheduled on Fridays" || !v.Weeks[0].Over() {
			t.Fatalf("candidate's view: %v %+v", err, v)
		}
		// A rejected day can be entered again.
		if _, err := db.EnterHours(ctx, f.self, f.p.ID, []timesheet.Entry{entry(fri, 60)}); err != nil {
			t.Fatalf("again after a rejection: %v", err)
		}
	})
}

func figure(t *testing.T, db *store.DB, a *opstap.Actor, label string) int {
	t.Helper()
	fs, err := db.HomeFigures(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Label == label {
			return f.Count
		}
	}
	t.Fatalf("no figure %q in %+v", label, fs)
	return 0
}

// TestHoursRefusals: each refusal of issue 9 item 2 names its field, and
// nothing of a refused week is stored.
func TestHoursRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		if _, err := db.EnterHours(ctx, f.boss, f.p.ID, []timesheet.Entry{entry(f.mon, hours(8))}); err != nil {
			t.Fatal(err)
		}
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		apr, _ := opstap.ParseDate("2030-04-01")
		tests := []struct {
			name string
			a    *opstap.Actor
			es   []timesheet.Entry
			want string
		}{
			{"before the first day", f.boss, []timesheet.Entry{entry(f.p.FirstDay.AddDays(-1), 60)}, "entries.0.day"},
			{"after the last day", f.boss, []timesheet.Entry{entry(f.p.LastDay.AddDays(1), 60)}, "entries.0.day"},
			{"more than 24 hours", f.boss, []timesheet.Entry{entry(apr, 60), entry(apr.AddDays(1), hours(25))}, "entries.1.hours"},
			{"negative", f.self, []timesheet.Entry{entry(apr, -60)}, "entries.0.hours"},
			{"in a closed month", f.boss, []timesheet.Entry{entry(f.mon.AddDays(1), 60)}, "entries.0.day"},
			{"an approved day (closed, too)", f.boss, []timesheet.Entry{entry(f.mon, 60)}, "entries.0.day"},
			{"finance does not enter hours", f.finance, []timesheet.Entry{entry(apr, 60)}, opstap.EFORBIDDEN},
			{"the municipality does not enter hours", f.manager, []timesheet.Entry{entry(apr, 60)}, opstap.EFORBIDDEN},
			{"another employer", f.stranger, []timesheet.Entry{entry(apr, 60)}, opstap.EFORBIDDEN},
			{"the coach", f.coach, []timesheet.Entry{entry(apr, 60)}, opstap.EFORBIDDEN},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := db.EnterHours(ctx, tt.a, f.p.ID, tt.es); fieldOrCode(err) != tt.want {
					t.Fatalf("got %v, want %q", err, tt.want)
				}
			})
		}
		mh, err := db.FindMonthHours(ctx, f.finance, f.april, 0)
		if err != nil || len(mh.Rows) != 0 {
			t.Fatalf("a refused week left hours behind: %v %+v", err, mh)
		}
		// An ended placement takes no new hours; a cancelled one never had any.
		if err := db.EndPlacement(ctx, f.manager, f.p.ID, flex.PlacementEnd{Outcome: flex.OutcomeEndedEarly, On: apr.AddDays(10), Reason: "The bakery closed for renovation."}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EnterHours(ctx, f.boss, f.p.ID, []timesheet.Entry{entry(apr, 60)}); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("hours on an ended placement: %v", err)
		}
	})
}

// TestHoursCorrectionsAndClosing: a correction is a new line referring to
// the original, never an edit; after finance closes the month it lands in
// the next open month; only the admin reopens, with a reason; all of it in
// the audit log (issue 9 items 2 and 7).
func TestHoursCorrectionsAndClosing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		ls, err := db.EnterHours(ctx, f.boss, f.p.ID, []timesheet.Entry{entry(f.mon, hours(8))})
		if err != nil {
			t.Fatal(err)
		}
		orig := ls[0]
		if _, err := db.CorrectHours(ctx, f.self, orig.ID, timesheet.Correction{Minutes: hours(7), Reason: "I left an hour early"}); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the candidate corrects: %v", err)
		}
		c1, err := db.CorrectHours(ctx, f.boss, orig.ID, timesheet.Correction{Minutes: hours(7), Reason: "Left an hour early"})
		if err != nil || c1.Minutes != -60 || c1.CorrectsID != orig.ID || c1.Month != f.march {
			t.Fatalf("correction in the open month: %v %+v", err, c1)
		}
		// Closing: finance only, only an ended month, once.
		if err := db.ClosePeriod(ctx, f.boss, f.march); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the employer closes: %v", err)
		}
		if err := db.ClosePeriod(ctx, f.finance, opstap.Month{Year: 2030, Month: 5}); fieldOrCode(err) != "month" {
			t.Fatalf("closing the running month: %v", err)
		}
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		if err := db.ClosePeriod(ctx, f.finance, f.march); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("closing twice: %v", err)
		}
		// Finance corrects the closed March (on a correction's id): it lands in April.
		c2, err := db.CorrectHours(ctx, f.finance, c1.ID, timesheet.Correction{Minutes: hours(6), TravelKm: 20, Reason: "Timesheet of the bakery checked"})
		if err != nil || c2.Minutes != -60 || c2.TravelKm != 20 || c2.CorrectsID != orig.ID || c2.Month != f.april || c2.Source != timesheet.SourceFinance {
			t.Fatalf("correction of a closed month: %v %+v", err, c2)
		}
		march, err := db.FindMonthHours(ctx, f.finance, f.march, 0)
		if err != nil || !march.Closed || march.Total.Minutes != hours(7) || march.Total.Corrections != 1 {
			t.Fatalf("March: %v %+v", err, march)
		}
		april, err := db.FindMonthHours(ctx, f.manager, f.april, 0)
		if err != nil || april.Total.Minutes != -60 || april.Total.TravelKm != 20 || april.Rows[0].Corrections != 1 {
			t.Fatalf("April, as the municipality sees it: %v %+v", err, april)
		}
		if _, err := db.FindMonthHours(ctx, f.boss, f.april, 0); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the employer reads the month overview: %v", err)
		}
		if _, err := db.FindMonthHours(ctx, f.other, f.april, 0); err != nil {
			t.Fatalf("another municipality: %v", err)
		} else if other, _ := db.FindMonthHours(ctx, f.other, f.april, 0); len(other.Rows) != 0 {
			t.Fatalf("another municipality sees %+v", other.Rows)
		}
		// Reopening: the admin only, with a reason.
		db.Now = func() time.Time { return time.Date(2030, 5, 3, 10, 0, 0, 0, time.UTC) }
		if err := db.ReopenPeriod(ctx, f.finance, f.march, "Invoice of the bakery was wrong"); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("finance reopens: %v", err)
		}
		if err := db.ReopenPeriod(ctx, f.admin, f.march, "fout"); fieldOrCode(err) != "reason" {
			t.Fatalf("reopening without a reason: %v", err)
		}
		if err := db.ReopenPeriod(ctx, f.admin, f.march, "Invoice of the bakery was wrong"); err != nil {
			t.Fatal(err)
		}
		if closed, err := db.IsMonthClosed(ctx, f.march); err != nil || closed {
			t.Fatalf("March after reopening: %v %v", closed, err)
		}
		ps, err := db.FinancePeriods(ctx, f.admin, f.march, f.april)
		if err != nil || len(ps) != 2 || ps[0].Closed || len(ps[0].Events) != 2 || ps[0].Events[1].Reason != "Invoice of the bakery was wrong" || ps[0].Events[1].By != "admin@p.nl" {
			t.Fatalf("periods: %v %+v", err, ps)
		}
		if _, err := db.FinancePeriods(ctx, f.boss, f.march, f.april); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the employer reads the periods: %v", err)
		}
		events := auditEvents(t, db, f.privacy, "period")
		if events != 2 {
			t.Fatalf("closing and reopening in the audit log: %d entries", events)
		}
	})
}

// TestHoursWhoSeesWhat: per role, through the access policy (issue 9 item 8).
func TestHoursWhoSeesWhat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		if _, err := db.EnterHours(ctx, f.boss, f.p.ID, []timesheet.Entry{entry(f.mon, hours(8))}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name     string
			a        *opstap.Actor
			want     string
			withName bool
		}{
			{"the employer of the placement", f.boss, "", true},
			{"the candidate", f.self, "", true},
			{"the municipality", f.manager, "", true},
			{"finance", f.finance, "", true},
			{"another employer", f.stranger, opstap.EFORBIDDEN, false},
			{"another municipality", f.other, opstap.EFORBIDDEN, false},
			{"the coach", f.coach, opstap.EFORBIDDEN, false},
			{"the medical expert", f.medic, opstap.EFORBIDDEN, false},
			{"the admin", f.admin, opstap.EFORBIDDEN, false},
			{"the privacy officer", f.privacy, opstap.EFORBIDDEN, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v, err := db.FindPlacementHours(ctx, tt.a, f.p.ID, f.mon, f.mon.AddDays(6))
				if fieldOrCode(err) != tt.want {
					t.Fatalf("got %v, want %q", err, tt.want)
				}
				if err == nil && (len(v.Lines) != 1 || (v.CandidateName != "") != tt.withName) {
					t.Fatalf("view: %+v", v)
				}
			})
		}
		if _, err := db.HoursQueue(ctx, f.manager); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the municipality's queue: %v", err)
		}
		if _, err := db.FlaggedWeeks(ctx, f.boss); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the employer's flags: %v", err)
		}
	})
}

// TestHoursSurviveErasure: hours are a money record under the statutory
// retention: after the candidate's erasure they stay, pseudonymous, and
// the typed reasons are gone (issue 9 item 7; DOMAIN.md §4).
func TestHoursSurviveErasure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		ls, err := db.EnterHours(ctx, f.boss, f.p.ID, []timesheet.Entry{entry(f.mon, hours(8))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CorrectHours(ctx, f.boss, ls[0].ID, timesheet.Correction{Minutes: hours(7), Reason: "Anna left early for the doctor"}); err != nil {
			t.Fatal(err)
		}
		if err := db.EndPlacement(ctx, f.manager, f.p.ID, flex.PlacementEnd{Outcome: flex.OutcomeCompleted, On: f.p.LastDay}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EraseCandidate(ctx, f.privacy, f.anna.ID); err != nil {
			t.Fatal(err)
		}
		v, err := db.FindPlacementHours(ctx, f.finance, f.p.ID, f.mon, f.mon.AddDays(6))
		if err != nil || len(v.Lines) != 2 || v.Lines[1].Reason != "" || v.CandidateName != "" || v.Lines[0].Minutes+v.Lines[1].Minutes != hours(7) {
			t.Fatalf("after erasure: %v %+v", err, v)
		}
		if mh, err := db.FindMonthHours(ctx, f.finance, f.march, 0); err != nil || mh.Total.Minutes != hours(7) {
			t.Fatalf("the month after erasure: %v %+v", err, mh)
		}
	})
}

func auditEvents(t *testing.T, db *store.DB, reader *opstap.Actor, event string) int {
	t.Helper()
	es, err := db.ReadAuditLog(context.Background(), reader, store.AuditFilter{Event: event})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestHoursInAccessExport: the candidate's right of access covers their
// hours, reasons included (AVG art 15; 002 art 7.1).
func TestHoursInAccessExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		ls, err := db.EnterHours(ctx, f.boss, f.p.ID, []timesheet.Entry{{Day: f.mon, Minutes: hours(8), TravelKm: 7}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CorrectHours(ctx, f.boss, ls[0].ID, timesheet.Correction{Minutes: hours(6), TravelKm: 7, Reason: "Went home at noon"}); err != nil {
			t.Fatal(err)
		}
		sys := &opstap.Actor{System: true}
		r, err := db.FileRightsRequest(ctx, sys, f.anna.ID, privacy.NewRightsRequest{Kind: privacy.RightAccess})
		if err != nil {
			t.Fatal(err)
		}
		ex, err := db.AccessExport(ctx, sys, r.ID)
		if err != nil || len(ex.Hours) != 2 || ex.Hours[0].TravelKm != 7 || ex.Hours[1].Reason != "Went home at noon" || ex.Hours[1].Minutes != -hours(2) {
			t.Fatalf("export: %v %+v", err, ex.Hours)
		}
	})
}

// TestHandoverHours: the commissioner's hand-over carries each
// candidate's timesheet lines (issue 9; docs/handover-format.md): the day,
// the month booked, minutes, travel, status, who entered it, whether it
// corrects another line and whether its month was paid out, naming the
// employer and assignment in clear; the file still imports, leaving the
// hours (placements do not move).
func TestHandoverHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		sys := &opstap.Actor{System: true}
		ls, err := db.EnterHours(ctx, f.boss, f.p.ID, []timesheet.Entry{{Day: f.mon, Minutes: hours(8), TravelKm: 12}, entry(f.mon.AddDays(1), 450)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CorrectHours(ctx, f.boss, ls[0].ID, timesheet.Correction{Minutes: hours(7), TravelKm: 12, Reason: "Anna left early"}); err != nil {
			t.Fatal(err)
		}
		h, err := db.ExportHandover(ctx, sys, f.assignment.Municipality)
		if err != nil {
			t.Fatal(err)
		}
		var hs []store.HandoverHours
		for _, c := range h.Candidates {
			if c.ID == f.anna.ID {
				hs = c.Hours
			}
		}
		if len(hs) != 3 {
			t.Fatalf("hours %+v", hs)
		}
		first, fix := hs[0], hs[1]
		if first.Day != f.mon || first.Minutes != hours(8) || first.TravelKm != 12 || first.Status != "approved" || first.Source != "employer" ||
			first.Correction || first.Paid || first.Employer != f.employer.Name || first.Assignment != f.assignment.Title || first.Month != f.march {
			t.Fatalf("first line %+v", first)
		}
		if !fix.Correction || fix.Minutes != -hours(1) || fix.Day != f.mon || hs[2].Minutes != 450 {
			t.Fatalf("correction %+v, next %+v", fix, hs[2])
		}
		raw, err := json.Marshal(h)
		if err != nil || !strings.Contains(string(raw), `"hours":[{"employer":`) || strings.Contains(string(raw), "Anna left early") {
			t.Fatalf("file: %v %s", err, raw)
		}
		var back store.Handover
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if res, err := storetest.Open(t, db.Dialect).ImportHandover(ctx, sys, &back); err != nil || res.Created != len(h.Candidates) {
			t.Fatalf("import: %v %+v", err, res)
		}
	})
}
