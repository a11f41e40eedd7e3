package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
)

// numberCandidates gives the n candidates this transaction inserted
// without a client number the next n numbers, in order of registration.
// The counter row's update makes concurrent registrations wait for each
// other's commit, so no number is handed out twice; on PostgreSQL the
// numbering statement then sees the other's rows already numbered.
func (tx *Tx) numberCandidates(ctx context.Context, n int64) error {
	if n <= 0 {
		return nil
	}
	var last int64
	if err := tx.queryRow(ctx, `UPDATE counters SET value = value + ? WHERE name = 'candidate_number' RETURNING value`, n).Scan(&last); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE candidates SET client_number = ? + r.n
		FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id) AS n FROM candidates WHERE client_number IS NULL) AS r
		WHERE r.id = candidates.id`, last-n)
	if err != nil {
		return err
	}
	if got, err := res.RowsAffected(); err != nil || got != n {
		return errors.Join(err, errors.New("client numbers: numbered a different count of candidates than were registered"))
	}
	return nil
}

// CandidateIDByNumber returns the internal id of the candidate with the
// client number, for a form that names the candidate by number; the caller
// still decides access on the id.
func (db *DB) CandidateIDByNumber(ctx context.Context, field, number string) (string, error) {
	n, ok := candidate.ParseClientNumber(number)
	if !ok {
		return "", opstap.FieldError(field, "enter a client number")
	}
	var id string
	err := db.SQL.QueryRowContext(ctx, db.rebind(`SELECT id FROM candidates WHERE client_number = ?`), n).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &opstap.Error{Code: opstap.ENOTFOUND, Field: field, Message: "no candidate has this client number"}
	}
	return id, err
}
