package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/privacy"
)

// Processor duties [003 bewerkersovereenkomst]: the register of
// sub-processors, the audit schedule per commissioner, and at the end of
// a contract the return of the data (the hand-over export records it) and
// then the deletion of the commissioner's candidates with a destruction
// record. The privacy officer keeps the registers; the deletion is the
// operator's, from the command line, like the hand-over. Rules:
// internal/privacy.

// RuleContractEnd names the erasures at a contract's end in the
// destruction record; the run itself is a manual one, started by the
// operator.
const RuleContractEnd = "contract_end"

// SubProcessor is one entry of the register.
type SubProcessor struct {
	ID string `json:"id"`
	privacy.SubProcessor
	Engaged   bool      `json:"engaged"`
	UpdatedAt time.Time `json:"updated_at"`
}

var errNoSubProcessor = opstap.Errorf(opstap.ENOTFOUND, "no such sub-processor")

// keepsProcessorRegisters is the privacy officer with a write grant (or
// the operator).
func keepsProcessorRegisters(a *opstap.Actor, write bool) bool {
	return a != nil && (a.System || access.IsPrivacyOfficer(a, write))
}

func processorEntry(a *opstap.Actor, detail string) audit.Entry {
	e := entryFor(a, audit.EventOrgChange)
	e.Purpose, e.Detail = PurposePrivacy, detail
	return e
}

// SaveSubProcessor adds an entry (id "") or changes one, e.g. to record
// the end of the engagement.
func (db *DB) SaveSubProcessor(ctx context.Context, a *opstap.Actor, id string, s privacy.SubProcessor) (*SubProcessor, error) {
	if !keepsProcessorRegisters(a, true) {
		return nil, forbidden()
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	out := &SubProcessor{ID: id, SubProcessor: s}
	err := db.WithTx(ctx, func(tx *Tx) error {
		out.UpdatedAt = tx.Now()
		out.Engaged = s.Engaged(opstap.DateOf(tx.Now()))
		if id == "" {
			out.ID = newID()
			if _, err := tx.exec(ctx, `INSERT INTO sub_processors (id, name, purpose, location, since, until, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				out.ID, s.Name, s.Purpose, s.Location, s.Since, s.Until, actorID(a), out.UpdatedAt); err != nil {
				return err
			}
		} else {
			r, err := tx.exec(ctx, `UPDATE sub_processors SET name = ?, purpose = ?, location = ?, since = ?, until = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
				s.Name, s.Purpose, s.Location, s.Since, s.Until, actorID(a), out.UpdatedAt, id)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return errNoSubProcessor
			}
		}
		return tx.Audit(ctx, processorEntry(a, "sub-processor "+out.ID+" saved"))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FindSubProcessors lists the register, engaged ones first.
func (db *DB) FindSubProcessors(ctx context.Context, a *opstap.Actor) ([]SubProcessor, error) {
	if !keepsProcessorRegisters(a, false) {
		return nil, forbidden()
	}
	out := []SubProcessor{}
	today := opstap.DateOf(db.Now())
	err := db.WithTx(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT id, name, purpose, location, since, until, updated_at FROM sub_processors ORDER BY until IS NOT NULL, name, id`, nil, func(rows scanner) error {
			var s SubProcessor
			err := rows.Scan(&s.ID, &s.Name, &s.Purpose, &s.Location, &s.Since, &s.Until, scanTime(&s.UpdatedAt))
			s.Engaged = s.SubProcessor.Engaged(today)
			out = append(out, s)
			return err
		})
	})
	return out, err
}

// CommissionerDuties is one commissioner's line of the processor duties:
// its contract, the last audit and when the next is due, and what
// happened at the contract's end.
type CommissionerDuties struct {
	OrgID       string      `json:"org_id"`
	Name        string      `json:"name"`
	StartedOn   opstap.Date `json:"started_on"`
	EndedOn     opstap.Date `json:"ended_on"`
	LastAudit   opstap.Date `json:"last_audit"`
	Auditor     string      `json:"auditor,omitempty"`
	NextDue     opstap.Date `json:"next_audit_due"`
	Overdue     bool        `json:"overdue"`
	ReturnedAt  *time.Time  `json:"returned_at,omitempty"`
	DestroyedAt *time.Time  `json:"destroyed_at,omitempty"`
	RunID       string      `json:"destruction_run_id,omitempty"`
}

// ProcessorDuties lists every commissioner with its contract and audit
// schedule: the next audit is due two years after the last, or after the
// contract's start [003 bewerkers art 3 lid 1].
func (db *DB) ProcessorDuties(ctx context.Context, a *opstap.Actor) ([]CommissionerDuties, error) {
	if !keepsProcessorRegisters(a, false) {
		return nil, forbidden()
	}
	out := []CommissionerDuties{}
	today := opstap.DateOf(db.Now())
	err := db.WithTx(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT o.id, o.name, k.started_on, k.ended_on, k.returned_at, k.destroyed_at, COALESCE(k.destruction_run_id, ''),
			(SELECT MAX(p.audited_on) FROM processor_audits p WHERE p.commissioner_org_id = o.id),
			COALESCE((SELECT p.auditor FROM processor_audits p WHERE p.commissioner_org_id = o.id ORDER BY p.audited_on DESC, p.recorded_at DESC LIMIT 1), '')
			FROM organisations o LEFT JOIN commissioner_contracts k ON k.org_id = o.id
			WHERE o.kind IN (?, ?, ?) ORDER BY o.name, o.id`, []any{string(opstap.OrgMunicipality), string(opstap.OrgUWV), string(opstap.OrgEmployerClient)}, func(rows scanner) error {
			var d CommissionerDuties
			err := rows.Scan(&d.OrgID, &d.Name, &d.StartedOn, &d.EndedOn, scanNullTime(&d.ReturnedAt), scanNullTime(&d.DestroyedAt), &d.RunID, &d.LastAudit, &d.Auditor)
			d.NextDue = privacy.NextAuditDue(d.LastAudit, d.StartedOn)
			d.Overdue = d.DestroyedAt == nil && privacy.AuditOverdue(d.NextDue, today)
			out = append(out, d)
			return err
		})
	})
	return out, err
}

// RecordProcessorAudit records an audit by (or for) a commissioner.
func (db *DB) RecordProcessorAudit(ctx context.Context, a *opstap.Actor, orgID string, on opstap.Date, auditor, findings string) error {
	if !keepsProcessorRegisters(a, true) {
		return forbidden()
	}
	if err := privacy.ValidateAudit(on, opstap.DateOf(db.Now()), auditor); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.commissioner(ctx, orgID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO processor_audits (id, commissioner_org_id, audited_on, auditor, findings, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			newID(), orgID, on, auditor, findings, actorID(a), tx.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, processorEntry(a, "audit by commissioner "+orgID+" on "+on.String()+" recorded"))
	})
}

// SetContract records a commissioner's contract dates.
func (db *DB) SetContract(ctx context.Context, a *opstap.Actor, orgID string, c privacy.Contract) error {
	if !keepsProcessorRegisters(a, true) {
		return forbidden()
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.commissioner(ctx, orgID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO commissioner_contracts (org_id, started_on, ended_on, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET started_on = excluded.started_on, ended_on = excluded.ended_on, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			orgID, c.StartedOn, c.EndedOn, actorID(a), tx.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, processorEntry(a, "contract of commissioner "+orgID+" set"))
	})
}

// recordReturned notes, inside the hand-over export's transaction, that
// the commissioner's data was handed over.
func (tx *Tx) recordReturned(ctx context.Context, orgID string) error {
	_, err := tx.exec(ctx, `UPDATE commissioner_contracts SET returned_at = ? WHERE org_id = ?`, tx.Now(), orgID)
	return err
}

var errNoContract = opstap.Errorf(opstap.ECONFLICT, "record the commissioner's contract first")

// DestroyCommissionerData deletes, at the end of the contract and after
// the hand-over, every candidate of the commissioner with the erasure
// engine, in one run with a destruction record (rule contract_end). A
// candidate the engine refuses (legal hold, running obligations: running
// assignments are completed first [003 art 7.5]) is counted as refused
// and stays; running it again later erases what is left. Only the
// operator, from the command line.
func (db *DB) DestroyCommissionerData(ctx context.Context, a *opstap.Actor, commissioner string) (*RetentionRun, error) {
	if err := mustSystem(a); err != nil {
		return nil, err
	}
	var run *RetentionRun
	var ids []string
	err := db.WithTx(ctx, func(tx *Tx) error {
		org, err := tx.commissionerByRef(ctx, commissioner)
		if err != nil {
			return err
		}
		var c privacy.Contract
		var returned *time.Time
		err = tx.queryRow(ctx, `SELECT started_on, ended_on, returned_at FROM commissioner_contracts WHERE org_id = ?`, org.ID).Scan(&c.StartedOn, &c.EndedOn, scanNullTime(&returned))
		if errors.Is(err, sql.ErrNoRows) {
			return errNoContract
		} else if err != nil {
			return err
		}
		if err := privacy.MayDestroy(c, returned != nil, opstap.DateOf(tx.Now())); err != nil {
			return err
		}
		if ids, err = tx.strings(ctx, `SELECT c.id FROM candidates c JOIN candidate_keys k ON k.candidate_id = c.id WHERE c.commissioner_org_id = ? AND k.destroyed_at IS NULL ORDER BY c.id`, org.ID); err != nil {
			return err
		}
		if run, err = tx.startRun(ctx, a, RunManual); err != nil {
			return err
		}
		e, err := tx.newEraser(ctx, run.ID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := tx.eraseCheck(ctx, id); err != nil {
				if opstap.ErrorCode(err) == opstap.ECONFLICT {
					e.count(RuleContractEnd, "refused", 1)
					continue
				}
				return err
			}
			if err := e.erase(ctx, a, id, RuleContractEnd); err != nil {
				return err
			}
		}
		if err := e.flush(ctx); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE commissioner_contracts SET destroyed_at = ?, destruction_run_id = ? WHERE org_id = ?`, tx.Now(), run.ID, org.ID); err != nil {
			return err
		}
		return tx.finishRun(ctx, run)
	})
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		db.reindexCandidate(ctx, id)
	}
	db.scrubLog(ctx)
	return db.RetentionRunByID(ctx, a, run.ID)
}
