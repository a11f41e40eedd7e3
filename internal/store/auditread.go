package store

import (
	"context"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
)

// ReadAuditLog returns audit entries for the privacy officer or an auditor.
// Reading the log is itself logged: it shows who looked at whom.
func (db *DB) ReadAuditLog(ctx context.Context, a *opstap.Actor, f AuditFilter) ([]audit.Entry, error) {
	if !can(a, access.ReadAuditLog) {
		return nil, forbidden()
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return nil, opstap.FieldError("to", "the end lies before the start")
	}
	es, err := db.FindAuditEntries(ctx, f)
	if err != nil {
		return nil, err
	}
	e := entryFor(a, audit.EventRead)
	e.Purpose = "audit"
	e.CandidateID = f.CandidateID
	e.Detail = "read audit log: " + strconv.Itoa(len(es)) + " entries"
	return es, db.AppendAudit(ctx, e)
}

// VerifyAuditAs verifies the chain for a user allowed to, and logs it.
func (db *DB) VerifyAuditAs(ctx context.Context, a *opstap.Actor) (int64, error) {
	if !can(a, access.VerifyAuditLog) {
		return 0, forbidden()
	}
	n, verr := db.VerifyAudit(ctx)
	e := entryFor(a, audit.EventVerify)
	if verr != nil {
		e.Outcome = audit.OutcomeFailed
		if b := audit.AsBroken(verr); b != nil {
			e.Detail = "broken at " + strconv.FormatInt(b.Seq, 10)
		}
	}
	if err := db.AppendAudit(ctx, e); err != nil {
		return n, err
	}
	return n, verr
}
