package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/opstap/opstap"
)

// Idempotency keys of the API's writes (docs/api.md "Idempotency-Key"): the
// first request with a key claims it, its answer is kept when it completes,
// and a retry with the same key gets that answer instead of running again.
// The HTTP side is internal/api/idempotency.go; here is only the table.

// IdempotencyTTL is how long a key and its answer are kept: the expire job
// deletes them afterwards, and an older row still found is treated as gone.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyLease is how long a claim may stay in flight. A claim older
// than that is taken as abandoned (its server stopped mid-request) and the
// key may be claimed again; a request takes at most the server's write
// timeout (2 minutes) to answer.
const IdempotencyLease = 10 * time.Minute

// IdempotentRequest names a key: whose, and the request it was first used
// for.
type IdempotentRequest struct {
	UserID string
	Key    string
	Method string
	Path   string
}

// IdempotentResponse is a completed answer as a replay repeats it.
type IdempotentResponse struct {
	Status int               `json:"s"`
	Header map[string]string `json:"h,omitempty"`
	Body   []byte            `json:"b,omitempty"`
}

// IdempotencyRecord is what an already claimed key holds. Response is nil
// while the first request is still in flight.
type IdempotencyRecord struct {
	Method      string
	Path        string
	Fingerprint []byte
	Response    *IdempotentResponse
}

func idempotencyAAD(id string) string { return "idempotency/" + id }

// ClaimIdempotencyKey claims the key for a request about to run and returns
// the claim's id, or returns what the key already holds (claim ""). Of two
// concurrent claims exactly one wins: the unique (user_id, key_hash) makes
// the other's insert fail, after which it reads the winner's row. A row past
// IdempotencyTTL, or in flight past IdempotencyLease, is deleted and the key
// claimed anew.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, req IdempotentRequest) (string, *IdempotencyRecord, error) {
	hash := sha256.Sum256([]byte(req.Key))
	// A row found gone or stale between the failed insert and the read is
	// claimed again; two rounds settle any race but a pathological one.
	for range 3 {
		id := newID()
		err := db.WithTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `INSERT INTO idempotency_keys (id, user_id, key_hash, method, path, created_at)
				VALUES (?, ?, ?, ?, ?, ?)`, id, req.UserID, hash[:], req.Method, req.Path, tx.Now())
			return err
		})
		if err == nil {
			return id, nil, nil
		}
		if constraintOf(err) != constraintUnique {
			return "", nil, err
		}
		var rec *IdempotencyRecord
		err = db.WithTx(ctx, func(tx *Tx) error {
			var (
				rowID   string
				status  sql.NullInt64
				sealed  []byte
				created time.Time
			)
			r := &IdempotencyRecord{}
			err := tx.queryRow(ctx, `SELECT id, method, path, fingerprint, status, response, created_at
				FROM idempotency_keys WHERE user_id = ? AND key_hash = ?`, req.UserID, hash[:]).
				Scan(&rowID, &r.Method, &r.Path, &r.Fingerprint, &status, &sealed, scanTime(&created))
			if errors.Is(err, sql.ErrNoRows) {
				return nil // released meanwhile: claim again
			}
			if err != nil {
				return err
			}
			now := tx.Now()
			if !created.After(now.Add(-IdempotencyTTL)) || (!status.Valid && !created.After(now.Add(-IdempotencyLease))) {
				_, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE id = ?`, rowID)
				return err
			}
			if status.Valid {
				plain, err := db.Keyring.OpenSystem(sealed, idempotencyAAD(rowID))
				if err != nil {
					return err
				}
				r.Response = &IdempotentResponse{}
				if err := json.Unmarshal(plain, r.Response); err != nil {
					return err
				}
			}
			rec = r
			return nil
		})
		if err != nil || rec != nil {
			return "", rec, err
		}
	}
	return "", nil, opstap.Errorf(opstap.ECONFLICT, "a request with this Idempotency-Key is still being processed; retry later")
}

// CompleteIdempotencyKey stores the answer of the claimed request, sealed,
// with the fingerprint of the request it answers. A claim taken over after
// its lease ran out is no longer there; its answer is then not kept.
func (db *DB) CompleteIdempotencyKey(ctx context.Context, claim string, fingerprint []byte, resp IdempotentResponse) error {
	plain, err := json.Marshal(resp)
	if err != nil {
		return err
	}
	sealed := db.Keyring.SealSystem(plain, idempotencyAAD(claim))
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE idempotency_keys SET fingerprint = ?, status = ?, response = ?, completed_at = ?
			WHERE id = ? AND status IS NULL`, fingerprint, resp.Status, sealed, tx.Now(), claim)
		return err
	})
}

// ReleaseIdempotencyKey gives up a claim whose request failed inside (5xx)
// or could not be fingerprinted, so that the key may be used again.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, claim string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE id = ? AND status IS NULL`, claim)
		return err
	})
}

// purgeIdempotencyKeys deletes the keys older than IdempotencyTTL (the
// expire job, PurgeExpired).
func (tx *Tx) purgeIdempotencyKeys(ctx context.Context) (int, error) {
	return purgeRowsAffected(tx.exec(ctx, `DELETE FROM idempotency_keys WHERE created_at <= ?`, tx.Now().Add(-IdempotencyTTL)))
}
