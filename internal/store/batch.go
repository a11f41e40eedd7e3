package store

import (
	"context"
	"iter"
	"strings"
)

// rowBatch collects rows for one multi-row INSERT.
type rowBatch struct {
	table string
	cols  []string
	args  []any
}

func (b *rowBatch) add(vals ...any) { b.args = append(b.args, vals...) }

// batchParams bounds the parameters of one statement, well below
// SQLite's 32,766 and PostgreSQL's 65,535.
const batchParams = 4000

// insertBatch writes the batch's rows in as few statements as the
// parameter limit allows, and empties it.
func (tx *Tx) insertBatch(ctx context.Context, b *rowBatch) error {
	for chunk := range b.chunks() {
		if err := tx.insertChunk(ctx, b, chunk); err != nil {
			return err
		}
	}
	b.args = nil
	return nil
}

// chunks yields the batch's arguments in whole rows, as many as one
// statement may carry.
func (b *rowBatch) chunks() iter.Seq[[]any] {
	n := len(b.cols)
	perStmt := batchParams / n * n
	return func(yield func([]any) bool) {
		for args := b.args; len(args) > 0; {
			chunk := args[:min(perStmt, len(args))]
			args = args[len(chunk):]
			if !yield(chunk) {
				return
			}
		}
	}
}

// insertChunk inserts the rows of chunk (a whole number of rows of b).
func (tx *Tx) insertChunk(ctx context.Context, b *rowBatch, chunk []any) error {
	n := len(b.cols)
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
	q := "INSERT INTO " + b.table + " (" + strings.Join(b.cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", len(chunk)/n), ", ")
	_, err := tx.exec(ctx, q, chunk...)
	return err
}
