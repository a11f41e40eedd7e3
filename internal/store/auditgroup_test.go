package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestAuditGroupCommit: the audit entries of concurrent reads are appended
// by shared transactions, and no read returns (so no answer is sent) before
// the transaction holding its entry has committed: while the group commit
// is held, every reader waits and its entry is not yet in the log; once
// released, each reader's entry is there when it returns, the readers
// needed fewer transactions than there were reads, and the chain verifies.
func TestAuditGroupCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		const readers = 12
		var ids []string
		for i := range readers {
			ids = append(ids, f.register(t, "G-"+string(rune('a'+i)), "Anna", "Jansen").ID)
		}
		before := db.AuditGroupCommits()

		hold := make(chan struct{})
		var once sync.Once
		held := make(chan struct{})
		store.SetAuditGroupPause(db, func() {
			first := false
			once.Do(func() { first = true })
			if first {
				close(held)
				<-hold
			}
		})
		// The first read takes the committer and is held before its
		// transaction; the others gather behind it.
		type result struct {
			id  string
			err error
			at  time.Time
		}
		results := make(chan result, readers)
		read := func(id string) {
			_, err := db.FindCandidate(ctx, f.coach, id, store.PurposeGuidance, "")
			results <- result{id, err, time.Now()}
		}
		go read(ids[0])
		<-held
		for _, id := range ids[1:] {
			go read(id)
		}
		time.Sleep(300 * time.Millisecond) // the others reach the group
		select {
		case r := <-results:
			t.Fatalf("read of %s returned before its audit entry was committed (err %v)", r.id, r.err)
		default:
		}
		for _, id := range ids {
			if n := readsLogged(t, db, id); n != 0 {
				t.Fatalf("%d read entries for %s while the commit is held", n, id)
			}
		}
		released := time.Now()
		close(hold)
		for range readers {
			r := <-results
			if r.err != nil {
				t.Fatal(r.err)
			}
			if r.at.Before(released) {
				t.Fatalf("read of %s returned before the commit was released", r.id)
			}
			// Its entry is in the log the moment it returns.
			if n := readsLogged(t, db, r.id); n != 1 {
				t.Fatalf("%d read entries for %s after the read returned", n, r.id)
			}
		}
		commits := db.AuditGroupCommits() - before
		if commits >= readers || commits < 1 {
			t.Errorf("%d reads took %d group transactions", readers, commits)
		}
		t.Logf("%d reads, %d group transactions", readers, commits)
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAuditedReadFallsBackToWrite: a read that must write (breaking the
// glass records its reason) still works and is logged once.
func TestAuditedReadFallsBackToWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.register(t, "BG-1", "Piet", "Bakker")
		// coach2 is not the candidate's coach: only with a stated reason.
		if _, err := db.FindCandidate(ctx, f.coach2, c.ID, store.PurposeGuidance, "spoed: coach afwezig, afspraak vandaag"); err != nil {
			t.Fatal(err)
		}
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: c.ID, ActorUserID: f.coach2.UserID})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].Event != audit.EventBreakGlass {
			t.Fatalf("entries %+v", es)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func readsLogged(t *testing.T, db *store.DB, candidateID string) int {
	t.Helper()
	es, err := db.FindAuditEntries(context.Background(), store.AuditFilter{CandidateID: candidateID, Event: audit.EventRead})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}
