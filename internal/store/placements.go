package store

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/matching"
	"github.com/opstap/opstap/internal/trajectory"
)

// Placements (issue 5 points 5 and 6; DOMAIN.md §5, seed 003 art 4, art 5
// lid 4 and 6). The rules are in internal/flex (placement.go); this file
// gathers their facts, stores what they allow, checks every read of a
// candidate's data with the access policy and logs it.

// PurposePlacement is recorded with every read and write for realising a
// placement [003 art 7.7 lid 2].
const PurposePlacement = "placement"

// NoticePlacementUpdate tells a party that a placement asks for their answer
// or changed; the text is neutral.
const NoticePlacementUpdate = "placement_update"

var errNoPlacement = opstap.Errorf(opstap.ENOTFOUND, "no such placement")

// liveStatuses are the statuses in which a placement occupies the candidate
// and a place of the assignment (flex.PlacementStatus.Live).
var liveStatuses = []any{string(flex.PlacementProposed), string(flex.PlacementAcceptedByCandidate),
	string(flex.PlacementAcceptedByEmployer), string(flex.PlacementAccepted), string(flex.PlacementConfirmed)}

const liveIn = `(?, ?, ?, ?, ?)`

func init() {
	busyIntervals = func(ctx context.Context, tx *Tx, candidateID string) ([]matching.Interval, error) {
		return tx.busyIntervals(ctx, candidateID)
	}
}

// busyIntervals are the candidate's live placements, the matching engine's
// "already placed" input.
func (tx *Tx) busyIntervals(ctx context.Context, candidateID string) ([]matching.Interval, error) {
	var out []matching.Interval
	err := tx.eachRow(ctx, `SELECT first_day, last_day, days, hours_per_week FROM placements WHERE candidate_id = ? AND status IN `+liveIn+` ORDER BY first_day, id`,
		append([]any{candidateID}, liveStatuses...), func(s scanner) error {
			var iv matching.Interval
			err := s.Scan(&iv.First, &iv.Last, &iv.Days, &iv.HoursPerWeek)
			out = append(out, iv)
			return err
		})
	return out, err
}

// BusyIntervals returns the live placements of each candidate, for callers
// that build matching input themselves.
func (db *DB) BusyIntervals(ctx context.Context, candidateIDs []string) (map[string][]matching.Interval, error) {
	out := map[string][]matching.Interval{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		for _, id := range candidateIDs {
			ivs, err := tx.busyIntervals(ctx, id)
			if err != nil {
				return err
			}
			out[id] = ivs
		}
		return nil
	})
	return out, err
}

// placementEmployers returns the client employers where the candidate has a
// live placement, proposed or confirmed: the access policy's
// Subject.EmployerOrgIDs. A proposal counts, since the employer needs the
// candidate's name and work-relevant limitations to decide on it [003 art
// 7.7 lid 2: "voor zover dit noodzakelijk is om een plaatsing te kunnen
// realiseren"]; a proposal requires that the candidate and the coach made
// the profile visible to employers.
func (tx *Tx) placementEmployers(ctx context.Context, candidateID string) ([]string, error) {
	var out []string
	err := tx.eachRow(ctx, `SELECT DISTINCT a.employer_org_id FROM placements p JOIN assignments a ON a.id = p.assignment_id
		WHERE p.candidate_id = ? AND p.status IN `+liveIn+` ORDER BY a.employer_org_id`, append([]any{candidateID}, liveStatuses...), func(s scanner) error {
		var id string
		err := s.Scan(&id)
		out = append(out, id)
		return err
	})
	return out, err
}

// placementSubject is candidateSubject with the employers of the
// candidate's placements, so that the policy lets an employer read exactly
// what a placement needs.
func (tx *Tx) placementSubject(ctx context.Context, candidateID string) (*candidate.Candidate, access.Subject, error) {
	c, s, err := tx.candidateSubject(ctx, candidateID)
	if err != nil {
		return nil, s, err
	}
	s.EmployerOrgIDs, err = tx.placementEmployers(ctx, candidateID)
	return c, s, err
}

const placementColumns = `p.id, p.assignment_id, a.title, a.employer_org_id, o.name, a.municipality_cbs, p.candidate_id, p.status, p.first_day, p.last_day,
	p.hours_per_week, p.days, p.proposed_by, p.proposed_at, p.candidate_answered_at, p.employer_answered_at, p.confirmed_by, p.confirmed_at,
	p.end_outcome, p.ended_on, p.contract_kind, p.outflow_hours, (SELECT COUNT(*) FROM placement_documents d WHERE d.placement_id = p.id)`

const placementFrom = ` FROM placements p JOIN assignments a ON a.id = p.assignment_id JOIN organisations o ON o.id = a.employer_org_id `

func scanPlacement(s scanner) (*flex.Placement, error) {
	p := &flex.Placement{Hours: []flex.HoursPeriod{}, Extensions: []flex.Extension{}}
	var days uint8
	var outcome, contract string
	var outflow, docs int
	var endedOn opstap.Date
	err := s.Scan(&p.ID, &p.AssignmentID, &p.AssignmentTitle, &p.EmployerID, &p.EmployerName, &p.Municipality, &p.CandidateID, &p.Status,
		&p.FirstDay, &p.LastDay, &p.HoursPerWeek, &days, &p.ProposedBy, scanTime(&p.ProposedAt), scanNullTime(&p.CandidateAnswer),
		scanNullTime(&p.EmployerAnswer), &p.ConfirmedBy, scanNullTime(&p.ConfirmedAt), &outcome, &endedOn, &contract, &outflow, &docs)
	p.Days, p.HasConfirmations = flex.DayList(days), docs > 0
	if outcome != "" {
		p.End = &flex.PlacementEnd{Outcome: flex.Outcome(outcome), On: endedOn, ContractKind: trajectory.ContractKind(contract), HoursPerWeek: outflow}
	}
	return p, err
}

// placements loads placements with their hours history and extensions; the
// sealed texts stay closed.
func (tx *Tx) placements(ctx context.Context, where string, args ...any) ([]*flex.Placement, error) {
	var out []*flex.Placement
	byID := map[string]*flex.Placement{}
	err := tx.eachRow(ctx, `SELECT `+placementColumns+placementFrom+`WHERE `+where+` ORDER BY p.first_day, p.proposed_at, p.id`, args, func(s scanner) error {
		p, err := scanPlacement(s)
		out, byID[p.ID] = append(out, p), p
		return err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	err = tx.eachRow(ctx, `SELECT h.placement_id, h.effective_on, h.hours_per_week, h.recorded_by, h.recorded_at FROM placement_hours h
		JOIN placements p ON p.id = h.placement_id JOIN assignments a ON a.id = p.assignment_id JOIN organisations o ON o.id = a.employer_org_id
		WHERE `+where+` ORDER BY h.effective_on, h.recorded_at`, args, func(s scanner) error {
		var id string
		var h flex.HoursPeriod
		err := s.Scan(&id, &h.From, &h.HoursPerWeek, &h.RecordedBy, scanTime(&h.RecordedAt))
		if p := byID[id]; p != nil {
			p.Hours = append(p.Hours, h)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	err = tx.eachRow(ctx, `SELECT e.placement_id, e.id, e.until_day, e.approved_by, e.approved_at FROM placement_extensions e
		JOIN placements p ON p.id = e.placement_id JOIN assignments a ON a.id = p.assignment_id JOIN organisations o ON o.id = a.employer_org_id
		WHERE `+where+` ORDER BY e.approved_at, e.id`, args, func(s scanner) error {
		var id string
		var e flex.Extension
		err := s.Scan(&id, &e.ID, &e.Until, &e.ApprovedBy, scanTime(&e.ApprovedAt))
		if p := byID[id]; p != nil {
			p.Extensions = append(p.Extensions, e)
		}
		return err
	})
	for _, p := range out {
		p.MaxLastDay = flex.MaxLastDay(p.FirstDay, flex.PeakHours(p.Hours, p.HoursPerWeek))
	}
	return out, err
}

func (tx *Tx) placement(ctx context.Context, id string) (*flex.Placement, error) {
	ps, err := tx.placements(ctx, `p.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, errNoPlacement
	}
	return ps[0], nil
}

// municipalityPlacement loads a placement for a write by the municipality:
// only a case manager of the assignment's municipality decides on
// placements [003 art 5 lid 5, 7; art 4 lid 2]. The policy is asked for a
// write on the candidate's preferences, where the flex profile lives.
func (tx *Tx) municipalityPlacement(ctx context.Context, a *opstap.Actor, id string) (*flex.Placement, access.Decision, error) {
	p, err := tx.placement(ctx, id)
	if err != nil {
		return nil, access.Decision{}, err
	}
	d, err := tx.municipalityDecision(ctx, a, p.Municipality, p.CandidateID)
	return p, d, err
}

func (tx *Tx) requireMunicipality(ctx context.Context, a *opstap.Actor, cbs string) error {
	r, err := tx.flexRoleOf(ctx, a)
	if err != nil {
		return err
	}
	if !r.CaseManagerOf(cbs) {
		return opstap.Errorf(opstap.EFORBIDDEN, "only the municipality's case manager decides on placements")
	}
	return nil
}

func (tx *Tx) municipalityDecision(ctx context.Context, a *opstap.Actor, cbs, candidateID string) (access.Decision, error) {
	if err := tx.requireMunicipality(ctx, a, cbs); err != nil {
		return access.Decision{}, err
	}
	_, s, err := tx.candidateSubject(ctx, candidateID)
	if err != nil {
		return access.Decision{}, err
	}
	return tx.db.decide(ctx, a, s, opstap.CatPreferences, opstap.Write, PurposePlacement, "")
}

// proposalFacts gathers what flex.CheckProposal needs; exclude is a
// placement not to count against itself (at confirmation).
func (tx *Tx) proposalFacts(ctx context.Context, as *flex.Assignment, candidateID, exclude string) (flex.ProposalFacts, error) {
	f := flex.ProposalFacts{Assignment: as}
	prof, ok, err := tx.loadProfile(ctx, candidateID)
	if err != nil {
		return f, err
	}
	f.CandidateMunicipality = prof.Municipality
	f.Matchable, f.Visible = ok && prof.Matchable, ok && prof.Visible()
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM placements WHERE assignment_id = ? AND id <> ? AND status IN `+liveIn,
		append([]any{as.ID, exclude}, liveStatuses...)...).Scan(&f.Live); err != nil {
		return f, err
	}
	others, err := tx.placements(ctx, `p.candidate_id = ? AND p.id <> ? AND p.status IN `+liveIn, append([]any{candidateID, exclude}, liveStatuses...)...)
	for _, o := range others {
		f.Busy = append(f.Busy, o.Span())
	}
	return f, err
}

// ProposePlacement is the case manager proposing a candidate for an
// assignment. Every rule of flex.CheckProposal applies; the candidate and
// the employer's users are asked [003 art 5 lid 4].
func (db *DB) ProposePlacement(ctx context.Context, a *opstap.Actor, assignmentID string, in flex.Proposal) (*flex.Placement, error) {
	var out *flex.Placement
	err := db.WithTx(ctx, func(tx *Tx) error {
		as, err := tx.assignment(ctx, assignmentID)
		if err != nil {
			return err
		}
		if err := tx.requireMunicipality(ctx, a, as.Municipality); err != nil {
			return err
		}
		f, err := tx.proposalFacts(ctx, as, in.CandidateID, "")
		if err != nil {
			return err
		}
		// The other municipality's candidate is refused naming the rule,
		// before the policy would refuse the read [003 art 5 lid 5, 7].
		if err := flex.SameMunicipality(f.CandidateMunicipality, as.Municipality); err != nil {
			return err
		}
		d, err := tx.municipalityDecision(ctx, a, as.Municipality, in.CandidateID)
		if err != nil {
			return err
		}
		in.Defaults(as)
		if err := flex.CheckProposal(&in, f); err != nil {
			return err
		}
		id := newID()
		if _, err := tx.exec(ctx, `INSERT INTO placements (id, assignment_id, candidate_id, status, first_day, last_day, hours_per_week, days, proposed_by,
			proposed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, as.ID, in.CandidateID, string(flex.PlacementProposed), in.FirstDay,
			in.LastDay, in.HoursPerWeek, in.Span().Days, a.UserID, tx.Now(), tx.Now()); err != nil {
			return err
		}
		if err := tx.addHours(ctx, a, id, flex.HoursPeriod{From: in.FirstDay, HoursPerWeek: in.HoursPerWeek}); err != nil {
			return err
		}
		if out, err = tx.placement(ctx, id); err != nil {
			return err
		}
		if err := tx.notifyParties(ctx, out, HappenedPlacementProposed, "/portal/placements", "/employer/placements/"+id); err != nil {
			return err
		}
		return tx.Audit(ctx, placementEntry(a, d, out, opstap.Write, "proposed"))
	})
	if err == nil {
		db.reindexCandidate(ctx, in.CandidateID)
	}
	return out, err
}

func placementEntry(a *opstap.Actor, d access.Decision, p *flex.Placement, act opstap.Action, what string) audit.Entry {
	e := candidateEntry(a, d, p.CandidateID, opstap.CatPreferences, act, PurposePlacement)
	e.Detail = "placement " + p.ID + ": " + what
	return e
}

func (tx *Tx) addHours(ctx context.Context, a *opstap.Actor, id string, h flex.HoursPeriod) error {
	_, err := tx.exec(ctx, `INSERT INTO placement_hours (id, placement_id, effective_on, hours_per_week, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)`,
		newID(), id, h.From, h.HoursPerWeek, a.UserID, tx.Now())
	return err
}

// notifyParties tells the candidate's portal account and the employer's
// users; an empty link skips that party.
func (tx *Tx) notifyParties(ctx context.Context, p *flex.Placement, event, candidateLink, employerLink string) error {
	var users []string
	if candidateLink != "" {
		var u string
		if err := tx.queryRow(ctx, `SELECT COALESCE(user_id, '') FROM candidates WHERE id = ?`, p.CandidateID).Scan(&u); err != nil {
			return err
		}
		if u != "" {
			if err := tx.NotifyEvent(ctx, u, NoticePlacementUpdate, event, candidateLink); err != nil {
				return err
			}
		}
	}
	if employerLink == "" {
		return nil
	}
	err := tx.eachRow(ctx, `SELECT DISTINCT u.id FROM users u JOIN grants g ON g.user_id = u.id WHERE u.org_id = ? AND g.role = ? AND g.blocked_at IS NULL
		AND u.blocked_at IS NULL ORDER BY u.id`, []any{p.EmployerID, string(opstap.RoleEmployer)}, func(s scanner) error {
		var u string
		err := s.Scan(&u)
		users = append(users, u)
		return err
	})
	if err != nil {
		return err
	}
	for _, u := range users {
		if err := tx.NotifyEvent(ctx, u, NoticePlacementUpdate, event, employerLink); err != nil {
			return err
		}
	}
	return nil
}

// AnswerPlacement records the candidate's or the employer's answer to a
// proposal; who answers follows from the actor: the candidate themself in
// the portal, or a user of the assignment's employer. The case manager who
// proposed is told.
func (db *DB) AnswerPlacement(ctx context.Context, a *opstap.Actor, id string, accept bool) (*flex.Placement, error) {
	var out *flex.Placement
	err := db.WithTx(ctx, func(tx *Tx) error {
		p, err := tx.placement(ctx, id)
		if err != nil {
			return err
		}
		party, e, err := tx.answeringParty(ctx, a, p)
		if err != nil {
			return err
		}
		to, err := p.Status.Answer(party, accept)
		if err != nil {
			return err
		}
		col := `candidate_answered_at = ?`
		args := []any{string(to), tx.Now()}
		if party == flex.PartyEmployer {
			col, args = `employer_answered_at = ?, employer_answered_by = ?`, append(args, a.UserID)
		}
		if _, err := tx.exec(ctx, `UPDATE placements SET status = ?, `+col+`, updated_at = ? WHERE id = ?`, append(args, tx.Now(), id)...); err != nil {
			return err
		}
		event := HappenedPlacementDeclined
		if accept {
			event = HappenedPlacementAccepted
		}
		if err := tx.NotifyEvent(ctx, p.ProposedBy, NoticePlacementUpdate, event, "/placements/"+id); err != nil {
			return err
		}
		e.Detail = "placement " + id + ": " + string(party) + " " + map[bool]string{true: "accepted", false: "declined"}[accept]
		if err := tx.Audit(ctx, e); err != nil {
			return err
		}
		out, err = tx.placement(ctx, id)
		return err
	})
	if err == nil && !accept {
		db.reindexCandidate(ctx, out.CandidateID)
	}
	return out, err
}

// answeringParty decides who answers: the candidate (a write on their own
// preferences, which the policy allows) or the employer (a read of basic
// data, which the policy allows for the employer of a live placement).
func (tx *Tx) answeringParty(ctx context.Context, a *opstap.Actor, p *flex.Placement) (flex.Party, audit.Entry, error) {
	_, s, err := tx.placementSubject(ctx, p.CandidateID)
	if err != nil {
		return "", audit.Entry{}, err
	}
	if a != nil && a.UserID != "" && a.UserID == s.CandidateUserID {
		d, err := tx.db.decide(ctx, a, s, opstap.CatPreferences, opstap.Write, PurposeSelf, "")
		return flex.PartyCandidate, candidateEntry(a, d, p.CandidateID, opstap.CatPreferences, opstap.Write, PurposeSelf), err
	}
	r, err := tx.flexRoleOf(ctx, a)
	if err != nil {
		return "", audit.Entry{}, err
	}
	if !r.UserOf(p.EmployerID) || !a.Has(opstap.RoleEmployer, opstap.Write) {
		return "", audit.Entry{}, errNoPlacement
	}
	d, err := tx.db.decideView(ctx, a, s, opstap.CatBasic, opstap.Read, PurposePlacement, "") // reads nothing but the placement
	return flex.PartyEmployer, candidateEntry(a, d, p.CandidateID, opstap.CatBasic, opstap.Read, PurposePlacement), err
}
