package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/privacy"
)

// Erasure is crypto-shredding plus deletion (issue 4; DOMAIN.md §4)
// [001 "Termijn bewaren gegevens", 004]: the candidate's data key is
// destroyed, so every field sealed under it is noise in this database and in
// every backup (backups never hold data keys: keystore.go), and the rows
// that held personal data are deleted or their sealed columns cleared. What
// the statistics need stays, without anything that leads back to the person:
// the candidates row as a pseudonymous stub (id, commissioner, postcode4,
// registration date), trajectories with kind, status, dates, end reason,
// contract kind and hours, and their status history without notes.

// erasureStep is one statement of an erasure. Its only parameter is the
// candidate id; the rows it touches are counted under kind in the
// destruction record.
type erasureStep struct {
	kind  string // the kind of data, as the destruction record names it
	table string // a table the statement needs: the step is skipped until it exists
	sql   string
}

const inTrajectories = `trajectory_id IN (SELECT id FROM trajectories WHERE candidate_id = ?)`

// erasureSteps run in this order (children before parents). Another
// feature that stores candidate data adds its steps with
// registerErasureStep; sealed data it forgets is still unreadable once the
// key is gone, but its rows would linger.
var erasureSteps = []erasureStep{
	{"trajectory_notes", "", `UPDATE trajectory_noncompliance_steps SET note = NULL WHERE note IS NOT NULL AND noncompliance_id IN
		(SELECT n.id FROM trajectory_noncompliance n JOIN trajectories t ON t.id = n.trajectory_id WHERE t.candidate_id = ?)`},
	{"trajectory_notes", "", `UPDATE trajectory_noncompliance SET note = NULL WHERE note IS NOT NULL AND ` + inTrajectories},
	{"trajectory_notes", "", `UPDATE trajectory_suspension_talks SET note = NULL WHERE note IS NOT NULL AND ` + inTrajectories},
	{"trajectory_notes", "", `UPDATE trajectory_events SET note = NULL WHERE note IS NOT NULL AND ` + inTrajectories},
	{"trajectory_notes", "", `UPDATE trajectories SET end_note = NULL WHERE end_note IS NOT NULL AND candidate_id = ?`},
	{"appointments", "", `DELETE FROM trajectory_absences WHERE appointment_id IN
		(SELECT a.id FROM trajectory_appointments a JOIN trajectories t ON t.id = a.trajectory_id WHERE t.candidate_id = ?)`},
	{"appointments", "", `DELETE FROM trajectory_appointments WHERE ` + inTrajectories},
	{"dossier_entries", "", `DELETE FROM dossier_entry_versions WHERE entry_id IN (SELECT id FROM dossier_entries WHERE candidate_id = ?)`},
	{"dossier_entries", "", `DELETE FROM dossier_entries WHERE candidate_id = ?`},
	{"documents", "", `DELETE FROM dossier_documents WHERE candidate_id = ?`},
	{"limitations", "", `DELETE FROM candidate_limitations WHERE candidate_id = ?`},
	{"sharings", "", `DELETE FROM sharings WHERE candidate_id = ?`},
	{"reports", "", `DELETE FROM report_versions WHERE report_id IN (SELECT id FROM reports WHERE candidate_id = ?)`},
	{"reports", "", `DELETE FROM reports WHERE candidate_id = ?`},
	{"complaints", "", `DELETE FROM complaint_notes WHERE complaint_id IN (SELECT id FROM complaints WHERE candidate_id = ?)`},
	{"complaints", "", `DELETE FROM complaints WHERE candidate_id = ?`},
	{"consents", "", `DELETE FROM consents WHERE candidate_id = ?`},
	{"break_glass_reasons", "", `DELETE FROM break_glass WHERE candidate_id = ?`},
	{"privacy_measures", "", `DELETE FROM legal_holds WHERE candidate_id = ?`},
	{"privacy_measures", "", `DELETE FROM privacy_measures WHERE candidate_id = ?`},
	{"flex_profile", "flex_profile_skills", `DELETE FROM flex_profile_skills WHERE candidate_id = ?`},
	{"flex_profile", "flex_profile_occupations", `DELETE FROM flex_profile_occupations WHERE candidate_id = ?`},
	{"flex_profile", "flex_profiles", `DELETE FROM flex_profiles WHERE candidate_id = ?`},
	// Placements stay for the figures (dates, hours, outcome); what was
	// written about the person goes.
	{"placement_documents", "", `DELETE FROM placement_documents WHERE placement_id IN (SELECT id FROM placements WHERE candidate_id = ?)`},
	{"placement_texts", "", `UPDATE placements SET end_reason = NULL WHERE end_reason IS NOT NULL AND candidate_id = ?`},
	// A rights request stays as proof that it was handled (AVG art 5(2));
	// its texts go with the person.
	{"rights_request_texts", "", `UPDATE rights_requests SET description = NULL, extension_reason = NULL, answer = NULL WHERE candidate_id = ?`},
	{"personal_data", "", `DELETE FROM candidate_data WHERE candidate_id = ?`},
	{"search_terms", "", `DELETE FROM candidate_search WHERE candidate_id = ?`},
}

var erasureMu sync.Mutex

// registerErasureStep adds a statement that erases a feature's rows of one
// candidate (its only parameter is the candidate id). Call it from init.
func registerErasureStep(kind, table, statement string) {
	erasureMu.Lock()
	defer erasureMu.Unlock()
	erasureSteps = append(erasureSteps, erasureStep{kind, table, statement})
}

// statutoryTables are kept for a statutory duty (invoice lines, premium
// payments: AWR art 52) and never touched by an erasure: they refer to the
// candidate by pseudonym only and go under the "statutory" rule when that
// duty ends. The finance features create them; timesheet_lines exists
// (its typed reasons go by an erasure step, its amounts stay).
var statutoryTables = []string{"invoice_lines", "premium_payments", "timesheet_lines"}

var errErased = privacy.ErrErased

// manageRetention is the privacy officer's write role: the capability that
// keeps the breach register also runs the AVG duties (no dedicated
// capability exists in the access policy).
func manageRetention(a *opstap.Actor) bool { return can(a, access.ManageBreaches) }

// viewRetention is reading rules, runs and destruction records: the
// privacy officer and the provider's auditor.
func viewRetention(a *opstap.Actor) bool { return can(a, access.ReadAuditLog) }

// eraseCheck gathers the facts privacy.CheckErasure decides an erasure
// on, and returns its refusal: unknown, already erased, legal hold,
// running financial obligations.
func (tx *Tx) eraseCheck(ctx context.Context, id string) error {
	var f privacy.ErasureFacts
	err := tx.queryRow(ctx, `SELECT k.destroyed_at IS NOT NULL FROM candidates c JOIN candidate_keys k ON k.candidate_id = c.id WHERE c.id = ?`, id).Scan(&f.Erased)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return errNoCandidate
	case err != nil:
		return err
	}
	if f.LegalHold, err = tx.onLegalHold(ctx, id); err != nil {
		return err
	}
	if err := tx.obligationFacts(ctx, id, &f); err != nil {
		return err
	}
	return privacy.CheckErasure(f)
}

func (tx *Tx) onLegalHold(ctx context.Context, id string) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM legal_holds WHERE candidate_id = ? AND lifted_at IS NULL`, id).Scan(&n)
	return n > 0, err
}

// obligationFacts finds the candidate's placements, premium payments the
// bank has not yet executed, and approved hours whose premium or travel
// costs were never paid. The tables come with the flex and finance
// features; until they exist there is none. The contract:
// placements(candidate_id, status), premium_payments(candidate_id, paid_at
// NULL until finance records the batch executed), timesheet_lines without
// premium_accruals.
func (tx *Tx) obligationFacts(ctx context.Context, id string, f *privacy.ErasureFacts) error {
	if ok, err := tx.tableExists(ctx, "placements"); err != nil || !ok {
		return err
	}
	rows, err := tx.query(ctx, `SELECT DISTINCT status FROM placements WHERE candidate_id = ?`, id)
	if err := each(rows, err, func(rows scanner) error {
		var s string
		err := rows.Scan(&s)
		f.Placements = append(f.Placements, flex.PlacementStatus(s))
		return err
	}); err != nil {
		return err
	}
	if ok, err := tx.tableExists(ctx, "premium_payments"); err != nil || !ok {
		return err
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM premium_payments WHERE candidate_id = ? AND paid_at IS NULL`, id).Scan(&n); err != nil {
		return err
	}
	f.UnpaidPremium = n > 0
	if ok, err := tx.tableExists(ctx, "premium_accruals"); err != nil || !ok {
		return err
	}
	f.UnpaidHours, err = tx.owesAccruals(ctx, id)
	return err
}

// tableExists asks the engine's catalogue; one of the few places where
// the engines differ.
func (tx *Tx) tableExists(ctx context.Context, name string) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if tx.db.Dialect == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	var n int
	err := tx.queryRow(ctx, q, name).Scan(&n)
	return n > 0, err
}

// eraser erases candidates within one transaction and counts what went.
type eraser struct {
	tx     *Tx
	runID  string
	counts map[[2]string]int // (rule, kind) → rows
	steps  []erasureStep     // the steps whose tables exist
	erased int
}

func (tx *Tx) newEraser(ctx context.Context, runID string) (*eraser, error) {
	erasureMu.Lock()
	all := append([]erasureStep(nil), erasureSteps...)
	erasureMu.Unlock()
	e := &eraser{tx: tx, runID: runID, counts: map[[2]string]int{}}
	for _, s := range all {
		if s.table != "" {
			ok, err := tx.tableExists(ctx, s.table)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		e.steps = append(e.steps, s)
	}
	return e, nil
}

// eraseFailHook lets a test fail an erasure after n steps, to show that
// nothing is half-erased.
var eraseFailHook func(step int) error

// erase erases one candidate who passed eraseCheck.
func (e *eraser) erase(ctx context.Context, a *opstap.Actor, id, rule string) error {
	for i, s := range e.steps {
		if eraseFailHook != nil {
			if err := eraseFailHook(i); err != nil {
				return err
			}
		}
		n, err := purgeRowsAffected(e.tx.exec(ctx, s.sql, id))
		if err != nil {
			return err
		}
		e.count(rule, s.kind, n)
	}
	if err := e.erasePortalAccount(ctx, id, rule); err != nil {
		return err
	}
	tx := e.tx
	if _, err := tx.exec(ctx, `UPDATE candidates SET external_ref = '', user_id = NULL, restricted_at = NULL WHERE id = ?`, id); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE candidate_keys SET wrapped_key = NULL, destroyed_at = ? WHERE candidate_id = ?`, tx.Now(), id); err != nil {
		return err
	}
	e.count(rule, "data_key", 1)
	if _, err := tx.exec(ctx, `INSERT INTO erasures (candidate_id, run_id, rule, erased_at) VALUES (?, ?, ?, ?)`, id, e.runID, rule, tx.Now()); err != nil {
		return err
	}
	e.erased++
	entry := entryFor(a, audit.EventWrite)
	entry.CandidateID, entry.Action, entry.Purpose = id, "erase", PurposeRetention
	entry.Detail = "erased under rule " + rule + " in run " + e.runID
	return tx.Audit(ctx, entry)
}

// PurposeRetention is the audit purpose of retention and erasure.
const PurposeRetention = "retention"

func (e *eraser) count(rule, kind string, n int) {
	if n > 0 {
		e.counts[[2]string{rule, kind}] += n
	}
}

// erasePortalAccount blocks the candidate's portal account and strips it
// of everything that names the person: name, e-mail (replaced by a unique
// placeholder), password, second factor; its sessions, tokens,
// notifications, queued e-mails and the stored answers of its API writes go.
func (e *eraser) erasePortalAccount(ctx context.Context, id, rule string) error {
	tx := e.tx
	var userID string
	if err := tx.queryRow(ctx, `SELECT COALESCE(user_id, '') FROM candidates WHERE id = ?`, id).Scan(&userID); err != nil || userID == "" {
		return err
	}
	stmts := []string{
		`DELETE FROM email_outbox WHERE to_address = (SELECT email FROM users WHERE id = ?)`,
		`DELETE FROM notifications WHERE user_id = ?`,
		`DELETE FROM sessions WHERE user_id = ?`,
		`DELETE FROM api_tokens WHERE user_id = ?`,
		`DELETE FROM idempotency_keys WHERE user_id = ?`,
		`DELETE FROM grants WHERE user_id = ?`,
	}
	for _, q := range stmts {
		n, err := purgeRowsAffected(tx.exec(ctx, q, userID))
		if err != nil {
			return err
		}
		e.count(rule, "portal_account", n)
	}
	_, err := tx.exec(ctx, `UPDATE users SET name = '', email = ?, password_hash = '', totp_secret = NULL, totp_confirmed_at = NULL,
		oidc_subject = NULL, blocked_at = ? WHERE id = ?`, "erased-"+userID+"@invalid", tx.Now(), userID)
	e.count(rule, "portal_account", 1)
	return err
}

// flush writes the counts into the run's destruction record.
func (e *eraser) flush(ctx context.Context) error {
	for k, n := range e.counts {
		if _, err := e.tx.exec(ctx, `INSERT INTO retention_run_counts (run_id, rule, kind, count) VALUES (?, ?, ?, ?)
			ON CONFLICT (run_id, rule, kind) DO UPDATE SET count = retention_run_counts.count + excluded.count`, e.runID, k[0], k[1], n); err != nil {
			return err
		}
	}
	_, err := e.tx.exec(ctx, `UPDATE retention_runs SET erased = erased + ? WHERE id = ?`, e.erased, e.runID)
	e.counts, e.erased = map[[2]string]int{}, 0
	return err
}

// EraseCandidate erases one candidate now, on their request (AVG art 17)
// or the privacy officer's decision, in one transaction that also leaves
// its destruction record. Refused with the reason: unknown candidate,
// already erased, legal hold, running financial obligations.
func (db *DB) EraseCandidate(ctx context.Context, a *opstap.Actor, id string) (*RetentionRun, error) {
	if !manageRetention(a) {
		return nil, forbidden()
	}
	var run *RetentionRun
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.eraseCheck(ctx, id); err != nil {
			return err
		}
		var err error
		if run, err = tx.startRun(ctx, a, RunOnRequest); err != nil {
			return err
		}
		e, err := tx.newEraser(ctx, run.ID)
		if err != nil {
			return err
		}
		if err := e.erase(ctx, a, id, privacy.RuleOnRequest); err != nil {
			return err
		}
		if err := e.flush(ctx); err != nil {
			return err
		}
		return tx.finishRun(ctx, run)
	})
	if err != nil {
		return nil, err
	}
	db.reindexCandidate(ctx, id) // an erased candidate is proposed no more
	db.scrubLog(ctx)
	return db.RetentionRunByID(ctx, a, run.ID)
}
