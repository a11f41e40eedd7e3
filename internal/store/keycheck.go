package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/vault"
)

// Key kinds in key_fingerprints.
const (
	keyKindAudit  = "audit"
	keyKindMaster = "master"
)

// CheckKeys compares the configured audit key and master keyring with the
// fingerprints the database holds, and records those it does not hold yet:
// at the first start, and for a master key version added by a rotation. It
// refuses (EUNAVAILABLE, naming the key) when the audit key differs — its
// entries would break the shared chain, indistinguishable from tampering —
// or when a recorded master key version is missing or differs — this
// server could not open what others sealed. A version recorded by another
// server makes the servers without it fail VerifyKeys until they restart
// with it.
func (db *DB) CheckKeys(ctx context.Context) error {
	if db.Keyring == nil || len(db.AuditKey) == 0 {
		return opstap.Errorf(opstap.EINTERNAL, "keys not configured")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		type key struct {
			kind        string
			version     int
			fingerprint string
		}
		keys := []key{{keyKindAudit, 0, vault.Fingerprint(db.AuditKey)}}
		for _, v := range db.Keyring.Versions() {
			f, _ := db.Keyring.Fingerprint(v)
			keys = append(keys, key{keyKindMaster, v, f})
		}
		for _, k := range keys {
			if _, err := tx.exec(ctx, `INSERT INTO key_fingerprints (kind, version, fingerprint, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (kind, version) DO NOTHING`, k.kind, k.version, k.fingerprint, tx.Now()); err != nil {
				return err
			}
		}
		return db.compareKeys(ctx, tx.tx.QueryContext)
	})
}

// VerifyKeys is CheckKeys without recording anything, for the readiness
// probe: a server whose keys no longer match (another server recorded a
// new master key version) must not be sent requests.
func (db *DB) VerifyKeys(ctx context.Context) error {
	return db.compareKeys(ctx, db.SQL.QueryContext)
}

type queryFunc = func(ctx context.Context, q string, args ...any) (*sql.Rows, error)

func (db *DB) compareKeys(ctx context.Context, query queryFunc) error {
	rows, err := query(ctx, `SELECT kind, version, fingerprint FROM key_fingerprints ORDER BY kind, version`)
	if err != nil {
		return wrapDBErr(err)
	}
	return each(rows, nil, func(rows scanner) error {
		var kind, f string
		var v int
		if err := rows.Scan(&kind, &v, &f); err != nil {
			return err
		}
		return db.compareKey(kind, v, f)
	})
}

func (db *DB) compareKey(kind string, v int, recorded string) error {
	switch kind {
	case keyKindAudit:
		if len(db.AuditKey) == 0 || vault.Fingerprint(db.AuditKey) != recorded {
			return opstap.Errorf(opstap.EUNAVAILABLE, "the configured audit key is not the one this database's audit log is chained with (OPSTAP_AUDIT_KEY)")
		}
	case keyKindMaster:
		f, ok := db.Keyring.Fingerprint(v)
		if !ok {
			return opstap.Errorf(opstap.EUNAVAILABLE, "master key version %d is in use in this database but not configured (OPSTAP_MASTER_KEYS)", v)
		}
		if f != recorded {
			return opstap.Errorf(opstap.EUNAVAILABLE, "master key version %d differs from the one this database's data is sealed with (OPSTAP_MASTER_KEYS)", v)
		}
	default:
		return fmt.Errorf("key_fingerprints: unknown kind %q", kind)
	}
	return nil
}
