package store_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/vault"
)

// TestRotateKeys: after adding master key version 2 and rotating, every
// candidate key is wrapped under version 2, the data still reads, and a
// keyring without version 2's predecessor (except the index version)
// still opens everything.
func TestRotateKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.register(t, "K-1", "Karin", "Kok")
		sys := &opstap.Actor{System: true}
		if err := db.SetTOTPSecret(ctx, sys, f.coach.UserID, "JBSWY3DPEHPK3PXP"); err != nil {
			t.Fatal(err)
		}
		v1 := db.Keyring
		k2 := make([]byte, 32)
		for i := range k2 {
			k2[i] = byte(200 - i)
		}
		spec := "1:" + base64.StdEncoding.EncodeToString(oneKey()) + ",2:" + base64.StdEncoding.EncodeToString(k2)
		kr, err := vault.ParseKeyring(spec)
		if err != nil {
			t.Fatal(err)
		}
		db.Keyring = kr
		res, err := db.RotateKeys(ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		if res.DataKeys != 1 || res.TOTPSecrets != 1 || res.Remaining != 0 {
			t.Fatalf("rotation %+v", res)
		}
		var version int
		db.SQL.QueryRow(onePlaceholder(db, `SELECT key_version FROM candidate_keys WHERE candidate_id = ?`), c.ID).Scan(&version)
		if version != 2 {
			t.Fatalf("key version %d", version)
		}
		got, err := db.FindCandidate(ctx, f.coach, c.ID, store.PurposeGuidance, "")
		if err != nil || got.Basic.LastName != "Kok" {
			t.Fatalf("read after rotation: %v", err)
		}
		if s, err := db.TOTPSecret(ctx, f.coach.UserID); err != nil || s != "JBSWY3DPEHPK3PXP" {
			t.Fatalf("totp after rotation: %q %v", s, err)
		}
		// The old keyring alone can no longer unwrap the rotated key.
		db.Keyring = v1
		if _, err := db.FindCandidate(ctx, f.coach, c.ID, store.PurposeGuidance, ""); err == nil {
			t.Fatal("the old master key still opens a rotated data key")
		}
		if res, _ := func() (store.RotationResult, error) { db.Keyring = kr; return db.RotateKeys(ctx, sys) }(); res.DataKeys != 0 {
			t.Fatalf("second rotation re-wrapped %d keys", res.DataKeys)
		}
		if _, err := db.RotateKeys(ctx, f.coach); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("rotation by a coach: %v", err)
		}
	})
}

func oneKey() []byte {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i + 1)
	}
	return key
}

// onePlaceholder adapts a query with one '?' to the engine.
func onePlaceholder(db *store.DB, q string) string {
	if db.Dialect == store.Postgres {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}
