package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// Prepared statements on SQLite (issue 13 item 9). The modernc driver
// parses and plans every statement it is given anew, which took a fifth of
// the server's CPU under load; PostgreSQL's driver (pgx) keeps a statement
// cache of its own per connection. So on SQLite the store keeps the
// statements it runs prepared: a *sql.Stmt per query text, which
// database/sql prepares once per connection and a transaction borrows
// (Tx.StmtContext) when it runs on a connection that has it.
//
// A statement is prepared in the background the first time its text is
// seen, never while the caller waits: a caller inside a transaction holds
// a connection, and waiting for another one could exhaust the pool. Until
// then, and for texts the cache does not take (long ones, several
// statements, or once it is full — IN lists of varying length make new
// texts), the statement runs unprepared as before.

const (
	stmtCacheMax  = 2000 // statements kept
	stmtCacheText = 4000 // longest text kept
)

type stmtCache struct {
	mu      sync.Mutex
	m       map[string]*sql.Stmt
	pending map[string]bool
	closed  bool
	// preparing counts the background preparations, which Close waits for:
	// one still opening a connection after the database was closed would
	// recreate its files (a test's temporary directory then cannot be
	// removed).
	preparing sync.WaitGroup
}

// prepared returns the cached statement for q (rebound), or nil and starts
// preparing it.
func (db *DB) prepared(q string) *sql.Stmt {
	if db.Dialect != SQLite || len(q) > stmtCacheText || strings.Contains(q, ";") {
		return nil
	}
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	if s := c.m[q]; s != nil {
		return s
	}
	if c.pending[q] || len(c.m)+len(c.pending) >= stmtCacheMax {
		return nil
	}
	if c.m == nil {
		c.m, c.pending = map[string]*sql.Stmt{}, map[string]bool{}
	}
	c.pending[q] = true
	c.preparing.Add(1)
	go func() {
		defer c.preparing.Done()
		s, err := db.SQL.PrepareContext(context.Background(), q)
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.pending, q)
		switch {
		case err != nil:
		case c.closed:
			s.Close()
		default:
			c.m[q] = s
		}
	}()
	return nil
}

// closeStmts closes the cached statements and waits for the ones being
// prepared; none is prepared after it.
func (db *DB) closeStmts() {
	c := &db.stmts
	c.mu.Lock()
	c.closed = true
	for q, s := range c.m {
		s.Close()
		delete(c.m, q)
	}
	c.mu.Unlock()
	c.preparing.Wait()
}

// query runs a query in the transaction, prepared when cached. A prepared
// statement is one SQLite statement on the connection: running it again
// while its rows are still being read would reset them. The rows of query
// may stay open while the caller runs other statements, so a transaction
// uses the prepared form of each query text once; a second run of the same
// text in the transaction (perhaps nested in the first) is prepared apart.
func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = tx.db.rebind(q)
	if !tx.rowsOpened[q] {
		if s := tx.db.prepared(q); s != nil {
			if tx.rowsOpened == nil {
				tx.rowsOpened = map[string]bool{}
			}
			tx.rowsOpened[q] = true
			return tx.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
		}
	}
	return tx.tx.QueryContext(ctx, q, args...)
}

// queryOn runs a query (rebound) on q — the database or a transaction —
// prepared when cached.
func (db *DB) queryOn(ctx context.Context, q querier, text string, args ...any) (*sql.Rows, error) {
	text = db.rebind(text)
	if s := db.prepared(text); s != nil {
		switch q := q.(type) {
		case *sql.DB:
			return s.QueryContext(ctx, args...)
		case *sql.Tx:
			return q.StmtContext(ctx, s).QueryContext(ctx, args...)
		}
	}
	return q.QueryContext(ctx, text, args...)
}

// queryRowDB runs a one-row query outside a transaction, prepared when
// cached.
func (db *DB) queryRowDB(ctx context.Context, text string, args ...any) *sql.Row {
	text = db.rebind(text)
	if s := db.prepared(text); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return db.SQL.QueryRowContext(ctx, text, args...)
}
