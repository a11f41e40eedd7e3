package store

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Erasure on disk (docs/security.md "Erasure and backups"). Deleting rows
// is not enough on SQLite: the write-ahead log keeps the page images
// written before the erasure — the wrapped data key that was destroyed,
// the external reference, the portal account's name and e-mail — until
// it is checkpointed and overwritten. secure_delete (SQLiteDSN) zeroes
// what the erasure frees inside the database file; scrubLog then copies
// those pages into the file and empties the log, so no copy of the
// erased bytes remains in either file.

// scrubAttempts and scrubWait bound how long scrubLog waits for readers
// that still hold a snapshot from before the erasure.
var (
	scrubAttempts = 50
	scrubWait     = 100 * time.Millisecond
)

// scrubLog checkpoints the SQLite write-ahead log and truncates it to
// zero bytes. A reader still on an old snapshot makes the checkpoint busy;
// it is retried, and if it never completes the failure is logged (without
// personal data): the erasure itself stands, and the next one or
// SQLite's own checkpoints carry the zeroed pages over. PostgreSQL keeps
// its files out of the application's reach (docs/security.md).
func (db *DB) scrubLog(ctx context.Context) {
	if db.Dialect != SQLite {
		return
	}
	if err := db.checkpointTruncate(ctx); err != nil {
		slog.Warn("erasure: the write-ahead log could not be emptied", "err", err)
	}
}

func (db *DB) checkpointTruncate(ctx context.Context) error {
	var err error
	for range scrubAttempts {
		var busy, logFrames, done int
		err = db.SQL.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done)
		if err == nil && busy == 0 {
			return nil
		}
		if err == nil {
			err = errCheckpointBusy
		}
		t := time.NewTimer(scrubWait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return err
}

var errCheckpointBusy = errors.New("a reader held the log")
