package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// generateRetention writes n candidates straight into the tables, each
// with a (random) wrapped key, two sealed categories, three search terms
// and a dossier entry; due of them ended their trajectory three years ago,
// the rest one year ago or not at all.
func generateRetention(b *testing.B, db *store.DB, n, due int) {
	b.Helper()
	ctx := context.Background()
	var org string
	rtMustB(b, db.SQL.QueryRowContext(ctx, `SELECT id FROM organisations WHERE kind = 'municipality' LIMIT 1`).Scan(&org))
	tx, err := db.SQL.BeginTx(ctx, nil)
	rtMustB(b, err)
	now := time.Now().UTC()
	today := opstap.DateOf(now)
	blob := func(size int) []byte { p := make([]byte, size); rand.Read(p); return p }
	stmts := []string{
		`INSERT INTO candidate_keys (candidate_id, key_version, wrapped_key, created_at) VALUES (?, 1, ?, ?)`,
		`INSERT INTO candidates (id, commissioner_org_id, external_ref, postcode4, registered_on, created_at) VALUES (?, ?, ?, '1311', ?, ?)`,
		`INSERT INTO candidate_data (candidate_id, category, ciphertext, updated_at, updated_by) VALUES (?, ?, ?, ?, 'gen')`,
		`INSERT INTO candidate_search (term, candidate_id) VALUES (?, ?)`,
		`INSERT INTO dossier_entries (id, candidate_id, kind, occurred_on, version, ciphertext, author_id, created_at, updated_by, updated_at) VALUES (?, ?, 'conversation_note', ?, 1, ?, 'gen', ?, 'gen', ?)`,
		`INSERT INTO trajectories (id, candidate_id, kind, status, created_at, created_by, status_changed_at, end_reason, ended_on) VALUES (?, ?, 'reintegration', ?, ?, 'gen', ?, ?, ?)`,
	}
	prep := make([]stmtT, len(stmts))
	for i, q := range stmts {
		s, err := tx.PrepareContext(ctx, q)
		rtMustB(b, err)
		prep[i] = stmtT{s}
	}
	for i := range n {
		id := fmt.Sprintf("gen-%06d", i)
		prep[0].exec(b, id, blob(62), now)
		prep[1].exec(b, id, org, fmt.Sprintf("G-%d", i), today.AddMonths(-48), now)
		prep[2].exec(b, id, "basic", blob(120), now)
		prep[2].exec(b, id, "bsn", blob(40), now)
		for j := range 3 {
			prep[3].exec(b, fmt.Sprintf("t%d-%s", j, id), id)
		}
		prep[4].exec(b, "e-"+id, id, today, blob(300), now, now)
		switch {
		case i < due:
			prep[5].exec(b, "t-"+id, id, "ended", now, now, "work_found", today.AddMonths(-36))
		case i%3 == 0:
			prep[5].exec(b, "t-"+id, id, "active", now, now, "", nil)
		default:
			prep[5].exec(b, "t-"+id, id, "ended", now, now, "work_found", today.AddMonths(-12))
		}
	}
	rtMustB(b, tx.Commit())
}

type stmtT struct{ s *sql.Stmt }

func (s stmtT) exec(b *testing.B, args ...any) {
	if _, err := s.s.Exec(args...); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRetention: issue 4 asks a dry run and the erasure over 100,000
// candidates, 20,000 of them due, under 60 s on SQLite. Run with
// OPSTAP_BENCH_SCALE=full go test ./internal/store/ -run ^$ -bench Retention -benchtime 1x
func BenchmarkRetention(b *testing.B) {
	if os.Getenv("OPSTAP_BENCH_SCALE") != "full" {
		b.Skip("set OPSTAP_BENCH_SCALE=full")
	}
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		db := storetest.Open(b, store.SQLite)
		newFixture(b, db)
		generateRetention(b, db, 100_000, 20_000)
		sys := &opstap.Actor{System: true}
		b.StartTimer()
		start := time.Now()
		dr, err := db.RetentionDryRun(ctx, sys)
		rtMustB(b, err)
		dry := time.Since(start)
		run, err := db.RunRetention(ctx, sys, store.RunScheduled)
		rtMustB(b, err)
		total := time.Since(start)
		if dr.Total != 20_000 || run.Erased != 20_000 {
			b.Fatalf("due %d, erased %d", dr.Total, run.Erased)
		}
		b.ReportMetric(dry.Seconds(), "dryrun-s")
		b.ReportMetric(total.Seconds(), "total-s")
		if total > time.Minute {
			b.Fatalf("dry run and erasure took %s, over 60 s", total)
		}
	}
}

func rtMustB(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}
