// Package trajectory holds the trajectory (traject) and the cooperation
// rules between provider and candidate (DOMAIN.md §2, seed 000 arts 7–11):
// the life cycle, the end reasons, absence reports, the non-compliance
// procedure and suspension. It is pure: storage and access checks live in
// internal/store, which loads a Trajectory, asks it whether a step is
// allowed, and stores the step only when it is.
//
// No costs are ever charged to the candidate [000 art 3], so nothing here
// carries an amount of money.
package trajectory

import (
	"time"

	"github.com/opstap/opstap"
)

// Kind is the kind of trajectory [000 definitions; 003].
type Kind string

// The kinds.
const (
	KindGuidance      Kind = "guidance_mediation" // begeleiding/bemiddeling: outplacement, coaching, workshops
	KindReintegration Kind = "reintegration"      // Wet Verbetering Poortwachter, Participatiewet
	KindFlex          Kind = "flex"               // working while keeping benefit [003]
)

// Kinds lists every kind in a stable order.
var Kinds = []Kind{KindGuidance, KindReintegration, KindFlex}

// Status is where a trajectory is in its life cycle.
type Status string

// The life cycle: registered (aangemeld) → intake → active ⇄ suspended
// (opgeschort) → ended (beëindigd).
const (
	StatusRegistered Status = "registered"
	StatusIntake     Status = "intake"
	StatusActive     Status = "active"
	StatusSuspended  Status = "suspended"
	StatusEnded      Status = "ended"
)

// Statuses lists every status in life-cycle order.
var Statuses = []Status{StatusRegistered, StatusIntake, StatusActive, StatusSuspended, StatusEnded}

// Action moves a trajectory from one status to another.
type Action string

// The actions.
const (
	ActStartIntake Action = "start_intake"
	ActActivate    Action = "activate"
	ActSuspend     Action = "suspend"
	ActResume      Action = "resume"
	ActEnd         Action = "end"
)

// Actions lists every action in a stable order.
var Actions = []Action{ActStartIntake, ActActivate, ActSuspend, ActResume, ActEnd}

// move is one allowed transition.
type move struct {
	from []Status
	to   Status
}

// moves is the life cycle as a table: an action not allowed from the
// current status is refused. A trajectory can end from any open status
// (a candidate may stop at any moment [000 art 7]).
var moves = map[Action]move{
	ActStartIntake: {[]Status{StatusRegistered}, StatusIntake},
	ActActivate:    {[]Status{StatusIntake}, StatusActive},
	ActSuspend:     {[]Status{StatusActive}, StatusSuspended},
	ActResume:      {[]Status{StatusSuspended}, StatusActive},
	ActEnd:         {[]Status{StatusRegistered, StatusIntake, StatusActive, StatusSuspended}, StatusEnded},
}

// Next returns the status that act leads to from s, or a conflict.
func Next(s Status, act Action) (Status, error) {
	m, ok := moves[act]
	if !ok {
		return "", opstap.FieldError("action", "unknown action")
	}
	for _, f := range m.from {
		if f == s {
			return m.to, nil
		}
	}
	return "", opstap.Errorf(opstap.ECONFLICT, "this step is not possible while the trajectory is %s", string(s))
}

// Ground is why a trajectory is suspended.
type Ground string

// The grounds for suspension: illness, pregnancy or other special
// circumstances [000 art 11]; non-compliance [000 art 9]; incorrect or
// incomplete information [000 art 10].
const (
	GroundIllness              Ground = "illness"
	GroundPregnancy            Ground = "pregnancy"
	GroundSpecialCircumstances Ground = "special_circumstances"
	GroundNoncompliance        Ground = "noncompliance"
	GroundIncorrectInformation Ground = "incorrect_information"
)

// Grounds lists every ground in a stable order.
var Grounds = []Ground{GroundIllness, GroundPregnancy, GroundSpecialCircumstances, GroundNoncompliance, GroundIncorrectInformation}

// NeedsTalks reports whether the ground is one of article 11, which asks
// that the intent was discussed with the candidate and the commissioner.
func (g Ground) NeedsTalks() bool {
	return g == GroundIllness || g == GroundPregnancy || g == GroundSpecialCircumstances
}

// EndReason is why a trajectory ended.
type EndReason string

// The end reasons (DOMAIN.md §2).
const (
	EndRegularWork             EndReason = "regular_work" // uitstroom naar regulier werk
	EndOfTerm                  EndReason = "end_of_term"
	EndByCandidate             EndReason = "ended_by_candidate"
	EndByProviderNoncompliance EndReason = "ended_by_provider_noncompliance"
	EndByProviderIncorrectInfo EndReason = "ended_by_provider_incorrect_information"
	EndOther                   EndReason = "other"
)

// EndReasons lists every end reason in a stable order.
var EndReasons = []EndReason{EndRegularWork, EndOfTerm, EndByCandidate, EndByProviderNoncompliance, EndByProviderIncorrectInfo, EndOther}

// ContractKind is the kind of contract on outflow to regular work.
type ContractKind string

// The contract kinds.
const (
	ContractPermanent    ContractKind = "permanent"
	ContractFixedTerm    ContractKind = "fixed_term"
	ContractAgency       ContractKind = "temporary_agency"
	ContractOnCall       ContractKind = "on_call"
	ContractSelfEmployed ContractKind = "self_employed"
)

// ContractKinds lists every contract kind in a stable order.
var ContractKinds = []ContractKind{ContractPermanent, ContractFixedTerm, ContractAgency, ContractOnCall, ContractSelfEmployed}

// MaxHoursPerWeek bounds the hours of a job found; the Working Hours Act
// allows at most 60 in one week.
const MaxHoursPerWeek = 60

// End is how a trajectory ended. Contract kind and hours are kept on
// outflow to regular work, for the figure "outflow to regular work"
// (DOMAIN.md §5).
type End struct {
	Reason       EndReason    `json:"reason" validate:"required,max=50"`
	ContractKind ContractKind `json:"contract_kind,omitempty" validate:"max=50"`
	HoursPerWeek int          `json:"hours_per_week,omitempty" validate:"min=1,max=60"`
	On           opstap.Date  `json:"on"`
}

// Validate checks an end; contract kind and hours belong to regular work
// only.
func (e End) Validate() error {
	if !oneOf(EndReasons, e.Reason) {
		return opstap.FieldError("reason", "unknown end reason")
	}
	if e.Reason != EndRegularWork {
		if e.ContractKind != "" || e.HoursPerWeek != 0 {
			return opstap.FieldError("contract_kind", "contract kind and hours only go with outflow to regular work")
		}
		return nil
	}
	if !oneOf(ContractKinds, e.ContractKind) {
		return opstap.FieldError("contract_kind", "choose the kind of contract")
	}
	if e.HoursPerWeek < 1 || e.HoursPerWeek > MaxHoursPerWeek {
		return opstap.FieldError("hours_per_week", "hours per week must lie between 1 and %d", MaxHoursPerWeek)
	}
	return nil
}

// Trajectory is one trajectory with what the rules need to decide.
// Appointments, cases, talks and history are filled only for readers of
// the notes; commissioners see status and end reason only.
type Trajectory struct {
	ID               string          `json:"id"`
	CandidateID      string          `json:"candidate_id"`
	Kind             Kind            `json:"kind"`
	Status           Status          `json:"status"`
	CoachUserID      string          `json:"coach_user_id,omitempty"`
	CreatedAt        time.Time       `json:"created_at"`
	StatusChangedAt  time.Time       `json:"status_changed_at"`
	SuspensionGround Ground          `json:"suspension_ground,omitempty"`
	End              *End            `json:"end,omitempty"`
	EndNote          string          `json:"end_note,omitempty"`
	Appointments     []Appointment   `json:"appointments,omitempty"`
	Cases            []Noncompliance `json:"noncompliance,omitempty"`
	Talks            []Talk          `json:"suspension_talks,omitempty"`
	History          []Event         `json:"history,omitempty"`
	Full             bool            `json:"-"` // the details above were readable
}

// Open reports whether the trajectory has not ended.
func (t *Trajectory) Open() bool { return t.Status != StatusEnded }

// Event is one line of a trajectory's history.
type Event struct {
	At          time.Time `json:"at"`
	ActorUserID string    `json:"actor_user_id,omitempty"`
	Event       string    `json:"event"`
	From        Status    `json:"from,omitempty"`
	To          Status    `json:"to,omitempty"`
	Detail      string    `json:"detail,omitempty"`
	Note        string    `json:"note,omitempty"`
}

// History event names.
const (
	EventCreated         = "created"
	EventTransition      = "transition"
	EventCoachReassigned = "coach_reassigned"
)

func oneOf[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// ValidKind reports whether k is a known kind.
func ValidKind(k Kind) bool { return oneOf(Kinds, k) }
