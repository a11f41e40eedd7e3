package store

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/account"
)

// TestStmtCacheNested: a cached, prepared query run again while its first
// rows are still being read (nested, in one transaction) leaves the outer
// rows intact, and the cache is used at all.
func TestStmtCacheNested(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+t.TempDir()+"/c.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.AuditKey = []byte("test audit key, 32 bytes long!!!")
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"A", "B", "C"} {
		if err := db.CreateOrganisation(ctx, &opstap.Actor{System: true}, &account.Organisation{Name: n, Kind: opstap.OrgProvider}); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT name FROM organisations ORDER BY name`
	for db.prepared(q) == nil {
		time.Sleep(10 * time.Millisecond) // prepared in the background
	}
	err = db.readTx(ctx, func(tx *Tx) error {
		var outer []string
		rows, err := tx.query(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return err
			}
			outer = append(outer, n)
			if len(outer) > 3 {
				break // the outer rows started again: reset by the inner run
			}
			inner := 0
			if err := tx.eachRow(ctx, q, nil, func(s scanner) error { inner++; return nil }); err != nil {
				return err
			}
			var first string
			if err := tx.queryRow(ctx, q).Scan(&first); err != nil || first != "A" || inner != 3 {
				t.Errorf("nested: %d rows, first %q, %v", inner, first, err)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(outer) != 3 || outer[2] != "C" {
			t.Errorf("outer rows %v", outer)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStmtCacheClose: closing the database waits for the statements being
// prepared in the background and starts no new ones, so nothing touches
// the database's files once Close has returned: its directory can be
// removed at once (a test's temporary directory failed to be, now and then).
func TestStmtCacheClose(t *testing.T) {
	ctx := context.Background()
	for i := range 20 {
		dir := t.TempDir()
		db, err := Open(ctx, "sqlite:"+dir+"/c.db")
		if err != nil {
			t.Fatal(err)
		}
		for j := range 50 {
			db.prepared(fmt.Sprintf("SELECT %d + %d", i, j)) // 50 preparations in flight
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if db.prepared("SELECT 1") != nil || len(db.stmts.pending) != 0 {
			t.Fatal("a statement is prepared after Close")
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Fatalf("remove the closed database's directory: %v", err)
		}
	}
}
