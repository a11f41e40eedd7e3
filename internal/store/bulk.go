package store

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/candidate"
)

// BulkResult says what a bulk registration did.
type BulkResult struct {
	Created int `json:"created"`
	// Skipped rows name an external reference the commissioner registered
	// before: uploading the same file twice creates no duplicates.
	Skipped int `json:"skipped"`
}

// RegisterBulk registers the parsed rows of a bulk file in one
// transaction: all of them, or — on any error — none, with a per-row,
// per-field report (*candidate.FileError).
func (db *DB) RegisterBulk(ctx context.Context, a *opstap.Actor, rows []candidate.CSVRow) (BulkResult, error) {
	var res BulkResult
	if !can(a, access.RegisterCandidates) {
		return res, forbidden()
	}
	err := db.WithTx(ctx, func(tx *Tx) error {
		res = BulkResult{}
		rg := tx.newRegistrar(a)
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
		return rg.flush(ctx)
	})
	return res, err
}

func rowError(line int, err error) candidate.RowError {
	if e := opstap.AsError(err); e != nil && e.Code != opstap.EINTERNAL {
		return candidate.RowError{Row: line, Field: e.Field, Message: e.Message, Args: e.Args}
	}
	return candidate.RowError{Row: line, Field: "file", Message: "something went wrong on our side; please try again"}
}

func (tx *Tx) coachByEmail(ctx context.Context, cache map[string]string, email string) (string, error) {
	email = normEmail(email)
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
