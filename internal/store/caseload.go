package store

import (
	"context"
	"sort"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/privacy"
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
	// The deadlines: absences to follow up (trajectory.FollowUps) and the
	// reports waiting for the candidate's approval, oldest first.
	FollowUps []trajectory.FollowUp
	Awaiting  []AwaitingReport
	// Requests are the open rights requests the coach filed for a
	// candidate: kind, status and due date (access.DecideRightsFollow).
	Requests []FiledRequest
}

// FiledRequest is a rights request as the coach who filed it follows it:
// never its description or answer.
type FiledRequest struct {
	CandidateID string
	Kind        privacy.RightsKind
	Status      privacy.RightsStatus
	ReceivedOn  opstap.Date
	DueOn       opstap.Date
	Overdue     bool
}

// AwaitingReport is a report version submitted to the candidate and not yet
// decided: the kind and since when, not its content.
type AwaitingReport struct {
	CandidateID string
	ReportID    string
	Kind        string
	Since       time.Time
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
		newest, agenda, err := tx.caseloadTrajectories(ctx, a.UserID, now)
		if err != nil {
			return err
		}
		awaiting, err := tx.awaitingReports(ctx, a.UserID)
		if err != nil {
			return err
		}
		filed, err := tx.filedRequests(ctx, a.UserID, opstap.DateOf(now))
		if err != nil {
			return err
		}
		var entries []audit.Entry
		var items []trajectory.AgendaItem
		for _, c := range cs {
			row := CaseloadRow{Candidate: c}
			d := access.Decide(a, subjectOf(c), opstap.CatNotes, opstap.Read, "")
			if d.Allowed {
				row.Trajectory = newest[c.ID]
				items = append(items, agenda[c.ID]...)
				e := candidateEntry(a, d, c.ID, opstap.CatNotes, opstap.Read, PurposeGuidance)
				e.Detail = "caseload: trajectory phase and appointment times"
				entries = append(entries, e)
			}
			if fs := filed[c.ID]; len(fs) > 0 && access.DecideRightsFollow(a, subjectOf(c), a.UserID).Allowed {
				out.Requests = append(out.Requests, fs...)
			}
			if rs := awaiting[c.ID]; len(rs) > 0 {
				if d := access.Decide(a, subjectOf(c), opstap.CatReports, opstap.Read, ""); d.Allowed {
					out.Awaiting = append(out.Awaiting, rs...)
					e := candidateEntry(a, d, c.ID, opstap.CatReports, opstap.Read, PurposeGuidance)
					e.Detail = "caseload: kind and date of reports awaiting approval"
					entries = append(entries, e)
				}
			}
			out.Rows = append(out.Rows, row)
		}
		var contacts map[string]trajectory.Contact
		out.Week, contacts = trajectory.Agenda(items, now, opstap.Amsterdam)
		out.FollowUps = trajectory.FollowUps(items, now)
		sort.SliceStable(out.Awaiting, func(i, j int) bool { return out.Awaiting[i].Since.Before(out.Awaiting[j].Since) })
		sort.SliceStable(out.Requests, func(i, j int) bool { return out.Requests[i].DueOn.Before(out.Requests[j].DueOn) })
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

// caseloadTrajectories reads, in two queries for the whole caseload, the
// newest trajectory of each candidate the coach guides and that
// trajectory's appointments of the last year and ahead.
func (tx *Tx) caseloadTrajectories(ctx context.Context, coach string, now time.Time) (map[string]*trajectory.Trajectory, map[string][]trajectory.AgendaItem, error) {
	newest := map[string]*trajectory.Trajectory{}
	err := tx.eachRow(ctx, `SELECT t.candidate_id, t.id, t.kind, t.status FROM trajectories t JOIN candidates c ON c.id = t.candidate_id
		WHERE c.coach_user_id = ? ORDER BY t.created_at DESC, t.id`, []any{coach}, func(rows scanner) error {
		var t trajectory.Trajectory
		if err := rows.Scan(&t.CandidateID, &t.ID, &t.Kind, &t.Status); err != nil {
			return err
		}
		if newest[t.CandidateID] == nil {
			newest[t.CandidateID] = &t
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	agenda := map[string][]trajectory.AgendaItem{}
	err = tx.eachRow(ctx, `SELECT t.candidate_id, t.id, ap.starts_at, ap.kind, CASE WHEN ab.appointment_id IS NULL THEN 0 ELSE 1 END,
		CASE WHEN ab.late OR NOT ab.by_candidate THEN 1 ELSE 0 END
		FROM trajectory_appointments ap JOIN trajectories t ON t.id = ap.trajectory_id JOIN candidates c ON c.id = t.candidate_id
		LEFT JOIN trajectory_absences ab ON ab.appointment_id = ap.id
		WHERE c.coach_user_id = ? AND ap.starts_at >= ? ORDER BY ap.starts_at`, []any{coach, now.AddDate(-1, 0, 0)}, func(rows scanner) error {
		var it trajectory.AgendaItem
		var tid string
		var absent, unexcused int
		if err := rows.Scan(&it.CandidateID, &tid, scanTime(&it.At), &it.Kind, &absent, &unexcused); err != nil {
			return err
		}
		if t := newest[it.CandidateID]; t != nil && t.ID == tid {
			it.Absent, it.Unexcused = absent == 1, absent == 1 && unexcused == 1
			agenda[it.CandidateID] = append(agenda[it.CandidateID], it)
		}
		return nil
	})
	return newest, agenda, err
}

// awaitingReports reads, per candidate the coach guides, the report
// versions submitted for approval and not yet decided.
func (tx *Tx) awaitingReports(ctx context.Context, coach string) (map[string][]AwaitingReport, error) {
	out := map[string][]AwaitingReport{}
	err := tx.eachRow(ctx, `SELECT r.candidate_id, r.id, r.kind, v.submitted_at FROM report_versions v
		JOIN reports r ON r.id = v.report_id JOIN candidates c ON c.id = r.candidate_id
		WHERE c.coach_user_id = ? AND v.status = ? ORDER BY v.submitted_at, r.id`, []any{coach, dossier.StatusSubmitted}, func(rows scanner) error {
		var w AwaitingReport
		if err := rows.Scan(&w.CandidateID, &w.ReportID, &w.Kind, scanTime(&w.Since)); err != nil {
			return err
		}
		out[w.CandidateID] = append(out[w.CandidateID], w)
		return nil
	})
	return out, err
}

// filedRequests reads the open rights requests the coach filed, per
// candidate, with privacy.RightsOverdue's verdict.
func (tx *Tx) filedRequests(ctx context.Context, coach string, today opstap.Date) (map[string][]FiledRequest, error) {
	out := map[string][]FiledRequest{}
	err := tx.eachFiled(ctx, today, `filed_by = ? AND status IN (?, ?) ORDER BY due_on, id`, []any{coach, privacy.RightsReceived, privacy.RightsInProgress}, func(f FiledRequest) {
		out[f.CandidateID] = append(out[f.CandidateID], f)
	})
	return out, err
}

// eachFiled reads the rights requests where says (a condition and its
// order) as their filer follows them.
func (tx *Tx) eachFiled(ctx context.Context, today opstap.Date, where string, args []any, fn func(FiledRequest)) error {
	return tx.eachRow(ctx, `SELECT candidate_id, kind, status, received_on, due_on FROM rights_requests WHERE `+where, args, func(rows scanner) error {
		var f FiledRequest
		if err := rows.Scan(&f.CandidateID, &f.Kind, &f.Status, &f.ReceivedOn, &f.DueOn); err != nil {
			return err
		}
		f.Overdue = privacy.RightsOverdue(f.Status, f.DueOn, today)
		fn(f)
		return nil
	})
}

// FiledRightsRequests are the rights requests the coach filed for one of
// their candidates, newest first, open and closed, as the home page's
// "Opvolgen" leads to them: kind, status and dates, never the description
// or the answer (access.DecideRightsFollow). Nobody else follows them
// here: for them, and once the candidate has another coach, the list is
// empty. Showing any is a logged read of the requests.
func (db *DB) FiledRightsRequests(ctx context.Context, a *opstap.Actor, candidateID string) ([]FiledRequest, error) {
	var out []FiledRequest
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d := access.DecideRightsFollow(a, s, a.UserID)
		if !d.Allowed {
			return nil
		}
		err = tx.eachFiled(ctx, opstap.DateOf(tx.Now()), `candidate_id = ? AND filed_by = ? ORDER BY received_on DESC, created_at DESC, id`,
			[]any{candidateID, a.UserID}, func(f FiledRequest) { out = append(out, f) })
		if err != nil || len(out) == 0 {
			return err
		}
		e := rightsEntry(a, d, candidateID, false)
		e.Detail = "requests the coach filed: kind, status and dates"
		return tx.Audit(ctx, e)
	})
	return out, err
}
