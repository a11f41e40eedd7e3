package store

import (
	"context"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
)

// decision is the access policy's answer, where a file opened with a
// stated reason a moment ago counts as opened with that reason: the other
// pages of the file follow that opening, which is logged each time.
func (db *DB) decision(ctx context.Context, a *opstap.Actor, s access.Subject, cat opstap.Category, act opstap.Action, reason string) access.Decision {
	d := access.Decide(a, s, cat, act, reason)
	if d.NeedsReason && strings.TrimSpace(reason) == "" && db.recentlyOpened(ctx, a, s.CandidateID) {
		d = access.Decide(a, s, cat, act, reasonOnRecord)
	}
	return d
}

// ReadDecisions says for each of cats whether the actor may read it of the
// candidate, decided as the pages that show it decide, so that tabs link
// only what opens. It reads no data of the candidate, so nothing is logged.
func (db *DB) ReadDecisions(ctx context.Context, a *opstap.Actor, id string, cats ...opstap.Category) (map[opstap.Category]access.Decision, error) {
	out := make(map[opstap.Category]access.Decision, len(cats))
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, id)
		if err != nil {
			return err
		}
		for _, c := range cats {
			out[c] = db.decision(ctx, a, s, c, opstap.Read, "")
		}
		return nil
	})
	return out, err
}
