package flex

import (
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/trajectory"
)

// Placement rules (issue 5 point 5; DOMAIN.md §5, §6; seed 003 art 4 and
// art 5 lid 4, 6): the municipality's case manager proposes a candidate,
// the candidate and the employer are asked, the municipality confirms, and
// the placement ends with an outcome. Everything here is pure; the store
// gathers the facts and stores what these functions allow.

// PlacementStatus is where a placement stands.
type PlacementStatus string

// The statuses of a placement's life cycle.
const (
	PlacementProposed            PlacementStatus = "proposed"
	PlacementAcceptedByCandidate PlacementStatus = "accepted_by_candidate"
	PlacementAcceptedByEmployer  PlacementStatus = "accepted_by_employer"
	PlacementAccepted            PlacementStatus = "accepted" // by both, awaiting the municipality
	PlacementConfirmed           PlacementStatus = "confirmed"
	PlacementEnded               PlacementStatus = "ended"
	PlacementDeclined            PlacementStatus = "declined"
	PlacementCancelled           PlacementStatus = "cancelled"
)

// PlacementStatuses lists every status in life-cycle order.
var PlacementStatuses = []PlacementStatus{PlacementProposed, PlacementAcceptedByCandidate, PlacementAcceptedByEmployer,
	PlacementAccepted, PlacementConfirmed, PlacementEnded, PlacementDeclined, PlacementCancelled}

// Live reports whether the placement still occupies the candidate and a
// place of the assignment: proposed, accepted or confirmed.
func (s PlacementStatus) Live() bool {
	switch s {
	case PlacementEnded, PlacementDeclined, PlacementCancelled:
		return false
	}
	return true
}

// Pending reports whether the placement waits for an answer or the
// municipality's confirmation.
func (s PlacementStatus) Pending() bool { return s.Live() && s != PlacementConfirmed }

// Party is who answers a proposal.
type Party string

// The parties asked [003 art 5 lid 4].
const (
	PartyCandidate Party = "candidate"
	PartyEmployer  Party = "employer"
)

// Answer returns the status after party accepted or declined. Either
// party's "no" ends the proposal; both "yes" make it ready to confirm.
func (s PlacementStatus) Answer(p Party, accept bool) (PlacementStatus, error) {
	answered := (p == PartyCandidate && s == PlacementAcceptedByCandidate) || (p == PartyEmployer && s == PlacementAcceptedByEmployer) || s == PlacementAccepted
	switch {
	case answered:
		return "", opstap.Errorf(opstap.ECONFLICT, "you have already answered this proposal")
	case s != PlacementProposed && s != PlacementAcceptedByCandidate && s != PlacementAcceptedByEmployer:
		return "", opstap.Errorf(opstap.ECONFLICT, "this proposal can no longer be answered")
	case !accept:
		return PlacementDeclined, nil
	case s != PlacementProposed:
		return PlacementAccepted, nil
	case p == PartyCandidate:
		return PlacementAcceptedByCandidate, nil
	}
	return PlacementAcceptedByEmployer, nil
}

// CheckConfirm allows the municipality's confirmation only after both
// parties accepted [003 art 5 lid 4: confirmed to both on placement].
func (s PlacementStatus) CheckConfirm() error {
	if s != PlacementAccepted {
		return opstap.Errorf(opstap.ECONFLICT, "a placement is confirmed only after the candidate and the employer accepted it")
	}
	return nil
}

// CheckCancel allows withdrawing a proposal that is not yet confirmed.
func (s PlacementStatus) CheckCancel() error {
	if !s.Pending() {
		return opstap.Errorf(opstap.ECONFLICT, "only a proposal that is not yet confirmed can be withdrawn")
	}
	return nil
}

// FullTimeHours is the threshold of seed 003 art 5 lid 6: at 28 hours a
// week or more a placement lasts at most 3 months, below it 6.
const FullTimeHours = 28

// MaxMonths is the maximum duration in calendar months for a placement at
// hours per week [003 art 5 lid 6, art 4 lid 1].
func MaxMonths(hours int) int {
	if hours >= FullTimeHours {
		return 3
	}
	return 6
}

// MaxLastDay is the last day a placement from first at hours per week may
// run without an extension: (F + 3 or 6 months) − 1 day (DOMAIN.md §6).
func MaxLastDay(first opstap.Date, hours int) opstap.Date {
	return first.AddMonths(MaxMonths(hours)).AddDays(-1)
}

// PeakHours is the most hours per week a placement was ever contracted
// for, its current hours included: its maximum duration follows the peak,
// so lowering the hours later does not stretch a 3-month placement to 6.
func PeakHours(hs []HoursPeriod, current int) int {
	m := current
	for _, h := range hs {
		m = max(m, h.HoursPerWeek)
	}
	return m
}

// HoursPeriod is the contracted hours per week from a day on, until the
// next period starts.
type HoursPeriod struct {
	From         opstap.Date `json:"from" validate:"required"`
	HoursPerWeek int         `json:"hours_per_week" validate:"required,min=0,max=60"`
	RecordedBy   string      `json:"recorded_by,omitempty" validate:"max=64"`
	RecordedAt   time.Time   `json:"recorded_at"`
}

// Extension is the municipality's recorded approval of a longer placement
// [003 art 4 lid 2]: who approved, when, until which day and why.
type Extension struct {
	ID         string      `json:"id,omitempty" validate:"max=64"`
	Until      opstap.Date `json:"until" validate:"required"`
	Motivation string      `json:"motivation,omitempty" validate:"required,max=2000"` // empty for readers who may not read it
	ApprovedBy string      `json:"approved_by,omitempty" validate:"max=64"`           // user ID
	ApprovedAt time.Time   `json:"approved_at"`
}

// Validate checks an extension against the placement's first day.
func (e *Extension) Validate(first opstap.Date) error {
	e.Motivation = strings.TrimSpace(e.Motivation)
	switch {
	case e.Until.IsZero():
		return opstap.FieldError("until", "date is required")
	case e.Until.Before(first):
		return opstap.FieldError("until", "the extension cannot end before the placement starts")
	case len([]rune(e.Motivation)) < MinMotivation:
		return opstap.FieldError("motivation", "state the motivation of the extension in at least 20 characters")
	}
	return nil
}

// ExtendedUntil is the latest day any recorded extension allows, unset
// when there is none.
func ExtendedUntil(es []Extension) opstap.Date {
	var u opstap.Date
	for _, e := range es {
		if e.Until.After(u) {
			u = e.Until
		}
	}
	return u
}

// CheckDuration applies the maximum duration [003 art 5 lid 6, art 4] to a
// placement from first to last whose contracted hours follow periods
// (sorted by From; the first at or before first). Each day is held against
// the hours in force on it: a day at 28 hours or more must lie within
// F + 3 months − 1 day, any other within F + 6 months − 1 day. So a change
// of hours that crosses 28 re-checks the maximum: going from 24 to 32
// hours when the placement is 4 months old is refused. A recorded
// extension [003 art 4 lid 2] allows every day up to its date. field names
// the input at fault in the refusal.
func CheckDuration(field string, first, last opstap.Date, periods []HoursPeriod, extendedUntil opstap.Date) error {
	if last.Before(first) {
		return opstap.FieldError("last_day", "the last day cannot be before the first day")
	}
	for i, p := range periods {
		from, to := p.From, last
		if i+1 < len(periods) {
			to = periods[i+1].From.AddDays(-1)
		}
		if from.Before(first) {
			from = first
		}
		if to.After(last) {
			to = last
		}
		if to.Before(from) {
			continue
		}
		limit := MaxLastDay(first, p.HoursPerWeek)
		if to.After(limit) && (extendedUntil.IsZero() || to.After(extendedUntil)) {
			return opstap.FieldError(field, "maximum duration: at %d hours a week a placement lasts at most %d months, until %s, unless the municipality recorded an extension",
				p.HoursPerWeek, MaxMonths(p.HoursPerWeek), limit.Dutch())
		}
	}
	return nil
}

// Span is when a placement occupies a candidate: from First to Last
// inclusive on the Days of the mask.
type Span struct {
	First, Last opstap.Date
	Days        uint8
}

// Overlaps reports whether two spans share a day of the week within a
// common period.
func (s Span) Overlaps(o Span) bool {
	return !s.Last.Before(o.First) && !o.Last.Before(s.First) && s.Days&o.Days != 0
}

// CheckNotPlaced refuses a placement that overlaps, in period and days, a
// live placement of the same candidate (issue 5: "already placed in
// overlapping hours").
func CheckNotPlaced(s Span, others []Span) error {
	for _, o := range others {
		if s.Overlaps(o) {
			return opstap.FieldError("candidate_id", "already placed: the candidate has another placement on the same days from %s to %s",
				o.First.Dutch(), o.Last.Dutch())
		}
	}
	return nil
}

// Proposal is what the case manager proposes: the period, hours and days
// (defaults from the assignment).
type Proposal struct {
	CandidateID  string      `json:"candidate_id" validate:"required,max=64"`
	FirstDay     opstap.Date `json:"first_day"`
	LastDay      opstap.Date `json:"last_day"`
	HoursPerWeek int         `json:"hours_per_week" validate:"min=0,max=60"`
	Days         []string    `json:"days" validate:"items=7,max=3"`
}

// ProposalFacts are what the store found about the assignment and the
// candidate for CheckProposal.
type ProposalFacts struct {
	Assignment            *Assignment
	CandidateMunicipality string // CBS code of the candidate's commissioner
	Matchable             bool   // [003 art 5 lid 5]
	Visible               bool   // candidate and coach both made the profile visible
	Live                  int    // live placements of the assignment
	Busy                  []Span // the candidate's live placements
	ExtendedUntil         opstap.Date
}

// Defaults fills what the case manager left open from the assignment: its
// start, hours and days, and a last day at the planned end or else the
// maximum duration.
func (p *Proposal) Defaults(a *Assignment) {
	if p.FirstDay.IsZero() {
		p.FirstDay = a.Start
	}
	if p.HoursPerWeek == 0 {
		p.HoursPerWeek = a.HoursPerWeek
	}
	if len(p.Days) == 0 {
		p.Days = a.Days
	}
	if p.LastDay.IsZero() {
		p.LastDay = MaxLastDay(p.FirstDay, p.HoursPerWeek)
		if !a.PlannedEnd.IsZero() && a.PlannedEnd.Before(p.LastDay) && !a.PlannedEnd.Before(p.FirstDay) {
			p.LastDay = a.PlannedEnd
		}
	}
}

// CheckProposal applies every rule to a proposal; the first refusal names
// its rule. It is run again at confirmation.
func CheckProposal(p *Proposal, f ProposalFacts) error {
	checks := []func() error{
		func() error { return checkAssignmentFillable(f.Assignment) },
		func() error { return SameMunicipality(f.CandidateMunicipality, f.Assignment.Municipality) },
		func() error { return checkCandidateReady(f) },
		func() error { return checkPlaces(f) },
		func() error { return p.validate() },
		func() error {
			return CheckDuration("last_day", p.FirstDay, p.LastDay, []HoursPeriod{{From: p.FirstDay, HoursPerWeek: p.HoursPerWeek}}, f.ExtendedUntil)
		},
		func() error { return CheckNotPlaced(p.Span(), f.Busy) },
	}
	for _, c := range checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}

// checkAssignmentFillable: only an open assignment with a positive
// displacement check is filled (DOMAIN.md §5).
func checkAssignmentFillable(a *Assignment) error {
	if a.Check == nil || !a.Check.Positive {
		return opstap.Errorf(opstap.ECONFLICT, "the assignment needs a positive displacement check by the municipality before it can be opened or filled")
	}
	if a.Status != StatusOpen {
		return opstap.Errorf(opstap.ECONFLICT, "only an open assignment can be filled")
	}
	return nil
}

// checkCandidateReady: matchable [003 art 5 lid 5] and visible to
// employers, since the employer will read the candidate's name (issue 5
// point 4).
func checkCandidateReady(f ProposalFacts) error {
	if !f.Matchable {
		return opstap.FieldError("candidate_id", "the candidate is not matchable: the municipality has not marked them ready for placement")
	}
	if !f.Visible {
		return opstap.FieldError("candidate_id", "the candidate's profile is not visible to employers: the candidate and the coach must both agree")
	}
	return nil
}

func checkPlaces(f ProposalFacts) error {
	if f.Live >= f.Assignment.Places {
		return opstap.Errorf(opstap.ECONFLICT, "all places of the assignment are taken: %d of %d", f.Live, f.Assignment.Places)
	}
	return nil
}

func (p *Proposal) validate() error {
	if p.HoursPerWeek < 1 || p.HoursPerWeek > MaxHoursPerWeek {
		return opstap.FieldError("hours_per_week", "hours per week must be between 1 and 60")
	}
	m, err := DaysOf("days", p.Days)
	if err != nil {
		return err
	}
	if m == 0 {
		return opstap.FieldError("days", "choose at least one day")
	}
	p.Days = DayList(m)
	if p.FirstDay.IsZero() {
		return opstap.FieldError("first_day", "date is required")
	}
	return nil
}

// Span is the proposal's occupation of the candidate.
func (p *Proposal) Span() Span {
	m, _ := DaysOf("days", p.Days)
	return Span{First: p.FirstDay, Last: p.LastDay, Days: m}
}

// CheckHoursChange checks a change of contracted hours from a day on: the
// placement must be confirmed, the day within it, and the maximum duration
// is re-checked with the new hours [003 art 5 lid 6, art 4].
func CheckHoursChange(first, last opstap.Date, periods []HoursPeriod, change HoursPeriod, extendedUntil opstap.Date) ([]HoursPeriod, error) {
	switch {
	case change.HoursPerWeek < 1 || change.HoursPerWeek > MaxHoursPerWeek:
		return nil, opstap.FieldError("hours_per_week", "hours per week must be between 1 and 60")
	case change.From.IsZero():
		return nil, opstap.FieldError("from", "date is required")
	case change.From.Before(first) || change.From.After(last):
		return nil, opstap.FieldError("from", "the change must take effect within the placement")
	}
	var out []HoursPeriod
	for _, p := range periods {
		if p.From.Before(change.From) {
			out = append(out, p)
		}
	}
	out = append(out, change)
	return out, CheckDuration("hours_per_week", first, last, out, extendedUntil)
}

// Outcome is how a placement ended; it feeds the trajectory's end reason
// (issue 5 point 5, DOMAIN.md §6 "outflow to regular work").
type Outcome string

// The outcomes.
const (
	OutcomeCompleted   Outcome = "completed"
	OutcomeEndedEarly  Outcome = "ended_early"
	OutcomeRegularWork Outcome = "outflow_regular_work"
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeCompleted, OutcomeEndedEarly, OutcomeRegularWork}

// PlacementEnd is the recorded end of a confirmed placement.
type PlacementEnd struct {
	Outcome      Outcome                 `json:"outcome" validate:"required,max=50"`
	On           opstap.Date             `json:"on"`
	Reason       string                  `json:"reason,omitempty" validate:"max=2000"` // ended early: why (stored sealed)
	ContractKind trajectory.ContractKind `json:"contract_kind,omitempty" validate:"max=50"`
	HoursPerWeek int                     `json:"hours_per_week,omitempty" validate:"min=0,max=60"`
}

// Validate checks an end of a placement from first to last. An early end
// says why; outflow to regular work names the contract kind and hours, as
// the trajectory's end does (trajectory.End.Validate).
func (e *PlacementEnd) Validate(status PlacementStatus, first, last opstap.Date) error {
	e.Reason = strings.TrimSpace(e.Reason)
	if status != PlacementConfirmed {
		return opstap.Errorf(opstap.ECONFLICT, "only a confirmed placement can be ended")
	}
	if e.On.IsZero() {
		e.On = last
	}
	if e.On.Before(first) {
		return opstap.FieldError("on", "the end cannot be before the first day")
	}
	switch e.Outcome {
	case OutcomeCompleted:
		e.Reason, e.ContractKind, e.HoursPerWeek = "", "", 0
	case OutcomeEndedEarly:
		if e.Reason == "" {
			return opstap.FieldError("reason", "state why the placement ended early")
		}
		e.ContractKind, e.HoursPerWeek = "", 0
	case OutcomeRegularWork:
		e.Reason = ""
		return e.TrajectoryEnd().Validate()
	default:
		return opstap.FieldError("outcome", "choose the outcome")
	}
	return nil
}

// TrajectoryEnd is the trajectory end that outflow to regular work records.
func (e *PlacementEnd) TrajectoryEnd() trajectory.End {
	return trajectory.End{Reason: trajectory.EndRegularWork, ContractKind: e.ContractKind, HoursPerWeek: e.HoursPerWeek, On: e.On}
}

// Placement is one placement with its history.
type Placement struct {
	ID               string          `json:"id"`
	AssignmentID     string          `json:"assignment_id"`
	AssignmentTitle  string          `json:"assignment_title"`
	EmployerID       string          `json:"employer_id"`
	EmployerName     string          `json:"employer_name"`
	Municipality     string          `json:"municipality"`
	CandidateID      string          `json:"candidate_id"`
	CandidateName    string          `json:"candidate_name,omitempty"`
	Status           PlacementStatus `json:"status"`
	FirstDay         opstap.Date     `json:"first_day"`
	LastDay          opstap.Date     `json:"last_day"`
	HoursPerWeek     int             `json:"hours_per_week"`
	Days             []string        `json:"days"`
	ProposedBy       string          `json:"proposed_by"`
	ProposedAt       time.Time       `json:"proposed_at"`
	CandidateAnswer  *time.Time      `json:"candidate_answered_at,omitempty"`
	EmployerAnswer   *time.Time      `json:"employer_answered_at,omitempty"`
	ConfirmedBy      string          `json:"confirmed_by,omitempty"`
	ConfirmedAt      *time.Time      `json:"confirmed_at,omitempty"`
	Hours            []HoursPeriod   `json:"hours"`
	Extensions       []Extension     `json:"extensions"`
	End              *PlacementEnd   `json:"end,omitempty"`
	MaxLastDay       opstap.Date     `json:"max_last_day"` // without extension, at the highest hours
	HasConfirmations bool            `json:"has_confirmations"`
}

// Span is the placement's occupation of the candidate.
func (p *Placement) Span() Span {
	m, _ := DaysOf("days", p.Days)
	return Span{First: p.FirstDay, Last: p.LastDay, Days: m}
}

// ExtendedUntil is the latest day the placement's extensions allow.
func (p *Placement) ExtendedUntil() opstap.Date { return ExtendedUntil(p.Extensions) }
