package store

import "database/sql"

// scanner is one row to scan: *sql.Row, or *sql.Rows inside a loop.
type scanner interface{ Scan(...any) error }

// each runs fn on every row of a query's result and closes it; err is the
// query's own error, so that a call reads
//
//	rows, err := tx.tx.QueryContext(ctx, q, args...)
//	if err := each(rows, err, func(rows scanner) error { … }); err != nil {
//
// It is the store's one loop over rows: the first error of the query, of
// fn or of the iteration ends it.
func each(rows *sql.Rows, err error, fn func(scanner) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// collect returns one T per row, made by scan; nil when there are none
// (as appending to a nil slice gives).
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	var out []T
	err = each(rows, err, func(r scanner) error {
		v, err := scan(r)
		if err == nil {
			out = append(out, v)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
