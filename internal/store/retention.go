package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/privacy"
)

// Retention periods (DOMAIN.md §4): the rules (which period runs, its due
// date, the statutory minimum) are internal/privacy's (retention.go); the
// store keeps the periods per commissioner and runs the erasure.

// RetentionRule is one rule: commissioner "" is the default.
type RetentionRule struct {
	ID                string    `json:"id"`
	CommissionerOrgID string    `json:"commissioner_org_id,omitempty"`
	Category          string    `json:"category"`
	Event             string    `json:"event"`
	Years             int       `json:"years"`
	Note              string    `json:"note"`
	UpdatedBy         string    `json:"updated_by"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// RetentionRules returns every rule, defaults first.
func (db *DB) RetentionRules(ctx context.Context, a *opstap.Actor) ([]RetentionRule, error) {
	if !viewRetention(a) && !manageRetention(a) {
		return nil, forbidden()
	}
	var out []RetentionRule
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.retentionRules(ctx)
		return err
	})
	return out, err
}

func (tx *Tx) retentionRules(ctx context.Context) ([]RetentionRule, error) {
	rows, err := tx.query(ctx, (`SELECT id, COALESCE(commissioner_org_id, ''), category, event, years, note, updated_by, updated_at
		FROM retention_rules ORDER BY COALESCE(commissioner_org_id, ''), category`))
	var out []RetentionRule
	if err := each(rows, err, func(rows scanner) error {
		var r RetentionRule
		if err := rows.Scan(&r.ID, &r.CommissionerOrgID, &r.Category, &r.Event, &r.Years, &r.Note, &r.UpdatedBy, scanTime(&r.UpdatedAt)); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// SetRetentionRule sets the period of a category for a commissioner, or
// the default when CommissionerOrgID is empty. The note is a reference
// (seed article, statute), not personal data.
func (db *DB) SetRetentionRule(ctx context.Context, a *opstap.Actor, c privacy.RetentionRuleChange) error {
	if !manageRetention(a) {
		return forbidden()
	}
	if err := c.Validate(); err != nil {
		return err
	}
	event, _ := privacy.RetentionEvent(c.Category)
	return db.WithTx(ctx, func(tx *Tx) error {
		var org any
		if c.CommissionerOrgID != "" {
			if err := tx.checkCommissioner(ctx, &opstap.Actor{System: true}, c.CommissionerOrgID); err != nil {
				return err
			}
			org = c.CommissionerOrgID
		}
		if err := tx.deleteRule(ctx, c.CommissionerOrgID, c.Category); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO retention_rules (id, commissioner_org_id, category, event, years, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			newID(), org, c.Category, event, c.Years, c.Note, a.UserID, tx.Now()); err != nil {
			return err
		}
		e := entryFor(a, audit.EventOrgChange)
		e.Detail = "retention rule " + c.Category + " for " + orDefault(c.CommissionerOrgID)
		return tx.Audit(ctx, e)
	})
}

// ResetRetentionRule removes a commissioner's own period, so the default
// applies again.
func (db *DB) ResetRetentionRule(ctx context.Context, a *opstap.Actor, orgID, category string) error {
	if !manageRetention(a) {
		return forbidden()
	}
	if orgID == "" {
		return opstap.FieldError("commissioner_org_id", "the default rule cannot be removed")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.deleteRule(ctx, orgID, category); err != nil {
			return err
		}
		e := entryFor(a, audit.EventOrgChange)
		e.Detail = "retention rule " + category + " reset for " + orgID
		return tx.Audit(ctx, e)
	})
}

func (tx *Tx) deleteRule(ctx context.Context, orgID, category string) error {
	_, err := tx.exec(ctx, `DELETE FROM retention_rules WHERE COALESCE(commissioner_org_id, '') = ? AND category = ?`, orgID, category)
	return err
}

func orDefault(org string) string {
	if org == "" {
		return "default"
	}
	return org
}

// DueCandidate is a candidate whose data a rule says must go, and why.
type DueCandidate struct {
	CandidateID       string      `json:"candidate_id"`
	ClientNumber      int64       `json:"client_number,omitempty"`
	CommissionerOrgID string      `json:"commissioner_org_id"`
	Rule              string      `json:"rule"`
	Event             string      `json:"event"`
	EventDate         opstap.Date `json:"event_date"`
	DueDate           opstap.Date `json:"due_date"`
}

// DryRun is what a retention run would erase today, and what a legal
// hold keeps.
type DryRun struct {
	Today   opstap.Date    `json:"today"`
	Total   int            `json:"total"`
	PerRule map[string]int `json:"per_rule"`
	Held    int            `json:"held"`
	Due     []DueCandidate `json:"due"`
	// Consent lists data whose only ground was a consent now withdrawn:
	// due at once, erased by the same run (the rest of the file stays).
	Consent []ConsentDue `json:"consent"`
}

// RetentionDryRun lists every candidate due for erasure today with the
// rule, the event date and the due date; it erases nothing.
func (db *DB) RetentionDryRun(ctx context.Context, a *opstap.Actor) (*DryRun, error) {
	if !viewRetention(a) && !manageRetention(a) {
		return nil, forbidden()
	}
	var out *DryRun
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.dueCandidates(ctx, opstap.DateOf(tx.Now().In(opstap.Amsterdam)))
		return err
	})
	return out, err
}

// ruleSet finds the period for a commissioner and category.
type ruleSet map[[2]string]RetentionRule

func (rs ruleSet) find(org, category string) RetentionRule {
	if r, ok := rs[[2]string{org, category}]; ok {
		return r
	}
	return rs[[2]string{"", category}]
}

func (tx *Tx) dueCandidates(ctx context.Context, today opstap.Date) (*DryRun, error) {
	rules, err := tx.retentionRules(ctx)
	if err != nil {
		return nil, err
	}
	rs := ruleSet{}
	for _, r := range rules {
		rs[[2]string{r.CommissionerOrgID, r.Category}] = r
	}
	held, err := tx.heldCandidates(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, (`SELECT c.id, COALESCE(c.client_number, 0), c.commissioner_org_id, c.registered_on, MAX(t.ended_on), COUNT(t.id),
		COALESCE(SUM(CASE WHEN t.status <> 'ended' THEN 1 ELSE 0 END), 0)
		FROM candidates c JOIN candidate_keys k ON k.candidate_id = c.id LEFT JOIN trajectories t ON t.candidate_id = c.id
		WHERE k.destroyed_at IS NULL GROUP BY c.id, c.client_number, c.commissioner_org_id, c.registered_on`))
	out := &DryRun{Today: today, PerRule: map[string]int{}}
	if err := each(rows, err, func(rows scanner) error {
		var d DueCandidate
		var f privacy.RetentionFacts
		if err := rows.Scan(&d.CandidateID, &d.ClientNumber, &d.CommissionerOrgID, &f.Registered, &f.LastEnd, &f.Trajectories, &f.Open); err != nil {
			return err
		}
		var runs, due bool
		if d.Rule, d.EventDate, runs = privacy.PersonalRule(f); !runs {
			return nil
		}
		r := rs.find(d.CommissionerOrgID, d.Rule)
		d.Event = r.Event
		if d.DueDate, due = privacy.RetentionDue(d.EventDate, r.Years, today); !due {
			return nil
		}
		if held[d.CandidateID] {
			out.Held++
			return nil
		}
		out.Due = append(out.Due, d)
		out.PerRule[d.Rule]++
		return nil
	}); err != nil {
		return nil, err
	}
	slices.SortFunc(out.Due, func(x, y DueCandidate) int {
		return strings.Compare(x.DueDate.String()+x.CandidateID, y.DueDate.String()+y.CandidateID)
	})
	out.Total = len(out.Due)
	if out.Consent, err = tx.consentDue(ctx); err != nil {
		return nil, err
	}
	for _, c := range out.Consent {
		out.PerRule[c.Rule]++
	}
	return out, nil
}

func (tx *Tx) heldCandidates(ctx context.Context) (map[string]bool, error) {
	rows, err := tx.query(ctx, (`SELECT DISTINCT candidate_id FROM legal_holds WHERE lifted_at IS NULL`))
	out := map[string]bool{}
	if err := each(rows, err, func(rows scanner) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out[id] = true
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// Run kinds.
const (
	RunScheduled = "scheduled"  // the daily job
	RunManual    = "manual"     // "run now" by the privacy officer
	RunOnRequest = "on_request" // one candidate erased on request
	RunConsent   = "consent"    // data whose only ground was a withdrawn consent
)

// RetentionRun is one run and its destruction record.
type RetentionRun struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	StartedBy  string     `json:"started_by"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	State      string     `json:"state"`
	Erased     int        `json:"erased"`
	Counts     []RunCount `json:"counts"`
}

// RunCount is how many rows of a kind of data a run destroyed under a rule.
type RunCount struct {
	Rule  string `json:"rule"`
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

func (tx *Tx) startRun(ctx context.Context, a *opstap.Actor, kind string) (*RetentionRun, error) {
	by := a.UserID
	if a.System {
		by = "system"
	}
	r := &RetentionRun{ID: newID(), Kind: kind, StartedBy: by, StartedAt: tx.Now(), State: "running"}
	_, err := tx.exec(ctx, `INSERT INTO retention_runs (id, kind, started_by, started_at, state) VALUES (?, ?, ?, ?, ?)`, r.ID, r.Kind, r.StartedBy, r.StartedAt, r.State)
	return r, err
}

func (tx *Tx) finishRun(ctx context.Context, r *RetentionRun) error {
	_, err := tx.exec(ctx, `UPDATE retention_runs SET state = 'done', finished_at = ? WHERE id = ?`, tx.Now(), r.ID)
	return err
}

// RetentionPolicy sizes a retention run: it erases Batch candidates per
// transaction and pauses Pause between batches, so that on SQLite the web
// UI's writes get the lock in between. It is configuration (opstap serve
// --retention-batch, --retention-pause); a zero field means its default.
type RetentionPolicy struct {
	Batch int
	Pause time.Duration
}

// The defaults of a retention run's batches.
const (
	defaultRetentionBatch = 500
	defaultRetentionPause = 20 * time.Millisecond
)

// OrDefaults returns p with each unset field replaced by its default.
func (p RetentionPolicy) OrDefaults() RetentionPolicy {
	if p.Batch <= 0 {
		p.Batch = defaultRetentionBatch
	}
	if p.Pause <= 0 {
		p.Pause = defaultRetentionPause
	}
	return p
}

// RunRetention erases every candidate due today, in batches; a candidate
// refused (legal hold set since, running obligations) is skipped and
// counted. An interrupted run is marked so by the next run, which erases
// what is still due: each batch is all-or-nothing, so nothing is left
// half-erased.
func (db *DB) RunRetention(ctx context.Context, a *opstap.Actor, kind string) (*RetentionRun, error) {
	if !(a != nil && a.System && kind == RunScheduled) && !(kind == RunManual && manageRetention(a)) {
		return nil, forbidden()
	}
	var run *RetentionRun
	var due *DryRun
	err := db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE retention_runs SET state = 'interrupted' WHERE state = 'running'`); err != nil {
			return err
		}
		var err error
		if run, err = tx.startRun(ctx, a, kind); err != nil {
			return err
		}
		if due, err = tx.dueCandidates(ctx, opstap.DateOf(tx.Now().In(opstap.Amsterdam))); err != nil {
			return err
		}
		e := entryFor(a, audit.EventWrite)
		e.Action, e.Purpose, e.Detail = "retention_run", PurposeRetention, "run "+run.ID+" started"
		return tx.Audit(ctx, e)
	})
	if err != nil {
		return nil, err
	}
	if len(due.Due) > 0 {
		// Also after a failed batch: the batches before it are erased.
		defer db.scrubLog(context.WithoutCancel(ctx))
	}
	rp := db.Retention.OrDefaults()
	for batch := range slices.Chunk(due.Due, rp.Batch) {
		if err := db.eraseBatch(ctx, a, run.ID, batch); err != nil {
			return nil, err
		}
		if err := pause(ctx, rp.Pause); err != nil {
			return nil, err
		}
	}
	if err := db.WithTx(ctx, func(tx *Tx) error { return tx.finishRun(ctx, run) }); err != nil {
		return nil, err
	}
	// What a withdrawn consent alone grounded is due as well; its own
	// destruction record is a run of kind "consent".
	if len(due.Consent) > 0 {
		if _, err := db.ApplyConsentWithdrawals(ctx, a); err != nil {
			return nil, err
		}
	}
	return db.RetentionRunByID(ctx, a, run.ID)
}

func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (db *DB) eraseBatch(ctx context.Context, a *opstap.Actor, runID string, batch []DueCandidate) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		e, err := tx.newEraser(ctx, runID)
		if err != nil {
			return err
		}
		for _, d := range batch {
			if err := tx.eraseCheck(ctx, d.CandidateID); err != nil {
				var oe *opstap.Error
				if errors.As(err, &oe) && oe.Code == opstap.ECONFLICT {
					e.count(d.Rule, "refused", 1)
					continue
				}
				return err
			}
			if err := e.erase(ctx, a, d.CandidateID, d.Rule); err != nil {
				return err
			}
		}
		return e.flush(ctx)
	})
}

// RetentionRuns returns the latest runs with their destruction records,
// newest first.
func (db *DB) RetentionRuns(ctx context.Context, a *opstap.Actor, limit int) ([]RetentionRun, error) {
	if !viewRetention(a) && !manageRetention(a) {
		return nil, forbidden()
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var out []RetentionRun
	err := db.WithTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, (`SELECT id, kind, started_by, started_at, finished_at, state, erased FROM retention_runs ORDER BY started_at DESC, id LIMIT ?`), limit)
		if out, err = collect(rows, err, func(rows scanner) (RetentionRun, error) {
			var r RetentionRun
			err := rows.Scan(&r.ID, &r.Kind, &r.StartedBy, scanTime(&r.StartedAt), scanNullTime(&r.FinishedAt), &r.State, &r.Erased)
			return r, err
		}); err != nil {
			return err
		}
		for i := range out {
			if out[i].Counts, err = tx.runCounts(ctx, out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// RetentionRunByID returns one run with its destruction record.
func (db *DB) RetentionRunByID(ctx context.Context, a *opstap.Actor, id string) (*RetentionRun, error) {
	if !viewRetention(a) && !manageRetention(a) {
		return nil, forbidden()
	}
	var r RetentionRun
	err := db.WithTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT id, kind, started_by, started_at, finished_at, state, erased FROM retention_runs WHERE id = ?`, id).
			Scan(&r.ID, &r.Kind, &r.StartedBy, scanTime(&r.StartedAt), scanNullTime(&r.FinishedAt), &r.State, &r.Erased)
		if errors.Is(err, sql.ErrNoRows) {
			return opstap.Errorf(opstap.ENOTFOUND, "no such retention run")
		} else if err != nil {
			return err
		}
		r.Counts, err = tx.runCounts(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func (tx *Tx) runCounts(ctx context.Context, runID string) ([]RunCount, error) {
	rows, err := tx.query(ctx, (`SELECT rule, kind, count FROM retention_run_counts WHERE run_id = ? ORDER BY rule, kind`), runID)
	out := []RunCount{}
	if err := each(rows, err, func(rows scanner) error {
		var c RunCount
		if err := rows.Scan(&c.Rule, &c.Kind, &c.Count); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
