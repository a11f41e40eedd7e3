package store

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
)

// RotationResult counts what a rotation run re-wrapped or re-sealed.
type RotationResult struct {
	DataKeys    int `json:"data_keys"`
	TOTPSecrets int `json:"totp_secrets"`
	Breaches    int `json:"breaches"`
	// IdempotentResponses: stored answers of API writes (idempotency.go).
	IdempotentResponses int `json:"idempotent_responses"`
	// Remaining is how many old-version keys are left for the next batch.
	Remaining int `json:"remaining"`
}

// rotationBatch bounds one transaction of a rotation, so the web UI keeps
// writing between batches on SQLite.
const rotationBatch = 500

// RotateKeys moves everything sealed under an older master key version to
// the current one: candidates' wrapped data keys, users' TOTP secrets,
// breach texts and the stored answers of API writes. The data itself is not touched (it is sealed under the data
// keys), so a rotation over many candidates is quick. Run it after adding a
// new master key version; when Remaining is 0 the old version can be
// removed from the configuration — except the lowest version, from which
// the blind index is derived (docs/operations.md).
func (db *DB) RotateKeys(ctx context.Context, a *opstap.Actor) (RotationResult, error) {
	var res RotationResult
	if !a.System {
		return res, forbidden()
	}
	current := db.Keyring.Current()
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		if res.DataKeys, err = tx.rewrapDataKeys(ctx, current); err != nil {
			return err
		}
		if res.TOTPSecrets, err = tx.resealColumn(ctx, "users", "totp_secret", totpAAD, current); err != nil {
			return err
		}
		if res.Breaches, err = tx.resealColumn(ctx, "breaches", "sealed", breachAAD, current); err != nil {
			return err
		}
		if res.IdempotentResponses, err = tx.resealColumn(ctx, "idempotency_keys", "response", idempotencyAAD, current); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM candidate_keys WHERE key_version < ? AND destroyed_at IS NULL AND wrapped_key IS NOT NULL`, current).Scan(&res.Remaining); err != nil {
			return err
		}
		if res.DataKeys+res.TOTPSecrets+res.Breaches+res.IdempotentResponses == 0 {
			return nil
		}
		e := entryFor(a, audit.EventWrite)
		e.Purpose, e.Detail = "security", "master key rotation step"
		return tx.Audit(ctx, e)
	})
	return res, err
}

func (tx *Tx) rewrapDataKeys(ctx context.Context, current int) (int, error) {
	rows, err := tx.query(ctx, (`SELECT candidate_id, key_version, wrapped_key FROM candidate_keys
		WHERE key_version < ? AND destroyed_at IS NULL AND wrapped_key IS NOT NULL ORDER BY candidate_id LIMIT ?`), current, rotationBatch)
	type key struct {
		id      string
		version int
		wrapped []byte
	}
	ks, err := collect(rows, err, func(rows scanner) (key, error) {
		var k key
		err := rows.Scan(&k.id, &k.version, &k.wrapped)
		return k, err
	})
	if err != nil {
		return 0, err
	}
	for _, k := range ks {
		w, v, err := tx.db.Keyring.Rewrap(k.wrapped, k.version, k.id)
		if err != nil {
			return 0, err
		}
		if _, err := tx.exec(ctx, `UPDATE candidate_keys SET wrapped_key = ?, key_version = ? WHERE candidate_id = ?`, w, v, k.id); err != nil {
			return 0, err
		}
	}
	return len(ks), nil
}

// resealColumn re-seals a SealSystem column whose rows are keyed by id and
// whose associated data is aad(id).
func (tx *Tx) resealColumn(ctx context.Context, table, column string, aad func(string) string, current int) (int, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT id, `+column+` FROM `+table+` WHERE `+column+` IS NOT NULL`)
	type sealed struct {
		id string
		ct []byte
	}
	var old []sealed
	if err := each(rows, err, func(rows scanner) error {
		var s sealed
		if err := rows.Scan(&s.id, &s.ct); err != nil {
			return err
		}
		if v, err := tx.db.Keyring.SystemVersion(s.ct); err == nil && v < current && len(old) < rotationBatch {
			old = append(old, s)
		}
		return nil
	}); err != nil {
		return 0, err
	}
	for _, s := range old {
		plain, err := tx.db.Keyring.OpenSystem(s.ct, aad(s.id))
		if err != nil {
			return 0, err
		}
		if _, err := tx.exec(ctx, `UPDATE `+table+` SET `+column+` = ? WHERE id = ?`, tx.db.Keyring.SealSystem(plain, aad(s.id)), s.id); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
