package trajectory

import (
	"time"

	"github.com/opstap/opstap"
)

// NCKind is the kind of non-compliance.
type NCKind string

// The kinds of non-compliance: those of article 9, and incorrect or
// incomplete information (article 10).
const (
	NCUnreachable            NCKind = "unreachable"             // repeatedly unreachable [000 art 9]
	NCNotFollowingAdvice     NCKind = "not_following_advice"    // [000 art 9]
	NCInsufficientMotivation NCKind = "insufficient_motivation" // [000 art 9]
	NCObstructing            NCKind = "obstructing"             // obstructs the guidance [000 art 9]
	NCIncorrectInformation   NCKind = "incorrect_information"   // [000 art 10]
)

// NCKinds lists every kind in a stable order.
var NCKinds = []NCKind{NCUnreachable, NCNotFollowingAdvice, NCInsufficientMotivation, NCObstructing, NCIncorrectInformation}

// ValidNCKind reports whether k is a known kind of non-compliance.
func ValidNCKind(k NCKind) bool { return oneOf(NCKinds, k) }

// Step is one step of the non-compliance procedure.
type Step string

// The steps, in the order of article 9: the candidate is addressed and
// given the chance to comply; only then is the commissioner informed; the
// candidate is informed of the intended measure before it is taken.
const (
	StepAddressed            Step = "addressed"
	StepChanceGiven          Step = "chance_given"
	StepCommissionerInformed Step = "commissioner_informed"
	StepCandidateInformed    Step = "candidate_informed"
)

// Steps lists the steps in procedure order.
var Steps = []Step{StepAddressed, StepChanceGiven, StepCommissionerInformed, StepCandidateInformed}

// Measure is what the provider intends: suspend or end [000 art 9, 10].
type Measure string

// The measures.
const (
	MeasureSuspend Measure = "suspend"
	MeasureEnd     Measure = "end"
)

// StepRecord is a recorded step.
type StepRecord struct {
	Step     Step        `json:"step"`
	At       time.Time   `json:"at"`
	ByUserID string      `json:"by_user_id,omitempty"`
	Deadline opstap.Date `json:"deadline,omitempty"` // chance given: until when the candidate may still comply
	Measure  Measure     `json:"measure,omitempty"`  // candidate informed: of which measure
	Note     string      `json:"note,omitempty"`
}

// Noncompliance is one recorded non-compliance and the steps taken on it.
type Noncompliance struct {
	ID           string       `json:"id"`
	Kind         NCKind       `json:"kind"`
	Note         string       `json:"note,omitempty"`
	RecordedAt   time.Time    `json:"recorded_at"`
	Steps        []StepRecord `json:"steps"`
	MeasureTaken Measure      `json:"measure_taken,omitempty"` // set once the trajectory was suspended or ended on it
}

// Step returns the recorded step s, or nil.
func (c *Noncompliance) Step(s Step) *StepRecord {
	for i := range c.Steps {
		if c.Steps[i].Step == s {
			return &c.Steps[i]
		}
	}
	return nil
}

// CanRecord decides whether step in may be recorded now; the error names
// the step that must come first [000 art 9, 10].
func (c *Noncompliance) CanRecord(in StepRecord) error {
	if !oneOf(Steps, in.Step) {
		return opstap.FieldError("step", "unknown step")
	}
	if c.MeasureTaken != "" {
		return opstap.Errorf(opstap.ECONFLICT, "a measure was already taken on this non-compliance")
	}
	if c.Step(in.Step) != nil {
		return opstap.Errorf(opstap.ECONFLICT, "this step was already recorded")
	}
	if err := CheckNote(in.Note); err != nil {
		return err
	}
	switch in.Step {
	case StepChanceGiven:
		if c.Step(StepAddressed) == nil {
			// [000 art 9] the chance to comply follows addressing the candidate.
			return opstap.FieldError("step", "address the candidate first")
		}
		if in.Deadline.IsZero() {
			return opstap.FieldError("deadline", "give the date until which the candidate can still comply")
		}
	case StepCommissionerInformed:
		return c.checkCommissioner()
	case StepCandidateInformed:
		if in.Measure != MeasureSuspend && in.Measure != MeasureEnd {
			return opstap.FieldError("measure", "choose the intended measure: suspend or end")
		}
	}
	return nil
}

// checkCommissioner: the commissioner is informed only after the candidate
// was addressed and given the chance to comply [000 art 9].
func (c *Noncompliance) checkCommissioner() error {
	switch {
	case c.Step(StepAddressed) == nil:
		return opstap.FieldError("step", "the commissioner may be informed only after the candidate was addressed")
	case c.Step(StepChanceGiven) == nil:
		return opstap.FieldError("step", "the commissioner may be informed only after the candidate was given the chance to comply")
	}
	return nil
}

// AllowsMeasure decides whether the trajectory may be suspended or ended
// on this non-compliance. Always: only after the candidate was informed of
// that measure [000 art 9, 10]. For the kinds of article 9 also: only "in
// that case", after the commissioner was informed, which itself needs the
// candidate addressed and given the chance to comply.
func (c *Noncompliance) AllowsMeasure(m Measure) error {
	if c.MeasureTaken != "" {
		return opstap.Errorf(opstap.ECONFLICT, "a measure was already taken on this non-compliance")
	}
	if c.Kind != NCIncorrectInformation {
		if err := c.checkCommissioner(); err != nil {
			return opstap.FieldError("noncompliance_id", "first address the candidate, give the chance to comply and inform the commissioner")
		}
		if c.Step(StepCommissionerInformed) == nil {
			return opstap.FieldError("noncompliance_id", "inform the commissioner before taking a measure")
		}
	}
	inf := c.Step(StepCandidateInformed)
	switch {
	case inf == nil:
		return opstap.FieldError("noncompliance_id", "inform the candidate of the intended measure first")
	case inf.Measure != m:
		return opstap.FieldError("noncompliance_id", "the candidate was informed of another measure")
	}
	return nil
}

// Next returns the step that is due, or "" when all are recorded.
func (c *Noncompliance) Next() Step {
	for _, s := range Steps {
		if c.Step(s) == nil {
			return s
		}
	}
	return ""
}
