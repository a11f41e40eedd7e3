package store

import (
	"context"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/candidate"
)

// BulkResult says what a bulk registration did.
type BulkResult struct {
	Created int `json:"created"`
	// Skipped rows name an external reference the commissioner registered
	// before: uploading the same file twice creates no duplicates.
	Skipped int `json:"skipped"`
}

// RegisterBulk registers the parsed rows of a bulk file: all of them, or —
// on any error — none, with a per-row, per-field report
// (*candidate.FileError).
//
// A file of thousands of rows must not stall everyone else (on SQLite one
// transaction writes at a time, and every audited read writes its audit
// entry; on PostgreSQL the audit chain's head is one row). So the work is
// done in three steps, and only the last holds the write lock and the head:
//  1. in a read-only transaction, every row is checked and prepared in
//     memory (sealing, search terms, audit entries);
//  2. the prepared rows are staged in short transactions, between which
//     other requests go on;
//  3. one transaction copies the staged rows into the real tables (in SQL),
//     adds the data keys and appends the audit entries. An external
//     reference registered meanwhile fails this step: nothing is stored.
//
// Staged rows are invisible to every query; a crash leaves them to the
// expire job (PurgeExpired), so the file is still all or nothing.
func (db *DB) RegisterBulk(ctx context.Context, a *opstap.Actor, rows []candidate.CSVRow) (BulkResult, error) {
	var res BulkResult
	if !can(a, access.RegisterCandidates) {
		return res, forbidden()
	}
	var rg *registrar
	err := db.readTx(ctx, func(tx *Tx) error {
		rg = tx.newRegistrar(a)
		coaches := map[string]string{}
		var rowErrs []candidate.RowError
		for _, row := range rows {
			reg := row.Registration
			if row.CoachEmail != "" {
				id, err := tx.coachByEmail(ctx, coaches, row.CoachEmail)
				if err != nil {
					rowErrs = append(rowErrs, rowError(row.Line, err))
					continue
				}
				reg.CoachUserID = id
			}
			c, err := rg.add(ctx, reg)
			switch {
			case err != nil:
				rowErrs = append(rowErrs, rowError(row.Line, err))
			case c == nil:
				res.Skipped++
			default:
				res.Created++
			}
		}
		if len(rowErrs) > 0 {
			return &candidate.FileError{Rows: rowErrs}
		}
		return nil
	})
	if err != nil {
		if lerr := db.logRevealed(ctx, rg); lerr != nil {
			return BulkResult{}, lerr
		}
		return BulkResult{}, err
	}
	if res.Created == 0 {
		return res, nil
	}
	upload := newID()
	if err := db.stageBulk(ctx, upload, rg); err != nil {
		db.dropUpload(upload)
		return BulkResult{}, err
	}
	err = db.WithTx(ctx, func(tx *Tx) error {
		rg.tx = tx
		return rg.publish(ctx, upload)
	})
	if err != nil {
		db.dropUpload(upload)
		if opstap.ErrorCode(err) == opstap.ECONFLICT {
			err = &opstap.Error{Code: opstap.ECONFLICT, Field: "external_ref", Err: err,
				Message: "candidates of this file were registered by someone else meanwhile; upload the file again to register the others"}
		}
		return BulkResult{}, err
	}
	return res, nil
}

// stagedTables are the tables a bulk registration stages, parents first.
var stagedTables = []string{"candidates", "candidate_data", "candidate_search"}

// stageBulk writes the prepared rows, except the data keys, to the staging
// tables in transactions of one statement each.
func (db *DB) stageBulk(ctx context.Context, upload string, rg *registrar) error {
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO bulk_uploads (id, started_at) VALUES (?, ?)`, upload, tx.Now())
		return err
	})
	if err != nil {
		return err
	}
	for _, b := range []*rowBatch{&rg.cands, &rg.data, &rg.search} {
		staged := &rowBatch{table: "bulk_stage_" + b.table, cols: append([]string{"upload_id"}, b.cols...)}
		n := len(b.cols)
		for i := 0; i < len(b.args); i += n {
			staged.add(upload)
			staged.add(b.args[i : i+n]...)
		}
		for chunk := range staged.chunks() {
			if err := db.WithTx(ctx, func(tx *Tx) error { return tx.insertChunk(ctx, staged, chunk) }); err != nil {
				return err
			}
			if db.bulkPause != nil {
				db.bulkPause()
			}
		}
	}
	return nil
}

// publish makes a staged upload real in the caller's transaction.
func (rg *registrar) publish(ctx context.Context, upload string) error {
	tx := rg.tx
	for _, b := range []*rowBatch{&rg.keys, &rg.facts} {
		if err := tx.insertBatch(ctx, b); err != nil {
			return err
		}
	}
	for i, t := range stagedTables {
		cols := strings.Join([]*rowBatch{&rg.cands, &rg.data, &rg.search}[i].cols, ", ")
		res, err := tx.exec(ctx, `INSERT INTO `+t+` (`+cols+`) SELECT `+cols+` FROM bulk_stage_`+t+` WHERE upload_id = ?`, upload)
		if err != nil {
			return err
		}
		if t == "candidates" {
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if err := tx.numberCandidates(ctx, n); err != nil {
				return err
			}
		}
	}
	if err := tx.clearUpload(ctx, upload); err != nil {
		return err
	}
	return tx.Audit(ctx, rg.entries...)
}

func (tx *Tx) clearUpload(ctx context.Context, upload string) error {
	for _, t := range stagedTables {
		if _, err := tx.exec(ctx, `DELETE FROM bulk_stage_`+t+` WHERE upload_id = ?`, upload); err != nil {
			return err
		}
	}
	_, err := tx.exec(ctx, `DELETE FROM bulk_uploads WHERE id = ?`, upload)
	return err
}

// dropUpload removes what a failed upload staged; what it cannot remove,
// the expire job does.
func (db *DB) dropUpload(upload string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = db.WithTx(ctx, func(tx *Tx) error { return tx.clearUpload(ctx, upload) })
}

// staleUploadAge is when a bulk upload that has not finished is taken to
// have died with its server.
const staleUploadAge = 6 * time.Hour

// purgeStaleUploads removes the staged rows of uploads a crash interrupted.
func (tx *Tx) purgeStaleUploads(ctx context.Context) (int, error) {
	rows, err := tx.query(ctx, (`SELECT id FROM bulk_uploads WHERE started_at < ?`), tx.Now().Add(-staleUploadAge))
	var ids []string
	if err := each(rows, err, func(rows scanner) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	}); err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := tx.clearUpload(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

func rowError(line int, err error) candidate.RowError {
	if e := opstap.AsError(err); e != nil && e.Code != opstap.EINTERNAL {
		return candidate.RowError{Row: line, Field: e.Field, Message: e.Message, Args: e.Args}
	}
	return candidate.RowError{Row: line, Field: "file", Message: "something went wrong on our side; please try again"}
}

func (tx *Tx) coachByEmail(ctx context.Context, cache map[string]string, email string) (string, error) {
	email = account.NormEmail(email)
	if id, ok := cache[email]; ok {
		return id, nil
	}
	var id string
	if err := tx.queryRow(ctx, `SELECT id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
		return "", opstap.FieldError("coach_email", "unknown coach")
	}
	if err := tx.checkCoach(ctx, id); err != nil {
		return "", opstap.FieldError("coach_email", "unknown coach")
	}
	cache[email] = id
	return id, nil
}
