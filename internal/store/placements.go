package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/matching"
	"github.com/opstap/opstap/internal/trajectory"
	"github.com/opstap/opstap/internal/vault"
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
	if r.cbs == "" || r.cbs != cbs {
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
	if r.employer == "" || r.employer != p.EmployerID || !a.Has(opstap.RoleEmployer, opstap.Write) {
		return "", audit.Entry{}, errNoPlacement
	}
	d, err := tx.db.decideView(ctx, a, s, opstap.CatBasic, opstap.Read, PurposePlacement, "") // reads nothing but the placement
	return flex.PartyEmployer, candidateEntry(a, d, p.CandidateID, opstap.CatBasic, opstap.Read, PurposePlacement), err
}

// PlacementConfirmation is what the confirmations to the candidate and the
// employer say [003 art 5 lid 4]. The employer's version holds the
// candidate's name and the work-relevant limitations they agreed to share,
// never medical data [002 art 5.1, 003 art 7.7 lid 2]; the candidate's the
// employer, address, contact and the premium [003 art 5 lid 3].
type PlacementConfirmation struct {
	Placement       *flex.Placement
	Provider        string
	Municipality    string
	CandidateName   string
	LocationName    string
	LocationAddress string
	Postcode4       string
	StartTime       string
	EndTime         string
	Contact         string // the employer's user who accepted: name and e-mail
	Limitations     []string
	PremiumCents    opstap.Cents // per worked hour, from the contract terms in force on the first day
	// Premium says whether the premium may be promised: not for hours
	// worked under 27 (Participatiewet art 31 lid 7); PremiumFrom is the
	// 27th birthday when it falls within the placement.
	Premium         billing.PremiumPromise
	PremiumFrom     opstap.Date
	HourlyRateCents int
	ConfirmedAt     time.Time
	ConfirmedByName string
}

// ConfirmationRenderer renders the employer's and the candidate's
// confirmation; internal/render provides it (the store does not render).
type ConfirmationRenderer func(c *PlacementConfirmation) (employer, candidate []byte, err error)

// ConfirmPlacement is the municipality confirming a placement both parties
// accepted. The rules are checked again (another placement may have come
// in between); the confirmations are rendered, stored sealed under the
// candidate's key and both parties are told [003 art 5 lid 4].
func (db *DB) ConfirmPlacement(ctx context.Context, a *opstap.Actor, id string, render ConfirmationRenderer) (*flex.Placement, error) {
	var out *flex.Placement
	err := db.WithTx(ctx, func(tx *Tx) error {
		p, d, err := tx.municipalityPlacement(ctx, a, id)
		if err != nil {
			return err
		}
		if err := p.Status.CheckConfirm(); err != nil {
			return err
		}
		if err := tx.recheck(ctx, p); err != nil {
			return err
		}
		now := tx.Now()
		if _, err := tx.exec(ctx, `UPDATE placements SET status = ?, confirmed_by = ?, confirmed_at = ?, updated_at = ? WHERE id = ?`,
			string(flex.PlacementConfirmed), a.UserID, now, now, id); err != nil {
			return err
		}
		if out, err = tx.placement(ctx, id); err != nil {
			return err
		}
		if err := tx.fillWhenFull(ctx, out.AssignmentID); err != nil {
			return err
		}
		if err := tx.syncPlacementFact(ctx, id); err != nil {
			return err
		}
		if err := tx.storeConfirmations(ctx, a, out, render); err != nil {
			return err
		}
		out.HasConfirmations = true
		if err := tx.notifyParties(ctx, out, HappenedPlacementConfirmed, "/portal/placements", "/employer/placements/"+id); err != nil {
			return err
		}
		return tx.Audit(ctx, placementEntry(a, d, out, opstap.Write, "confirmed"))
	})
	return out, err
}

// recheck runs the proposal rules again on a placement before it is
// confirmed.
func (tx *Tx) recheck(ctx context.Context, p *flex.Placement) error {
	as, err := tx.assignment(ctx, p.AssignmentID)
	if err != nil {
		return err
	}
	f, err := tx.proposalFacts(ctx, as, p.CandidateID, p.ID)
	if err != nil {
		return err
	}
	f.ExtendedUntil = p.ExtendedUntil()
	in := flex.Proposal{CandidateID: p.CandidateID, FirstDay: p.FirstDay, LastDay: p.LastDay, HoursPerWeek: p.HoursPerWeek, Days: p.Days}
	return flex.CheckProposal(&in, f)
}

func (tx *Tx) storeConfirmations(ctx context.Context, a *opstap.Actor, p *flex.Placement, render ConfirmationRenderer) error {
	c, err := tx.confirmation(ctx, p)
	if err != nil {
		return err
	}
	emp, cand, err := render(c)
	if err != nil {
		return err
	}
	dk, err := tx.dataKey(ctx, p.CandidateID)
	if err != nil {
		return err
	}
	for party, b := range map[flex.Party][]byte{flex.PartyEmployer: emp, flex.PartyCandidate: cand} {
		if _, err := tx.exec(ctx, `INSERT INTO placement_documents (placement_id, party, ciphertext, created_at) VALUES (?, ?, ?, ?)`,
			p.ID, string(party), dk.Seal(b, confirmationAAD(p.CandidateID, p.ID, party)), tx.Now()); err != nil {
			return err
		}
	}
	if len(c.Limitations) == 0 {
		return nil
	}
	// The shared limitations leave Opstap in the employer's confirmation.
	_, s, err := tx.candidateSubject(ctx, p.CandidateID)
	if err != nil {
		return err
	}
	d, err := tx.db.decide(ctx, a, s, opstap.CatLimitations, opstap.Read, PurposePlacement, "")
	if err != nil {
		return err
	}
	e := candidateEntry(a, d, p.CandidateID, opstap.CatLimitations, opstap.Read, PurposePlacement)
	e.Event, e.Detail = audit.EventExport, "placement "+p.ID+": confirmation to the employer"
	return tx.Audit(ctx, e)
}

func confirmationAAD(candidateID, placementID string, party flex.Party) string {
	return vault.FieldAAD(candidateID, "placement_document/"+placementID+"/"+string(party))
}

// confirmation gathers the confirmation's content.
func (tx *Tx) confirmation(ctx context.Context, p *flex.Placement) (*PlacementConfirmation, error) {
	as, err := tx.assignment(ctx, p.AssignmentID)
	if err != nil {
		return nil, err
	}
	c := &PlacementConfirmation{Placement: p, StartTime: as.StartTime, EndTime: as.EndTime,
		HourlyRateCents: as.HourlyRateCents, ConfirmedAt: tx.Now()}
	if p.ConfirmedAt != nil {
		c.ConfirmedAt = *p.ConfirmedAt
	}
	// The premium per hour is the contract's [003 art 5 lid 3, 9]: the
	// terms in force on the first day, the seed's EUR 2.00 while the
	// municipality has none.
	terms, err := tx.TermsVersions(ctx, p.Municipality)
	if err != nil {
		return nil, err
	}
	c.PremiumCents = billing.PremiumPerHourOn(terms, p.FirstDay)
	_ = tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = ? ORDER BY created_at LIMIT 1`, string(opstap.OrgProvider)).Scan(&c.Provider)
	_ = tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = ? AND cbs_code = ?`, string(opstap.OrgMunicipality), p.Municipality).Scan(&c.Municipality)
	_ = tx.queryRow(ctx, `SELECT name FROM users WHERE id = ?`, p.ConfirmedBy).Scan(&c.ConfirmedByName)
	if err := tx.queryRow(ctx, `SELECT name, address, postcode4 FROM employer_locations WHERE id = ?`, as.LocationID).Scan(&c.LocationName, &c.LocationAddress, &c.Postcode4); err != nil {
		return nil, err
	}
	var name, email string
	err = tx.queryRow(ctx, `SELECT u.name, u.email FROM placements p JOIN users u ON u.id = p.employer_answered_by WHERE p.id = ?`, p.ID).Scan(&name, &email)
	if err == nil {
		c.Contact = name + " · " + email
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	b, err := tx.candidateBasic(ctx, p.CandidateID)
	if err != nil {
		return nil, err
	}
	c.CandidateName = strings.TrimSpace(b.FirstName + " " + b.LastName) // as candidate_name, without reading twice
	c.Premium, c.PremiumFrom = billing.PromiseFor(b.BirthDate, p.FirstDay, p.LastDay)
	c.Limitations, err = tx.sharedLimitations(ctx, p.CandidateID)
	return c, err
}

func (tx *Tx) candidateName(ctx context.Context, id string) (string, error) {
	b, err := tx.candidateBasic(ctx, id)
	return strings.TrimSpace(b.FirstName + " " + b.LastName), err
}

// candidateBasic reads the basic data the confirmation needs; the caller's
// access decision and audit entry cover it (CatBasic).
func (tx *Tx) candidateBasic(ctx context.Context, id string) (candidate.Basic, error) {
	var b candidate.Basic
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return b, err
	}
	_, err = tx.getCategory(ctx, dk, id, opstap.CatBasic, &b)
	return b, err
}

// CancelPlacement withdraws a proposal that is not yet confirmed.
func (db *DB) CancelPlacement(ctx context.Context, a *opstap.Actor, id string) error {
	var cid string
	err := db.municipalityWrite(ctx, a, id, "withdrawn", func(tx *Tx, p *flex.Placement) error {
		if err := p.Status.CheckCancel(); err != nil {
			return err
		}
		cid = p.CandidateID
		return tx.setPlacementStatus(ctx, p.ID, flex.PlacementCancelled)
	})
	if err == nil {
		db.reindexCandidate(ctx, cid)
	}
	return err
}

func (tx *Tx) setPlacementStatus(ctx context.Context, id string, s flex.PlacementStatus) error {
	_, err := tx.exec(ctx, `UPDATE placements SET status = ?, updated_at = ? WHERE id = ?`, string(s), tx.Now(), id)
	return err
}

// municipalityWrite runs fn on a placement after the municipality's access
// check, and audits the write last.
func (db *DB) municipalityWrite(ctx context.Context, a *opstap.Actor, id, what string, fn func(tx *Tx, p *flex.Placement) error) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		p, d, err := tx.municipalityPlacement(ctx, a, id)
		if err != nil {
			return err
		}
		if err := fn(tx, p); err != nil {
			return err
		}
		if err := tx.syncPlacementFact(ctx, p.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, placementEntry(a, d, p, opstap.Write, what))
	})
}

// ChangePlacementHours records a change of contracted hours from a day on;
// the maximum duration is checked again with the new hours [003 art 5 lid
// 6, art 4].
func (db *DB) ChangePlacementHours(ctx context.Context, a *opstap.Actor, id string, h flex.HoursPeriod) error {
	var cid string
	err := db.municipalityWrite(ctx, a, id, "hours changed", func(tx *Tx, p *flex.Placement) error {
		if !p.Status.Live() {
			return opstap.Errorf(opstap.ECONFLICT, "the placement has ended")
		}
		if _, err := flex.CheckHoursChange(p.FirstDay, p.LastDay, p.Hours, h, p.ExtendedUntil()); err != nil {
			return err
		}
		if err := tx.addHours(ctx, a, p.ID, h); err != nil {
			return err
		}
		cid = p.CandidateID
		_, err := tx.exec(ctx, `UPDATE placements SET hours_per_week = ?, updated_at = ? WHERE id = ?`, h.HoursPerWeek, tx.Now(), p.ID)
		return err
	})
	if err == nil {
		db.reindexCandidate(ctx, cid)
	}
	return err
}

// ApproveExtension records the municipality's approval of a longer
// placement [003 art 4 lid 2]: who, when, until which day and why (sealed).
// With extendTo, the placement's last day moves to the extension's date.
func (db *DB) ApproveExtension(ctx context.Context, a *opstap.Actor, id string, e flex.Extension, extendTo bool) error {
	var cid string
	err := db.municipalityWrite(ctx, a, id, "extension approved", func(tx *Tx, p *flex.Placement) error {
		if !p.Status.Live() {
			return opstap.Errorf(opstap.ECONFLICT, "the placement has ended")
		}
		if err := e.Validate(p.FirstDay); err != nil {
			return err
		}
		sl, err := tx.sealerFor(ctx, p.CandidateID)
		if err != nil {
			return err
		}
		eid := newID()
		if _, err := tx.exec(ctx, `INSERT INTO placement_extensions (id, placement_id, until_day, motivation, approved_by, approved_at) VALUES (?, ?, ?, ?, ?, ?)`,
			eid, p.ID, e.Until, sl.seal("placement_extension/"+eid, e.Motivation), a.UserID, tx.Now()); err != nil {
			return err
		}
		cid = p.CandidateID
		if !extendTo || !e.Until.After(p.LastDay) {
			return nil
		}
		return tx.moveLastDay(ctx, p, e.Until)
	})
	if err == nil {
		db.reindexCandidate(ctx, cid)
	}
	return err
}

// moveLastDay extends a placement, unless it would then overlap another
// placement of the candidate.
func (tx *Tx) moveLastDay(ctx context.Context, p *flex.Placement, last opstap.Date) error {
	others, err := tx.placements(ctx, `p.candidate_id = ? AND p.id <> ? AND p.status IN `+liveIn, append([]any{p.CandidateID, p.ID}, liveStatuses...)...)
	if err != nil {
		return err
	}
	var spans []flex.Span
	for _, o := range others {
		spans = append(spans, o.Span())
	}
	s := p.Span()
	s.Last = last
	if err := flex.CheckNotPlaced(s, spans); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE placements SET last_day = ?, updated_at = ? WHERE id = ?`, last, tx.Now(), p.ID)
	return err
}

// EndPlacement records the end of a confirmed placement with its outcome.
// Outflow to regular work ends the candidate's open flex trajectory with
// reason regular_work, contract kind and hours, in the same transaction
// (DOMAIN.md §6 "outflow to regular work").
func (db *DB) EndPlacement(ctx context.Context, a *opstap.Actor, id string, end flex.PlacementEnd) error {
	var cid string
	err := db.municipalityWrite(ctx, a, id, "ended", func(tx *Tx, p *flex.Placement) error {
		if err := end.Validate(p.Status, p.FirstDay, p.LastDay); err != nil {
			return err
		}
		sl, err := tx.sealerFor(ctx, p.CandidateID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE placements SET status = ?, end_outcome = ?, ended_on = ?, end_reason = ?, contract_kind = ?, outflow_hours = ?,
			ended_by = ?, last_day = ?, updated_at = ? WHERE id = ?`, string(flex.PlacementEnded), string(end.Outcome), end.On,
			sl.seal("placement_end/"+p.ID, end.Reason), string(end.ContractKind), end.HoursPerWeek, a.UserID, minDate(p.LastDay, end.On), tx.Now(), p.ID); err != nil {
			return err
		}
		cid = p.CandidateID
		if end.Outcome != flex.OutcomeRegularWork {
			return nil
		}
		return tx.endFlexTrajectory(ctx, a, p.CandidateID, end.TrajectoryEnd())
	})
	if err == nil {
		db.reindexCandidate(ctx, cid)
	}
	return err
}

func minDate(a, b opstap.Date) opstap.Date {
	if b.Before(a) {
		return b
	}
	return a
}

// endFlexTrajectory ends the candidate's open flex trajectory, if any, with
// the outflow's end through the trajectory rules (trajApply). The status
// and end reason of a trajectory count as basic data, which the case
// manager may write; the write is logged.
func (tx *Tx) endFlexTrajectory(ctx context.Context, a *opstap.Actor, candidateID string, end trajectory.End) error {
	var tid string
	err := tx.queryRow(ctx, `SELECT id FROM trajectories WHERE candidate_id = ? AND kind = ? AND status <> ?`, candidateID,
		string(trajectory.KindFlex), string(trajectory.StatusEnded)).Scan(&tid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	t, s, err := tx.trajHeader(ctx, tid)
	if err != nil {
		return err
	}
	d, err := tx.db.decide(ctx, a, s, opstap.CatBasic, opstap.Write, PurposePlacement, "")
	if err != nil {
		return err
	}
	sl, err := tx.sealerFor(ctx, candidateID)
	if err != nil {
		return err
	}
	if err := tx.trajDetails(ctx, sl, t); err != nil {
		return err
	}
	if err := tx.trajApply(ctx, a, sl, &t.Trajectory, trajectory.Request{Action: trajectory.ActEnd, End: &end}); err != nil {
		return err
	}
	e := candidateEntry(a, d, candidateID, opstap.CatBasic, opstap.Write, PurposePlacement)
	e.Detail = "trajectory " + tid + ": regular_work after placement outflow"
	return tx.Audit(ctx, e)
}

// fillWhenFull marks an open assignment filled once every place has a
// confirmed placement, so it leaves the lists of open work and takes no
// more proposals.
func (tx *Tx) fillWhenFull(ctx context.Context, assignmentID string) error {
	res, err := tx.exec(ctx, `UPDATE assignments SET status = ? WHERE id = ? AND status = ?
		AND places <= (SELECT COUNT(*) FROM placements WHERE assignment_id = ? AND status = ?)`,
		string(flex.StatusFilled), assignmentID, string(flex.StatusOpen), assignmentID, string(flex.PlacementConfirmed))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return tx.recordStatus(ctx, assignmentID, flex.StatusFilled)
}
