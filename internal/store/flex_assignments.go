package store

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/vault"
)

var errNoAssignment = opstap.Errorf(opstap.ENOTFOUND, "no such assignment")

const assignmentColumns = `a.id, a.employer_org_id, o.name, a.location_id, a.municipality_cbs, a.title, a.occupation, a.isco, a.hours_per_week, a.days,
	a.start_time, a.end_time, a.postcode4, a.start_on, a.planned_end, a.hourly_rate_cents, a.places, a.demands, a.needs_driving_licence,
	a.needs_transport, a.status`

func scanAssignment(s scanner) (*flex.Assignment, error) {
	var a flex.Assignment
	var days uint8
	var demands string
	err := s.Scan(&a.ID, &a.EmployerID, &a.EmployerName, &a.LocationID, &a.Municipality, &a.Title, &a.Occupation, &a.ISCO, &a.HoursPerWeek, &days,
		&a.StartTime, &a.EndTime, &a.Postcode4, &a.Start, &a.PlannedEnd, &a.HourlyRateCents, &a.Places, &demands, &a.NeedsDrivingLicence,
		&a.NeedsTransport, &a.Status)
	a.Days, a.Demands = flex.DayList(days), splitCodes(demands)
	a.RequiredSkills, a.WishedSkills = []string{}, []string{}
	return &a, err
}

func splitCodes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// assignments loads assignments with their skills and latest checks.
func (tx *Tx) assignments(ctx context.Context, where string, args ...any) ([]*flex.Assignment, error) {
	var out []*flex.Assignment
	byID := map[string]*flex.Assignment{}
	err := tx.eachRow(ctx, `SELECT `+assignmentColumns+` FROM assignments a JOIN organisations o ON o.id = a.employer_org_id WHERE `+where+
		` ORDER BY a.start_on, a.title, a.id`, args, func(s scanner) error {
		a, err := scanAssignment(s)
		out, byID[a.ID] = append(out, a), a
		return err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	err = tx.eachRow(ctx, `SELECT s.assignment_id, s.code, s.required FROM assignment_skills s JOIN assignments a ON a.id = s.assignment_id
		WHERE `+where+` ORDER BY s.code`, args, func(s scanner) error {
		var id, code string
		var req bool
		if err := s.Scan(&id, &code, &req); err != nil {
			return err
		}
		if a := byID[id]; a != nil && req {
			a.RequiredSkills = append(a.RequiredSkills, code)
		} else if a != nil {
			a.WishedSkills = append(a.WishedSkills, code)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, tx.latestChecks(ctx, byID, where, args)
}

// latestChecks attaches each assignment's latest displacement check: a new
// check replaces the earlier outcome.
func (tx *Tx) latestChecks(ctx context.Context, byID map[string]*flex.Assignment, where string, args []any) error {
	return tx.eachRow(ctx, `SELECT d.assignment_id, d.id, d.checked_on, d.checked_by, d.positive, d.motivation, d.created_at
		FROM displacement_checks d JOIN assignments a ON a.id = d.assignment_id WHERE `+where+` ORDER BY d.created_at, d.id`, args, func(s scanner) error {
		var id string
		var c flex.DisplacementCheck
		if err := s.Scan(&id, &c.ID, &c.CheckedOn, &c.CheckedBy, &c.Positive, &c.Motivation, scanTime(&c.RecordedAt)); err != nil {
			return err
		}
		if a := byID[id]; a != nil {
			a.Check = &c
		}
		return nil
	})
}

func (tx *Tx) assignment(ctx context.Context, id string) (*flex.Assignment, error) {
	as, err := tx.assignments(ctx, `a.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, errNoAssignment
	}
	return as[0], nil
}

// AssignmentActs decides what the actor may do with as (access.FlexRole's
// AssignmentActs), an assignment the actor has read, or a new one (no ID)
// of the municipality as.Municipality; it gathers the role and the
// assignment's employer.
func (db *DB) AssignmentActs(ctx context.Context, a *opstap.Actor, as *flex.Assignment) (access.AssignmentActs, error) {
	var out access.AssignmentActs
	err := db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		var e *flex.Employer
		if as.ID != "" {
			if e, err = tx.employer(ctx, as.EmployerID); err != nil {
				return err
			}
		}
		out = r.AssignmentActs(as, e)
		return nil
	})
	return out, err
}

// CreateAssignment registers a flex assignment as a draft. The
// municipality defaults to the case manager's own; the hourly rate to the
// municipality's [003 art 5 lid 8].
func (db *DB) CreateAssignment(ctx context.Context, a *opstap.Actor, in flex.Assignment) (*flex.Assignment, error) {
	var out *flex.Assignment
	err := db.WithTx(ctx, func(tx *Tx) error {
		in.ID, in.Status = newID(), flex.StatusDraft
		if err := tx.checkAssignment(ctx, a, &in, nil); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO assignments (id, employer_org_id, location_id, municipality_cbs, title, occupation, isco, hours_per_week,
			days, start_time, end_time, postcode4, start_on, planned_end, hourly_rate_cents, places, demands, needs_driving_licence, needs_transport,
			status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.ID, in.EmployerID, in.LocationID, in.Municipality, in.Title, in.Occupation, in.ISCO, in.HoursPerWeek, in.DaysMask(),
			in.StartTime, in.EndTime, in.Postcode4, in.Start, in.PlannedEnd, in.HourlyRateCents, in.Places, strings.Join(in.Demands, ","),
			in.NeedsDrivingLicence, in.NeedsTransport, string(in.Status), a.UserID, tx.Now(), tx.Now()); err != nil {
			return err
		}
		if err := tx.recordStatus(ctx, in.ID, in.Status); err != nil {
			return err
		}
		return tx.finishAssignment(ctx, a, &in, "created assignment ", &out)
	})
	return out, err
}

// UpdateAssignment changes an assignment's terms; its status and check stay.
func (db *DB) UpdateAssignment(ctx context.Context, a *opstap.Actor, id string, in flex.Assignment) (*flex.Assignment, error) {
	var out *flex.Assignment
	err := db.WithTx(ctx, func(tx *Tx) error {
		old, err := tx.assignment(ctx, id)
		if err != nil {
			return err
		}
		if old.Status == flex.StatusClosed {
			return opstap.Errorf(opstap.ECONFLICT, "a closed assignment cannot be changed")
		}
		in.ID, in.Status = id, old.Status
		if in.Municipality == "" {
			in.Municipality = old.Municipality
		}
		if err := tx.checkAssignment(ctx, a, &in, old); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE assignments SET employer_org_id = ?, location_id = ?, municipality_cbs = ?, title = ?, occupation = ?, isco = ?,
			hours_per_week = ?, days = ?, start_time = ?, end_time = ?, postcode4 = ?, start_on = ?, planned_end = ?, hourly_rate_cents = ?, places = ?,
			demands = ?, needs_driving_licence = ?, needs_transport = ?, updated_at = ? WHERE id = ?`,
			in.EmployerID, in.LocationID, in.Municipality, in.Title, in.Occupation, in.ISCO, in.HoursPerWeek, in.DaysMask(), in.StartTime, in.EndTime,
			in.Postcode4, in.Start, in.PlannedEnd, in.HourlyRateCents, in.Places, strings.Join(in.Demands, ","), in.NeedsDrivingLicence,
			in.NeedsTransport, tx.Now(), id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM assignment_skills WHERE assignment_id = ?`, id); err != nil {
			return err
		}
		return tx.finishAssignment(ctx, a, &in, "changed assignment ", &out)
	})
	return out, err
}

// finishAssignment stores the skills, logs the change and reloads.
func (tx *Tx) finishAssignment(ctx context.Context, a *opstap.Actor, in *flex.Assignment, what string, out **flex.Assignment) error {
	for _, sk := range []struct {
		codes    []string
		required bool
	}{{in.RequiredSkills, true}, {in.WishedSkills, false}} {
		for _, c := range sk.codes {
			if _, err := tx.exec(ctx, `INSERT INTO assignment_skills (assignment_id, code, required) VALUES (?, ?, ?) ON CONFLICT (assignment_id, code) DO NOTHING`,
				in.ID, c, sk.required); err != nil {
				return err
			}
		}
	}
	if err := tx.Audit(ctx, orgEntry(a, what+in.ID)); err != nil {
		return err
	}
	var err error
	*out, err = tx.assignment(ctx, in.ID)
	return err
}

// checkAssignment validates an assignment against who acts and the
// reference data: the employer serves the municipality, the location is
// the employer's, postcode and codes exist, and only the municipality set
// the rate. old is the stored assignment on a change, nil on a new one.
func (tx *Tx) checkAssignment(ctx context.Context, a *opstap.Actor, in, old *flex.Assignment) error {
	r, err := tx.flexRoleOf(ctx, a)
	if err != nil {
		return err
	}
	if in.Municipality == "" {
		in.Municipality = r.Municipality()
	}
	if in.Postcode4 == "" {
		_ = tx.queryRow(ctx, `SELECT postcode4 FROM employer_locations WHERE id = ?`, in.LocationID).Scan(&in.Postcode4)
	}
	if err := in.Validate(); err != nil {
		return err
	}
	e, err := tx.employer(ctx, in.EmployerID)
	if errors.Is(err, errNoEmployer) {
		return opstap.FieldError("employer_id", "unknown employer")
	} else if err != nil {
		return err
	}
	if !r.MayManageAssignment(in, e) {
		return forbidden()
	}
	if err := tx.checkRate(ctx, r, in, old); err != nil {
		return err
	}
	if !e.Serves(in.Municipality) {
		return opstap.FieldError("municipality", "the employer is not linked to this municipality")
	}
	if !hasLocation(e, in.LocationID) {
		return opstap.FieldError("location_id", "the location is not one of the employer's")
	}
	return tx.checkAssignmentRefs(ctx, in)
}

func hasLocation(e *flex.Employer, id string) bool {
	for _, l := range e.Locations {
		if l.ID == id {
			return true
		}
	}
	return false
}

func (tx *Tx) checkAssignmentRefs(ctx context.Context, in *flex.Assignment) error {
	if _, _, err := tx.postcodeLatLon(ctx, "postcode4", in.Postcode4); err != nil {
		return err
	}
	isco, err := tx.occupationISCO(ctx, "occupation", in.Occupation)
	if err != nil {
		return err
	}
	in.ISCO = isco
	if err := tx.checkCodes(ctx, "required_skills", in.RequiredSkills); err != nil {
		return err
	}
	return tx.checkCodes(ctx, "wished_skills", in.WishedSkills)
}

// checkRate applies the rule that the municipality sets the hourly rate
// [003 art 5 lid 8], also on a national account whose assignments the
// provider's staff manage: a rate of 0 keeps the assignment's rate (a new
// one takes the rate of the contract terms in force on its start), and any other rate is refused
// unless a case manager of the assignment's own municipality sets it.
func (tx *Tx) checkRate(ctx context.Context, r access.FlexRole, in, old *flex.Assignment) error {
	current := 0
	if old != nil {
		current = old.HourlyRateCents
	} else {
		day := in.Start
		if day.IsZero() {
			day = opstap.DateOf(tx.Now())
		}
		var err error
		if current, err = tx.defaultRate(ctx, in.Municipality, day); err != nil {
			return err
		}
	}
	switch {
	case in.HourlyRateCents == 0:
		in.HourlyRateCents = current
	case in.HourlyRateCents != current && !r.MaySetRate(in):
		return &opstap.Error{Code: opstap.EFORBIDDEN, Field: "hourly_rate_cents", Message: "only the municipality sets the hourly rate"}
	}
	return nil
}

// FindAssignment returns one assignment the actor may see.
func (db *DB) FindAssignment(ctx context.Context, a *opstap.Actor, id string) (*flex.Assignment, error) {
	var out *flex.Assignment
	err := db.WithTx(ctx, func(tx *Tx) error {
		as, err := tx.assignment(ctx, id)
		if err != nil {
			return err
		}
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		if !r.MaySeeAssignment(as) {
			return errNoAssignment
		}
		out = as
		return nil
	})
	return out, err
}

// AssignmentFilter narrows FindAssignments and asks for one page of it.
type AssignmentFilter struct {
	Status flex.Status
	// Query finds assignments by a piece of their title, their employer's
	// name or their occupation (none of which is sealed).
	Query string
	// Sort is SortStart (the default: by start, then title), SortNewest
	// or SortTitle.
	Paging
}

var assignmentList = list{from: `FROM assignments a`, id: "a.id", orders: map[string]listOrder{
	"":         {sql: "a.start_on, a.title, a.id"},
	SortStart:  {sql: "a.start_on, a.title, a.id"},
	SortNewest: {sql: "a.created_at DESC, a.id DESC"},
	SortTitle:  {sql: "a.title, a.id"},
}}

// FindAssignments lists one page of the assignments the actor may see.
func (db *DB) FindAssignments(ctx context.Context, a *opstap.Actor, f AssignmentFilter) ([]*flex.Assignment, Page, error) {
	if f.Status != "" && !slices.Contains(flex.Statuses, f.Status) {
		return nil, Page{}, opstap.FieldError("status", "not a valid value")
	}
	if err := checkSearch(f.Query); err != nil {
		return nil, Page{}, err
	}
	out := []*flex.Assignment{}
	var pg Page
	err := db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		where, args := "1 = 1", []any{}
		switch {
		case r.Provider():
		case r.Municipality() != "":
			where, args = "a.municipality_cbs = ?", []any{r.Municipality()}
		case r.Employer() != "":
			where, args = "a.employer_org_id = ?", []any{r.Employer()}
		default:
			return forbidden()
		}
		if f.Status != "" {
			where, args = where+" AND a.status = ?", append(args, string(f.Status))
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += ` AND (LOWER(a.title) LIKE ? ESCAPE '!' OR ` + employerNamed + `
				OR a.occupation IN (SELECT uri FROM occupations WHERE search LIKE ? ESCAPE '!') OR a.occupation IN (SELECT code FROM occupations WHERE search LIKE ? ESCAPE '!'))`
			like, occ := likeText(q), likeText(vault.Normalise(q))
			args = append(args, like, like, occ, occ)
		}
		as, p, err := loadPage(ctx, tx, assignmentList, where, args, f.Paging, func(in string, inArgs []any) ([]*flex.Assignment, error) {
			return tx.assignments(ctx, in, inArgs...)
		}, func(a *flex.Assignment) string { return a.ID })
		out, pg = append(out, as...), p
		return err
	})
	return out, pg, err
}

// RecordDisplacementCheck records the municipality's displacement check
// (verdringingstoets, DOMAIN.md §5); only a case manager of the
// assignment's municipality may. A negative check on an open assignment
// closes it: it may not be filled.
func (db *DB) RecordDisplacementCheck(ctx context.Context, a *opstap.Actor, id string, c flex.DisplacementCheck) (*flex.Assignment, error) {
	var out *flex.Assignment
	err := db.WithTx(ctx, func(tx *Tx) error {
		as, err := tx.assignment(ctx, id)
		if err != nil {
			return err
		}
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		if !r.MayCheck(as) {
			return opstap.Errorf(opstap.EFORBIDDEN, "only the municipality's case manager records the displacement check")
		}
		if err := c.Validate(opstap.DateOf(tx.Now())); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO displacement_checks (id, assignment_id, checked_on, checked_by, positive, motivation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			newID(), id, c.CheckedOn, a.UserID, c.Positive, c.Motivation, tx.Now()); err != nil {
			return err
		}
		if !c.Positive && (as.Status == flex.StatusOpen || as.Status == flex.StatusFilled) {
			if err := tx.setStatus(ctx, id, flex.StatusClosed); err != nil {
				return err
			}
		}
		if err := tx.Audit(ctx, orgEntry(a, "displacement check on assignment "+id)); err != nil {
			return err
		}
		out, err = tx.assignment(ctx, id)
		return err
	})
	return out, err
}

func (tx *Tx) setStatus(ctx context.Context, id string, s flex.Status) error {
	if _, err := tx.exec(ctx, `UPDATE assignments SET status = ?, updated_at = ? WHERE id = ?`, string(s), tx.Now(), id); err != nil {
		return err
	}
	return tx.recordStatus(ctx, id, s)
}

// SetAssignmentStatus opens, fills or closes an assignment. Opening and
// filling need a positive displacement check (flex.Transition).
func (db *DB) SetAssignmentStatus(ctx context.Context, a *opstap.Actor, id string, s flex.Status) (*flex.Assignment, error) {
	var out *flex.Assignment
	err := db.WithTx(ctx, func(tx *Tx) error {
		as, err := tx.assignment(ctx, id)
		if err != nil {
			return err
		}
		e, err := tx.employer(ctx, as.EmployerID)
		if err != nil {
			return err
		}
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		if !r.MayManageAssignment(as, e) {
			return forbidden()
		}
		if err := flex.Transition(as.Status, s, as.Check); err != nil {
			return err
		}
		if err := tx.setStatus(ctx, id, s); err != nil {
			return err
		}
		if err := tx.Audit(ctx, orgEntry(a, "assignment "+id+" "+string(s))); err != nil {
			return err
		}
		out, err = tx.assignment(ctx, id)
		return err
	})
	return out, err
}
