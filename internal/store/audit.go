package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
)

const auditColumns = "seq, id, at, actor_user_id, actor_role, actor_org_id, event, candidate_id, " +
	"category, action, purpose, outcome, address, detail, prev_hash, hash"

// auditInsertRows bounds the rows in one INSERT: 16 parameters a row stay
// far below the parameter limits of both engines (32766 and 65535).
const auditInsertRows = 500

// Audit appends entries to the audit log inside the transaction, so that
// they commit or roll back together with the change they describe. It
// assigns each entry a random ID, sets At to the transaction's clock when
// zero (times are kept in UTC at microsecond precision), and chains the
// entries to the log with db.AuditKey. Event and Outcome must be known
// constants of package audit; see that package for what entries may hold
// (no personal data in clear). The caller's entries are not modified.
//
// The log has one head row, which Audit locks until the transaction ends,
// so appenders queue behind one another. Call Audit as the last step of a
// transaction — after every other read and write — so that the lock is held
// only for the append and the commit, and so that no transaction waits for
// the head while holding other locks. Call it once per transaction, with
// all its entries.
func (tx *Tx) Audit(ctx context.Context, entries ...audit.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	if tx.deferred != nil {
		for i := range entries {
			if err := entries[i].Check(); err != nil {
				return err
			}
		}
		tx.deferAudit(entries)
		return nil
	}
	key := tx.db.AuditKey
	if len(key) == 0 {
		return opstap.Errorf(opstap.EINTERNAL, "audit key not configured")
	}
	// Everything that does not need the head is done before taking it.
	es := slices.Clone(entries)
	for i := range es {
		e := &es[i]
		if err := e.Check(); err != nil {
			return err
		}
		id, err := uuid.NewRandom()
		if err != nil {
			return fmt.Errorf("audit id: %w", err)
		}
		e.ID = id.String()
		if e.At.IsZero() {
			e.At = tx.now
		}
	}

	lock := "SELECT seq, hash FROM audit_head WHERE id = 1"
	if tx.db.Dialect == Postgres {
		lock += " FOR UPDATE"
	} // SQLite: the write transaction began with BEGIN IMMEDIATE and is already exclusive.
	var seq int64
	var prev string
	if err := tx.queryRow(ctx, lock).Scan(&seq, &prev); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return opstap.Errorf(opstap.EINTERNAL, "audit head missing")
		}
		return wrapDBErr(err)
	}
	audit.Chain(key, prev, seq, es)
	last := es[len(es)-1]
	if tx.db.Dialect == Postgres && len(es) > auditInsertRows {
		// Many entries (a bulk registration) go in one statement, as
		// arrays: far fewer round trips and statements while the head is
		// held than multi-row INSERTs of 500.
		q, args := auditUnnest(es)
		q = "WITH ins AS (" + q + ") UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?"
		return tx.checkHeadUpdate(ctx, q, append(args, last.Seq, last.Hash, seq)...)
	}

	// Insert in chunks; on PostgreSQL the last chunk and the head update go
	// in one statement, saving a round trip while the head is locked.
	for len(es) > 0 {
		n := min(len(es), auditInsertRows)
		q, args := auditInsert(es[:n])
		es = es[n:]
		if len(es) > 0 || tx.db.Dialect != Postgres {
			if _, err := tx.exec(ctx, q, args...); err != nil {
				return err
			}
			continue
		}
		q = "WITH ins AS (" + q + ") UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?"
		return tx.checkHeadUpdate(ctx, q, append(args, last.Seq, last.Hash, seq)...)
	}
	return tx.checkHeadUpdate(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?", last.Seq, last.Hash, seq)
}

// checkHeadUpdate runs the head update, which names the sequence number read
// under the lock; it must change exactly one row.
func (tx *Tx) checkHeadUpdate(ctx context.Context, q string, args ...any) error {
	r, err := tx.exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return opstap.Errorf(opstap.ECONFLICT, "audit head moved during append")
	}
	return nil
}

// auditInsert returns a multi-row INSERT of es.
func auditInsert(es []audit.Entry) (string, []any) {
	var b strings.Builder
	b.Grow(80 + len(es)*40)
	b.WriteString("INSERT INTO audit_log (" + auditColumns + ") VALUES ")
	args := make([]any, 0, 16*len(es))
	for i, e := range es {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
		args = append(args, e.Seq, e.ID, e.At.UTC(), e.ActorUserID, e.ActorRole, e.ActorOrgID,
			e.Event, e.CandidateID, e.Category, e.Action, e.Purpose, e.Outcome, e.Address,
			e.Detail, e.PrevHash, e.Hash)
	}
	return b.String(), args
}

// auditUnnest returns a PostgreSQL INSERT of es from one array per column.
func auditUnnest(es []audit.Entry) (string, []any) {
	seqs, ats := make([]int64, len(es)), make([]time.Time, len(es))
	texts := make([][]string, 14)
	for i := range texts {
		texts[i] = make([]string, len(es))
	}
	for i, e := range es {
		seqs[i], ats[i] = e.Seq, e.At.UTC()
		for j, v := range []string{e.ID, e.ActorUserID, e.ActorRole, e.ActorOrgID, e.Event, e.CandidateID,
			e.Category, e.Action, e.Purpose, e.Outcome, e.Address, e.Detail, e.PrevHash, e.Hash} {
			texts[j][i] = v
		}
	}
	args := []any{seqs, texts[0], ats}
	for _, t := range texts[1:] {
		args = append(args, t)
	}
	q := "INSERT INTO audit_log (" + auditColumns + ") SELECT * FROM unnest(?::bigint[], ?::text[], ?::timestamptz[]" +
		strings.Repeat(", ?::text[]", 13) + ")"
	return q, args
}

// AppendAudit appends entries in a transaction of their own, for events
// that change nothing else (sign-ins, reads). Entries that describe a change
// go through Tx.Audit in the transaction of that change.
//
// Entries of concurrent callers are appended together, in one transaction
// (auditgroup.go); AppendAudit returns once the transaction holding its
// entries has committed.
func (db *DB) AppendAudit(ctx context.Context, entries ...audit.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	return db.appendGrouped(ctx, slices.Clone(entries))
}

// auditPage is the number of entries read per query when walking the log.
const auditPage = 1000

// VerifyAudit walks the whole audit log in sequence order, a page at a
// time and outside any long transaction (appends go on meanwhile), and
// checks the hash chain and the head. It returns the number of entries
// found intact before the first break; a break is reported as a
// *audit.BrokenError naming the first broken entry. Entries appended while
// the walk runs are verified too.
func (db *DB) VerifyAudit(ctx context.Context) (checked int64, err error) {
	if len(db.AuditKey) == 0 {
		return 0, opstap.Errorf(opstap.EINTERNAL, "audit key not configured")
	}
	v := audit.NewVerifier(db.AuditKey)
	// Walk to the end of what is there, then read the head. A row and the
	// head that points to it commit together, so the head read afterwards
	// is at least as far as the last row seen; walk on up to it, and then
	// the verifier must stand exactly at the head.
	if err := db.walkAudit(ctx, v, -1); err != nil {
		return v.Checked(), err
	}
	var headSeq int64
	var headHash string
	err = db.SQL.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash)
	if errors.Is(err, sql.ErrNoRows) {
		return v.Checked(), &audit.BrokenError{Seq: 1, Reason: "the head is missing"}
	} else if err != nil {
		return v.Checked(), wrapDBErr(err)
	}
	if v.Checked() < headSeq {
		if err := db.walkAudit(ctx, v, headSeq); err != nil {
			return v.Checked(), err
		}
	}
	return v.Checked(), v.Finish(headSeq, headHash)
}

// walkAudit feeds v the entries after the last one it accepted, up to and
// including seq upTo (to the end when upTo < 0).
func (db *DB) walkAudit(ctx context.Context, v *audit.Verifier, upTo int64) error {
	for {
		q := "SELECT " + auditColumns + " FROM audit_log WHERE seq > ?"
		args := []any{v.Checked()}
		if upTo >= 0 {
			q += " AND seq <= ?"
			args = append(args, upTo)
		}
		q += " ORDER BY seq LIMIT ?"
		args = append(args, auditPage)
		page, err := db.queryAudit(ctx, q, args...)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := v.Add(e); err != nil {
				return err
			}
		}
		if len(page) < auditPage {
			return nil
		}
	}
}

// AuditFilter selects audit entries. Empty fields do not filter.
type AuditFilter struct {
	ActorUserID string
	CandidateID string
	Event       string
	From        time.Time // At >= From
	To          time.Time // At < To
	AfterSeq    int64     // Seq > AfterSeq: pass the last Seq of a page for the next
	Limit       int       // at most this many; 0 means 1000, and at most 10000
}

// FindAuditEntries returns the entries that match f in sequence order. It
// answers, for instance, which candidates' data an account read in a
// period: ActorUserID, Event read, From and To. Page with AfterSeq.
func (db *DB) FindAuditEntries(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	var where []string
	var args []any
	if f.ActorUserID != "" {
		where = append(where, "actor_user_id = ?")
		args = append(args, f.ActorUserID)
	}
	if f.CandidateID != "" {
		where = append(where, "candidate_id = ?")
		args = append(args, f.CandidateID)
	}
	if f.Event != "" {
		where = append(where, "event = ?")
		args = append(args, f.Event)
	}
	if !f.From.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, ceilMicro(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "at < ?")
		args = append(args, ceilMicro(f.To))
	}
	if f.AfterSeq > 0 {
		where = append(where, "seq > ?")
		args = append(args, f.AfterSeq)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	limit = min(limit, 10000)
	q := "SELECT " + auditColumns + " FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq LIMIT ?"
	args = append(args, limit)
	return db.queryAudit(ctx, q, args...)
}

// ceilMicro rounds t up to the microsecond precision of the stored times
// (pgx would truncate it), so that At >= t and At < t mean the same on both
// engines for a t with nanoseconds.
func ceilMicro(t time.Time) time.Time {
	c := audit.Normalize(t)
	if c.Before(t) {
		c = c.Add(time.Microsecond)
	}
	return c
}

// queryAudit runs a query outside a transaction that selects auditColumns.
func (db *DB) queryAudit(ctx context.Context, q string, args ...any) ([]audit.Entry, error) {
	rows, err := db.SQL.QueryContext(ctx, db.rebind(q), args...)
	if err != nil {
		return nil, wrapDBErr(err)
	}
	defer rows.Close()
	var es []audit.Entry
	for rows.Next() {
		var e audit.Entry
		if err := rows.Scan(&e.Seq, &e.ID, timeScanner{&e.At}, &e.ActorUserID, &e.ActorRole,
			&e.ActorOrgID, &e.Event, &e.CandidateID, &e.Category, &e.Action, &e.Purpose,
			&e.Outcome, &e.Address, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, wrapDBErr(rows.Err())
}
