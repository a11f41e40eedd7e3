package store

import (
	"context"

	"github.com/opstap/opstap/internal/vault"
)

// Test hooks for retention_test.go (package store_test).

// SealFor seals plain under the candidate's data key, as a feature would.
func SealFor(ctx context.Context, db *DB, candidateID, aad string, plain []byte) ([]byte, error) {
	var out []byte
	err := db.WithTx(ctx, func(tx *Tx) error {
		dk, err := tx.dataKey(ctx, candidateID)
		if err == nil {
			out = dk.Seal(plain, vault.FieldAAD(candidateID, aad))
		}
		return err
	})
	return out, err
}

// OpenFor opens a ciphertext with the candidate's data key as it is in db.
func OpenFor(ctx context.Context, db *DB, candidateID, aad string, ct []byte) ([]byte, error) {
	var out []byte
	err := db.WithTx(ctx, func(tx *Tx) error {
		dk, err := tx.dataKey(ctx, candidateID)
		if err == nil {
			out, err = dk.Open(ct, vault.FieldAAD(candidateID, aad))
		}
		return err
	})
	return out, err
}

// NotifyFor queues a notification and e-mail for a user.
func NotifyFor(ctx context.Context, db *DB, userID string) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.Notify(ctx, userID, NoticeComplaintUpdate, "/portal") })
}

// FailErasureAt makes every erasure fail at step n (-1 switches it off).
func FailErasureAt(n int, err error) {
	if n < 0 {
		eraseFailHook = nil
		return
	}
	eraseFailHook = func(step int) error {
		if step == n {
			return err
		}
		return nil
	}
}
