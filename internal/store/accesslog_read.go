package store

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
)

// Who accessed a candidate's data: the candidate's own view of the audit
// log, also part of the access request's export.

// accessLog reads the log of a candidate's data, newest first, joined to
// the actors' names and organisations; entries by exceptUser (the
// candidate's own account) are left out when set. It reads up to limit
// entries before seq before (0: from the newest; limit < 0: all).
func (tx *Tx) accessLog(ctx context.Context, id, exceptUser string, before int64, limit int) ([]AccessLogEntry, error) {
	q := `SELECT l.seq, l.at, COALESCE(l.actor_user_id, ''), COALESCE(u.name, ''), l.actor_role, COALESCE(o.name, ''), l.event, l.category, l.action, l.purpose, l.outcome
		FROM audit_log l LEFT JOIN users u ON u.id = l.actor_user_id LEFT JOIN organisations o ON o.id = l.actor_org_id
		WHERE l.candidate_id = ?`
	args := []any{id}
	if exceptUser != "" {
		q += ` AND l.actor_user_id <> ?`
		args = append(args, exceptUser)
	}
	if before > 0 {
		q += ` AND l.seq < ?`
		args = append(args, before)
	}
	q += ` ORDER BY l.seq DESC`
	if limit >= 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	out := []AccessLogEntry{}
	err := tx.eachRow(ctx, q, args, func(rows scanner) error {
		var e AccessLogEntry
		err := rows.Scan(&e.Seq, scanTime(&e.At), &e.Actor, &e.ActorName, &e.Role, &e.Organisation, &e.Event, &e.Category, &e.Action, &e.Purpose, &e.Outcome)
		out = append(out, e)
		return err
	})
	return out, err
}

// AccessLogPage is one page of the transparency view.
type AccessLogPage struct {
	Entries []AccessLogEntry `json:"entries"`
	// Next is the Before of the next (older) page; 0 when there is none.
	Next int64 `json:"next,omitempty"`
}

// AccessLogPageSize is the number of log lines a transparency page shows
// (grouped per day and person, a page is a few screens).
const AccessLogPageSize = 200

// AccessLog shows the candidate who read or changed their data, when and
// for which purpose, by role and organisation, newest first [002 art 7.1;
// DOMAIN.md §4 "Logging"; issue 4 point 7]. Their own use of the portal is
// left out, and so are the staff members' names. Pass the previous page's
// Next as before. The privacy officer sees the same view (with names) for
// any candidate.
func (db *DB) AccessLog(ctx context.Context, a *opstap.Actor, candidateID string, before int64) (*AccessLogPage, error) {
	p := &AccessLogPage{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := decideRights(a, s, access.RightsRead)
		if err != nil {
			return err
		}
		self := d.Relation == access.RelationSelf
		except := ""
		if self {
			except = s.CandidateUserID
		}
		if p.Entries, err = tx.accessLog(ctx, candidateID, except, before, AccessLogPageSize+1); err != nil {
			return err
		}
		if len(p.Entries) > AccessLogPageSize {
			p.Entries = p.Entries[:AccessLogPageSize]
			p.Next = p.Entries[AccessLogPageSize-1].Seq
		}
		for i := range p.Entries {
			if self {
				p.Entries[i].ActorName = ""
			}
		}
		e := candidateEntry(a, d, candidateID, opstap.CatBasic, opstap.Read, PurposeRights)
		e.Detail = "read access log"
		return tx.Audit(ctx, e)
	})
	return p, err
}
