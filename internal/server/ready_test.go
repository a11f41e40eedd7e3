package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestReadyRefusesMismatchedKeys: once another server recorded a master
// key version this one lacks, /readyz answers 503 (issue 13 defect 3).
func TestReadyRefusesMismatchedKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		if err := db.CheckKeys(context.Background()); err != nil {
			t.Fatal(err)
		}
		b := e.browser()
		if resp, _ := b.do("GET", "/readyz", nil, nil); resp.StatusCode != 200 {
			t.Fatalf("readyz with matching keys: %d", resp.StatusCode)
		}
		if _, err := db.SQL.Exec(rebindOne(db, `INSERT INTO key_fingerprints (kind, version, fingerprint, created_at) VALUES ('master', 2, 'recorded by a rotated server', ?)`), time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if resp, body := b.do("GET", "/readyz", nil, nil); resp.StatusCode != 503 {
			t.Fatalf("readyz with a version missing: %d %s", resp.StatusCode, body)
		}
	})
}
