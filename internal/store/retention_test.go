package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/privacy"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/trajectory"
)

// The person erased in these tests, and texts that must not survive.
const (
	erasedFirst = "Marijke"
	erasedLast  = "Zonneveldt"
	erasedBSN   = "111222333"
	erasedNote  = "Gesprek over Kraanvogelstraat 7781"
)

// retentionFixture adds a privacy officer and an auditor of the provider.
type retentionFixture struct {
	*fixture
	officer, auditor *opstap.Actor
}

func newRetentionFixture(t *testing.T, db *store.DB) *retentionFixture {
	t.Helper()
	f := newFixture(t, db)
	rf := &retentionFixture{fixture: f}
	user := func(email string, role opstap.Role) *opstap.Actor {
		exp := db.Now().Add(24 * time.Hour)
		u, err := db.CreateUser(context.Background(), &opstap.Actor{System: true}, account.NewUser{OrgID: f.coach.OrgID, Email: email, Name: email, Grants: []access.GrantSpec{{Role: role, ExpiresAt: &exp}}})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(db.Now(), "127.0.0.1")
	}
	rf.officer = user("fg@p.nl", opstap.RolePrivacyOfficer)
	rf.auditor = user("audit@p.nl", opstap.RoleAuditor)
	return rf
}

func rtMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func rtExec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if db.Dialect == store.Postgres {
		n := 0
		q = rtReplaceEach(q, "?", func() string { n++; return fmt.Sprintf("$%d", n) })
	}
	if _, err := db.SQL.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func rtReplaceEach(s, old string, next func() string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i] + next())
		s = s[i+len(old):]
	}
}

// endedTrajectory inserts a trajectory ended on the given date.
func rtEndedTrajectory(t *testing.T, db *store.DB, candidateID string, endedOn opstap.Date) string {
	t.Helper()
	id := fmt.Sprintf("traj-%s", candidateID)
	now := time.Now().UTC()
	rtExec(t, db, `INSERT INTO trajectories (id, candidate_id, kind, status, created_at, created_by, status_changed_at, end_reason, contract_kind, hours_per_week, ended_on)
		VALUES (?, ?, 'reintegration', 'ended', ?, 'test', ?, 'work_found', 'permanent', 32, ?)`, id, candidateID, now, now, endedOn)
	return id
}

// populate gives the candidate data in every table that can hold it.
func (rf *retentionFixture) populate(t *testing.T, c *candidate.Candidate) {
	t.Helper()
	ctx, db, id := context.Background(), rf.db, c.ID
	sys := &opstap.Actor{System: true}
	today := opstap.DateOf(db.Now())
	_, err := db.CreateEntry(ctx, rf.coach, id, dossier.EntryInput{Kind: dossier.EntryConversationNote, Title: "Intake", Body: erasedNote, OccurredOn: today}, store.PurposeGuidance)
	rtMust(t, err)
	_, err = db.UploadDocument(ctx, rf.coach, id, dossier.DocOther, "cv-"+erasedLast+".pdf", storetest.PDF(erasedNote))
	rtMust(t, err)
	_, err = db.CreateReport(ctx, rf.coach, id, dossier.ReportDraft{Kind: dossier.ReportExtensive, Content: dossier.ReportContent{Title: "Voortgang", Body: erasedNote}})
	rtMust(t, err)
	_, err = db.RecordConsent(ctx, rf.coach, id, consent.Change{Topic: consent.Newsletters, Given: true, Purpose: erasedNote, Method: consent.Paper})
	rtMust(t, err)
	_, err = db.FindCandidate(ctx, rf.coach2, id, store.PurposeGuidance, "covering for a colleague: "+erasedNote)
	rtMust(t, err)
	u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: rf.municipality, Email: strings.ToLower(erasedFirst) + ".portal@example.nl", Name: erasedFirst + " " + erasedLast, Grants: []access.GrantSpec{{Role: opstap.RoleCandidate}}})
	rtMust(t, err)
	rtMust(t, db.LinkCandidateUser(ctx, sys, id, u.ID))
	rtMust(t, store.NotifyFor(ctx, db, u.ID))
	self := u.Actor(db.Now(), "127.0.0.1")
	_, err = db.FileComplaint(ctx, self, id, complaint.New{Channel: complaint.ChannelPortal, Subject: erasedLast, Description: erasedNote})
	rtMust(t, err)
	tr, err := db.CreateTrajectory(ctx, rf.coach, id, store.NewTrajectory{Kind: trajectory.KindReintegration})
	rtMust(t, err)
	seal := func(aad string) []byte {
		ct, err := store.SealFor(ctx, db, id, aad, []byte(erasedNote))
		rtMust(t, err)
		return ct
	}
	now := time.Now().UTC()
	rtExec(t, db, `INSERT INTO trajectory_appointments (id, trajectory_id, starts_at, kind, location, created_at, created_by) VALUES ('ap-1', ?, ?, 'intake', ?, ?, 'test')`, tr.ID, now, seal("loc"), now)
	rtExec(t, db, `INSERT INTO trajectory_absences (appointment_id, reason, reported_at, reported_by, by_candidate, late) VALUES ('ap-1', ?, ?, 'test', ?, ?)`, seal("abs"), now, true, false)
	rtExec(t, db, `INSERT INTO trajectory_noncompliance (id, trajectory_id, kind, note, recorded_at, recorded_by) VALUES ('nc-1', ?, 'absent', ?, ?, 'test')`, tr.ID, seal("nc"), now)
	rtExec(t, db, `INSERT INTO trajectory_noncompliance_steps (noncompliance_id, step, at, by_user_id, note) VALUES ('nc-1', 'warning', ?, 'test', ?)`, now, seal("st"))
	rtExec(t, db, `INSERT INTO trajectory_suspension_talks (id, trajectory_id, party, discussed_on, note, recorded_at, recorded_by) VALUES ('tk-1', ?, 'candidate', ?, ?, ?, 'test')`, tr.ID, today, seal("tk"), now)
	rtExec(t, db, `UPDATE trajectories SET status = 'ended', ended_on = ?, end_reason = 'work_found', end_note = ? WHERE id = ?`, today, seal("end"), tr.ID)
	rtMust(t, db.SetLegalHold(ctx, rf.officer, id, "Court case pending: "+erasedNote))
	rtMust(t, db.LiftLegalHold(ctx, rf.officer, id, "Court case closed"))
	rtMust(t, db.SetRestriction(ctx, rf.officer, id, true, "Rights request: "+erasedNote))
	rtMust(t, db.SetRestriction(ctx, rf.officer, id, false, "Request answered"))
}

// tables lists every table of the database, from the engine's catalogue.
func rtTables(t *testing.T, db *store.DB) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if db.Dialect == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := db.SQL.Query(q)
	rtMust(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rtMust(t, rows.Scan(&n))
		out = append(out, n)
	}
	return out
}

// rtEachValue calls fn with every column of every row of every table, as
// the bytes the engine returns.
func rtEachValue(t *testing.T, db *store.DB, fn func(table, col string, v []byte)) {
	t.Helper()
	for _, table := range rtTables(t, db) {
		rows, err := db.SQL.Query(`SELECT * FROM ` + table)
		rtMust(t, err)
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rtMust(t, rows.Scan(ptrs...))
			for i, v := range vals {
				fn(table, cols[i], v)
			}
		}
		rtMust(t, rows.Err())
		rows.Close()
	}
}

// scanAll reads every column of every row of every table and reports
// where any of the needles occurs in clear.
func rtScanAll(t *testing.T, db *store.DB, needles ...string) []string {
	t.Helper()
	var hits []string
	rtEachValue(t, db, func(table, col string, v []byte) {
		for _, n := range needles {
			if strings.Contains(strings.ToLower(string(v)), strings.ToLower(n)) {
				hits = append(hits, table+"."+col+" holds "+n)
			}
		}
	})
	return hits
}

// rtScanBytes names the columns where the bytes occur, compared byte for
// byte (binary values such as keys).
func rtScanBytes(t *testing.T, db *store.DB, needle []byte) []string {
	t.Helper()
	var hits []string
	rtEachValue(t, db, func(table, col string, v []byte) {
		if bytes.Contains(v, needle) {
			hits = append(hits, table+"."+col)
		}
	})
	return hits
}

// rtFiles are the SQLite database file and its write-ahead log and index.
func rtFiles(db *store.DB) []string {
	return []string{db.Path, db.Path + "-wal", db.Path + "-shm"}
}

func rtWrappedKey(t *testing.T, db *store.DB, id string) []byte {
	t.Helper()
	var k []byte
	q := `SELECT wrapped_key FROM candidate_keys WHERE candidate_id = ?`
	if db.Dialect == store.Postgres {
		q = strings.Replace(q, "?", "$1", 1)
	}
	rtMust(t, db.SQL.QueryRow(q, id).Scan(&k))
	if len(k) < 16 {
		t.Fatalf("wrapped key of %d bytes", len(k))
	}
	return k
}

func rtBasicCiphertext(t *testing.T, db *store.DB, id string) []byte {
	t.Helper()
	var ct []byte
	q := `SELECT ciphertext FROM candidate_data WHERE candidate_id = ? AND category = 'basic'`
	if db.Dialect == store.Postgres {
		q = strings.Replace(q, "?", "$1", 1)
	}
	rtMust(t, db.SQL.QueryRow(q, id).Scan(&ct))
	return ct
}

// Issue 4 "Done when": after erasure no query of the store returns the
// person's name, BSN or notes, the key is gone, the audit chain verifies
// [001 "Termijn bewaren gegevens", 004].
func TestErasureLeavesNothingReadable_001(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rf := newRetentionFixture(t, db)
		c := rf.register(t, "EXTREF-ERASE-1", erasedFirst, erasedLast)
		other := rf.register(t, "E-2", "Pieter", "Bakker")
		rf.populate(t, c)
		ct := rtBasicCiphertext(t, db, c.ID)
		if _, err := store.OpenFor(ctx, db, c.ID, "basic", ct); err != nil {
			t.Fatalf("before erasure the data opens: %v", err)
		}
		wrapped := rtWrappedKey(t, db, c.ID)
		traces := map[string][]byte{"wrapped data key": wrapped, "name": []byte(erasedFirst + " " + erasedLast), "last name": []byte(erasedLast),
			"portal e-mail": []byte(strings.ToLower(erasedFirst) + ".portal@example.nl"), "e-mail": []byte(strings.ToLower(erasedFirst) + "@example.nl"),
			"external reference": []byte("EXTREF-ERASE-1"), "BSN": []byte(erasedBSN), "note": []byte(erasedNote)}
		if db.Dialect == store.SQLite && len(storetest.Traces(t, rtFiles(db), traces)) == 0 {
			t.Fatal("the disk scan finds nothing even before the erasure")
		}

		run, err := db.EraseCandidate(ctx, rf.officer, c.ID)
		rtMust(t, err)
		if run.Erased != 1 || run.State != "done" || len(run.Counts) < 8 {
			t.Fatalf("destruction record %+v", run)
		}

		if hits := rtScanAll(t, db, erasedFirst, erasedLast, erasedBSN, erasedNote, "EXTREF-ERASE-1"); len(hits) > 0 {
			t.Fatalf("found in clear after erasure: %v", hits)
		}
		if hits := rtScanBytes(t, db, wrapped); len(hits) > 0 {
			t.Fatalf("the destroyed data key is still stored: %v", hits)
		}
		// Issue 8 point 6: the bytes are gone from the files too, the
		// write-ahead log included (SQLite; PostgreSQL's files are the
		// server's, see docs/security.md).
		if db.Dialect == store.SQLite {
			if hits := storetest.Traces(t, rtFiles(db), traces); len(hits) > 0 {
				t.Fatalf("found on disk after erasure: %v", hits)
			}
		}
		if _, err := store.OpenFor(ctx, db, c.ID, "basic", ct); err == nil {
			t.Fatal("a ciphertext taken before the erasure still opens")
		}
		if _, err := db.FindCandidate(ctx, rf.coach, c.ID, store.PurposeGuidance, ""); err == nil {
			t.Fatal("erased candidate still readable")
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit chain after erasure: %v", err)
		}
		// The statistics stay: the stub and the trajectory's facts.
		var kind, reason string
		q := `SELECT t.kind, t.end_reason FROM trajectories t JOIN candidates c ON c.id = t.candidate_id WHERE c.id = '` + c.ID + `' AND t.end_note IS NULL`
		rtMust(t, db.SQL.QueryRow(q).Scan(&kind, &reason))
		if kind != "reintegration" || reason != "work_found" {
			t.Fatalf("trajectory facts lost: %s %s", kind, reason)
		}
		// Someone else is untouched.
		if got, err := db.FindCandidate(ctx, rf.coach, other.ID, store.PurposeGuidance, ""); err != nil || got.Basic.LastName != "Bakker" {
			t.Fatalf("other candidate: %v", err)
		}
	})
}

func rtCode(err error) string {
	var oe *opstap.Error
	if errors.As(err, &oe) {
		return oe.Code + ": " + oe.Message
	}
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// Issue 4 "Bad input": each refusal names its reason and erases nothing.
func TestErasureRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rf := newRetentionFixture(t, db)
		held := rf.register(t, "R-1", "Anna", "Hold")
		rtMust(t, db.SetLegalHold(ctx, rf.officer, held.ID, "Litigation with the commissioner"))
		placed := rf.register(t, "R-2", "Bram", "Placed")
		// A premium payment not yet paid (paid_at NULL) is a running obligation.
		rtExec(t, db, `INSERT INTO payout_batches (id, message_id, through_month, execution_date, debtor_name, debtor_iban, payments, total_cents,
			created_at, created_by) VALUES ('b-1', 'OPSTAP-PAY-1', '2030-03', '2030-05-06', 'P', 'NL91ABNA0417164300', 1, 100, '2030-05-02 10:00:00', 'u')`)
		rtExec(t, db, `INSERT INTO premium_payments (id, batch_id, seq, candidate_id, municipality_cbs, year, premium_cents, travel_cents, excess_cents,
			amount_cents) VALUES ('p-1', 'b-1', 1, ?, '0034', 2030, 100, 0, 0, 100)`, placed.ID)
		twice := rf.register(t, "R-3", "Cor", "Twice")
		_, err := db.EraseCandidate(ctx, rf.officer, twice.ID)
		rtMust(t, err)
		plain := rf.register(t, "R-4", "Dirk", "Plain")

		cases := []struct {
			name, id string
			actor    *opstap.Actor
			want     string
		}{
			{"unknown candidate", "no-such-id", rf.officer, "not_found: no such candidate"},
			{"under legal hold", held.ID, rf.officer, "conflict: this candidate is under a legal hold"},
			{"running financial obligations", placed.ID, rf.officer, "conflict: this candidate has running financial obligations"},
			{"second erasure", twice.ID, rf.officer, "conflict: this candidate is already erased"},
			{"not the privacy officer", plain.ID, rf.coach, "forbidden: you are not allowed to do this"},
			{"auditor only reads", plain.ID, rf.auditor, "forbidden: you are not allowed to do this"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.EraseCandidate(ctx, tc.actor, tc.id)
				if got := rtCode(err); got != tc.want {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
				if tc.id != "no-such-id" && tc.id != twice.ID {
					if _, err := db.FindCandidate(ctx, rf.coach, tc.id, store.PurposeGuidance, ""); err != nil {
						t.Fatalf("refused erasure touched the data: %v", err)
					}
				}
			})
		}
		rtMust(t, db.LiftLegalHold(ctx, rf.officer, held.ID, "Litigation settled"))
		if _, err := db.EraseCandidate(ctx, rf.officer, held.ID); err != nil {
			t.Fatalf("after the hold is lifted: %v", err)
		}
	})
}

// registeredYearsAgo moves a registration back in time.
func rtRegisteredYearsAgo(t *testing.T, db *store.DB, id string, years int) {
	t.Helper()
	rtExec(t, db, `UPDATE candidates SET registered_on = ? WHERE id = ?`, opstap.DateOf(db.Now()).AddMonths(-12*years), id)
}

// An erasure that fails half-way leaves nothing half-erased, and the next
// run erases what is still due.
func TestInterruptedErasureResumes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rf := newRetentionFixture(t, db)
		a := rf.register(t, "I-1", "Els", "Eerst")
		b := rf.register(t, "I-2", "Fer", "Tweede")
		rtRegisteredYearsAgo(t, db, a.ID, 3)
		rtRegisteredYearsAgo(t, db, b.ID, 3)
		defer store.FailErasureAt(-1, nil)
		store.FailErasureAt(10, errors.New("disk full"))
		if _, err := db.RunRetention(ctx, rf.officer, store.RunManual); err == nil {
			t.Fatal("run did not fail")
		}
		for _, id := range []string{a.ID, b.ID} {
			if _, err := db.FindCandidate(ctx, rf.coach, id, store.PurposeGuidance, ""); err != nil {
				t.Fatalf("half-erased: %v", err)
			}
		}
		store.FailErasureAt(-1, nil)
		run, err := db.RunRetention(ctx, rf.officer, store.RunManual)
		rtMust(t, err)
		if run.Erased != 2 {
			t.Fatalf("resumed run erased %d", run.Erased)
		}
		runs, err := db.RetentionRuns(ctx, rf.auditor, 10)
		rtMust(t, err)
		if len(runs) != 2 || runs[1].State != "interrupted" || runs[0].State != "done" {
			t.Fatalf("runs %+v", runs)
		}
	})
}

// The dry run lists what is due under which rule, with event and due date,
// and honours legal holds, open trajectories and a commissioner's own
// period [001 "Termijn bewaren gegevens", 004].
func TestRetentionDryRunAndRun_001(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rf := newRetentionFixture(t, db)
		today := opstap.DateOf(db.Now())
		ended3 := rf.register(t, "D-1", "Gijs", "Drie")
		rtEndedTrajectory(t, db, ended3.ID, today.AddMonths(-36))
		ended1 := rf.register(t, "D-2", "Hans", "Een")
		rtEndedTrajectory(t, db, ended1.ID, today.AddMonths(-12))
		never := rf.register(t, "D-3", "Ilse", "Nooit")
		rtRegisteredYearsAgo(t, db, never.ID, 3)
		open := rf.register(t, "D-4", "Joop", "Open")
		rtRegisteredYearsAgo(t, db, open.ID, 5)
		_, err := db.CreateTrajectory(ctx, rf.coach, open.ID, store.NewTrajectory{Kind: trajectory.KindGuidance})
		rtMust(t, err)
		held := rf.register(t, "D-5", "Kees", "Hold")
		rtRegisteredYearsAgo(t, db, held.ID, 3)
		rtMust(t, db.SetLegalHold(ctx, rf.officer, held.ID, "Fraud investigation by the commissioner"))
		fresh := rf.register(t, "D-6", "Lot", "Nieuw")

		rtMust(t, db.SetRetentionRule(ctx, rf.officer, privacy.RetentionRuleChange{CommissionerOrgID: rf.municipality, Category: privacy.RulePersonalNoTrajectory, Years: 4}))
		dr, err := db.RetentionDryRun(ctx, rf.auditor)
		rtMust(t, err)
		if dr.Total != 1 || dr.Held != 0 || dr.Due[0].CandidateID != ended3.ID || dr.Due[0].Rule != privacy.RulePersonal ||
			dr.Due[0].EventDate != today.AddMonths(-36) || dr.Due[0].DueDate != today.AddMonths(-12) {
			t.Fatalf("with a 4-year period for the commissioner: %+v", dr)
		}
		rtMust(t, db.ResetRetentionRule(ctx, rf.officer, rf.municipality, privacy.RulePersonalNoTrajectory))
		dr, err = db.RetentionDryRun(ctx, rf.officer)
		rtMust(t, err)
		if dr.Total != 2 || dr.Held != 1 || dr.PerRule[privacy.RulePersonalNoTrajectory] != 1 {
			t.Fatalf("default rules: %+v", dr)
		}
		if _, err := db.RunRetention(ctx, rf.auditor, store.RunManual); rtCode(err) != "forbidden: you are not allowed to do this" {
			t.Fatalf("auditor ran retention: %v", err)
		}
		run, err := db.RunRetention(ctx, rf.officer, store.RunManual)
		rtMust(t, err)
		if run.Erased != 2 {
			t.Fatalf("run %+v", run)
		}
		for _, c := range []*candidate.Candidate{ended1, open, held, fresh} {
			if _, err := db.FindCandidate(ctx, rf.coach, c.ID, store.PurposeGuidance, ""); err != nil {
				t.Fatalf("%s erased but not due: %v", c.ExternalRef, err)
			}
		}
		if _, err := db.RetentionDryRun(ctx, rf.coach); rtCode(err) != "forbidden: you are not allowed to do this" {
			t.Fatalf("coach saw the dry run: %v", err)
		}
	})
}

// Restriction (AVG art 18) stops processing until lifted; an objection to
// commercial use withdraws that consent at once [001].
func TestRestrictionAndObjection_001(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rf := newRetentionFixture(t, db)
		c := rf.register(t, "M-1", "Mia", "Maat")
		_, err := db.RecordConsent(ctx, rf.coach, c.ID, consent.Change{Topic: consent.CommercialUse, Given: true, Method: consent.Paper,
			DocumentID: signedForm(t, db, rf.coach, c.ID)})
		rtMust(t, err)
		rtMust(t, db.SetRestriction(ctx, rf.officer, c.ID, true, "Accuracy contested by the candidate"))
		if _, err := db.FindCandidate(ctx, rf.coach, c.ID, store.PurposeGuidance, ""); rtCode(err) != "forbidden: processing of this candidate's data is restricted" {
			t.Fatalf("restricted read: %v", rtCode(err))
		}
		rtMust(t, db.SetRestriction(ctx, rf.officer, c.ID, false, "Data corrected"))
		_, err = db.FindCandidate(ctx, rf.coach, c.ID, store.PurposeGuidance, "")
		rtMust(t, err)
		if err := db.SetRestriction(ctx, rf.officer, c.ID, true, " "); rtCode(err) != "invalid: state a reason" {
			t.Fatalf("no reason: %v", rtCode(err))
		}
		rtMust(t, db.RecordObjection(ctx, rf.officer, c.ID, "Objects to commercial use by letter"))
		if given, err := db.ConsentGiven(ctx, c.ID, consent.CommercialUse); err != nil || given {
			t.Fatalf("commercial use after objection: %v %v", given, err)
		}
		if err := db.RecordObjection(ctx, rf.coach, c.ID, "Not my call"); rtCode(err) != "forbidden: you are not allowed to do this" {
			t.Fatalf("coach recorded objection: %v", rtCode(err))
		}
	})
}

// Issue 4 "Done when": a backup taken before the erasure cannot be
// decrypted for that person. Backups hold no data keys; the newest key
// file no longer holds the erased person's key, and restoring replays the
// erasure.
func TestBackupUnreadableAfterErasure(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	rf := newRetentionFixture(t, db)
	c := rf.register(t, "EXTREF-BACKUP-1", erasedFirst, erasedLast)
	other := rf.register(t, "B-2", "Pieter", "Bakker")
	ct := rtBasicCiphertext(t, db, c.ID)
	var wrapped []byte
	rtMust(t, db.SQL.QueryRow(`SELECT wrapped_key FROM candidate_keys WHERE candidate_id = ?`, c.ID).Scan(&wrapped))

	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	rtMust(t, db.BackupSQLite(ctx, backup))
	_, err := db.EraseCandidate(ctx, rf.officer, c.ID)
	rtMust(t, err)
	var keys bytes.Buffer
	n, err := db.ExportKeys(ctx, &keys)
	rtMust(t, err)
	if n != 1 {
		t.Fatalf("key file holds %d keys, want 1 (the other candidate)", n)
	}

	raw, err := os.ReadFile(backup)
	rtMust(t, err)
	if bytes.Contains(raw, wrapped) {
		t.Fatal("the backup file holds the wrapped data key")
	}
	// Issue 8 point 6: the copy is as private as its key file.
	st, err := os.Stat(backup)
	rtMust(t, err)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file mode %v, want 0600", st.Mode().Perm())
	}
	old, err := store.Open(ctx, "sqlite:"+backup)
	rtMust(t, err)
	defer old.Close()
	old.Keyring, old.AuditKey, old.Now = db.Keyring, db.AuditKey, db.Now
	if _, err := store.OpenFor(ctx, old, c.ID, "basic", ct); err == nil {
		t.Fatal("the backup decrypts the erased person")
	}
	// Without its key file the copy says so, rather than failing inside.
	if _, err := old.FindCandidate(ctx, rf.coach, other.ID, store.PurposeGuidance, ""); opstap.ErrorCode(err) != opstap.EUNAVAILABLE || !strings.Contains(err.Error(), "key file") {
		t.Fatalf("reading without the key file: %v", err)
	}
	res, err := old.ImportKeys(ctx, &keys)
	rtMust(t, err)
	if res.Restored != 1 || res.Erased != 1 {
		t.Fatalf("import %+v", res)
	}
	if _, err := store.OpenFor(ctx, old, c.ID, "basic", ct); err == nil {
		t.Fatal("the restored backup decrypts the erased person")
	}
	if got, err := old.FindCandidate(ctx, rf.coach, other.ID, store.PurposeGuidance, ""); err != nil || got.Basic.LastName != "Bakker" {
		t.Fatalf("the restored backup lost someone else: %v", err)
	}
	if hits := rtScanAll(t, old, erasedFirst, erasedLast, "EXTREF-BACKUP-1"); len(hits) > 0 {
		t.Fatalf("restored backup holds in clear: %v", hits)
	}
	if _, err := old.VerifyAudit(ctx); err != nil {
		t.Fatalf("audit chain of the restored backup: %v", err)
	}
}
