package store_test

import (
	"context"
	"encoding/json"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/dossier"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/trajectory"
)

// opsFixture adds to the fixture a provider admin, a privacy officer and
// an admin of the municipality.
type opsFixture struct {
	*fixture
	admin, privacy, cityAdmin *opstap.Actor
}

func newOpsFixture(t *testing.T, db *store.DB) *opsFixture {
	t.Helper()
	f := newFixture(t, db)
	ctx := context.Background()
	sys := &opstap.Actor{System: true}
	orgs, err := db.FindOrganisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var prov string
	for _, o := range orgs {
		if o.Kind == opstap.OrgProvider {
			prov = o.ID
		}
	}
	user := func(email, org string, role opstap.Role) *opstap.Actor {
		u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: org, Email: email, Name: email, Grants: []access.GrantSpec{{Role: role}}})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(db.Now(), "127.0.0.1")
	}
	return &opsFixture{fixture: f, admin: user("beheer@p.nl", prov, opstap.RoleAdmin), privacy: user("privacy@p.nl", prov, opstap.RolePrivacyOfficer),
		cityAdmin: user("beheer@almere.nl", f.municipality, opstap.RoleAdmin)}
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if db.Dialect == store.Postgres {
		n := 0
		out := []byte{}
		for i := 0; i < len(q); i++ {
			if q[i] == '?' {
				n++
				out = append(out, '$')
				out = append(out, []byte(string(rune('0'+n)))...)
				continue
			}
			out = append(out, q[i])
		}
		q = string(out)
	}
	if _, err := db.SQL.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func grantOf(a *opstap.Actor) string { return a.Grants[0].ID }

// TestAccessReview_003bewerkersArt5: grants are due after 11 months,
// overdue after 12, blocked by the daily job after 12 months and 14 days;
// each organisation's admin reviews its own organisation's grants, nobody
// their own; the admins are notified once per cycle.
func TestAccessReview_003bewerkersArt5(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 6, 15, 9, 0, 0, 0, opstap.Amsterdam)
		db.Now = func() time.Time { return now }
		f := newOpsFixture(t, db)
		ago := func(months, days int) time.Time { return now.AddDate(0, -months, -days).UTC() }
		set := func(a *opstap.Actor, at time.Time) {
			exec(t, db, `UPDATE grants SET reviewed_at = ? WHERE id = ?`, at, grantOf(a))
		}
		set(f.coach, ago(11, 1))    // due
		set(f.coach2, ago(12, 1))   // overdue, within grace
		set(f.medic, ago(12, 15))   // past grace: blocked by the job
		set(f.manager, ago(11, 10)) // due, municipality
		set(f.other, ago(13, 0))    // another municipality, past grace

		states := func(a *opstap.Actor) map[string]string {
			t.Helper()
			gs, err := db.GrantsForReview(ctx, a, false)
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]string{}
			for _, g := range gs {
				m[g.UserEmail] = g.State
			}
			return m
		}
		got := states(f.admin)
		want := map[string]string{"coach@p.nl": access.ReviewDue, "coach2@p.nl": access.ReviewOverdue, "arts@p.nl": access.ReviewOverdue, "km@almere.nl": access.ReviewDue, "km@lelystad.nl": access.ReviewOverdue}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("provider admin: %s state %q, want %q (all: %v)", k, got[k], v, got)
			}
		}
		// The municipality's admin sees only Almere's grants.
		if got := states(f.cityAdmin); len(got) != 1 || got["km@almere.nl"] != access.ReviewDue {
			t.Fatalf("city admin sees %v", got)
		}
		if _, err := db.GrantsForReview(ctx, f.coach, false); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach reviews: %v", err)
		}

		tests := []struct {
			name  string
			actor *opstap.Actor
			grant string
			code  string
		}{
			{"city admin re-attests own organisation", f.cityAdmin, grantOf(f.manager), ""},
			{"city admin cannot reach another organisation", f.cityAdmin, grantOf(f.other), opstap.ENOTFOUND},
			{"nobody attests their own rights", f.admin, grantOf(f.admin), opstap.ECONFLICT},
			{"coach cannot review", f.coach, grantOf(f.coach2), opstap.EFORBIDDEN},
			{"privacy officer re-attests the admin", f.privacy, grantOf(f.admin), ""},
			{"provider admin re-attests a coach", f.admin, grantOf(f.coach), ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := db.ReattestGrant(ctx, tt.actor, tt.grant); opstap.ErrorCode(err) != tt.code {
					t.Fatalf("err %v, want %q", err, tt.code)
				}
			})
		}
		if got := states(f.admin); got["coach@p.nl"] != "" || got["km@almere.nl"] != "" {
			t.Fatalf("re-attested grants still listed: %v", got)
		}

		run, err := db.RunAccessReview(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if run.Blocked != 2 || run.Due != 1 {
			t.Fatalf("run %+v, want 2 blocked (medic, other) and 1 due (coach2)", run)
		}
		// coach2 (provider) is due: the provider admins are told.
		if run.Notified != 1 {
			t.Fatalf("notified %d admins, want 1", run.Notified)
		}
		u, err := db.FindUserByID(ctx, f.medic.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Grants[0].BlockedAt == nil {
			t.Fatal("medic's grant not blocked")
		}
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{Event: audit.EventGrantChange})
		if err != nil {
			t.Fatal(err)
		}
		blocks := 0
		for _, e := range es {
			if e.ActorRole == "system" && strings.Contains(e.Detail, "not re-attested") {
				blocks++
			}
		}
		if blocks != 2 {
			t.Fatalf("%d system grant changes audited, want 2", blocks)
		}
		// A second run in the same cycle notifies nobody again.
		if run, err = db.RunAccessReview(ctx); err != nil || run.Notified != 0 || run.Blocked != 0 {
			t.Fatalf("second run %+v %v", run, err)
		}
		// The review history shows the re-attestations and the blocks.
		p, err := db.CommissionerAuditPackage(ctx, f.privacy, f.municipality)
		if err != nil {
			t.Fatal(err)
		}
		outcomes := map[string]string{}
		for _, r := range p.Reviews {
			outcomes[r.GrantID] = r.Outcome
		}
		if outcomes[grantOf(f.manager)] != store.ReviewReattested || outcomes[grantOf(f.medic)] != store.ReviewBlockedOverdue {
			t.Fatalf("review history %v", outcomes)
		}
	})
}

// TestBreachClock_AVGart33: the deadline is 72 elapsed hours after the
// discovery, so across a change of summer time its clock reading in
// Amsterdam moves by an hour.
func TestBreachClock_AVGart33(t *testing.T) {
	ams := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, opstap.Amsterdam) }
	tests := []struct {
		name       string
		discovered time.Time
		deadline   time.Time
	}{
		{"winter", ams(2026, 1, 12, 10), ams(2026, 1, 15, 10)},
		{"into summer time", ams(2026, 3, 27, 10), ams(2026, 3, 30, 11)},
		{"into winter time", ams(2026, 10, 23, 12), ams(2026, 10, 26, 11)},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := ams(2026, 11, 1, 12)
		db.Now = func() time.Time { return now }
		f := newOpsFixture(t, db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b, err := db.CreateBreach(ctx, f.privacy, privacy.BreachInput{DiscoveredAt: tt.discovered, Description: "Laptop van Jan Jansen gestolen", Categories: []opstap.Category{opstap.CatBasic}})
				if err != nil {
					t.Fatal(err)
				}
				if !b.Deadline.Equal(tt.deadline) {
					t.Fatalf("deadline %s, want %s", b.Deadline.In(opstap.Amsterdam), tt.deadline)
				}
				if c := b.Clock(tt.deadline.Add(-time.Minute)); c.Overdue || c.Left != time.Minute {
					t.Fatalf("a minute before: %+v", c)
				}
				if c := b.Clock(tt.deadline.Add(time.Second)); !c.Overdue {
					t.Fatalf("after the deadline: %+v", c)
				}
				late := tt.deadline.Add(time.Hour)
				b.APNotifiedAt = &late
				if c := b.Clock(now); c.Overdue || !c.Notified || !c.Late {
					t.Fatalf("notified late: %+v", c)
				}
			})
		}
		// The description is sealed.
		if n := storetest.ClearIn(t, db, "breaches", "Jansen", "sealed"); n != 0 {
			t.Fatalf("description in clear: %d", n)
		}
		bad := []struct {
			name  string
			in    privacy.BreachInput
			field string
		}{
			{"no moment", privacy.BreachInput{Description: "x"}, "discovered_at"},
			{"future", privacy.BreachInput{DiscoveredAt: now.Add(time.Hour), Description: "x"}, "discovered_at"},
			{"no description", privacy.BreachInput{DiscoveredAt: now}, "description"},
			{"notified before discovery", privacy.BreachInput{DiscoveredAt: now, Description: "x", APNotifiedAt: ptrTime(now.Add(-time.Hour))}, "ap_notified_at"},
			{"told without how", privacy.BreachInput{DiscoveredAt: now, Description: "x", SubjectsToldOn: opstap.DateOf(now)}, "subjects_told_how"},
			{"unknown category", privacy.BreachInput{DiscoveredAt: now, Description: "x", Categories: []opstap.Category{"shoe_size"}}, "categories"},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.CreateBreach(ctx, f.privacy, tt.in)
				if e := opstap.AsError(err); e == nil || e.Field != tt.field {
					t.Fatalf("err %v, want field %s", err, tt.field)
				}
			})
		}
		if _, err := db.CreateBreach(ctx, f.coach, privacy.BreachInput{DiscoveredAt: now, Description: "x"}); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach records a breach: %v", err)
		}
	})
}

func ptrTime(t time.Time) *time.Time { return &t }

// TestBreachAssessment_AVGart33: the audit log tells which candidates an
// account read in a period; they are added to the breach with one call,
// and their commissioner becomes a controller to inform.
func TestBreachAssessment_AVGart33(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		f := newOpsFixture(t, db)
		c1 := f.register(t, "A-1", "Anna", "Bakker")
		c2 := f.register(t, "A-2", "Bram", "Smit")
		clock = clock.Add(time.Hour) // 10:00: the coach reads c1's basic and BSN
		if _, err := db.FindCandidate(ctx, f.coach, c1.ID, store.PurposeGuidance, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReadCategory(ctx, f.coach, c1.ID, opstap.CatBSN, store.PurposeGuidance, ""); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(2 * time.Hour) // 12:00: and c2, outside the window below
		if _, err := db.FindCandidate(ctx, f.coach, c2.ID, store.PurposeGuidance, ""); err != nil {
			t.Fatal(err)
		}
		b, err := db.CreateBreach(ctx, f.privacy, privacy.BreachInput{DiscoveredAt: clock, Description: "Account van coach misbruikt"})
		if err != nil {
			t.Fatal(err)
		}
		from, to := time.Date(2026, 5, 4, 9, 30, 0, 0, time.UTC), time.Date(2026, 5, 4, 11, 0, 0, 0, time.UTC)
		got, err := db.BreachAssessment(ctx, f.privacy, b.ID, "coach@p.nl", from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].CandidateID != c1.ID || !slices.Equal(got[0].Categories, []string{"basic", "bsn"}) || got[0].Listed {
			t.Fatalf("assessment %+v", got)
		}
		if _, err := db.BreachAssessment(ctx, f.privacy, b.ID, "nobody@p.nl", from, to); opstap.AsError(err) == nil || opstap.AsError(err).Field != "account" {
			t.Fatalf("unknown account: %v", err)
		}
		if _, err := db.BreachAssessment(ctx, f.privacy, b.ID, f.coach.UserID, to, from); opstap.AsError(err) == nil || opstap.AsError(err).Field != "to" {
			t.Fatalf("reversed period: %v", err)
		}
		if _, err := db.BreachAssessment(ctx, f.coach, b.ID, f.coach.UserID, from, to); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach assesses: %v", err)
		}
		n, err := db.AddBreachCandidates(ctx, f.privacy, b.ID, []string{got[0].CandidateID})
		if err != nil || n != 1 {
			t.Fatalf("add: %d %v", n, err)
		}
		if n, _ := db.AddBreachCandidates(ctx, f.privacy, b.ID, []string{c1.ID}); n != 0 {
			t.Fatalf("added twice: %d", n)
		}
		if _, err := db.AddBreachCandidates(ctx, f.privacy, b.ID, []string{"no-such-id"}); opstap.ErrorCode(err) != opstap.EINVALID {
			t.Fatalf("unknown candidate: %v", err)
		}
		b, err = db.FindBreach(ctx, f.privacy, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Controllers) != 1 || b.Controllers[0].OrgID != f.municipality || b.Controllers[0].InformedAt != nil {
			t.Fatalf("controllers %+v", b.Controllers)
		}
		if err := db.MarkControllerInformed(ctx, f.privacy, b.ID, f.municipality2); opstap.ErrorCode(err) != opstap.EINVALID {
			t.Fatalf("inform an unaffected organisation: %v", err)
		}
		if err := db.MarkControllerInformed(ctx, f.privacy, b.ID, f.municipality); err != nil {
			t.Fatal(err)
		}
		if b, _ = db.FindBreach(ctx, f.privacy, b.ID); b.Controllers[0].InformedAt == nil {
			t.Fatal("informed not recorded")
		}
	})
}

// TestRecordsOfProcessing_AVGart30: the register is generated from the
// configuration, so a change shows at once.
func TestRecordsOfProcessing_AVGart30(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newOpsFixture(t, db)
		rec, err := db.RecordsOfProcessing(ctx, f.privacy)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Categories) != len(opstap.Categories) || len(rec.Controllers) != 2 || rec.Processor != "Provider" || len(rec.Retention) == 0 {
			t.Fatalf("record %+v", rec)
		}
		for _, c := range rec.Categories {
			if c.Category != opstap.CatMedical {
				continue
			}
			want := []store.RoleAccess{{Role: opstap.RoleMedicalExpert, Action: opstap.Write}, {Role: opstap.RoleCandidate, Action: opstap.Read}}
			if !slices.Equal(c.Access, want) || !c.Special {
				t.Fatalf("medical access %+v", c)
			}
		}
		employers := func(r *store.ProcessingRecord) []string {
			for _, x := range r.Recipients {
				if x.Kind == opstap.OrgClientEmployer {
					if slices.Contains(x.Categories, opstap.CatMedical) {
						t.Fatal("employers receive medical data")
					}
					return x.Organisations
				}
			}
			return nil
		}
		if len(employers(rec)) != 0 || rec.Facts.OpenBreaches != 0 {
			t.Fatalf("before: %v %+v", employers(rec), rec.Facts)
		}
		if err := db.CreateOrganisation(ctx, f.admin, &account.Organisation{Name: "Bakkerij De Korf", Kind: opstap.OrgClientEmployer}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateBreach(ctx, f.privacy, privacy.BreachInput{DiscoveredAt: db.Now(), Description: "x"}); err != nil {
			t.Fatal(err)
		}
		if rec, err = db.RecordsOfProcessing(ctx, f.privacy); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(employers(rec), []string{"Bakkerij De Korf"}) || rec.Facts.OpenBreaches != 1 || rec.Facts.ActiveGrants["coach"] != 2 {
			t.Fatalf("after: %v %+v", employers(rec), rec.Facts)
		}
		if _, err := db.RecordsOfProcessing(ctx, f.coach); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach: %v", err)
		}
	})
}

// TestAuditPackage_003bewerkersArt3: a commissioner's package holds its
// own candidates' log, the grants that reach them, and its breaches; none
// of another commissioner's.
func TestAuditPackage_003bewerkersArt3(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newOpsFixture(t, db)
		c := f.register(t, "A-1", "Anna", "Bakker")
		if _, err := db.FindCandidate(ctx, f.coach, c.ID, store.PurposeGuidance, ""); err != nil {
			t.Fatal(err)
		}
		b, err := db.CreateBreach(ctx, f.privacy, privacy.BreachInput{DiscoveredAt: db.Now(), Description: "x", Categories: []opstap.Category{opstap.CatBasic}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddBreachCandidates(ctx, f.privacy, b.ID, []string{c.ID}); err != nil {
			t.Fatal(err)
		}
		p, err := db.CommissionerAuditPackage(ctx, f.privacy, f.municipality)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.CandidateIDs, []string{c.ID}) || len(p.AccessLog) < 4 || len(p.Breaches) != 1 || p.Breaches[0].Candidates != 1 {
			t.Fatalf("package: %d candidates, %d entries, breaches %+v", len(p.CandidateIDs), len(p.AccessLog), p.Breaches)
		}
		for _, e := range p.AccessLog {
			if e.CandidateID != c.ID {
				t.Fatalf("foreign entry %+v", e)
			}
		}
		emails := map[string]bool{}
		for _, g := range p.Grants {
			emails[g.UserEmail] = true
		}
		for email, want := range map[string]bool{"coach@p.nl": true, "arts@p.nl": true, "privacy@p.nl": true, "km@almere.nl": true, "beheer@almere.nl": true, "km@lelystad.nl": false, "beheer@p.nl": false} {
			if emails[email] != want {
				t.Errorf("grant of %s listed: %v, want %v", email, emails[email], want)
			}
		}
		// Lelystad's package has none of it; Lelystad's case manager gets no package.
		if p, err = db.CommissionerAuditPackage(ctx, f.privacy, f.municipality2); err != nil || len(p.AccessLog) != 0 || len(p.Breaches) != 0 {
			t.Fatalf("other package %+v %v", p, err)
		}
		if _, err := db.CommissionerAuditPackage(ctx, f.other, f.municipality); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("case manager: %v", err)
		}
	})
}

// TestHandoverRoundTrip_003art7_5: a commissioner's candidates exported
// and imported into a fresh installation come back readable, under new
// ids and keys, with equal counts; a second import changes nothing.
func TestHandoverRoundTrip_003art7_5(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sys := &opstap.Actor{System: true}
		f := newOpsFixture(t, db)
		c1 := f.register(t, "A-1", "José", "de Vries")
		f.register(t, "A-2", "Bram", "Smit")
		e, err := db.CreateEntry(ctx, f.coach, c1.ID, dossier.EntryInput{Kind: dossier.EntryConversationNote, Title: "Intake", Body: "Eerste gesprek", OccurredOn: opstap.DateOf(db.Now())}, store.PurposeGuidance)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateEntry(ctx, f.coach, c1.ID, e.ID, dossier.EntryInput{Kind: dossier.EntryConversationNote, Title: "Intake", Body: "Eerste gesprek, aangevuld", OccurredOn: e.OccurredOn}, store.PurposeGuidance); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateEntry(ctx, f.medic, c1.ID, dossier.EntryInput{Kind: dossier.EntryDiagnosis, Title: "Diagnose", Body: "x", OccurredOn: opstap.DateOf(db.Now())}, store.PurposeGuidance); err != nil {
			t.Fatal(err)
		}
		handoverRecords(t, db, f, c1.ID)
		if _, err := db.ExportHandover(ctx, f.privacy, "0034"); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("privacy officer exports: %v", err)
		}
		h, err := db.ExportHandover(ctx, sys, "0034")
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Candidates) != 2 || h.Commissioner.CBSCode != "0034" {
			t.Fatalf("export %+v", h)
		}
		if _, ok := h.Candidates[0].Data[opstap.CatMedical]; ok {
			t.Fatal("medical data in a hand-over")
		}
		// Through JSON, as the file carries it.
		raw, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		var back store.Handover
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}

		fresh := storetest.Open(t, db.Dialect)
		res, err := fresh.ImportHandover(ctx, sys, &back)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 2 || res.Skipped != 0 || res.Entries != 1 || res.Trajectories != 1 || res.Reports != 1 || res.Documents != 1 {
			t.Fatalf("import %+v", res)
		}
		if res, err = fresh.ImportHandover(ctx, sys, &back); err != nil || res.Created != 0 || res.Skipped != 2 {
			t.Fatalf("second import %+v %v", res, err)
		}
		// Read back through the policy, by a case manager of the new installation.
		orgs, _ := fresh.FindOrganisations(ctx)
		if len(orgs) != 1 {
			t.Fatalf("organisations %+v", orgs)
		}
		u, err := fresh.CreateUser(ctx, sys, account.NewUser{OrgID: orgs[0].ID, Email: "km@new.nl", Name: "KM", Grants: []access.GrantSpec{{Role: opstap.RoleCaseManager}}})
		if err != nil {
			t.Fatal(err)
		}
		km := u.Actor(fresh.Now(), "")
		cs, err := fresh.FindCandidates(ctx, km, store.CandidateFilter{Query: "de Vries"})
		if err != nil || len(cs) != 1 || cs[0].Basic == nil || cs[0].Basic.FirstName != "José" || cs[0].ID == c1.ID {
			t.Fatalf("search after import: %+v %v", cs, err)
		}
		bsn, err := fresh.ReadCategory(ctx, km, cs[0].ID, opstap.CatBSN, store.PurposeGuidance, "")
		if err != nil || bsn == nil {
			t.Fatalf("bsn: %v %v", bsn, err)
		}
		h2, err := fresh.ExportHandover(ctx, sys, "0034")
		if err != nil {
			t.Fatal(err)
		}
		var entries, versions int
		for _, c := range h2.Candidates {
			entries += len(c.Dossier)
			for _, d := range c.Dossier {
				versions += len(d.Versions)
				if last := d.Versions[len(d.Versions)-1]; last.Body != "Eerste gesprek, aangevuld" {
					t.Fatalf("entry after import: %+v", last)
				}
			}
		}
		if len(h2.Candidates) != len(h.Candidates) || entries != 1 || versions != 2 {
			t.Fatalf("after import: %d candidates, %d entries, %d versions", len(h2.Candidates), entries, versions)
		}
		checkHandoverRecords(t, fresh, cs[0].ID)
		if _, err := fresh.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// handoverRecords gives the candidate a trajectory with an appointment and
// an absence, a report, a report with health data and a document.
func handoverRecords(t *testing.T, db *store.DB, f *opsFixture, id string) {
	t.Helper()
	ctx := context.Background()
	tr, err := db.CreateTrajectory(ctx, f.coach, id, store.NewTrajectory{Kind: trajectory.KindReintegration})
	if err != nil {
		t.Fatal(err)
	}
	ap, err := db.AddAppointment(ctx, f.coach, tr.ID, trajectory.Appointment{StartsAt: db.Now().Add(72 * time.Hour), Kind: trajectory.AppointmentMeeting, Location: "Stadhuisplein 1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReportAbsence(ctx, f.coach, ap.ID, "Sollicitatiegesprek", false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateReport(ctx, f.coach, id, dossier.ReportDraft{Kind: dossier.ReportBrief, Content: dossier.ReportContent{Title: "Voortgang", Body: "Gaat goed"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateReport(ctx, f.coach, id, dossier.ReportDraft{Kind: dossier.ReportBrief, Content: dossier.ReportContent{Title: "Gezondheid", Body: "Rugklachten"}, HealthData: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UploadDocument(ctx, f.coach, id, dossier.DocDiploma, "diploma.pdf", storetest.PDF(" diploma mbo")); err != nil {
		t.Fatal(err)
	}
}

// checkHandoverRecords reads the imported records back through the policy.
func checkHandoverRecords(t *testing.T, db *store.DB, id string) {
	t.Helper()
	ctx := context.Background()
	prov := &account.Organisation{Name: "Opvolger", Kind: opstap.OrgProvider}
	if err := db.CreateOrganisation(ctx, &opstap.Actor{System: true}, prov); err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, &opstap.Actor{System: true}, account.NewUser{OrgID: prov.ID, Email: "coach@new.nl", Name: "Coach", Grants: []access.GrantSpec{{Role: opstap.RoleCoach}}})
	if err != nil {
		t.Fatal(err)
	}
	coach := u.Actor(db.Now(), "")
	// Accounts do not travel: the successor assigns a coach of its own.
	exec(t, db, `UPDATE candidates SET coach_user_id = ? WHERE id = ?`, coach.UserID, id)
	ts, err := db.CandidateTrajectories(ctx, coach, id, store.PurposeGuidance, "")
	if err != nil || len(ts) != 1 || ts[0].Kind != trajectory.KindReintegration || len(ts[0].Appointments) != 1 ||
		ts[0].Appointments[0].Location != "Stadhuisplein 1" || ts[0].Appointments[0].Absence == nil || ts[0].Appointments[0].Absence.Reason != "Sollicitatiegesprek" {
		t.Fatalf("trajectories after import: %+v %v", ts, err)
	}
	rs, err := db.Reports(ctx, coach, id)
	if err != nil || len(rs) != 1 || rs[0].Current().Content.Body != "Gaat goed" {
		t.Fatalf("reports after import (the one with health data stays behind): %+v %v", rs, err)
	}
	docs, err := db.Documents(ctx, coach, id, store.PurposeGuidance, "")
	if err != nil || len(docs) != 1 || docs[0].Filename != "diploma.pdf" {
		t.Fatalf("documents after import: %+v %v", docs, err)
	}
	_, content, err := db.DownloadDocument(ctx, coach, id, docs[0].ID, store.PurposeGuidance, "")
	if err != nil || !strings.Contains(string(content), "diploma mbo") {
		t.Fatalf("document content after import: %q %v", content, err)
	}
}
