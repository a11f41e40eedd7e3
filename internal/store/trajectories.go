package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/trajectory"
	"github.com/opstap/opstap/internal/vault"
)

// Trajectories (DOMAIN.md §2, seed 000 arts 7–11). Access: the trajectory's
// details (appointments, absences, non-compliance, talks, notes) are the
// candidate's category notes; its status and end reason count as basic, so
// a commissioner's case manager follows the status without reading notes.
// The rules themselves live in internal/trajectory: every write loads the
// trajectory, asks it, and stores the step only when it allows.

var (
	errNoTrajectory  = opstap.Errorf(opstap.ENOTFOUND, "no such trajectory")
	errNoAppointment = opstap.Errorf(opstap.ENOTFOUND, "no such appointment")
	errNoCase        = opstap.Errorf(opstap.ENOTFOUND, "no such non-compliance")
	errEnded         = opstap.Errorf(opstap.ECONFLICT, "the trajectory has ended")
)

// NewTrajectory is the request to start a trajectory for a candidate.
type NewTrajectory struct {
	Kind        trajectory.Kind `json:"kind" validate:"required,max=50"`
	CoachUserID string          `json:"coach_user_id,omitempty" validate:"max=64"` // default: the candidate's coach
}

const trajColumns = `id, candidate_id, kind, status, COALESCE(coach_user_id, ''), created_at, status_changed_at,
	suspension_ground, end_reason, contract_kind, hours_per_week, ended_on, end_note`

// trajRow is a trajectory as scanned, with its sealed end note.
type trajRow struct {
	trajectory.Trajectory
	endNote []byte
}

func scanTraj(row scanner) (*trajRow, error) {
	var r trajRow
	var reason, contract string
	var hours int
	var on opstap.Date
	err := row.Scan(&r.ID, &r.CandidateID, &r.Kind, &r.Status, &r.CoachUserID, scanTime(&r.CreatedAt), scanTime(&r.StatusChangedAt),
		&r.SuspensionGround, &reason, &contract, &hours, &on, &r.endNote)
	if reason != "" {
		r.End = &trajectory.End{Reason: trajectory.EndReason(reason), ContractKind: trajectory.ContractKind(contract), HoursPerWeek: hours, On: on}
	}
	return &r, err
}

// trajHeader loads one trajectory without its details, and its candidate's
// access facts.
func (tx *Tx) trajHeader(ctx context.Context, id string) (*trajRow, access.Subject, error) {
	t, err := scanTraj(tx.queryRow(ctx, `SELECT `+trajColumns+` FROM trajectories WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, access.Subject{}, errNoTrajectory
	} else if err != nil {
		return nil, access.Subject{}, err
	}
	_, s, err := tx.candidateSubject(ctx, t.CandidateID)
	return t, s, err
}

// sealer seals and opens a candidate's free texts, each under an AAD that
// names its row, so a sealed text cannot be moved to another row.
type sealer struct {
	dk          vault.DataKey
	candidateID string
}

func (s sealer) seal(field, plain string) []byte {
	if plain == "" {
		return nil
	}
	return s.dk.Seal([]byte(plain), vault.FieldAAD(s.candidateID, field))
}

func (s sealer) open(field string, ct []byte) (string, error) {
	if len(ct) == 0 {
		return "", nil
	}
	p, err := s.dk.Open(ct, vault.FieldAAD(s.candidateID, field))
	return string(p), err
}

func (tx *Tx) sealerFor(ctx context.Context, candidateID string) (sealer, error) {
	dk, err := tx.dataKey(ctx, candidateID)
	return sealer{dk, candidateID}, err
}

// trajList returns a candidate's trajectories, newest first; with a sealer
// (a reader of the notes) their details too.
func (tx *Tx) trajList(ctx context.Context, candidateID string, sl *sealer) ([]trajectory.Trajectory, error) {
	var rs []*trajRow
	err := tx.eachRow(ctx, `SELECT `+trajColumns+` FROM trajectories WHERE candidate_id = ? ORDER BY created_at DESC, id`, []any{candidateID}, func(rows scanner) error {
		r, err := scanTraj(rows)
		rs = append(rs, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]trajectory.Trajectory, 0, len(rs))
	for _, r := range rs {
		if sl != nil {
			if err := tx.trajDetails(ctx, *sl, r); err != nil {
				return nil, err
			}
		}
		out = append(out, r.Trajectory)
	}
	return out, nil
}

// trajDetails fills appointments, cases, unused talks and history.
func (tx *Tx) trajDetails(ctx context.Context, sl sealer, t *trajRow) error {
	t.Full = true
	var err error
	if t.EndNote, err = sl.open("trajectory_end/"+t.ID, t.endNote); err != nil {
		return err
	}
	for _, load := range []func(context.Context, sealer, *trajectory.Trajectory) error{tx.trajAppointments, tx.trajCases, tx.trajTalks, tx.trajHistory} {
		if err := load(ctx, sl, &t.Trajectory); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) trajAppointments(ctx context.Context, sl sealer, t *trajectory.Trajectory) error {
	type row struct {
		ap           trajectory.Appointment
		loc, reason  []byte
		reportedAt   *time.Time
		byCand, late sql.NullBool
	}
	var rs []row
	err := tx.eachRow(ctx, `SELECT p.id, p.starts_at, p.kind, p.location, a.reason, a.reported_at, a.by_candidate, a.late
		FROM trajectory_appointments p LEFT JOIN trajectory_absences a ON a.appointment_id = p.id
		WHERE p.trajectory_id = ? ORDER BY p.starts_at, p.id`, []any{t.ID}, func(rows scanner) error {
		var r row
		err := rows.Scan(&r.ap.ID, scanTime(&r.ap.StartsAt), &r.ap.Kind, &r.loc, &r.reason, scanNullTime(&r.reportedAt), &r.byCand, &r.late)
		rs = append(rs, r)
		return err
	})
	if err != nil {
		return err
	}
	for _, r := range rs {
		ap := r.ap
		if ap.Location, err = sl.open("appointment/"+ap.ID, r.loc); err != nil {
			return err
		}
		if r.reportedAt != nil {
			ab := &trajectory.Absence{ReportedAt: *r.reportedAt, ByCandidate: r.byCand.Bool, Late: r.late.Bool}
			if ab.Reason, err = sl.open("absence/"+ap.ID, r.reason); err != nil {
				return err
			}
			ap.Absence = ab
		}
		t.Appointments = append(t.Appointments, ap)
	}
	return nil
}

func (tx *Tx) trajCases(ctx context.Context, sl sealer, t *trajectory.Trajectory) error {
	notes := map[string][]byte{}
	err := tx.eachRow(ctx, `SELECT id, kind, note, recorded_at, measure_taken FROM trajectory_noncompliance WHERE trajectory_id = ? ORDER BY recorded_at, id`,
		[]any{t.ID}, func(rows scanner) error {
			var c trajectory.Noncompliance
			var note []byte
			err := rows.Scan(&c.ID, &c.Kind, &note, scanTime(&c.RecordedAt), &c.MeasureTaken)
			notes[c.ID] = note
			t.Cases = append(t.Cases, c)
			return err
		})
	if err != nil {
		return err
	}
	for i := range t.Cases {
		c := &t.Cases[i]
		if c.Note, err = sl.open("noncompliance/"+c.ID, notes[c.ID]); err != nil {
			return err
		}
		if err := tx.trajSteps(ctx, sl, c); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) trajSteps(ctx context.Context, sl sealer, c *trajectory.Noncompliance) error {
	var notes [][]byte
	err := tx.eachRow(ctx, `SELECT step, at, by_user_id, deadline, measure, note FROM trajectory_noncompliance_steps WHERE noncompliance_id = ? ORDER BY at`,
		[]any{c.ID}, func(rows scanner) error {
			var s trajectory.StepRecord
			var note []byte
			err := rows.Scan(&s.Step, scanTime(&s.At), &s.ByUserID, &s.Deadline, &s.Measure, &note)
			c.Steps, notes = append(c.Steps, s), append(notes, note)
			return err
		})
	for i := range c.Steps {
		if err != nil {
			break
		}
		c.Steps[i].Note, err = sl.open("noncompliance/"+c.ID+"/"+string(c.Steps[i].Step), notes[i])
	}
	return err
}

func (tx *Tx) trajTalks(ctx context.Context, sl sealer, t *trajectory.Trajectory) error {
	var notes [][]byte
	err := tx.eachRow(ctx, `SELECT id, party, discussed_on, note FROM trajectory_suspension_talks WHERE trajectory_id = ? AND used_at IS NULL ORDER BY discussed_on, id`,
		[]any{t.ID}, func(rows scanner) error {
			var k trajectory.Talk
			var note []byte
			err := rows.Scan(&k.ID, &k.Party, &k.DiscussedOn, &note)
			t.Talks, notes = append(t.Talks, k), append(notes, note)
			return err
		})
	for i := range t.Talks {
		if err != nil {
			break
		}
		t.Talks[i].Note, err = sl.open("suspension_talk/"+t.Talks[i].ID, notes[i])
	}
	return err
}

func (tx *Tx) trajHistory(ctx context.Context, sl sealer, t *trajectory.Trajectory) error {
	var ids []string
	var notes [][]byte
	err := tx.eachRow(ctx, `SELECT id, at, actor_user_id, event, from_status, to_status, detail, note FROM trajectory_events WHERE trajectory_id = ? ORDER BY at, id`,
		[]any{t.ID}, func(rows scanner) error {
			var e trajectory.Event
			var id string
			var note []byte
			err := rows.Scan(&id, scanTime(&e.At), &e.ActorUserID, &e.Event, &e.From, &e.To, &e.Detail, &note)
			t.History, ids, notes = append(t.History, e), append(ids, id), append(notes, note)
			return err
		})
	for i := range t.History {
		if err != nil {
			break
		}
		t.History[i].Note, err = sl.open("trajectory_event/"+ids[i], notes[i])
	}
	return err
}

// trajEvent adds a history row; note is sealed.
func (tx *Tx) trajEvent(ctx context.Context, a *opstap.Actor, sl sealer, t *trajectory.Trajectory, e trajectory.Event, note string) error {
	id := newID()
	_, err := tx.exec(ctx, `INSERT INTO trajectory_events (id, trajectory_id, at, actor_user_id, event, from_status, to_status, detail, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, t.ID, tx.Now(), a.UserID, e.Event, string(e.From), string(e.To), e.Detail, sl.seal("trajectory_event/"+id, note))
	return err
}

// trajAccess is how a write reaches a trajectory: through the policy
// (staff), or as the candidate themself (self).
type trajAccess int

const (
	viaPolicy trajAccess = iota
	viaSelf
)

// trajRef finds, inside a transaction, the trajectory a write is about.
type trajRef func(context.Context, *Tx) (string, error)

// byID names the trajectory itself.
func byID(id string) trajRef {
	return func(context.Context, *Tx) (string, error) { return id, nil }
}

// trajWrite runs fn on the full trajectory id after the access check, in
// one transaction, and audits the write last. A refusal by fn (a rule of
// seed 000) rolls everything back.
func (db *DB) trajWrite(ctx context.Context, a *opstap.Actor, ref trajRef, how trajAccess, detail string, fn func(tx *Tx, sl sealer, t *trajectory.Trajectory) error) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		id, err := ref(ctx, tx)
		if err != nil {
			return err
		}
		t, s, err := tx.trajHeader(ctx, id)
		if err != nil {
			return err
		}
		var d access.Decision
		purpose := PurposeGuidance
		if how == viaSelf {
			purpose = PurposeSelf
			d, err = trajSelf(a, s)
		} else {
			d, err = db.decide(ctx, a, s, opstap.CatNotes, opstap.Write, purpose, "")
		}
		if err != nil {
			return err
		}
		sl, err := tx.sealerFor(ctx, t.CandidateID)
		if err != nil {
			return err
		}
		if err := tx.trajDetails(ctx, sl, t); err != nil {
			return err
		}
		if err := fn(tx, sl, &t.Trajectory); err != nil {
			return err
		}
		e := candidateEntry(a, d, t.CandidateID, opstap.CatNotes, opstap.Write, purpose)
		e.Detail = "trajectory " + t.ID + ": " + detail
		return tx.Audit(ctx, e)
	})
}

// trajSelf applies access.DecideSelfService (the candidate's own absence
// report and ending of participation); a refusal is audited like a policy
// denial.
func trajSelf(a *opstap.Actor, s access.Subject) (access.Decision, error) {
	d := access.DecideSelfService(a, s)
	if d.Allowed {
		return d, nil
	}
	e := candidateEntry(a, d, s.CandidateID, opstap.CatNotes, opstap.Write, PurposeSelf)
	e.Outcome = audit.OutcomeDenied
	return d, &deniedError{err: d.Err(), entry: e}
}

// staffBasicWrite allows starting a trajectory and assigning its coach: the
// assigned coach, or the commissioner's case manager [003 art 5 lid 5]. The
// candidate, who may write their own basic data, may not.
func (db *DB) staffBasicWrite(ctx context.Context, a *opstap.Actor, s access.Subject) (access.Decision, error) {
	d, err := db.decide(ctx, a, s, opstap.CatBasic, opstap.Write, PurposeRegistration, "")
	if err != nil {
		return d, err
	}
	if d.Role != opstap.RoleCoach && d.Role != opstap.RoleCaseManager {
		return d, forbidden()
	}
	return d, nil
}

// CreateTrajectory starts a trajectory (status registered) for a candidate.
// A candidate has at most one open trajectory. Its coach becomes the
// candidate's coach, which the access policy follows.
func (db *DB) CreateTrajectory(ctx context.Context, a *opstap.Actor, candidateID string, in NewTrajectory) (*trajectory.Trajectory, error) {
	if !trajectory.ValidKind(in.Kind) {
		return nil, opstap.FieldError("kind", "unknown kind of trajectory")
	}
	var out *trajectory.Trajectory
	err := db.WithTx(ctx, func(tx *Tx) error {
		c, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := db.staffBasicWrite(ctx, a, s)
		if err != nil {
			return err
		}
		coach := in.CoachUserID
		if coach == "" {
			coach = c.CoachUserID
		}
		if err := tx.checkCoach(ctx, coach); err != nil {
			return err
		}
		now := tx.Now()
		t := &trajectory.Trajectory{ID: newID(), CandidateID: candidateID, Kind: in.Kind, Status: trajectory.StatusRegistered, CoachUserID: coach, CreatedAt: now, StatusChangedAt: now}
		_, err = tx.exec(ctx, `INSERT INTO trajectories (id, candidate_id, kind, status, coach_user_id, created_at, created_by, status_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, candidateID, string(t.Kind), string(t.Status), nullString(coach), now, a.UserID, now)
		if err != nil {
			return conflictField(err, "kind", "the candidate already has an open trajectory")
		}
		if err := tx.trajSetCoach(ctx, candidateID, coach); err != nil {
			return err
		}
		if err := tx.trajEvent(ctx, a, sealer{}, t, trajectory.Event{Event: trajectory.EventCreated, To: t.Status, Detail: string(t.Kind)}, ""); err != nil {
			return err
		}
		out = t
		e := candidateEntry(a, d, candidateID, opstap.CatBasic, opstap.Write, PurposeRegistration)
		e.Detail = "trajectory " + t.ID + ": created"
		return tx.Audit(ctx, e)
	})
	return out, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (tx *Tx) trajSetCoach(ctx context.Context, candidateID, coach string) error {
	if coach == "" {
		return nil
	}
	_, err := tx.exec(ctx, `UPDATE candidates SET coach_user_id = ? WHERE id = ?`, coach, candidateID)
	return err
}

// CandidateTrajectories returns a candidate's trajectories. Readers of the
// notes get everything; others the policy lets read basic data (the
// commissioner's case manager) get status and end reason only. The read is
// logged under the category that was used.
func (db *DB) CandidateTrajectories(ctx context.Context, a *opstap.Actor, candidateID, purpose, reason string) ([]trajectory.Trajectory, error) {
	var out []trajectory.Trajectory
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		out, err = db.trajRead(ctx, tx, a, s, purpose, reason)
		return err
	})
	return out, err
}

func (db *DB) trajRead(ctx context.Context, tx *Tx, a *opstap.Actor, s access.Subject, purpose, reason string) ([]trajectory.Trajectory, error) {
	cat := opstap.CatNotes
	if !access.Decide(a, s, cat, opstap.Read, reason).Allowed {
		cat = opstap.CatBasic
	}
	d, err := db.decide(ctx, a, s, cat, opstap.Read, purpose, reason)
	if err != nil {
		return nil, err
	}
	var sl *sealer
	if cat == opstap.CatNotes {
		x, err := tx.sealerFor(ctx, s.CandidateID)
		if err != nil {
			return nil, err
		}
		sl = &x
	}
	ts, err := tx.trajList(ctx, s.CandidateID, sl)
	if err != nil {
		return nil, err
	}
	return ts, tx.Audit(ctx, candidateEntry(a, d, s.CandidateID, cat, opstap.Read, purpose))
}

// PortalTrajectories returns the signed-in candidate's own trajectories and
// their candidate id.
func (db *DB) PortalTrajectories(ctx context.Context, a *opstap.Actor) (string, []trajectory.Trajectory, error) {
	var id string
	var out []trajectory.Trajectory
	err := db.WithTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT id FROM candidates WHERE user_id = ?`, a.UserID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return opstap.Errorf(opstap.ENOTFOUND, "no candidate dossier is linked to your account")
		} else if err != nil {
			return err
		}
		_, s, err := tx.candidateSubject(ctx, id)
		if err != nil {
			return err
		}
		out, err = db.trajRead(ctx, tx, a, s, PurposeSelf, "")
		return err
	})
	return id, out, err
}

// FindTrajectory returns one trajectory, read as CandidateTrajectories
// reads (details only for readers of the notes).
func (db *DB) FindTrajectory(ctx context.Context, a *opstap.Actor, id, purpose, reason string) (*trajectory.Trajectory, error) {
	var out *trajectory.Trajectory
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.trajHeader(ctx, id)
		if err != nil {
			return err
		}
		ts, err := db.trajRead(ctx, tx, a, s, purpose, reason)
		for i := range ts {
			if ts[i].ID == id {
				out = &ts[i]
			}
		}
		return err
	})
	return out, err
}
