package store

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"

	"github.com/opstap/opstap"
)

// Erasure and backups (docs/security.md "Erasure and backups").
//
// Crypto-shredding reaches old backups only if they do not hold the key:
// a backup with the erased person's wrapped data key, read with the master
// keys the server still has, would bring the person back. So a database
// backup never holds data keys (stripBackupKeys clears them in the copy),
// and the keys travel in a separate key file (ExportKeys) that is always
// taken fresh: restoring an old backup uses the newest key file
// (ImportKeys), which no longer holds the keys of people erased since, and
// ImportKeys erases those people again. Old key files are not kept beyond
// the key-file retention (docs), which bounds how long an erasure takes to
// reach every copy.

// stripBackupKeys removes every wrapped data key from the SQLite backup at
// path and rewrites the file, so that no page still holds the key bytes.
func stripBackupKeys(ctx context.Context, path string) error {
	b, err := sql.Open("sqlite", "file:"+path+"?_pragma=secure_delete(1)")
	if err != nil {
		return err
	}
	defer b.Close()
	if _, err := b.ExecContext(ctx, `UPDATE candidate_keys SET wrapped_key = NULL`); err != nil {
		return fmt.Errorf("backup: strip data keys: %w", err)
	}
	if _, err := b.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("backup: vacuum: %w", err)
	}
	return b.Close()
}

// keyLine is one line of a key file: a data key wrapped by the master key,
// bound to its candidate; without the master keys it reveals nothing.
type keyLine struct {
	CandidateID string `json:"candidate_id"`
	Version     int    `json:"key_version"`
	Wrapped     []byte `json:"wrapped_key"`
}

// ExportKeys writes the wrapped data key of every candidate not erased,
// one JSON object a line. It runs as a system task (CLI), never as a user.
func (db *DB) ExportKeys(ctx context.Context, w io.Writer) (int, error) {
	n := 0
	err := db.WithTx(ctx, func(tx *Tx) error {
		rows, err := tx.tx.QueryContext(ctx, `SELECT candidate_id, key_version, wrapped_key FROM candidate_keys WHERE destroyed_at IS NULL AND wrapped_key IS NOT NULL ORDER BY candidate_id`)
		enc := json.NewEncoder(w)
		if err := each(rows, err, func(rows scanner) error {
			var k keyLine
			if err := rows.Scan(&k.CandidateID, &k.Version, &k.Wrapped); err != nil {
				return err
			}
			if err := enc.Encode(k); err != nil {
				return err
			}
			n++
			return nil
		}); err != nil {
			return err
		}
		return nil
	})
	return n, err
}

// KeyImport counts what ImportKeys did.
type KeyImport struct {
	Restored int `json:"restored"` // keys put back
	Erased   int `json:"erased"`   // candidates without a key in the file: erased since the backup, erased again
}

// ImportKeys puts the keys of a key file into a database restored from a
// backup. A candidate of the backup whose key the file lacks was erased
// after the backup was taken: the erasure is replayed (rule "replayed").
func (db *DB) ImportKeys(ctx context.Context, r io.Reader) (KeyImport, error) {
	var res KeyImport
	sys := &opstap.Actor{System: true}
	err := db.WithTx(ctx, func(tx *Tx) error {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 4096), 1<<20)
		for sc.Scan() {
			var k keyLine
			if err := json.Unmarshal(sc.Bytes(), &k); err != nil {
				return opstap.Errorf(opstap.EINVALID, "the key file is malformed")
			}
			n, err := purgeRowsAffected(tx.exec(ctx, `UPDATE candidate_keys SET wrapped_key = ?, key_version = ? WHERE candidate_id = ? AND destroyed_at IS NULL`, k.Wrapped, k.Version, k.CandidateID))
			if err != nil {
				return err
			}
			res.Restored += n
		}
		if err := sc.Err(); err != nil {
			return err
		}
		ids, err := tx.keylessCandidates(ctx)
		if err != nil || len(ids) == 0 {
			return err
		}
		run, err := tx.startRun(ctx, sys, RunScheduled)
		if err != nil {
			return err
		}
		e, err := tx.newEraser(ctx, run.ID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := e.erase(ctx, sys, id, "replayed"); err != nil {
				return err
			}
		}
		res.Erased = len(ids)
		if err := e.flush(ctx); err != nil {
			return err
		}
		return tx.finishRun(ctx, run)
	})
	if err == nil && res.Erased > 0 {
		db.scrubLog(ctx)
	}
	return res, err
}

func (tx *Tx) keylessCandidates(ctx context.Context) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT candidate_id FROM candidate_keys WHERE destroyed_at IS NULL AND wrapped_key IS NULL`)
	var ids []string
	if err := each(rows, err, func(rows scanner) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	}); err != nil {
		return nil, err
	}
	return ids, nil
}
