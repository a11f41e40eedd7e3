package store

import (
	"context"
	"errors"
	"sync"

	"github.com/opstap/opstap/internal/audit"
)

// Group commit of audit entries (issue 13 item 9).
//
// Every audited read must be in the audit log before its answer is sent.
// Appending each read's entry in a transaction of its own makes every read
// a write transaction that queues on the chain's head (and on SQLite on the
// one write lock) for the length of a commit. Instead, the entries of reads
// that arrive together are appended by one transaction: a request hands its
// entries to the group and waits until the transaction that holds them has
// committed — only then does it answer. While one group commits, the next
// one gathers.

// auditGroupMax bounds the entries of one group transaction.
const auditGroupMax = 5000

type auditWaiter struct {
	entries []audit.Entry
	done    chan error
}

type auditGroup struct {
	mu      sync.Mutex
	pending []*auditWaiter
	n       int  // entries pending
	running bool // a committer goroutine is at work
	// commits counts group transactions, for tests.
	commits int
	// pause, set by tests only, is called before each group transaction.
	pause func()
}

// appendGrouped appends entries through the group and returns once the
// transaction holding them has committed, or failed.
func (db *DB) appendGrouped(ctx context.Context, entries []audit.Entry) error {
	for i := range entries {
		// A bad entry must fail its own request, not the group's.
		if err := entries[i].Check(); err != nil {
			return err
		}
	}
	w := &auditWaiter{entries: entries, done: make(chan error, 1)}
	g := &db.audits
	g.mu.Lock()
	g.pending = append(g.pending, w)
	g.n += len(entries)
	if !g.running {
		g.running = true
		// The committer outlives the request that started it; its
		// transactions must not be cancelled with that request.
		go db.commitGroups(context.WithoutCancel(ctx))
	}
	g.mu.Unlock()
	// The wait is not cut short by ctx: the caller must not answer before
	// it knows whether its entries are in the log.
	return <-w.done
}

// commitGroups commits the pending entries group by group until none are
// left.
func (db *DB) commitGroups(ctx context.Context) {
	g := &db.audits
	for {
		g.mu.Lock()
		if len(g.pending) == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		var batch []*auditWaiter
		n := 0
		for len(g.pending) > 0 && (n == 0 || n+len(g.pending[0].entries) <= auditGroupMax) {
			n += len(g.pending[0].entries)
			batch = append(batch, g.pending[0])
			g.pending = g.pending[1:]
		}
		g.n -= n
		g.commits++
		pause := g.pause
		g.mu.Unlock()
		if pause != nil {
			pause()
		}

		es := make([]audit.Entry, 0, n)
		for _, w := range batch {
			es = append(es, w.entries...)
		}
		err := db.WithTx(ctx, func(tx *Tx) error { return tx.Audit(ctx, es...) })
		for _, w := range batch {
			w.done <- err
		}
	}
}

// AuditGroupCommits is the number of group transactions so far (tests).
func (db *DB) AuditGroupCommits() int {
	db.audits.mu.Lock()
	defer db.audits.mu.Unlock()
	return db.audits.commits
}

// errWriteInRead is returned by a write inside an audited read; the read
// then runs again as an ordinary write transaction.
var errWriteInRead = errors.New("store: write inside an audited read")

// auditedRead runs fn, which reads and then calls tx.Audit, in a read-only
// transaction, and appends the entries fn logged through the group commit
// before it returns: the caller answers only after they are in the log. On
// SQLite the read takes no write lock. Should fn write after all (break the
// glass records its reason), it runs again in an ordinary transaction that
// appends its entries itself. A denial is logged as WithTx logs it.
func (db *DB) auditedRead(ctx context.Context, fn func(*Tx) error) error {
	var logged []audit.Entry
	err := db.readTx(ctx, func(tx *Tx) error {
		tx.readOnly, tx.deferred = true, &logged
		return fn(tx)
	})
	if errors.Is(err, errWriteInRead) {
		return db.WithTx(ctx, fn)
	}
	if err != nil {
		var de *deniedError
		if errors.As(err, &de) {
			if aerr := db.AppendAudit(ctx, de.entry); aerr != nil {
				return aerr
			}
		}
		return err
	}
	return db.AppendAudit(ctx, logged...)
}

// deferAudit keeps a read's entries for the group commit, stamped with the
// read's time as Audit stamps them.
func (tx *Tx) deferAudit(entries []audit.Entry) {
	for _, e := range entries {
		if e.At.IsZero() {
			e.At = tx.now
		}
		*tx.deferred = append(*tx.deferred, e)
	}
}
