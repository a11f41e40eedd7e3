package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
)

// Anchor is a point of the audit chain recorded outside the database: the
// sequence number and hash of the head at some moment. The chain alone
// cannot show that its tail was cut and the head rewound (that needs no
// key); an anchor kept elsewhere — the job's log line, shipped to the log
// store — can, because the entry it names must still be there, unchanged.
type Anchor struct {
	Seq  int64
	Hash string
}

// String is the form the log and `opstap audit verify --anchor` use.
func (a Anchor) String() string { return strconv.FormatInt(a.Seq, 10) + ":" + a.Hash }

// ParseAnchor reads "SEQ:HASH".
func ParseAnchor(s string) (Anchor, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if !ok || err != nil || n < 1 || len(hash) != 64 {
		return Anchor{}, opstap.FieldError("anchor", "an anchor is SEQ:HASH as logged by the audit anchor job")
	}
	return Anchor{Seq: n, Hash: hash}, nil
}

// AuditHead returns the current head of the chain.
func (db *DB) AuditHead(ctx context.Context) (Anchor, error) {
	var a Anchor
	err := db.SQL.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&a.Seq, &a.Hash)
	return a, err
}

// CheckAnchor verifies that the entry an anchor names is still in the
// chain with the same hash, and that the head has not moved behind it.
func (db *DB) CheckAnchor(ctx context.Context, a Anchor) error {
	head, err := db.AuditHead(ctx)
	if err != nil {
		return err
	}
	if head.Seq < a.Seq {
		return &audit.BrokenError{Seq: head.Seq + 1, Reason: fmt.Sprintf("the chain ends at %d but entry %d was anchored: the tail was removed", head.Seq, a.Seq)}
	}
	var hash string
	err = db.SQL.QueryRowContext(ctx, db.rebind("SELECT hash FROM audit_log WHERE seq = ?"), a.Seq).Scan(&hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return &audit.BrokenError{Seq: a.Seq, Reason: "the anchored entry was removed"}
	case err != nil:
		return err
	case hash != a.Hash:
		return &audit.BrokenError{Seq: a.Seq, Reason: "the anchored entry differs from its anchor: the chain was rebuilt"}
	}
	return nil
}
