package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

// Crash tests (issue 13 item 11): a child process — this test binary,
// started again with OPSTAP_CRASH_CHILD set — runs the monthly invoicing
// or a retention run on a database of its own while it commits
// acknowledged writes beside it; the parent kills it with SIGKILL in the
// middle of the run, then checks that every acknowledged write is there,
// nothing is half done, the audit chain verifies, and the run completes
// when it is started again.

const crashChildEnv = "OPSTAP_CRASH_CHILD"

// crashDemoCoach writes the acknowledged notes; crashDemoFinance invoices.
const (
	crashDemoCoach   = "coach@demo.opstap.nl"
	crashDemoFinance = "financien@demo.opstap.nl"
	crashDemoManager = "klantmanager@demo.opstap.nl"
	crashPrivacy     = "privacy@demo.opstap.nl"
	crashRetention   = 60 // candidates due for erasure in the retention crash
)

// crashChild runs in the child process: it opens the database named by the
// environment, reports "ack ID" for every dossier note it commits and
// "mid" when the run is under way, and never returns on its own: the
// parent kills it.
func crashChild(kind string) int {
	ctx := context.Background()
	c := crashConfig()
	db, err := c.open(ctx)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	var mu sync.Mutex
	say := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Println(s)
	}
	coach, err := crashActor(ctx, db, crashDemoCoach)
	if err != nil {
		say("error " + err.Error())
		return 1
	}
	candidateID := os.Getenv("OPSTAP_CRASH_CANDIDATE")
	// The run starts after the first notes are acknowledged, so that
	// some are acknowledged before the kill and some are under way.
	started := make(chan struct{})
	go func() {
		for i := 0; ; i++ {
			if i == 3 {
				close(started)
			}
			e, err := db.CreateEntry(ctx, coach, candidateID, dossier.EntryInput{Kind: dossier.EntryConversationNote,
				Title: fmt.Sprintf("Gesprek %d", i), OccurredOn: opstap.DateOf(time.Now())}, "")
			if err != nil {
				say("error note " + err.Error())
				continue
			}
			say("ack " + e.ID)
		}
	}()
	<-started
	switch kind {
	case "invoice":
		fin, err := crashActor(ctx, db, crashDemoFinance)
		if err != nil {
			say("error " + err.Error())
			return 1
		}
		rendered := 0
		files := func(inv *invoice.Invoice) ([]byte, []byte, error) {
			// Inside the second invoice's transaction, after the first
			// committed: the parent kills the process here.
			if rendered++; rendered == 2 {
				say("mid")
				time.Sleep(time.Minute)
			}
			return render.InvoiceFiles(inv)
		}
		for _, m := range crashMonths(db) {
			if _, err := db.IssueMonth(ctx, fin, m, files); err != nil {
				say("error issue " + err.Error())
				return 1
			}
		}
		say("error the invoicing ended before the kill")
	case "retention":
		// Small batches, so that the kill falls between two of them.
		db.Retention = store.RetentionPolicy{Batch: 3, Pause: time.Nanosecond}
		later := time.Now().AddDate(3, 0, 0)
		db.Now = func() time.Time { return later }
		say("mid")
		if _, err := db.RunRetention(ctx, &opstap.Actor{System: true}, store.RunScheduled); err != nil {
			say("error retention " + err.Error())
			return 1
		}
		say("done")
	}
	time.Sleep(time.Minute)
	return 0
}

// crashMonths are the demo's closed months that are not invoiced yet:
// the demo invoices only the two months before the last (internal/demo).
func crashMonths(db *store.DB) []opstap.Month {
	last := opstap.MonthOf(opstap.DateOf(db.Now())).Add(-1)
	return []opstap.Month{last.Add(-5), last.Add(-4), last.Add(-3)}
}

func crashActor(ctx context.Context, db *store.DB, email string) (*opstap.Actor, error) {
	u, err := db.FindUserByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	return u.Actor(db.Now(), ""), nil
}

func TestCrashDuringInvoicing(t *testing.T) {
	crashEngines(t, func(t *testing.T) {
		_, candidateID := crashSetup(t)
		// The child reports "mid" from inside the second invoice's
		// transaction, where it waits: kill at once.
		acked := crashRun(t, "invoice", candidateID, func() bool { return true })
		db := crashReopen(t)
		crashAcked(t, db, acked)

		ctx := context.Background()
		fin, err := crashActor(ctx, db, crashDemoFinance)
		if err != nil {
			t.Fatal(err)
		}
		before := crashInvoices(t, db)
		if before.inRun == 0 {
			t.Fatal("no invoice committed before the kill: the kill came too early to test anything")
		}
		// Issued again: the rest of the months is issued, nothing twice.
		for _, m := range crashMonths(db) {
			if _, err := db.IssueMonth(ctx, fin, m, render.InvoiceFiles); err != nil {
				t.Fatalf("invoicing %s again after the crash: %v", m, err)
			}
			v, err := db.FinanceMonth(ctx, fin, m)
			if err != nil {
				t.Fatal(err)
			}
			for _, mm := range v.Municipalities {
				for _, e := range mm.Employers {
					if e.Issued == nil && e.Missing == "" && e.Net != 0 {
						t.Errorf("%s: employer invoice of %s not issued after the rerun", m, mm.CBS)
					}
				}
			}
		}
		after := crashInvoices(t, db)
		if after.inRun <= before.inRun {
			t.Errorf("%d invoices after the rerun, %d before: the rerun issued nothing", after.inRun, before.inRun)
		}
		t.Logf("%d invoices of the run committed before the kill, %d after the rerun", before.inRun, after.inRun)
		crashAuditVerifies(t)
	})
}

func TestCrashDuringRetention(t *testing.T) {
	crashEngines(t, func(t *testing.T) {
		db, candidateID := crashSetup(t)
		// Kill as soon as the first batch of erasures has committed, with
		// the run's other batches still to come.
		acked := crashRun(t, "retention", candidateID, func() bool {
			var n int
			return db.SQL.QueryRow(`SELECT COUNT(*) FROM erasures`).Scan(&n) == nil && n > 0
		})
		db = crashReopen(t)
		crashAcked(t, db, acked)
		erased := crashErasures(t, db)
		if erased >= crashRetention {
			t.Fatalf("%d erased before the kill: the run had ended, nothing was interrupted", erased)
		}

		ctx := context.Background()
		later := time.Now().AddDate(3, 0, 0)
		db.Now = func() time.Time { return later }
		run, err := db.RunRetention(ctx, &opstap.Actor{System: true}, store.RunScheduled)
		if err != nil {
			t.Fatalf("retention run after the crash: %v", err)
		}
		var interrupted int
		if err := db.SQL.QueryRow(`SELECT COUNT(*) FROM retention_runs WHERE state = 'interrupted'`).Scan(&interrupted); err != nil {
			t.Fatal(err)
		}
		if interrupted != 1 || run.State != "done" {
			t.Errorf("runs: %d interrupted, the new one %q; want the killed run marked interrupted and the new one done", interrupted, run.State)
		}
		if n := crashErasures(t, db); n < crashRetention {
			t.Errorf("%d erased after the rerun, want at least the %d due", n, crashRetention)
		}
		t.Logf("%d erased before the kill, %d after the rerun", erased, crashErasures(t, db))
		crashAuditVerifies(t)
	})
}

// crashEngines runs fn on SQLite, and on PostgreSQL when configured (each
// in a schema of its own).
func crashEngines(t *testing.T, fn func(t *testing.T)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Setenv("OPSTAP_DATA_DIR", t.TempDir())
		fn(t)
	})
	if os.Getenv("OPSTAP_TEST_DATABASE_URL") == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		t.Setenv("OPSTAP_DATA_DIR", t.TempDir())
		url, _ := pgSchemaURL(t)
		usePostgres(t, url)
		fn(t)
	})
}

// crashSetup loads the demo, registers candidates due for erasure three
// years from now (registered today, no trajectory) and returns the
// database and the candidate the acknowledged notes are written on: one
// of the coach's who is not due then.
func crashSetup(t *testing.T) (*store.DB, string) {
	t.Helper()
	dir := os.Getenv("OPSTAP_DATA_DIR")
	if code, _, errOut := cli(t, dir, "demo"); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	db := crashReopen(t)
	ctx := context.Background()
	km, err := crashActor(ctx, db, crashDemoManager)
	if err != nil {
		t.Fatal(err)
	}
	org := km.OrgID
	born, _ := opstap.ParseDate("01-02-1980")
	for i := range crashRetention {
		if _, err := db.RegisterCandidate(ctx, km, candidate.Registration{CommissionerOrgID: org, ExternalRef: fmt.Sprintf("CRASH-%d", i),
			Basic: candidate.Basic{FirstName: "Wim", LastName: fmt.Sprintf("Crash %d", i), BirthDate: born}}); err != nil {
			t.Fatal(err)
		}
	}
	coach, err := crashActor(ctx, db, crashDemoCoach)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := db.FindCandidates(ctx, coach, store.CandidateFilter{})
	if err != nil {
		t.Fatal(err)
	}
	po, err := crashActor(ctx, db, crashPrivacy)
	if err != nil {
		t.Fatal(err)
	}
	now, later := db.Now, time.Now().AddDate(3, 0, 0)
	db.Now = func() time.Time { return later }
	dry, err := db.RetentionDryRun(ctx, po)
	db.Now = now
	if err != nil {
		t.Fatal(err)
	}
	due := map[string]bool{}
	for _, d := range dry.Due {
		due[d.CandidateID] = true
	}
	if len(dry.Due) < crashRetention {
		t.Fatalf("%d candidates due three years from now, want at least the %d registered", len(dry.Due), crashRetention)
	}
	for _, c := range cs {
		if !due[c.ID] {
			return db, c.ID
		}
	}
	t.Fatal("every candidate of the demo coach is due for erasure in three years")
	return nil, ""
}

// crashRun starts the child, kills it with SIGKILL once it has reported
// the run under way and ready says so, and returns the notes it
// acknowledged.
func crashRun(t *testing.T, kind, candidateID string, ready func() bool) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+kind, "OPSTAP_CRASH_CANDIDATE="+candidateID)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	lines := bufio.NewScanner(out)
	mid := false
	timeout := time.AfterFunc(3*time.Minute, func() { _ = cmd.Process.Kill() })
	defer timeout.Stop()
	for lines.Scan() {
		line := lines.Text()
		switch {
		case strings.HasPrefix(line, "ack "):
			acked = append(acked, strings.TrimPrefix(line, "ack "))
		case line == "mid" && !mid:
			mid = true
			go func() {
				for !ready() {
					time.Sleep(time.Millisecond)
				}
				_ = cmd.Process.Kill()
			}()
		case strings.HasPrefix(line, "error"), line == "done":
			_ = cmd.Process.Kill()
			t.Fatalf("child: %s", line)
		}
	}
	_ = cmd.Wait()
	if !mid {
		t.Fatal("the child never reported the run under way")
	}
	if len(acked) == 0 {
		t.Fatal("no note acknowledged before the kill")
	}
	return acked
}

// crashConfig is the configuration the environment gives, as a server
// started with it would read it.
func crashConfig() config {
	return config{DatabaseURL: envOr("database-url", ""), DataDir: envOr("data-dir", "data"),
		MasterKeys: envOr("master-keys", ""), AuditKey: envOr("audit-key", "")}
}

// crashReopen opens the database as a restarted server would.
func crashReopen(t *testing.T) *store.DB {
	t.Helper()
	c := crashConfig()
	db, err := c.open(context.Background())
	if err != nil {
		t.Fatalf("restart after the crash: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// crashAcked checks that every note the child acknowledged is stored.
func crashAcked(t *testing.T, db *store.DB, acked []string) {
	t.Helper()
	for _, id := range acked {
		var n int
		q := `SELECT COUNT(*) FROM dossier_entries WHERE id = ?`
		if db.Dialect == store.Postgres {
			q = strings.Replace(q, "?", "$1", 1)
		}
		if err := db.SQL.QueryRow(q, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("acknowledged note %s lost in the crash", id)
		}
	}
	t.Logf("%d acknowledged notes all there", len(acked))
}

// invoiceCheck counts the invoices of the run's months (crashMonths).
type invoiceCheck struct{ inRun int }

// crashInvoices checks that every stored invoice is whole — both files,
// its lines adding up to its net amount, numbers without gaps per series —
// and counts them.
func crashInvoices(t *testing.T, db *store.DB) invoiceCheck {
	t.Helper()
	months := map[string]bool{}
	for _, m := range crashMonths(db) {
		months[m.String()] = true
	}
	rows, err := db.SQL.Query(`SELECT i.id, i.month, i.series, i.seq, i.net_cents, LENGTH(i.pdf), LENGTH(i.ubl),
		(SELECT COUNT(*) FROM invoice_lines l WHERE l.invoice_id = i.id), (SELECT COALESCE(SUM(l.net_cents), 0) FROM invoice_lines l WHERE l.invoice_id = i.id)
		FROM invoices i ORDER BY i.series, i.seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var c invoiceCheck
	last := map[string]int64{}
	for rows.Next() {
		var id, month, series string
		var seq, net, pdf, ubl, lines, sum int64
		if err := rows.Scan(&id, &month, &series, &seq, &net, &pdf, &ubl, &lines, &sum); err != nil {
			t.Fatal(err)
		}
		if months[month] {
			c.inRun++
		}
		if pdf == 0 || ubl == 0 || lines == 0 || sum != net {
			t.Errorf("invoice %s is not whole: pdf %d bytes, ubl %d bytes, %d lines adding up to %d of %d cents", id, pdf, ubl, lines, sum, net)
		}
		if prev, ok := last[series]; ok && seq != prev+1 {
			t.Errorf("series %s jumps from %d to %d: a number was lost", series, prev, seq)
		}
		last[series] = seq
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return c
}

// crashErasures checks that no candidate is half erased — a destroyed key
// without its erasure record, or with data left — and counts the erased.
func crashErasures(t *testing.T, db *store.DB) int {
	t.Helper()
	var erased, half int
	if err := db.SQL.QueryRow(`SELECT COUNT(*) FROM erasures`).Scan(&erased); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL.QueryRow(`SELECT COUNT(*) FROM candidate_keys k WHERE (k.destroyed_at IS NOT NULL) <> EXISTS (SELECT 1 FROM erasures e WHERE e.candidate_id = k.candidate_id)
		OR (k.destroyed_at IS NOT NULL AND (EXISTS (SELECT 1 FROM candidate_data d WHERE d.candidate_id = k.candidate_id)
		OR EXISTS (SELECT 1 FROM dossier_entries d WHERE d.candidate_id = k.candidate_id)))`).Scan(&half); err != nil {
		t.Fatal(err)
	}
	if half != 0 {
		t.Errorf("%d candidates half erased", half)
	}
	return erased
}

func crashAuditVerifies(t *testing.T) {
	t.Helper()
	if code, out, errOut := cli(t, os.Getenv("OPSTAP_DATA_DIR"), "audit", "verify"); code != 0 {
		t.Errorf("audit chain after the crash: %d %s %s", code, out, errOut)
	}
}
