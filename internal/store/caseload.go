package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/trajectory"
)

// CaseloadLimit bounds the caseload on the home page; the candidate list
// has the rest.
const CaseloadLimit = 100

// CaseloadRow is one of the coach's candidates on their home page.
type CaseloadRow struct {
	Candidate  *candidate.Candidate
	Trajectory *trajectory.Trajectory // the newest, nil when none
	Contact    trajectory.Contact
}

// Caseload is a coach's daily view (issue 12 item 11): the candidates
// assigned to them with the phase of their trajectory, the next
// appointment and the last contact, and the appointments of this week.
type Caseload struct {
	Rows []CaseloadRow
	Week []trajectory.AgendaItem
	More bool // the coach has more candidates than the page shows
}

// Caseload returns the coach's caseload. Only a provider coach has one.
// Names are read as FindCandidates reads them (each read logged); the
// trajectories and appointments are read under the coach's access to the
// candidate's notes, one logged read per candidate.
func (db *DB) Caseload(ctx context.Context, a *opstap.Actor) (*Caseload, error) {
	if a.OrgKind != opstap.OrgProvider || !a.Has(opstap.RoleCoach, opstap.Read) {
		return nil, forbidden()
	}
	cs, err := db.FindCandidates(ctx, a, CandidateFilter{Coach: a.UserID, Limit: CaseloadLimit + 1})
	if err != nil {
		return nil, err
	}
	out := &Caseload{}
	if len(cs) > CaseloadLimit {
		cs, out.More = cs[:CaseloadLimit], true
	}
	now := db.Now()
	err = db.WithTx(ctx, func(tx *Tx) error {
		var entries []audit.Entry
		var items []trajectory.AgendaItem
		for _, c := range cs {
			s := subjectOf(c)
			d := access.Decide(a, s, opstap.CatNotes, opstap.Read, "")
			if !d.Allowed {
				out.Rows = append(out.Rows, CaseloadRow{Candidate: c})
				continue
			}
			row := CaseloadRow{Candidate: c}
			var err error
			if row.Trajectory, items, err = tx.caseloadTrajectory(ctx, c.ID, now, items); err != nil {
				return err
			}
			out.Rows = append(out.Rows, row)
			e := candidateEntry(a, d, c.ID, opstap.CatNotes, opstap.Read, PurposeGuidance)
			e.Detail = "caseload: trajectory phase and appointment times"
			entries = append(entries, e)
		}
		var contacts map[string]trajectory.Contact
		out.Week, contacts = trajectory.Agenda(items, now, opstap.Amsterdam)
		for i := range out.Rows {
			out.Rows[i].Contact = contacts[out.Rows[i].Candidate.ID]
		}
		if len(entries) == 0 {
			return nil
		}
		return tx.Audit(ctx, entries...)
	})
	return out, err
}

// caseloadTrajectory reads the candidate's newest trajectory and the
// appointments of the last year and ahead, adding them to items.
func (tx *Tx) caseloadTrajectory(ctx context.Context, candidateID string, now time.Time, items []trajectory.AgendaItem) (*trajectory.Trajectory, []trajectory.AgendaItem, error) {
	var t trajectory.Trajectory
	err := tx.queryRow(ctx, `SELECT id, kind, status FROM trajectories WHERE candidate_id = ? ORDER BY created_at DESC, id LIMIT 1`, candidateID).Scan(&t.ID, &t.Kind, &t.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, items, nil
	} else if err != nil {
		return nil, items, err
	}
	err = tx.trajRows(ctx, `SELECT ap.starts_at, ap.kind, CASE WHEN ab.appointment_id IS NULL THEN 0 ELSE 1 END
		FROM trajectory_appointments ap LEFT JOIN trajectory_absences ab ON ab.appointment_id = ap.id
		WHERE ap.trajectory_id = ? AND ap.starts_at >= ? ORDER BY ap.starts_at`, []any{t.ID, now.AddDate(-1, 0, 0)}, func(rows *sql.Rows) error {
		it := trajectory.AgendaItem{CandidateID: candidateID}
		var absent int
		if err := rows.Scan(scanTime(&it.At), &it.Kind, &absent); err != nil {
			return err
		}
		it.Absent = absent == 1
		items = append(items, it)
		return nil
	})
	return &t, items, err
}
