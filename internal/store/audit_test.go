package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

var auditKey = []byte("test audit key, 32 bytes long!!!")

// base has nanoseconds, which the log truncates to microseconds.
var base = time.Date(2026, 3, 29, 1, 30, 0, 123456789, time.UTC)

func readEntry(i int) audit.Entry {
	return audit.Entry{
		ActorUserID: "u-1", ActorRole: string(opstap.RoleCoach), ActorOrgID: "o-1",
		Event: audit.EventRead, CandidateID: fmt.Sprintf("c-%d", i), Category: string(opstap.CatNotes),
		Action: string(opstap.Read), Purpose: "guidance", Outcome: audit.OutcomeAllowed,
		Address: "192.0.2.7",
	}
}

// openAudit returns a keyed database whose clock starts at base and moves
// one second per transaction.
func openAudit(t testing.TB, db *store.DB) *store.DB {
	t.Helper()
	db.AuditKey = auditKey
	var mu sync.Mutex
	now := base
	db.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}
	return db
}

// seedAudit writes five entries: two on their own, then three in one
// transaction (one multi-row INSERT).
func seedAudit(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	for i := 1; i <= 2; i++ {
		if err := db.AppendAudit(ctx, readEntry(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.WithTx(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, readEntry(3), readEntry(4), readEntry(5))
	}); err != nil {
		t.Fatal(err)
	}
}

func mustExec(t *testing.T, db *store.DB, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := db.SQL.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// forge inserts a copy of entry from at seq with a hash made up without the
// key, chained after entry after.
func forge(seq, from, after int) string {
	return fmt.Sprintf(`INSERT INTO audit_log (seq, id, at, actor_user_id, actor_role, actor_org_id, event,
	candidate_id, category, action, purpose, outcome, address, detail, prev_hash, hash)
	SELECT %d, 'forged-%d', a.at, a.actor_user_id, a.actor_role, a.actor_org_id, a.event,
	'c-forged', a.category, a.action, a.purpose, a.outcome, a.address, a.detail, p.hash, '%s'
	FROM audit_log a, audit_log p WHERE a.seq = %d AND p.seq = %d`, seq, seq, strings.Repeat("ab", 32), from, after)
}

func TestAuditVerify(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(t *testing.T, db *store.DB)
		wantSeq int64  // 0: intact
		reason  string // part of the reason
	}{
		{name: "intact chain"},
		{name: "changed field", wantSeq: 3, reason: "changed", tamper: func(t *testing.T, db *store.DB) {
			mustExec(t, db, "UPDATE audit_log SET purpose = 'tampered' WHERE seq = 3")
		}},
		{name: "changed time", wantSeq: 2, reason: "changed", tamper: func(t *testing.T, db *store.DB) {
			mustExec(t, db, "UPDATE audit_log SET at = (SELECT at FROM audit_log WHERE seq = 1) WHERE seq = 2")
		}},
		{name: "deleted middle row", wantSeq: 3, reason: "removed", tamper: func(t *testing.T, db *store.DB) {
			mustExec(t, db, "DELETE FROM audit_log WHERE seq = 3")
		}},
		{name: "deleted first row", wantSeq: 1, reason: "removed", tamper: func(t *testing.T, db *store.DB) {
			mustExec(t, db, "DELETE FROM audit_log WHERE seq = 1")
		}},
		{name: "deleted last row", wantSeq: 5, reason: "tail", tamper: func(t *testing.T, db *store.DB) {
			mustExec(t, db, "DELETE FROM audit_log WHERE seq = 5")
		}},
		{name: "inserted row at the end with forged hash", wantSeq: 6, reason: "forged", tamper: func(t *testing.T, db *store.DB) {
			mustExec(t, db, forge(6, 5, 5), "UPDATE audit_head SET seq = 6, hash = '"+strings.Repeat("ab", 32)+"'")
		}},
		{name: "inserted row in the middle with forged hash", wantSeq: 3, reason: "forged", tamper: func(t *testing.T, db *store.DB) {
			mustExec(t, db,
				"UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3",
				"UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000",
				forge(3, 2, 2),
				"UPDATE audit_head SET seq = 6")
		}},
		{name: "swapped rows", wantSeq: 2, reason: "reordered", tamper: func(t *testing.T, db *store.DB) {
			mustExec(t, db,
				"UPDATE audit_log SET seq = 1002 WHERE seq = 2",
				"UPDATE audit_log SET seq = 2 WHERE seq = 3",
				"UPDATE audit_log SET seq = 3 WHERE seq = 1002")
		}},
		{name: "changed head", wantSeq: 5, reason: "head", tamper: func(t *testing.T, db *store.DB) {
			mustExec(t, db, "UPDATE audit_head SET hash = 'x'")
		}},
		{name: "wrong key", wantSeq: 1, reason: "key", tamper: func(t *testing.T, db *store.DB) {
			db.AuditKey = []byte("another key")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				db = openAudit(t, db)
				seedAudit(t, db)
				if tt.tamper != nil {
					tt.tamper(t, db)
				}
				n, err := db.VerifyAudit(context.Background())
				if tt.wantSeq == 0 {
					if err != nil || n != 5 {
						t.Fatalf("VerifyAudit = %d, %v; want 5, nil", n, err)
					}
					return
				}
				var b *audit.BrokenError
				if !errors.As(err, &b) {
					t.Fatalf("VerifyAudit = %d, %v; want *audit.BrokenError", n, err)
				}
				if b.Seq != tt.wantSeq || !strings.Contains(b.Reason, tt.reason) {
					t.Fatalf("broken at %d (%s); want %d with %q", b.Seq, b.Reason, tt.wantSeq, tt.reason)
				}
				if n != tt.wantSeq-1 && tt.name != "changed head" {
					t.Errorf("checked = %d; want %d", n, tt.wantSeq-1)
				}
			})
		})
	}
}

func TestAuditRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db = openAudit(t, db)
		ctx := context.Background()
		e := readEntry(1)
		e.At = base.In(opstap.Amsterdam) // explicit, with nanoseconds, not in UTC
		e.Detail = "héllo, \"quoted\"\n"
		if err := db.AppendAudit(ctx, e, readEntry(2)); err != nil {
			t.Fatal(err)
		}
		if !e.At.Equal(base) || e.Seq != 0 || e.Hash != "" {
			t.Fatal("AppendAudit modified the caller's entry")
		}
		got, err := db.FindAuditEntries(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("%d entries, want 2", len(got))
		}
		g := got[0]
		if g.At != audit.Normalize(base) || g.At.Location() != time.UTC {
			t.Errorf("at = %v, want %v in UTC", g.At, audit.Normalize(base))
		}
		if want := base.Add(time.Second).Truncate(time.Microsecond); !got[1].At.Equal(want) {
			t.Errorf("default at = %v, want the transaction's clock %v", got[1].At, want)
		}
		if g.Seq != 1 || g.PrevHash != "" || got[1].PrevHash != g.Hash || g.ID == got[1].ID || len(g.ID) != 36 {
			t.Errorf("bad chain fields: %+v", got)
		}
		want := e
		want.Seq, want.ID, want.At, want.PrevHash, want.Hash = g.Seq, g.ID, g.At, g.PrevHash, g.Hash
		if g != want {
			t.Errorf("read back\n%+v\nwant\n%+v", g, want)
		}
		if audit.Sum(auditKey, g.PrevHash, g) != g.Hash {
			t.Error("hash of the entry read back differs")
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != 2 {
			t.Fatalf("VerifyAudit = %d, %v", n, err)
		}
	})
}

func TestAuditInTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db = openAudit(t, db)
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.WithTx(ctx, func(tx *store.Tx) error {
			if err := tx.Audit(ctx, readEntry(1)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("WithTx = %v", err)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != 0 {
			t.Fatalf("after rollback VerifyAudit = %d, %v; want 0, nil", n, err)
		}
		if err := db.AppendAudit(ctx, readEntry(2)); err != nil {
			t.Fatal(err)
		}
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{})
		if err != nil || len(es) != 1 || es[0].Seq != 1 || es[0].CandidateID != "c-2" {
			t.Fatalf("after rollback and append: %+v, %v", es, err)
		}
	})
}

func TestAuditRejects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db = openAudit(t, db)
		ctx := context.Background()
		bad := readEntry(1)
		bad.Event = "lunch"
		if err := db.AppendAudit(ctx, readEntry(2), bad); err == nil {
			t.Error("unknown event accepted")
		}
		bad = readEntry(1)
		bad.Outcome = ""
		if err := db.AppendAudit(ctx, bad); err == nil {
			t.Error("missing outcome accepted")
		}
		db.AuditKey = nil
		if err := db.AppendAudit(ctx, readEntry(1)); err == nil {
			t.Error("append without a key accepted")
		}
		if _, err := db.VerifyAudit(ctx); err == nil {
			t.Error("verify without a key accepted")
		}
		db.AuditKey = auditKey
		if n, err := db.VerifyAudit(ctx); err != nil || n != 0 {
			t.Fatalf("VerifyAudit = %d, %v; want an empty log", n, err)
		}
	})
}

// TestAuditLarge crosses the INSERT chunk size and the verifier's page size.
func TestAuditLarge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db = openAudit(t, db)
		ctx := context.Background()
		es := make([]audit.Entry, 1203)
		for i := range es {
			es[i] = readEntry(i)
		}
		if err := db.AppendAudit(ctx, es...); err != nil {
			t.Fatal(err)
		}
		if err := db.AppendAudit(ctx, readEntry(0)); err != nil {
			t.Fatal(err)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != 1204 {
			t.Fatalf("VerifyAudit = %d, %v; want 1204", n, err)
		}
	})
}

func TestFindAuditEntries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db = openAudit(t, db)
		ctx := context.Background()
		// Entry i is at base + i seconds (one transaction each).
		for i := 1; i <= 12; i++ {
			e := readEntry(i % 3)
			if i%2 == 0 {
				e.ActorUserID = "u-2"
			}
			if i%4 == 0 {
				e.Event, e.Action = audit.EventWrite, string(opstap.Write)
			}
			if err := db.AppendAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }
		tests := []struct {
			name string
			f    store.AuditFilter
			want []int64
		}{
			{"all", store.AuditFilter{}, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
			{"actor", store.AuditFilter{ActorUserID: "u-2"}, []int64{2, 4, 6, 8, 10, 12}},
			{"actor reads in a period", store.AuditFilter{ActorUserID: "u-2", Event: audit.EventRead,
				From: at(3).Truncate(time.Microsecond), To: at(10).Truncate(time.Microsecond)}, []int64{6}},
			{"period in another zone", store.AuditFilter{From: at(3).In(opstap.Amsterdam), To: at(5).In(opstap.Amsterdam)}, []int64{4, 5}},
			{"candidate", store.AuditFilter{CandidateID: "c-0"}, []int64{3, 6, 9, 12}},
			{"event", store.AuditFilter{Event: audit.EventWrite}, []int64{4, 8, 12}},
			{"page 1", store.AuditFilter{ActorUserID: "u-1", Limit: 4}, []int64{1, 3, 5, 7}},
			{"page 2", store.AuditFilter{ActorUserID: "u-1", Limit: 4, AfterSeq: 7}, []int64{9, 11}},
			{"nothing", store.AuditFilter{ActorUserID: "u-3"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				es, err := db.FindAuditEntries(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, e := range es {
					got = append(got, e.Seq)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Fatalf("seqs = %v, want %v", got, tt.want)
				}
			})
		}
	})
}

func TestAuditConcurrent(t *testing.T) {
	const workers, each = 8, 50
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db = openAudit(t, db)
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					e := readEntry(i)
					e.ActorUserID = fmt.Sprintf("u-%d", w)
					if err := db.AppendAudit(ctx, e); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != workers*each {
			t.Fatalf("VerifyAudit = %d, %v; want %d", n, err, workers*each)
		}
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{Limit: 10000})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != workers*each {
			t.Fatalf("%d entries, want %d", len(es), workers*each)
		}
		perActor := map[string]int{}
		for i, e := range es {
			if e.Seq != int64(i+1) {
				t.Fatalf("entry %d has seq %d", i, e.Seq)
			}
			perActor[e.ActorUserID]++
		}
		for w := range workers {
			if n := perActor[fmt.Sprintf("u-%d", w)]; n != each {
				t.Errorf("worker %d: %d entries, want %d", w, n, each)
			}
		}
	})
}

// BenchmarkAuditAppend measures appends through AppendAudit, one
// transaction per append: one entry, a batch of ten, and one entry from
// eight goroutines at once. The log grows across the sub-benchmarks of an
// engine, as it does in production.
func BenchmarkAuditAppend(b *testing.B) {
	ctx := context.Background()
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			db := openAudit(b, storetest.Open(b, d))
			db.Now = time.Now
			for _, bc := range []struct {
				name     string
				batch    int
				parallel bool
			}{
				{"single", 1, false},
				{"batch10", 10, false},
				{"parallel", 1, true},
			} {
				b.Run(bc.name, func(b *testing.B) {
					es := make([]audit.Entry, bc.batch)
					for i := range es {
						es[i] = readEntry(i)
					}
					b.ReportAllocs()
					if bc.parallel {
						b.SetParallelism(4) // 4 × GOMAXPROCS goroutines
						b.RunParallel(func(pb *testing.PB) {
							for pb.Next() {
								if err := db.AppendAudit(ctx, es...); err != nil {
									b.Error(err)
									return
								}
							}
						})
					} else {
						for b.Loop() {
							if err := db.AppendAudit(ctx, es...); err != nil {
								b.Fatal(err)
							}
						}
					}
					b.ReportMetric(float64(b.N*bc.batch)/b.Elapsed().Seconds(), "entries/s")
				})
			}
			if _, err := db.VerifyAudit(ctx); err != nil {
				b.Fatal(err)
			}
		})
	}
}
